//! The archive's folder while it is written: every file gzip-compressed into a temporary
//! folder beside the destination, which replaces the destination only when complete.

use std::cell::RefCell;
use std::fs;
use std::path::Path;
use std::sync::Mutex;

use flate2::{Compress, Compression, Crc, FlushCompress};

use article_viewer_publish::outdir::{Replace, Staging};
use article_viewer_publish::Error;

/// Time spent compressing and writing, across threads (for `AV_INDEX_TIMES`).
pub static PUT_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct Output {
    staging: Staging,
    files: Mutex<Vec<(String, u64)>>,
    bytes: Mutex<u64>,
}

pub use article_viewer_publish::outdir::{fnv64, FNV_SEED};

impl Output {
    /// Checks that `out` may be replaced (it is new, empty, or an earlier `index`'s unchanged
    /// output, and apart from the collection), then stages the archive beside it.
    pub fn new(out: &Path, collection: &Path) -> Result<Output, Error> {
        let staging = Staging::begin(out, "index", Replace::Always, &[("the collection", collection)])?;
        for sub in ["a", "d", "t", "s", "f", "o", "v"] {
            let p = staging.path().join("archive").join(sub);
            fs::create_dir_all(&p).map_err(Error::io(&p))?;
        }
        Ok(Output { staging, files: Mutex::new(Vec::new()), bytes: Mutex::new(0) })
    }

    /// Writes `<archive>/<name>` gzip-compressed (callable from many threads).
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let t = std::time::Instant::now();
        let r = self.put_inner(name, bytes);
        PUT_NANOS.fetch_add(t.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
        r
    }

    fn put_inner(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.staging.path().join("archive").join(name);
        let packed = gzip(bytes);
        fs::write(&path, &packed).map_err(Error::io(&path))?;
        let hash = fnv64(fnv64(FNV_SEED, name.as_bytes()), &packed);
        self.files.lock().map_err(|_| Error::Usage("a writer thread failed".into()))?.push((name.to_string(), hash));
        *self.bytes.lock().map_err(|_| Error::Usage("a writer thread failed".into()))? += packed.len() as u64;
        Ok(())
    }

    /// Names the archive folder after its contents, writes `index.json` (made by `index`
    /// from that folder's name) and puts the whole in place of `out`.
    pub fn finish(self, index: impl FnOnce(&str) -> Vec<u8>) -> Result<(usize, u64), Error> {
        let mut files = self.files.into_inner().map_err(|_| Error::Usage("a writer thread failed".into()))?;
        files.sort();
        let hash = files.iter().fold(FNV_SEED, |h, (_, f)| fnv64(h, &f.to_le_bytes()));
        let folder = format!("v1-{hash:016x}");
        let from = self.staging.path().join("archive");
        let to = self.staging.path().join(&folder);
        fs::rename(&from, &to).map_err(Error::io(&to))?;
        let index_path = self.staging.path().join("index.json");
        fs::write(&index_path, index(&folder)).map_err(Error::io(&index_path))?;
        self.staging.commit()?;
        let bytes = self.bytes.into_inner().unwrap_or(0);
        Ok((files.len(), bytes))
    }

    /// Removes the staging folder after a failure.
    pub fn abandon(self) {
        drop(self.staging);
    }
}

thread_local! {
    /// One deflate state per thread, reset for each file: a new one costs more to set up
    /// than most archive files cost to compress.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), false));
}

/// `bytes` as one gzip member (RFC 1952: no name, no time, so equal input gives equal output).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]);
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        d.reset();
        loop {
            out.reserve(bytes.len() / 4 + 1024);
            let consumed = d.total_in() as usize;
            match d.compress_vec(&bytes[consumed.min(bytes.len())..], &mut out, FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn gzip_members_inflate_to_their_input() {
        for input in [Vec::new(), b"a".to_vec(), (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect()] {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(gzip(&input).as_slice()).read_to_end(&mut out).unwrap();
            assert_eq!(out, input);
            assert_eq!(gzip(&input), gzip(&input));
        }
    }
}
