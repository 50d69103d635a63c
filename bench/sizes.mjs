// Download size of the release build: what the standalone page fetches (the hashed wasm, JS
// glue, start-up script and stylesheet; the embed's stable-named copies are the same bytes). Shared by
// bench/page.mjs, which prints it, and e2e/size.test.mjs, which holds the build to the budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST } from '../e2e/server.mjs';

/** The budget for the whole app (what the standalone page loads), brotli: 220 KB. */
export const BUDGET_BROTLI = 220 * 1024;

/** One row per file (raw, gzip -9, brotli q11 bytes), then a `total` row. */
export function sizes() {
  const rows = [];
  for (const f of fs.readdirSync(DIST).filter((f) => /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$/.test(f)).sort()) {
    const b = fs.readFileSync(path.join(DIST, f));
    rows.push({
      file: f.replace(/-[0-9a-f]{8,16}/, ''),
      raw: b.length,
      gzip: zlib.gzipSync(b, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  const total = rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 });
  return [...rows, total];
}

/** The budget for what a published article page loads before the reader asks for more:
 *  script and wasm, brotli. */
export const ARTICLE_BUDGET_BROTLI = 15 * 1024;

const brotli = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/**
 * Script and wasm a published page loads before any interaction, brotli: its inline scripts
 * (data blocks such as JSON-LD excepted), the scripts it references, and what it preloads
 * (trunk's modulepreload of the JS glue and preload of the wasm). A start-up script counts
 * with what it imports: the app's glue and wasm. `rel` is the page's path inside dist/.
 */
export function pageScripts(rel) {
  const html = fs.readFileSync(path.join(DIST, rel), 'utf8');
  const dir = path.dirname(path.join(DIST, rel));
  const items = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const [, attrs, body] = m;
    if (/type=["']?application\/(ld\+)?json/.test(attrs)) continue;
    const src = /\bsrc=["']?([^"'\s>]+)/.exec(attrs)?.[1];
    if (src) items.push({ what: src, bytes: brotli(fs.readFileSync(path.join(dir, src))) });
    else if (body.trim()) items.push({ what: 'inline script', bytes: brotli(Buffer.from(body)) });
    if (src && /(^|\/)start-[0-9a-f]+\.js$/.test(src)) {
      for (const r of sizes().filter((r) => r.file !== 'total' && !/\.css$|^start/.test(r.file))) items.push({ what: `${r.file} (imported)`, bytes: r.brotli });
    }
  }
  for (const m of html.matchAll(/<link\b[^>]*rel="?(modulepreload|preload)"?[^>]*>/g)) {
    const href = /\bhref=["']?([^"'\s>]+)/.exec(m[0])?.[1];
    const name = href && path.basename(href).replace(/-[0-9a-f]{8,16}/, '');
    if (href && !items.some((i) => i.what.startsWith(name))) items.push({ what: href, bytes: brotli(fs.readFileSync(path.join(dir, href))) });
  }
  return { items, total: items.reduce((t, i) => t + i.bytes, 0) };
}
