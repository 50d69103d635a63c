// The published site served as a host that reads `_headers` serves it (Netlify, Cloudflare
// Pages): every file with the pages' Content-Security-Policy and nosniff. The app, search, an
// article page and the embed example still work under it, and a picture opened by its own
// address carries the policy too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';

/** The headers `_headers` gives every file (its `/*` rule). */
function headersForAll() {
  const lines = fs.readFileSync(path.join(DIST, '_headers'), 'utf8').split('\n');
  const start = lines.indexOf('/*');
  assert.ok(start >= 0, '_headers has a rule for every file');
  const headers = {};
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+([A-Za-z-]+):\s*(.+)$/.exec(line);
    if (!m) break;
    headers[m[1].toLowerCase()] = m[2];
  }
  return headers;
}

let server, browser, headers;
before(async () => {
  headers = headersForAll();
  server = await startServer({ headers });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const RECORD_VIOLATIONS = () => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
};

test('_headers carries the pages\' own policy and nosniff', () => {
  const page = fs.readFileSync(path.join(DIST, 'viewer.html'), 'utf8');
  // The minified page may write the attributes in either order, with or without quotes.
  const tag = page.match(/<meta[^>]*http-equiv="?Content-Security-Policy[^>]*>/i);
  assert.ok(tag, 'the viewer page has its policy');
  const content = /content="([^"]+)"/.exec(tag[0])[1];
  // The pages' policy, with the article pages' two inline scripts (pick box, share) allowed by their hashes.
  const article = fs.readFileSync(path.join(DIST, 'articles/hbm-yield.html'), 'utf8');
  const hashes = [...new Set(article.match(/'sha256-[A-Za-z0-9+/=]+'/g))].join(' ');
  assert.equal(hashes.split(' ').length, 2, hashes);
  const expected = content.split(/\s+/).join(' ').replace("script-src 'self' 'wasm-unsafe-eval'", `script-src 'self' 'wasm-unsafe-eval' ${hashes}`);
  assert.equal(headers['content-security-policy'], expected);
  assert.equal(headers['x-content-type-options'], 'nosniff');
});

test('under those headers the home page searches and an article page reads, with no violation', async () => {
  const page = await openPage(browser.context);
  await page.addInitScript(RECORD_VIOLATIONS);
  await page.goto(`${server.url}/index.html`);
  await page.locator('.av-app[data-ready]').waitFor();
  const cards = page.locator('.av-collection .av-card');
  const all = await cards.count();
  await page.locator('.av-search').fill('HBM');
  await page.waitForFunction((n) => document.querySelectorAll('.av-collection .av-card').length < n, all);
  assert.ok(await cards.count() >= 1, 'the query finds the HBM story');
  // The article page has no app: its one inline script (the pick box's) runs under both
  // policies, the page's and the header's, and remembers the choice.
  await page.goto(`${server.url}/articles/hbm-yield.html`);
  await page.locator('h1.av-title').waitFor();
  await page.locator('.av-pick summary').click();
  await page.waitForFunction(() => /:c$/.test(localStorage.getItem('article-viewer:picks') || ''));
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the embed example runs under the same headers', async () => {
  const page = await openPage(browser.context);
  await page.addInitScript(RECORD_VIOLATIONS);
  await page.goto(`${server.url}/embed-example/index.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-article-viewer]')].some((h) => h.shadowRoot?.querySelector('h1.av-title, .av-card')), null, { timeout: 20000 });
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.close();
});

test('a picture opened by its own address carries the policy and runs nothing', async () => {
  const res = await fetch(`${server.url}/images/hero-hbm.svg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'), headers['content-security-policy']);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});
