// Trunk post-build hook: minifies the app's JS glue with terser (trunk 0.21's own JS minifier
// fails on wasm-bindgen's output and says so only in a warning), then rewrites the glue's
// `integrity` hash in index.html.
//
// The wasm is left as wasm-bindgen and wasm-opt made it: wasm-opt drops the tool-only custom
// sections itself (`--strip-producers --strip-target-features` in index.html). An earlier
// version also renamed wasm-bindgen's imports and closure exports inside the wasm and the
// glue (about 3 KB brotli); that tied the build to wasm-bindgen's naming, and the room it won
// is no longer needed now that article pages load no app (docs/design/size.md).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify.mjs runs as a trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
const fail = (message) => {
  console.error(`minify.mjs: ${message}`);
  process.exit(1);
};

const files = fs.readdirSync(dir);
const jsName = files.find((f) => /^article-viewer-[0-9a-f]+\.js$/.test(f));
if (!jsName) fail(`build output not found in ${dir}: ${files.join(', ')}`);
const jsPath = path.join(dir, jsName);
const js = fs.readFileSync(jsPath, 'utf8');

const result = await minify(js, { module: true, compress: true, mangle: true });
if (!result.code) fail('terser produced no code');
fs.writeFileSync(jsPath, result.code);

// The changed glue's integrity hash in index.html (trunk wrote the one of the file before).
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');
const sri = `sha384-${crypto.createHash('sha384').update(result.code).digest('base64')}`;
let hits = 0;
html = html.replace(/<link\b[^>]*>/g, (tag) => {
  if (!tag.includes(`/${jsName}`) && !tag.includes(`"${jsName}"`) && !tag.includes(`=${jsName}`)) return tag;
  hits++;
  return tag.replace(/integrity=("?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${sri}$1`);
});
if (hits === 0) console.warn(`minify.mjs: index.html does not link ${jsName}; no integrity to update`);
fs.writeFileSync(htmlPath, html);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`minify: JS glue ${kb(js.length)} -> ${kb(Buffer.byteLength(result.code))}`);
