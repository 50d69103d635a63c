use super::{Input, Options, Sink, Source};
use crate::Error;
pub fn import(_input: &dyn Input, _opts: &Options, _sink: &mut dyn Sink) -> Result<Source, Error> { Ok(Source::default()) }
