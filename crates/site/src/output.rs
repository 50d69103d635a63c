//! Writing into `dist/`: each file is written beside its place under a temporary name and
//! renamed into place, so a reader (or a server) never sees half a page.

use std::path::{Path, PathBuf};

use crate::Error;

pub struct Output {
    root: PathBuf,
}

impl Output {
    pub fn new(root: &Path) -> Output {
        Output { root: root.to_path_buf() }
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output folder).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.place(rel)?;
        let temp = path.with_file_name(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
        std::fs::write(&temp, bytes).map_err(Error::io(&temp))?;
        std::fs::rename(&temp, &path).map_err(Error::io(&path))
    }

    /// Copies the file at `source` to `rel`.
    pub fn copy(&self, source: &Path, rel: &str) -> Result<(), Error> {
        let bytes = std::fs::read(source).map_err(Error::io(source))?;
        self.write(rel, &bytes)
    }

    fn place(&self, rel: &str) -> Result<PathBuf, Error> {
        let mut path = self.root.clone();
        for part in rel.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(Error::Usage(format!("{rel}: not a path inside the output folder")));
            }
            path.push(part);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        Ok(path)
    }
}
