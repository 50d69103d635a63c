// Trunk post-build hook: makes the wasm-bindgen output smaller (size budget, README "Size").
//
// 1. Shortens names shared by the wasm and its JS glue. wasm-bindgen names each of its ~190
//    imports like `__wbg_activeElement_6c30fe7fda33ef51` and each closure entry point with a
//    16-hex-digit hash; they are written in the wasm and again in the glue (about 3 KB
//    brotli). Imports become `w0`, `w1`, ... (module `w`), closure exports `x0`, `x1`, ...
// 2. Drops the `producers` and `target_features` custom sections (for tools, not browsers).
// 3. Minifies the JS glue with terser (trunk 0.21's own JS minifier fails on this file).
// 4. Rewrites the `integrity` hashes in index.html for the two changed files.
//
// Anything unexpected in the build output stops the build: shipping glue and wasm that
// disagree on a name would break every page. Runs beside embed-module.mjs, which only needs
// the files' names.
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
const wasmName = files.find((f) => /^article-viewer-[0-9a-f]+_bg\.wasm$/.test(f));
if (!jsName || !wasmName) fail(`build output not found in ${dir}: ${files.join(', ')}`);
const jsPath = path.join(dir, jsName);
const wasmPath = path.join(dir, wasmName);

// --- wasm binary reading and writing (just enough for imports, exports and custom sections) ---

function readU32(buf, at) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[at.i++];
    if (byte === undefined) fail('truncated LEB128 number in the wasm');
    result += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return result;
    shift += 7;
  }
}

function u32(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function readName(buf, at) {
  const len = readU32(buf, at);
  const name = buf.subarray(at.i, at.i + len).toString('utf8');
  at.i += len;
  return name;
}

const name = (s) => {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
};

function skipLimits(buf, at) {
  const flags = buf[at.i++];
  readU32(buf, at);
  if (flags & 1) readU32(buf, at);
}

/** Copies the bytes of one import's description (what follows its two names). */
function importDescription(buf, at) {
  const start = at.i;
  const kind = buf[at.i++];
  switch (kind) {
    case 0: readU32(buf, at); break; // function: type index
    case 1: at.i++; skipLimits(buf, at); break; // table: element type, limits
    case 2: skipLimits(buf, at); break; // memory
    case 3: at.i += 2; break; // global: value type, mutability
    case 4: at.i++; readU32(buf, at); break; // tag: attribute, type index
    default: fail(`unknown import kind ${kind} in the wasm`);
  }
  return buf.subarray(start, at.i);
}

// --- 1 and 2. shorter names, no tool sections ---

const wasm = fs.readFileSync(wasmPath);
let js = fs.readFileSync(jsPath, 'utf8');
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmName} is not a wasm module`);

const glueModule = /"(\.\/[^"]+_bg\.js)":\s*import0\b/.exec(js)?.[1];
if (!glueModule) fail('the JS glue has no import object for its wasm module');

const sections = [];
const at = { i: 8 };
while (at.i < wasm.length) {
  const header = at.i;
  const id = wasm[at.i++];
  const size = readU32(wasm, at);
  sections.push({ id, header, start: at.i, end: at.i + size });
  at.i += size;
}
const escape = (s) => s.replace(/[$]/g, '\\$');

/** Rewrites one section's body with `rewrite(body reader) -> Buffer`; returns the new section. */
function rewriteSection(id, rewrite) {
  const section = sections.find((s) => s.id === id);
  if (!section) fail(`the wasm has no section ${id}`);
  const reader = { i: section.start };
  const body = rewrite(reader);
  if (reader.i !== section.end) fail(`section ${id} did not parse to its end`);
  return { section, bytes: Buffer.concat([Buffer.from([id]), u32(body.length), body]) };
}

// Imports: the module name becomes `w` and each field `w0`, `w1`, ...
let renamed = 0;
const newImports = rewriteSection(2, (r) => {
  const count = readU32(wasm, r);
  const parts = [u32(count)];
  for (let n = 0; n < count; n++) {
    let module = readName(wasm, r);
    let field = readName(wasm, r);
    const description = importDescription(wasm, r);
    if (module === glueModule) {
      const short = `w${(renamed++).toString(36)}`;
      // The glue defines each import once, as a key of the import object.
      const key = new RegExp(`^(\\s*)${escape(field)}(?=: )`, 'gm');
      const found = js.match(key)?.length ?? 0;
      if (found !== 1) fail(`import ${field} is defined ${found} times in the JS glue, expected once`);
      js = js.replace(key, `$1${short}`);
      [module, field] = ['w', short];
    }
    parts.push(name(module), name(field), description);
  }
  return Buffer.concat(parts);
});
const moduleKey = /"\.\/[^"]+_bg\.js":(\s*import0\b)/;
if (!moduleKey.test(js)) fail('the import object key for the wasm module is not where it was found');
js = js.replace(moduleKey, 'w:$1');

// Exports: closure entry points carry 16 hex digits of hash (which compress badly); they
// become `x0`, `x1`, ... The glue calls each as `wasm.<name>`.
let exported = 0;
const newExports = rewriteSection(7, (r) => {
  const count = readU32(wasm, r);
  const parts = [u32(count)];
  for (let n = 0; n < count; n++) {
    let field = readName(wasm, r);
    const kind = wasm[r.i++];
    const index = readU32(wasm, r);
    if (/^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]+$/.test(field)) {
      const short = `x${(exported++).toString(36)}`;
      const use = new RegExp(`\\bwasm\\.${escape(field)}\\b`, 'g');
      if (!js.match(use)) fail(`export ${field} is not used by the JS glue`);
      js = js.replace(use, `wasm.${short}`);
      field = short;
    }
    parts.push(name(field), Buffer.from([kind]), u32(index));
  }
  return Buffer.concat(parts);
});

// Custom sections that only build tools read (which compiler made it, which wasm
// features it uses) are dropped; browsers ignore them.
const toolSections = sections.filter((s) => {
  if (s.id !== 0) return false;
  const r = { i: s.start };
  return ['producers', 'target_features'].includes(readName(wasm, r));
});
const newWasm = Buffer.concat([wasm.subarray(0, 8)].concat(
  sections.map((s) => {
    if (s === newImports.section) return newImports.bytes;
    if (s === newExports.section) return newExports.bytes;
    if (toolSections.includes(s)) return Buffer.alloc(0);
    return wasm.subarray(s.header, s.end);
  }),
));

// --- 3. minify the glue ---

const result = await minify(js, { module: true, compress: true, mangle: true });
if (!result.code) fail('terser produced no code');

fs.writeFileSync(wasmPath, newWasm);
fs.writeFileSync(jsPath, result.code);

// --- 4. integrity hashes ---

const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');
for (const [file, bytes] of [[jsName, Buffer.from(result.code)], [wasmName, newWasm]]) {
  const sri = `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`;
  let hits = 0;
  html = html.replace(/<link\b[^>]*>/g, (tag) => {
    if (!tag.includes(`/${file}`)) return tag;
    hits++;
    return tag.replace(/integrity=("?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${sri}$1`);
  });
  if (hits === 0) console.warn(`minify.mjs: index.html does not link ${file}; no integrity to update`);
}
fs.writeFileSync(htmlPath, html);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `minify: ${renamed} imports and ${exported} exports renamed; wasm ${kb(wasm.length)} -> ${kb(newWasm.length)}, ` +
    `JS glue ${kb(js.length)} -> ${kb(Buffer.byteLength(result.code))}`,
);
