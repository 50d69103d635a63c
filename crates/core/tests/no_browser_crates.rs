//! The crates that hold pure logic depend on no browser crate, on any target: what Cargo
//! resolves for them (`cargo tree`) has no Yew, web-sys, wasm-bindgen, js-sys or gloo. So the
//! core, the archive engine, its writer and the importer are tested natively and compile no
//! component; only `article-viewer-ui`, the app and the site builder do.

use std::process::Command;

const BROWSER_CRATES: &[&str] = &["yew", "web-sys", "wasm-bindgen", "js-sys", "gloo"];

/// Every package in the normal dependency tree of `package` (with `features`), on every target.
fn tree(package: &str, features: &[&str]) -> Vec<String> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["tree", "--offline", "--manifest-path", manifest, "-p", package, "-e", "normal", "--target", "all"]);
    cmd.args(["--prefix", "none", "--format", "{p}"]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let out = cmd.output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn browser_crates_in(package: &str, features: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = tree(package, features)
        .into_iter()
        .filter(|name| BROWSER_CRATES.iter().any(|b| name == b || name.starts_with(&format!("{b}-"))))
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_pure_crates_have_no_browser_crate_in_their_tree() {
    for (package, features) in [
        ("article-viewer-core", &[][..]),
        ("article-viewer-archive", &[][..]),
        ("article-viewer-archive", &["index"][..]),
        ("article-viewer-import", &[][..]),
        ("article-viewer-publish", &[][..]),
    ] {
        let found = browser_crates_in(package, features);
        assert!(found.is_empty(), "{package} {features:?} depends on {found:?}");
    }
}

#[test]
fn the_check_sees_a_browser_crate_where_there_is_one() {
    // The components do depend on Yew: a check that found nothing there would prove nothing.
    let found = browser_crates_in("article-viewer-ui", &[]);
    assert!(found.iter().any(|c| c == "yew") && found.iter().any(|c| c == "web-sys"), "{found:?}");
}
