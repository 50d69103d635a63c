//! Entry points: the standalone page mounts itself at start-up; the embed module calls
//! `mount_embeds`. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_arch = "wasm32")]
fn main() {
    article_viewer_ui::start();
}

/// Called by `article-viewer.js` with the URL of the folder it was loaded from.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn mount_embeds(module_base: String) {
    article_viewer_ui::mount_embeds(&module_base);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("article-viewer runs in the browser: build it with `trunk build` or `trunk serve`.");
}

/// The standard wasm allocator (dlmalloc) is 7 KB of code; talc does the same job in less
/// and is faster at it (docs/design/size.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
