// Benchmark: the release build's download size, and the script and wasm each kind of published
// page loads before interaction; time from navigation to the first headline for a published
// article page, a plain static HTML page of the same article, and the viewer page drawing it
// with the app (?src=), all in the same run; and the time until each page kind is interactive
// (an article page: the pick box toggled and the choice remembered; a listing page: the app has
// taken it over and a search keystroke is answered).
// Usage: node bench/page.mjs [runs]   (after `trunk build --release` and the sample site build,
// scripts/test.sh; see docs/benchmarks/page-loading.md)
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, DIST } from '../e2e/server.mjs';
import { ARTICLE_BUDGET_BROTLI, BUDGET_BROTLI, pageScripts, sizes } from './sizes.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';

const RUNS = +(process.argv[2] || 15);
const PAGE = 'articles/hbm-yield.html';
const kb = (n) => (n / 1024).toFixed(1);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Records when the first headline exists in the DOM, however it got there.
const PROBE = `
  (() => {
    const mark = () => { if (!window.__headline && document.querySelector('h1')) window.__headline = performance.now(); };
    new MutationObserver(mark).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', mark);
  })();`;

async function fresh(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(PROBE);
  return { context, page: await context.newPage() };
}

async function timeToHeadline(browser, url) {
  const { context, page } = await fresh(browser);
  await page.goto(url);
  await page.waitForFunction(() => window.__headline !== undefined, null, { timeout: 20000 });
  const t = await page.evaluate(() => window.__headline);
  await context.close();
  return t;
}

/** Navigation → a click on the pick box toggled it and the choice is remembered. */
async function timeToPickToggle(browser, url) {
  const { context, page } = await fresh(browser);
  await page.goto(url);
  await page.locator('summary.av-pick-toggle').click();
  await page.waitForFunction(() => localStorage.getItem('article-viewer:picks'));
  const t = await page.evaluate(() => performance.now());
  await context.close();
  return t;
}

/** Navigation → the collection page taken over and a search keystroke answered. */
async function timeToSearch(browser, url) {
  const { context, page } = await fresh(browser);
  await page.goto(url);
  await page.locator('.av-app[data-ready]').waitFor({ timeout: 20000 });
  const before = await page.locator('.av-count').innerText();
  await page.locator('.av-search').fill('ㅂㄷㅊ');
  await page.waitForFunction((b) => document.querySelector('.av-count').textContent !== b, before);
  const t = await page.evaluate(() => performance.now());
  await context.close();
  return t;
}

if (!fs.existsSync(path.join(DIST, PAGE))) {
  console.error(`${PAGE} not found in dist/: build the sample site first (scripts/test.sh, or docs/guide/publishing.md)`);
  process.exit(1);
}
const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  // The static baseline: the prerendered page itself with every script and preload taken out,
  // so both pages show the same thing and differ only in what else they load.
  const prerendered = fs.readFileSync(path.join(DIST, PAGE), 'utf8');
  const plain = prerendered
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link\b[^>]*rel="?(modulepreload|preload)"?[^>]*>/g, '');
  server.docs.set(`/${path.dirname(PAGE)}/static.html`, { body: plain, type: 'text/html; charset=utf-8' });
  const src = `/viewer.html?src=${PAGE.replace(/\.html$/, '.json')}`;

  const rows = { prerendered: [], static: [], app: [], pick: [], search: [] };
  await timeToHeadline(browser, `${server.url}/${PAGE}`); // warm the server's file cache
  for (let i = 0; i < RUNS; i++) {
    rows.prerendered.push(await timeToHeadline(browser, `${server.url}/${PAGE}`));
    rows.static.push(await timeToHeadline(browser, `${server.url}/${path.dirname(PAGE)}/static.html`));
    rows.app.push(await timeToHeadline(browser, `${server.url}${src}`));
    rows.pick.push(await timeToPickToggle(browser, `${server.url}/${PAGE}`));
    rows.search.push(await timeToSearch(browser, `${server.url}/index.html`));
  }

  console.log('What the standalone page loads (release build):');
  console.log('| file | raw KB | gzip KB | brotli KB |');
  console.log('|---|---:|---:|---:|');
  const files = sizes();
  for (const r of files) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  const total = files[files.length - 1];
  console.log(`Budget: ${kb(total.brotli)} KB of ${kb(BUDGET_BROTLI)} KB brotli (${total.brotli <= BUDGET_BROTLI ? 'within' : 'OVER'})`);
  console.log('');
  console.log('Script and wasm each page kind loads before interaction (brotli):');
  console.log('| page kind | KB | budget KB | what |');
  console.log('|---|---:|---:|---|');
  for (const [kind, rel, budget] of [['article page', PAGE, ARTICLE_BUDGET_BROTLI], ['listing page', 'index.html', BUDGET_BROTLI]]) {
    const { items, total: t } = pageScripts(rel);
    console.log(`| ${kind} (${rel}) | ${kb(t)} | ${kb(budget)} | ${items.map((i) => `${i.what} ${kb(i.bytes)}`).join(', ') || 'nothing'} |`);
  }
  console.log('');
  console.log(`Navigation to the first headline, ${RUNS} cold loads each, 127.0.0.1, headless Chromium (${PAGE}):`);
  console.log('| page | median ms | min ms | max ms |');
  console.log('|---|---:|---:|---:|');
  const line = (name, xs) => console.log(`| ${name} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
  line('prerendered page', rows.prerendered);
  line('static HTML of the same article', rows.static);
  line('viewer page drawing it with the app (?src=)', rows.app);
  console.log(`Ratio prerendered / static (medians): ${(median(rows.prerendered) / median(rows.static)).toFixed(2)}x (target ≤ 1.1x)`);
  console.log(`Ratio app-drawn / static (medians): ${(median(rows.app) / median(rows.static)).toFixed(2)}x`);
  console.log('');
  console.log('Navigation to interactive:');
  console.log('| step | median ms | min ms | max ms |');
  console.log('|---|---:|---:|---:|');
  line('article page: pick box toggled and remembered', rows.pick);
  line('listing page: taken over, a search keystroke answered', rows.search);
} finally {
  await browser.close();
  await server.close();
}
