//! Folders the program replaces whole (`import --out`, `index --out`), and how it knows that a
//! folder is its own before it replaces one: nothing it did not write is ever deleted.
//!
//! - A finished folder carries a manifest, [`MARKER`]: the tool, its version, the command, and
//!   every file it wrote with its size and hash. A folder is replaced only when every file in
//!   it is in its manifest, unchanged; any other non-empty folder is refused, naming the files
//!   that are not the program's.
//! - The output may not contain an input, nor lie inside one ([`keep_apart`]).
//! - Work happens in a staging folder beside the output (`.<name>.<command>-<pid>`, marked by
//!   [`STAGING_MARKER`]), renamed into place at the end. One left behind by a killed run is
//!   recognised by its marker and a process id that is no longer running, and removed by the
//!   next run; a previous output moved aside (`.<name>.old-<pid>`) is put back if the new one
//!   never arrived.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The manifest a finished output folder carries (hidden: `build` does not publish it).
pub const MARKER: &str = ".article-viewer-output.json";
/// The file that makes a staging folder recognisably this program's.
pub const STAGING_MARKER: &str = ".article-viewer-staging.json";
const TOOL: &str = "article-viewer-cli";

/// FNV-1a, 64 bits: a file's fingerprint in the manifest (and the archive's folder name).
pub fn fnv64(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

pub const FNV_SEED: u64 = 0xCBF2_9CE4_8422_2325;

#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Manifest {
    tool: String,
    version: String,
    command: String,
    files: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Entry {
    path: String,
    bytes: u64,
    fnv64: String,
}

#[derive(Serialize, Deserialize)]
struct StagingNote {
    tool: String,
    command: String,
    pid: u32,
}

/// When an existing folder of the program's own may be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Only with `--force` (`import`: a content folder is something a publisher edits).
    WhenForced(bool),
    /// Always (`index`: the archive is derived data, rebuilt on every run).
    Always,
}

