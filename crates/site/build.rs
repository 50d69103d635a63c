//! Lists the viewer's built files (`viewer/`, written by scripts/bundle-viewer.sh from a
//! `trunk build --release`) for `include_bytes!`, so the program carries them: a publisher
//! needs no trunk, wasm-bindgen, wasm-opt or node.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest_dir).join("viewer");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut code =
        String::from("/// The viewer's files: (name, bytes), in name order.\npub const FILES: &[(&str, &[u8])] = &[\n");
    for name in &names {
        // Names come from trunk (`style-<hash>.css`): nothing that needs escaping in Rust.
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
            "viewer/{name}: unexpected file name"
        );
        println!("cargo:rerun-if-changed={}", dir.join(name).display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/viewer/{name}\"))),"
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("viewer_files.rs");
    std::fs::write(&out, code).expect("write viewer_files.rs");
}
