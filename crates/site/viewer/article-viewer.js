// article-viewer embed module. Load it with <script type="module" src=".../article-viewer.js">;
// it mounts a viewer into every element with the data-article-viewer attribute (README, "Embedding").
import init, { mount_embeds } from './article-viewer-25e1338e1b82a70b.js';
await init({ module_or_path: new URL('./article-viewer-25e1338e1b82a70b_bg.wasm', import.meta.url) });
mount_embeds(new URL('./', import.meta.url).href);
