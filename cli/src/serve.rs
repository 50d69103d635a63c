//! `serve`: a preview that follows your edits. The content folder is built into a folder of
//! this program's own (under the system's temporary folder), served on 127.0.0.1, and watched
//! (`site.toml` is in it); each change updates only what it touches ([`Preview::update`]), and
//! the open pages reload. A document that does not parse is shown in the open pages, naming
//! the file and the place, while the last good site stays served; fixing it brings the site
//! back. Only this preview's pages get the reload script (a file of the same origin, which the
//! pages' own policy, `script-src 'self'`, already allows); `build` never writes it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use article_viewer_site::{Preview, Updated};

use crate::Error;

/// The script added to every page served, and the events it listens to.
const RELOAD_PATH: &str = "/__av/reload.js";
const EVENTS_PATH: &str = "/__av/events";
const RELOAD_SCRIPT: &str = include_str!("serve_reload.js");
/// How long after a change the watcher waits for the rest of one save (editors write a file in
/// several steps).
const SETTLE: Duration = Duration::from_millis(15);
/// The most of a request's head read.
const HEAD_LIMIT: u64 = 16 * 1024;

#[derive(clap::Args)]
pub struct Args {
    /// The content folder to preview (documents, pictures and site.toml).
    #[arg(long)]
    pub content: PathBuf,
    /// The port on 127.0.0.1 (0: any free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Show drafts, as `build --drafts`.
    #[arg(long)]
    pub drafts: bool,
    /// Show scheduled and expired articles, as `build --future`.
    #[arg(long)]
    pub future: bool,
}

/// The open pages' connections, and the error they are shown (if the last change broke).
#[derive(Default)]
struct Hub {
    clients: Mutex<Vec<TcpStream>>,
    error: Mutex<Option<String>>,
}

impl Hub {
    /// Sends one event to every open page, forgetting those that left.
    fn send(&self, event: &str, data: serde_json::Value) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|c| c.write_all(message.as_bytes()).and_then(|()| c.flush()).is_ok());
    }

    fn set_error(&self, error: Option<String>) {
        *self.error.lock().unwrap_or_else(|e| e.into_inner()) = error;
    }

    fn error(&self) -> Option<String> {
        self.error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

pub fn run(args: &Args) -> Result<(), Error> {
    if !args.content.is_dir() {
        return Err(Error::Usage(format!("--content {}: not a folder", args.content.display())));
    }
    let dir = std::fs::canonicalize(&args.content).map_err(Error::io(&args.content))?;
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .map_err(|e| Error::Usage(format!("127.0.0.1:{}: cannot listen ({e}); try another --port", args.port)))?;
    let port = listener.local_addr().map_err(Error::io(&dir))?.port();
    let site = format!("http://127.0.0.1:{port}/");
    let root = tempfile::Builder::new().prefix("article-viewer-serve-").tempdir().map_err(Error::io(&dir))?;
    let hub = Arc::new(Hub::default());
    let started = Instant::now();
    let preview = match Preview::open(&dir, root.path(), &site, args.drafts, args.future) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("error: {e}");
            hub.set_error(Some(e.to_string()));
            None
        }
    };
    println!("serving {} at {site} (built in {} ms; Ctrl-C stops)", dir.display(), started.elapsed().as_millis());
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    watcher
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(|e| Error::Usage(format!("{}: cannot watch: {e}", dir.display())))?;
    let watched = Watched { dir, root: root.path().to_path_buf(), site, drafts: args.drafts, future: args.future };
    // The parsed site stays on this thread (its documents are not shared between threads); the
    // server answers from its own.
    {
        let (root, hub) = (root.path().to_path_buf(), hub.clone());
        std::thread::spawn(move || serve(&listener, &root, &hub));
    }
    follow(&rx, preview, &watched, &hub);
    Ok(())
}

/// What the watcher rebuilds from.
struct Watched {
    dir: PathBuf,
    root: PathBuf,
    site: String,
    drafts: bool,
    future: bool,
}

