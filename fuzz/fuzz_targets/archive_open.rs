//! Fuzz target: any bytes as a tampered archive. The archive engine opens the manifest they
//! start with, asks a question, and is given the input's next parts as the files it names
//! (`article_viewer_archive::fuzz` has the layout). It must never panic or abort, and its
//! memory must stay bounded by the input: run it under a memory limit, e.g.
//!
//! ```sh
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run archive_open -- -rss_limit_mb=512 -max_len=65536
//! ```
//!
//! The limit holds at the largest archive the engine accepts (4,194,304 entries): a question
//! may decode a few sets of every entry (5 bytes an entry), never one per tampered token.
//! The body is a plain function so that `cargo test -p article-viewer-cli index` compiles
//! and drives it with thousands of pseudo-random and mutated archives on stable Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = article_viewer_archive::fuzz::open_and_provide(data);
});
