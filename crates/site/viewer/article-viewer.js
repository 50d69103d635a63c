// article-viewer embed module. Load it with <script type="module" src=".../article-viewer.js">;
// it mounts a viewer into every element with the data-article-viewer attribute (README, "Embedding").
import init, { mount_embeds } from './article-viewer-28791233667e089.js';
await init({ module_or_path: new URL('./article-viewer-28791233667e089_bg.wasm', import.meta.url) });
mount_embeds(new URL('./', import.meta.url).href);
