//! What can stop the publishing program, each with the place it happened, in words a
//! publisher can act on.

use std::fmt;
use std::path::{Path, PathBuf};

use article_viewer_core::format::FormatError;

#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: std::io::Error },
    /// A document was refused by the viewer's own parser.
    Refused { path: PathBuf, error: FormatError },
    /// The arguments or the folders do not make a site.
    Usage(String),
    /// An input file is not what it claims to be (malformed JSON, XML, front matter), at a
    /// 1-based line and column counted in characters.
    Malformed { path: String, line: usize, column: usize, message: String },
    /// `check` found documents the viewer refuses (each was printed with its place).
    Check { refused: usize, checked: usize },
}

impl Error {
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io { path: path.to_path_buf(), source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Refused { path, error } => write!(f, "{}: refused: {error}", path.display()),
            Error::Usage(message) => f.write_str(message),
            Error::Malformed { path, line, column, message } => write!(f, "{path}:{line}:{column}: {message}"),
            Error::Check { refused, checked } => write!(f, "{refused} of {checked} documents refused"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
