// Benchmark: the release build's download size, and time from navigation to the rendered headline
// for a sample article, beside a plain static HTML page of the same article in the same run.
// Usage: node bench/page.mjs [runs]   (after `trunk build --release`; see README, "Benchmarks")
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { BUDGET_BROTLI, sizes } from './sizes.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';

const RUNS = +(process.argv[2] || 15);
const ARTICLE = 'samples/articles/hbm-yield.json';
const kb = (n) => (n / 1024).toFixed(1);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Records when the first headline exists in the DOM, however it got there.
const PROBE = `
  (() => {
    const mark = () => { if (!window.__headline && document.querySelector('h1')) window.__headline = performance.now(); };
    new MutationObserver(mark).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', mark);
  })();`;

async function timeToHeadline(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__headline !== undefined, null, { timeout: 20000 });
  const t = await page.evaluate(() => window.__headline);
  await context.close();
  return t;
}

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  // The static baseline: the viewer's own rendering of the article, saved as plain HTML with the
  // same stylesheet, so both pages show the same thing and differ only in how they get there.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${server.url}/?src=${ARTICLE}`);
  await page.waitForSelector('h1.av-title');
  const html = await page.evaluate(() => `<!doctype html><html lang="ko"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1"><title>${document.title}</title>
    ${[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.outerHTML).join('')}</head>
    <body><div class="av-viewer">${document.querySelector('.av-article').outerHTML}</div></body></html>`);
  await ctx.close();
  const articleDir = path.dirname(ARTICLE);
  server.docs.set(`/${articleDir}/static.html`, { body: html.replaceAll(`${server.url}/`, '/'), type: 'text/html; charset=utf-8' });

  const viewer = [], plain = [];
  await timeToHeadline(browser, `${server.url}/?src=${ARTICLE}`); // warm the server's file cache
  for (let i = 0; i < RUNS; i++) {
    viewer.push(await timeToHeadline(browser, `${server.url}/?src=${ARTICLE}`));
    plain.push(await timeToHeadline(browser, `${server.url}/${articleDir}/static.html`));
  }

  console.log('Release build download (wasm + js + css):');
  console.log('| file | raw KB | gzip KB | brotli KB |');
  console.log('|---|---:|---:|---:|');
  const rows = sizes();
  for (const r of rows) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  const total = rows[rows.length - 1];
  console.log(`Budget: ${kb(total.brotli)} KB of ${kb(BUDGET_BROTLI)} KB brotli (${total.brotli <= BUDGET_BROTLI ? 'within' : 'OVER'})`);
  console.log('');
  console.log(`Navigation to rendered headline, ${RUNS} cold loads each, 127.0.0.1, headless Chromium (${ARTICLE}):`);
  console.log('| page | median ms | min ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, xs] of [['article-viewer (wasm)', viewer], ['static HTML of the same article', plain]]) {
    console.log(`| ${name} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
  }
  console.log(`Ratio viewer / static (medians): ${(median(viewer) / median(plain)).toFixed(2)}x`);
} finally {
  await browser.close();
  await server.close();
}
