// Trunk post-build hook: writes `article-viewer.js`, the embed module with a stable name, and
// `article-viewer.css`, the stylesheet each embed's shadow root links to. The module imports the
// content-hashed build by relative URL, so it finds its wasm next to itself (relative to the
// module's own URL, not the host page's) and sets no globals.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('embed-module.mjs runs as a trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
const files = fs.readdirSync(dir);
const js = files.find((f) => /^article-viewer-[0-9a-f]+\.js$/.test(f));
const wasm = files.find((f) => /^article-viewer-[0-9a-f]+_bg\.wasm$/.test(f));
const css = files.find((f) => /^style-[0-9a-f]+\.css$/.test(f));
if (!js || !wasm || !css) {
  console.error(`embed-module.mjs: build output not found in ${dir}: ${files.join(', ')}`);
  process.exit(1);
}
const module = `// article-viewer embed module. Load it with <script type="module" src=".../article-viewer.js">;
// it mounts a viewer into every element with the data-article-viewer attribute (README, "Embedding").
import init, { mount_embeds } from './${js}';
await init({ module_or_path: new URL('./${wasm}', import.meta.url) });
mount_embeds(new URL('./', import.meta.url).href);
`;
fs.writeFileSync(path.join(dir, 'article-viewer.js'), module);
fs.copyFileSync(path.join(dir, css), path.join(dir, 'article-viewer.css'));
// The archive search's worker: trunk writes archive-worker.js (wasm-bindgen's no-modules
// output) and its wasm under stable names; the app starts this loader from its own folder.
// Questions the page posts while the wasm is still compiling are kept and handed to the
// worker's handler once it is installed (a worker drops messages nobody listens to).
if (!files.includes('archive-worker.js') || !files.includes('archive-worker_bg.wasm')) {
  console.error(`embed-module.mjs: the archive worker (archive-worker.js, archive-worker_bg.wasm) not found in ${dir}`);
  process.exit(1);
}
// The script and its wasm are fetched with a hash of both in the query: whatever a cache kept,
// a loader never pairs one build's script with another's wasm.
const version = crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(dir, 'archive-worker.js')))
  .update(fs.readFileSync(path.join(dir, 'archive-worker_bg.wasm')))
  .digest('hex').slice(0, 16);
const loader = `importScripts('./archive-worker.js?v=${version}');
const early = [];
self.onmessage = (e) => early.push(e);
wasm_bindgen({ module_or_path: './archive-worker_bg.wasm?v=${version}' }).then(
  () => { for (const e of early.splice(0)) self.onmessage(e); },
  // Thrown from a task of its own, the failure reaches the page as the worker's error event.
  (e) => setTimeout(() => { throw e; }),
);
`;
fs.writeFileSync(path.join(dir, 'archive-worker_loader.js'), loader);
console.log(`embed module: article-viewer.js -> ${js}, article-viewer.css <- ${css}`);
