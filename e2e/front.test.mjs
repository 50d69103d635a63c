// The front page on a phone and on a wide screen (the published sample site in dist/): the lead
// story in the first screen, filters behind a disclosure on a phone, the keyboard hint only with
// a keyboard, and the site's title shown once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchBrowser, openPage } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESK = { viewport: { width: 1280, height: 900 } };

async function front(options) {
  const context = await browser.newContext(options);
  const page = await openPage(context);
  await page.goto(`${server.url}/index.html`);
  await page.locator('.av-app[data-ready]').waitFor();
  return { page, close: () => context.close() };
}

/** Elements showing exactly `text` to the eye (a heading kept for screen readers only is 1 px, clipped). */
const shown = (page, text) => page.evaluate((t) => [...document.querySelectorAll('body *')]
  .filter((e) => e.children.length === 0 && e.textContent.trim() === t && e.checkVisibility())
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1; }).length, text);

test('on a phone the lead story\'s headline is in the first screen, and the filters wait behind a disclosure', async () => {
  const { page, close } = await front(PHONE);
  try {
    const lead = page.locator('.av-cards[data-front] > li:first-child .av-card-title');
    const box = await lead.boundingBox();
    assert.ok(box && box.y + box.height <= 844, `the lead headline ends at ${box && box.y + box.height}`);
    assert.ok(await page.locator('.av-cards[data-front] > li:first-child .av-card-image').isVisible(), 'with its picture');
    assert.ok(await page.locator('.av-cards[data-front] > li:first-child .av-card-summary').isVisible(), 'and its summary');
    // The rest is a list with small pictures.
    const thumb = await page.locator('.av-cards[data-front] > li:nth-child(2) .av-card-image').boundingBox();
    assert.ok(thumb && thumb.width < 120, `a small picture (${thumb && thumb.width} px)`);
    // The search box is behind "검색", the facets and the order behind "필터", side by side.
    assert.equal(await page.locator('.av-search').isVisible(), false);
    const [search, filters] = await Promise.all(['summary.av-filter-toggle >> nth=0', 'summary.av-filter-toggle >> nth=1']
      .map((s) => page.locator(s).boundingBox()));
    assert.equal(Math.round(search.y), Math.round(filters.y), 'one row');
    await page.locator('summary.av-filter-toggle', { hasText: '검색' }).tap();
    await page.locator('.av-search').fill('반도체');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '반도체');
    await page.locator('.av-search').fill('');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('q'));
    assert.equal(await page.locator('.av-facet-tags').isVisible(), false);
    assert.equal(await page.locator('#av-sort').isVisible(), false);
    const toggle = page.locator('summary.av-filter-toggle', { hasText: '필터' });
    assert.equal(await toggle.innerText(), '필터');
    await toggle.tap();
    await page.locator('.av-facet-tags').waitFor();
    await page.locator('.av-facet-tags .av-chip').first().tap();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('tag'));
    assert.equal(await toggle.innerText(), '필터 1', 'it says how many are chosen');
    // No keyboard: no "/" hint. The title is shown once.
    assert.equal(await page.locator('.av-key-hint').isVisible(), false);
    assert.equal(await shown(page, '테크 브리핑 샘플'), 1);
    assert.deepEqual(await page.locator('h1').allInnerTexts(), ['테크 브리핑 샘플'], 'the page keeps its heading for screen readers');
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('on a wide screen the lead story spans the row, the filters show without a toggle, and the hint names the key', async () => {
  const { page, close } = await front(DESK);
  try {
    const [lead, second] = await Promise.all([
      page.locator('.av-cards[data-front] > li:first-child').boundingBox(),
      page.locator('.av-cards[data-front] > li:nth-child(2)').boundingBox(),
    ]);
    assert.ok(lead.width > 2 * second.width, `the lead spans the row (${lead.width} vs ${second.width})`);
    assert.ok(await page.locator('.av-facet-tags').isVisible());
    assert.equal(await page.locator('summary.av-filter-toggle').first().isVisible(), false);
    assert.equal(await page.locator('summary.av-filter-toggle').last().isVisible(), false);
    assert.ok(await page.locator('.av-search').isVisible());
    assert.equal(await page.locator('.av-key-hint').innerText(), '/ 키로 검색');
    assert.equal(await shown(page, '테크 브리핑 샘플'), 1);
    // A filtered view is a plain grid, without a lead.
    await page.locator('.av-search').fill('반도체');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '반도체');
    assert.equal(await page.locator('.av-cards[data-front]').count(), 0);
  } finally {
    await close();
  }
});
