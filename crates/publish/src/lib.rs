//! What the publishing commands (`import`, `index`, `build`) share: errors that name their
//! place ([`Error`]), output folders the program recognises as its own before it replaces
//! them ([`outdir`]), and HTML escaping ([`html`]).

pub mod error;
pub mod html;
pub mod outdir;

pub use error::Error;