/// Applies each change to the site, and tells the open pages.
fn follow(rx: &mpsc::Receiver<notify::Result<notify::Event>>, mut preview: Option<Preview>, w: &Watched, hub: &Hub) {
    while let Ok(first) = rx.recv() {
        let mut paths = changed_paths(first);
        // The rest of the same save.
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            paths.extend(changed_paths(more));
        }
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        let started = Instant::now();
        // The pages showing what was written first are told at once (see `RELOAD_SCRIPT`).
        let mut told: std::collections::HashSet<String> = std::collections::HashSet::new();
        let result = match preview.as_mut() {
            Some(p) => p.update_with(&paths, &mut |files| {
                hub.set_error(None);
                hub.send("reload", files.into());
                told = files.iter().cloned().collect();
            }),
            None => Preview::open(&w.dir, &w.root, &w.site, w.drafts, w.future).map(|p| {
                preview = Some(p);
                Updated { full: true, files: Vec::new() }
            }),
        };
        match result {
            Ok(updated) => {
                let how = if updated.full { "rebuilt the site" } else { "updated" };
                println!("{how} in {} ms: {}", started.elapsed().as_millis(), names(&paths, &w.dir));
                hub.set_error(None);
                let rest: Vec<String> = updated.files.into_iter().filter(|f| !told.contains(f)).collect();
                match updated.full {
                    true => hub.send("reload", "*".into()),
                    false if !rest.is_empty() => hub.send("reload", rest.into()),
                    false => {}
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                hub.set_error(Some(e.to_string()));
                hub.send("broken", e.to_string().into());
            }
        }
    }
}

/// The files an event says changed (reads and metadata-only events say nothing).
fn changed_paths(event: notify::Result<notify::Event>) -> Vec<PathBuf> {
    use notify::EventKind;
    match event {
        Ok(e) if matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)) => e.paths,
        Ok(_) => Vec::new(),
        Err(e) => {
            eprintln!("warning: watching: {e}");
            Vec::new()
        }
    }
}

fn names(paths: &[PathBuf], dir: &Path) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string()).collect();
    names.join(", ")
}

/// Answers requests, one thread each, until the program is stopped.
fn serve(listener: &TcpListener, root: &Path, hub: &Arc<Hub>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (root, hub) = (root.to_path_buf(), hub.clone());
        std::thread::spawn(move || {
            if let Err(e) = answer(stream, &root, &hub) {
                // A reader that went away is no error of the site's.
                if e.kind() != std::io::ErrorKind::BrokenPipe && e.kind() != std::io::ErrorKind::ConnectionReset {
                    eprintln!("warning: serving: {e}");
                }
            }
        });
    }
}

/// One request: the reload script, the events, or a file of the site.
fn answer(mut stream: TcpStream, root: &Path, hub: &Hub) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = request_line(&stream)? else {
        return respond(&mut stream, "400 Bad Request", "text/plain; charset=utf-8", b"bad request");
    };
    if method != "GET" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain; charset=utf-8", b"GET only");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match path {
        EVENTS_PATH => {
            stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: open\n\n",
            )?;
            if let Some(error) = hub.error() {
                let data = serde_json::Value::from(error);
                stream.write_all(format!("event: broken\ndata: {data}\n\n").as_bytes())?;
            }
            stream.flush()?;
            stream.set_read_timeout(None)?;
            hub.clients.lock().unwrap_or_else(|e| e.into_inner()).push(stream);
            Ok(())
        }
        RELOAD_PATH => respond(&mut stream, "200 OK", "text/javascript; charset=utf-8", RELOAD_SCRIPT.as_bytes()),
        _ => serve_file(&mut stream, root, path),
    }
}

/// The method and target of the request's first line, once the whole head has been read.
fn request_line(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream.take(HEAD_LIMIT));
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    Ok(match (parts.next(), parts.next()) {
        (Some(m), Some(t)) if t.starts_with('/') => Some((m.to_string(), t.to_string())),
        _ => None,
    })
}

/// A file of the site; a page gets the reload script.
fn serve_file(stream: &mut TcpStream, root: &Path, path: &str) -> std::io::Result<()> {
    let Some(file) = file_of(root, path) else {
        let page = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
        return respond(stream, "404 Not Found", "text/html; charset=utf-8", &with_reload(page));
    };
    let bytes = std::fs::read(&file)?;
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        return respond(stream, "200 OK", kind, &with_reload(bytes));
    }
    respond(stream, "200 OK", kind, &bytes)
}

/// The file at a request's path inside `root` (percent-decoded; a folder's `index.html`), if
/// there is one; nothing outside `root`.
fn file_of(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let mut file = root.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The page with the reload script at the end of its body.
fn with_reload(page: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn content_type(file: &Path) -> &'static str {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}
