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
