// The release build stays within its download budget: what the standalone page loads (wasm, JS
// glue, start-up script and stylesheet), brotli.
// Sizes are exact for a given build, so this cannot flake; bench/page.mjs prints the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_BUDGET_BROTLI, BUDGET_BROTLI, pageScripts, sizes } from '../bench/sizes.mjs';
import { DIST } from './server.mjs';

test('what the standalone page loads (the whole app) fits the 220 KB brotli budget', () => {
  const rows = sizes();
  const files = rows.filter((r) => r.file !== 'total').map((r) => r.file).sort();
  assert.deepEqual(files, ['article-viewer.js', 'article-viewer_bg.wasm', 'start.js', 'style.css'], 'the build has its four files');
  const total = rows.find((r) => r.file === 'total');
  const detail = rows.map((r) => `${r.file} ${r.brotli}`).join(', ');
  assert.ok(total.brotli <= BUDGET_BROTLI, `${total.brotli} bytes brotli > ${BUDGET_BROTLI} (${detail})`);
});

test('a published article page loads at most 15 KB of script and wasm, and a listing page the app', () => {
  const articles = fs.readdirSync(path.join(DIST, 'articles')).filter((f) => f.endsWith('.html'));
  assert.ok(articles.length >= 6, 'the sample site is published');
  for (const f of articles) {
    const { items, total } = pageScripts(`articles/${f}`);
    assert.ok(total <= ARTICLE_BUDGET_BROTLI, `articles/${f}: ${total} bytes brotli (${items.map((i) => i.what).join(', ')})`);
    assert.ok(!items.some((i) => /\.wasm/.test(i.what)), `articles/${f} loads no wasm`);
  }
  // The listing page loads the whole app (search needs it), within the app's budget.
  const listing = pageScripts('index.html');
  assert.ok(listing.items.some((i) => /_bg\.wasm/.test(i.what)), 'the listing page loads the app');
  assert.ok(listing.total <= BUDGET_BROTLI, `index.html: ${listing.total} bytes brotli`);
});
