// Reading aids on the published sample site (scripts/test.sh builds it into dist/): the Korean
// byline, the table of contents and section anchors, the skip link, copy link and share, the
// Editor's Pick emphasis, print, and Back after each filter choice on the listing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, DIST } from './server.mjs';
import { launchBrowser, openPage } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

async function pageIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  return { page: await openPage(context), context, close: () => context.close() };
}

const KITCHEN = 'articles/kitchen-sink.html';

test('a Korean story is stamped 입력 and 수정 in the publisher\'s clock; an English one keeps its date', async () => {
  const { page, close } = await pageIn({ javaScriptEnabled: false });
  try {
    await page.goto(`${server.url}/${KITCHEN}`);
    const stamps = await page.locator('.av-header .av-stamp').allInnerTexts();
    assert.deepEqual(stamps, ['입력 2026.03.02 09:00', '수정 2026.03.03 12:00']);
    assert.equal(await page.locator('.av-header time.av-published').getAttribute('datetime'), '2026-03-02T09:00:00+09:00');
    assert.equal(await page.locator('.av-header time.av-updated-date').getAttribute('datetime'), '2026-03-03T12:00:00+09:00');
    // A story never updated has no 수정.
    await page.goto(`${server.url}/articles/sovereign-cloud.html`);
    assert.deepEqual(await page.locator('.av-header .av-stamp').allInnerTexts(), ['입력 2025.10.21 09:00']);
    await page.goto(`${server.url}/articles/datacenter-power.html`);
    assert.equal(await page.locator('.av-header .av-stamp').count(), 0);
    assert.equal(await page.locator('.av-header time.av-published').innerText(), 'September 18, 2025');
  } finally {
    await close();
  }
});

test('a story of three sections or more has a table of contents, and every section heading links to itself', async () => {
  for (const url of [`${server.url}/${KITCHEN}`, pathToFileURL(path.join(DIST, KITCHEN)).href]) {
    const { page, close } = await pageIn({ javaScriptEnabled: false });
    try {
      await page.goto(url);
      const toc = page.locator('nav.av-toc');
      assert.equal(await toc.getAttribute('aria-labelledby'), 'av-toc-title');
      assert.equal(await page.locator('#av-toc-title').innerText(), '목차');
      const entries = await toc.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
      const headings = await page.locator('.av-body > h2').evaluateAll((hs) => hs.map((h) => ['#' + h.id, h.firstChild.textContent]));
      assert.ok(entries.length >= 3, 'three sections or more');
      assert.deepEqual(entries, headings, 'one entry per section, in order, with its text');
      const anchors = await page.locator('.av-body > h2 > a.av-anchor').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(anchors, headings.map((h) => h[0]));
      // Following an entry lands on its section.
      await toc.locator('a').nth(2).click();
      await page.waitForFunction((id) => decodeURIComponent(location.hash) === id, entries[2][0]);
      const top = await page.locator(`[id="${entries[2][0].slice(1)}"]`).evaluate((h) => h.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 100, `the section is at the top (${top})`);
    } finally {
      await close();
    }
  }
  // Two sections: no table of contents.
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/articles/hbm-yield.html`);
    await page.locator('h1.av-title').waitFor();
    assert.equal(await page.locator('nav.av-toc').count(), 0);
  } finally {
    await close();
  }
});

test('the first Tab stop skips to the story', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/${KITCHEN}`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.getAttribute('class'), 'av-skip');
    assert.equal(await focused.innerText(), '본문으로 건너뛰기');
    assert.ok(await focused.isVisible(), 'visible once focused');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'av-main');
    // The next Tab stop is inside the story, past the site's header.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement.closest('#av-main') !== null));
  } finally {
    await close();
  }
});

test('copy link copies the page\'s canonical address and says so; without JavaScript there is no button', async () => {
  const { page, context, close } = await pageIn();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(`${server.url}/${KITCHEN}`);
    const copy = page.locator('.av-copy-link');
    await copy.waitFor();
    assert.equal(await copy.innerText(), '링크 복사');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('.av-share-status').textContent === '링크를 복사했습니다');
    const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
    assert.equal(canonical, 'https://news.example/articles/kitchen-sink.html');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), canonical);
    // This browser has no Web Share: its button stays hidden. No script came from anywhere else.
    assert.equal(await page.locator('.av-share-button').isVisible(), await page.evaluate(() => typeof navigator.share === 'function'));
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
  const off = await pageIn({ javaScriptEnabled: false });
  try {
    await off.page.goto(`${server.url}/${KITCHEN}`);
    assert.equal(await off.page.locator('.av-share').isVisible(), false);
  } finally {
    await off.close();
  }
});

test('emphasis inside an Editor\'s Pick point shows, and print leaves the cards\' pictures out', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/${KITCHEN}`);
    const weights = await page.locator('.av-pick-items li').first().evaluate((li) => [
      +getComputedStyle(li).fontWeight, +getComputedStyle(li.querySelector('strong')).fontWeight]);
    assert.ok(weights[1] > weights[0], `bold stands out in a point: ${weights}`);
    assert.ok(await page.locator('.av-related .av-card-image').count() > 0, 'the cards have pictures on screen');
    await page.emulateMedia({ media: 'print' });
    const shown = await page.locator('.av-related .av-card-image').evaluateAll((is) => is.filter((i) => getComputedStyle(i).display !== 'none').length);
    assert.equal(shown, 0);
    assert.equal(await page.locator('.av-share').isVisible(), false);
  } finally {
    await close();
  }
});

test('Back undoes each filter choice before it leaves the listing; typing adds no entry', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/viewer.html`);
    await page.goto(`${server.url}/index.html`);
    await page.locator('.av-app[data-ready]').waitFor();
    const params = () => page.evaluate(() => new URL(location.href).search);
    await page.locator('.av-search').fill('반도');
    await page.locator('.av-search').fill('반도체');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '반도체');
    const chip = page.locator('.av-facet-tags .av-chip').first();
    const tag = await chip.getAttribute('data-value');
    await chip.click();
    await page.waitForFunction((t) => new URL(location.href).searchParams.get('tag') === t, tag);
    await page.locator('#av-sort').selectOption('oldest');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'oldest');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('sort'));
    assert.equal(await page.locator('#av-sort').inputValue(), 'relevance');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('tag'));
    assert.equal(await params(), `?q=${encodeURIComponent('반도체')}`);
    assert.equal(await page.locator('.av-facet-tags .av-chip[aria-pressed="true"]').count(), 0);
    // The typing was one entry: Back leaves the listing.
    await page.goBack();
    await page.waitForURL(/viewer\.html/);
  } finally {
    await close();
  }
});
