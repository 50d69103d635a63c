// Benchmark: expanding a facet of 100,000 distinct tags (1,000 entries with 100 tags each), in
// headless Chromium on the release build: the click on "more" to the values drawn, a few times
// over, and choosing one of the drawn tags to the filtered list. Before the facet was drawn a
// page at a time, the first click froze the tab for about 80 seconds.
// Usage: node bench/facets.mjs [runs]   (after `trunk build --release`)
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';

const RUNS = +(process.argv[2] || 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const articles = Array.from({ length: 1000 }, (_, i) => ({
    id: `t${i}`, title: `태그 많은 기사 ${i}`, href: 'x.json',
    tags: Array.from({ length: 100 }, (_, j) => `태그-${i}-${j}`),
  }));
  server.docs.set('/_bench/tags.json', { body: JSON.stringify({ title: '태그 모음', language: 'ko', articles }) });
  const rows = { first: [], fifth: [], choose: [] };
  for (let r = 0; r < RUNS; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/viewer.html?src=/_bench/tags.json`);
    await page.locator('.av-facet-tags .av-facet-more').waitFor({ timeout: 30000 });
    const expand = async (n) => {
      const t0 = await page.evaluate(() => performance.now());
      await page.locator('.av-facet-tags .av-facet-more').click();
      await page.waitForFunction((want) => document.querySelectorAll('.av-facet-tags .av-chip').length === want, 12 + 100 * n);
      return (await page.evaluate(() => performance.now())) - t0;
    };
    rows.first.push(await expand(1));
    for (let n = 2; n < 5; n++) await expand(n);
    rows.fifth.push(await expand(5));
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('.av-facet-tags .av-chip').nth(300).click();
    await page.waitForFunction(() => /중 1개|of \d+ articles/.test(document.querySelector('.av-count').textContent) &&
      document.querySelectorAll('.av-collection .av-card').length === 1);
    rows.choose.push((await page.evaluate(() => performance.now())) - t0);
    await page.close();
  }
  console.log(`Expanding a facet of 100,000 distinct tags (1,000 entries), ${RUNS} runs, headless Chromium:`);
  console.log('| step | median ms | max ms |');
  console.log('|---|---:|---:|');
  const line = (name, xs) => console.log(`| ${name} | ${median(xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`);
  line('"more": 12 → 112 values drawn', rows.first);
  line('"more" the fifth time: 412 → 512 values', rows.fifth);
  line('choosing a drawn tag: the list filtered', rows.choose);
} finally {
  await browser.close();
  await server.close();
}
