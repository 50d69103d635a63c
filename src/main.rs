//! Entry point: the browser app mounts here; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    article_viewer::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("article-viewer runs in the browser: build it with `trunk build` or `trunk serve`.");
}