/// The output folder being written: a staging folder beside `out`, renamed into it by
/// [`Staging::commit`] and removed if the run stops before that.
pub struct Staging {
    out: PathBuf,
    temp: PathBuf,
    command: &'static str,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be (re)placed by `command`, cleans up what killed runs left
    /// beside it, and creates the staging folder.
    pub fn begin(
        out: &Path,
        command: &'static str,
        replace: Replace,
        inputs: &[(&str, &Path)],
    ) -> Result<Staging, Error> {
        let name = folder_name(out)?;
        keep_apart(("--out", out), inputs)?;
        clean_stale(out, &name)?;
        check_replaceable(out, command, replace)?;
        let temp = parent_of(out).join(format!(".{name}.{command}-{}", std::process::id()));
        if temp.exists() {
            return Err(Error::Usage(format!(
                "{}: already exists; is another run writing {}?",
                temp.display(),
                out.display()
            )));
        }
        fs::create_dir_all(&temp).map_err(Error::io(&temp))?;
        let note = StagingNote { tool: TOOL.into(), command: command.into(), pid: std::process::id() };
        let note_path = temp.join(STAGING_MARKER);
        fs::write(&note_path, serde_json::to_vec(&note).unwrap_or_default()).map_err(Error::io(&note_path))?;
        Ok(Staging { out: out.to_path_buf(), temp, command, committed: false })
    }

    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Writes the manifest of everything in the staging folder and moves it into place; the
    /// folder it replaces (checked to be the program's own by [`Staging::begin`]) is removed.
    pub fn commit(mut self) -> Result<(), Error> {
        let note = self.temp.join(STAGING_MARKER);
        fs::remove_file(&note).map_err(Error::io(&note))?;
        write_manifest(&self.temp, self.command)?;
        if self.out.exists() {
            let old = parent_of(&self.out).join(format!(".{}.old-{}", folder_name(&self.out)?, std::process::id()));
            fs::rename(&self.out, &old).map_err(Error::io(&self.out))?;
            fs::rename(&self.temp, &self.out).map_err(Error::io(&self.out))?;
            fs::remove_dir_all(&old).map_err(Error::io(&old))?;
        } else {
            fs::rename(&self.temp, &self.out).map_err(Error::io(&self.out))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

fn folder_name(out: &Path) -> Result<String, Error> {
    let name = out.file_name().and_then(|n| n.to_str()).filter(|n| !n.is_empty());
    name.map(str::to_string).ok_or_else(|| Error::Usage(format!("--out {}: give a folder name", out.display())))
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses an existing `out` that is not the program's own, unchanged output of `command`.
fn check_replaceable(out: &Path, command: &str, replace: Replace) -> Result<(), Error> {
    let meta = match fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::Io { path: out.to_path_buf(), source }),
    };
    if !meta.is_dir() {
        return Err(Error::Usage(format!("--out {}: not a folder; give a new or empty folder", out.display())));
    }
    if fs::read_dir(out).map_err(Error::io(out))?.next().is_none() {
        return Ok(());
    }
    let Some(manifest) = read_manifest(out)? else {
        return Err(Error::Usage(format!(
            "--out {}: the folder is not empty and was not written by `{command}` (it has no {MARKER}); \
             nothing in it is touched: choose a new or empty folder, or move its files away",
            out.display()
        )));
    };
    if manifest.command != command {
        return Err(Error::Usage(format!(
            "--out {}: the folder was written by `{}`, not `{command}`; choose another folder",
            out.display(),
            manifest.command
        )));
    }
    let foreign = foreign_files(out, &manifest)?;
    if !foreign.is_empty() {
        return Err(Error::Usage(format!(
            "--out {}: {} not written by `{command}` or changed since; nothing was touched: \
             move {} away, or choose another folder",
            out.display(),
            list(&foreign),
            if foreign.len() == 1 { "it" } else { "them" }
        )));
    }
    if replace == Replace::WhenForced(false) {
        return Err(Error::Usage(format!(
            "--out {}: the folder holds an earlier `{command}`; give --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

/// Up to five names, then how many more.
fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(5);
    let mut s = shown.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s + if names.len() == 1 { " is" } else { " are" }
}

fn read_manifest(dir: &Path) -> Result<Option<Manifest>, Error> {
    let path = dir.join(MARKER);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    Ok(serde_json::from_slice::<Manifest>(&text).ok().filter(|m| m.tool == TOOL))
}

/// Files in `dir` (and anything that is not a plain file or folder) that the manifest does not
/// list with the same size and hash, in path order.
fn foreign_files(dir: &Path, manifest: &Manifest) -> Result<Vec<String>, Error> {
    let listed: HashMap<&str, &Entry> = manifest.files.iter().map(|e| (e.path.as_str(), e)).collect();
    let mut found = Vec::new();
    walk(dir, "", &mut found)?;
    let mut foreign = Vec::new();
    for (rel, path, is_file) in found {
        if rel == MARKER {
            continue;
        }
        let same =
            is_file && listed.get(rel.as_str()).is_some_and(|e| fingerprint(&path).is_ok_and(|f| f.same_content(e)));
        if !same {
            foreign.push(rel);
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// Every entry below `dir` as (relative path, path, is a plain file); folders are descended
/// into, not listed; symbolic links are listed and never followed.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf, bool)>) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let kind = entry.file_type().map_err(Error::io(&path))?;
        if kind.is_dir() {
            walk(&path, &format!("{rel}/"), out)?;
        } else {
            out.push((rel, path, kind.is_file()));
        }
    }
    Ok(())
}

fn fingerprint(path: &Path) -> std::io::Result<Entry> {
    let mut file = fs::File::open(path)?;
    let mut hash = FNV_SEED;
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash = fnv64(hash, &buf[..n]);
        bytes += n as u64;
    }
    Ok(Entry { path: String::new(), bytes, fnv64: format!("{hash:016x}") })
}

impl Entry {
    fn same_content(&self, other: &Entry) -> bool {
        self.bytes == other.bytes && self.fnv64 == other.fnv64
    }
}

fn write_manifest(dir: &Path, command: &str) -> Result<(), Error> {
    let mut found = Vec::new();
    walk(dir, "", &mut found)?;
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut files = Vec::with_capacity(found.len());
    for (rel, path, _) in found {
        let entry = fingerprint(&path).map_err(Error::io(&path))?;
        files.push(Entry { path: rel, ..entry });
    }
    let manifest =
        Manifest { tool: TOOL.into(), version: env!("CARGO_PKG_VERSION").into(), command: command.into(), files };
    let path = dir.join(MARKER);
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    fs::write(&path, text).map_err(Error::io(&path))
}

/// Removes the staging folders of `out` that killed runs left behind, and puts back an output
/// that was moved aside and never replaced. Only folders carrying the program's marker are
/// touched.
fn clean_stale(out: &Path, name: &str) -> Result<(), Error> {
    let parent = parent_of(out);
    let Ok(entries) = fs::read_dir(&parent) else { return Ok(()) };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((what, pid)) = file_name.strip_prefix(&prefix).and_then(|rest| rest.rsplit_once('-')) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let path = entry.path();
        if !path.is_dir() || running(pid, &path) {
            continue;
        }
        if what == "old" {
            restore_or_remove_old(out, &path)?;
        } else if is_staging(&path) {
            eprintln!("note: removing {}, left by an interrupted run", path.display());
            fs::remove_dir_all(&path).map_err(Error::io(&path))?;
        }
    }
    Ok(())
}

fn is_staging(dir: &Path) -> bool {
    fs::read(dir.join(STAGING_MARKER))
        .ok()
        .and_then(|t| serde_json::from_slice::<StagingNote>(&t).ok())
        .is_some_and(|n| n.tool == TOOL)
}

/// An earlier output moved aside by a run killed mid-swap: back into place when `out` is
/// missing, removed when `out` is there (the swap had finished); left alone when it is not
/// recognisably the program's unchanged output.
fn restore_or_remove_old(out: &Path, old: &Path) -> Result<(), Error> {
    let Some(manifest) = read_manifest(old)? else { return Ok(()) };
    if !foreign_files(old, &manifest)?.is_empty() {
        return Ok(());
    }
    if out.exists() {
        eprintln!("note: removing {}, left by an interrupted run", old.display());
        fs::remove_dir_all(old).map_err(Error::io(old))
    } else {
        eprintln!("note: putting back {} as {}, moved aside by an interrupted run", old.display(), out.display());
        fs::rename(old, out).map_err(Error::io(out))
    }
}

/// Whether the run that made `dir` may still be going: its process exists (Linux), or, where
/// that cannot be asked, the folder changed within the last day.
fn running(pid: u32, dir: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = fs::metadata(dir).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 24 * 3600)
}

/// Refuses `a` when it is one of `others`, lies inside one, or contains one (paths are
/// compared after resolving `.`, `..` and symbolic links, so two spellings of one folder are
/// one folder).
pub fn keep_apart(a: (&str, &Path), others: &[(&str, &Path)]) -> Result<(), Error> {
    let resolved_a = resolve(a.1);
    for (flag, other) in others {
        let b = resolve(other);
        let problem = if resolved_a == b {
            "is the same as"
        } else if b.starts_with(&resolved_a) {
            "contains"
        } else if resolved_a.starts_with(&b) {
            "lies inside"
        } else {
            continue;
        };
        return Err(Error::Usage(format!(
            "{} {} {problem} {flag} {}: give an output folder outside the input, and not around it",
            a.0,
            a.1.display(),
            other.display()
        )));
    }
    Ok(())
}

/// An absolute path with symbolic links resolved as far as the path exists, and `.`/`..`
/// taken out (after the links before them, as the system reads a path).
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if exists {
                    match fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
