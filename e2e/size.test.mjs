// The release build stays within its download budget (issue #2): wasm + js + css, brotli.
// Sizes are exact for a given build, so this cannot flake; bench/page.mjs prints the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_BROTLI, sizes } from '../bench/sizes.mjs';

test('wasm + js + css of the release build fit the 200 KB brotli budget', () => {
  const rows = sizes();
  const files = rows.filter((r) => r.file !== 'total').map((r) => r.file).sort();
  assert.deepEqual(files, ['article-viewer.js', 'article-viewer_bg.wasm', 'style.css'], 'the build has its three files');
  const total = rows.find((r) => r.file === 'total');
  const detail = rows.map((r) => `${r.file} ${r.brotli}`).join(', ');
  assert.ok(total.brotli <= BUDGET_BROTLI, `${total.brotli} bytes brotli > ${BUDGET_BROTLI} (${detail})`);
});
