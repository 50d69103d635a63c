// The release build stays within its download budget: what the standalone page loads (wasm, JS
// glue, start-up script and stylesheet), brotli.
// Sizes are exact for a given build, so this cannot flake; bench/page.mjs prints the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_BROTLI, sizes } from '../bench/sizes.mjs';

test('what the standalone page loads (the whole app) fits the 220 KB brotli budget', () => {
  const rows = sizes();
  const files = rows.filter((r) => r.file !== 'total').map((r) => r.file).sort();
  assert.deepEqual(files, ['article-viewer.js', 'article-viewer_bg.wasm', 'start.js', 'style.css'], 'the build has its four files');
  const total = rows.find((r) => r.file === 'total');
  const detail = rows.map((r) => `${r.file} ${r.brotli}`).join(', ');
  assert.ok(total.brotli <= BUDGET_BROTLI, `${total.brotli} bytes brotli > ${BUDGET_BROTLI} (${detail})`);
});
