// The article page end to end, on the release build: what a reader sees and does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const KITCHEN = '/?src=samples/articles/kitchen-sink.json';

async function open(path) {
  const page = await openPage(browser.context);
  await page.goto(server.url + path);
  await page.waitForSelector('.av-article, .av-collection, .av-error', { timeout: 15000 });
  return page;
}

test('the story renders every part of the format from the kitchen-sink sample', async () => {
  const page = await open(KITCHEN);
  const a = page.locator('.av-article');
  assert.equal(await a.getAttribute('lang'), 'ko');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await page.title(), await page.locator('h1.av-title').innerText());
  assert.ok((await page.locator('.av-subtitle').innerText()).length > 0);
  // Byline: author with title, Korean date, reading time in minutes (never "<1").
  assert.ok(await page.locator('.av-author .av-author-title').count() >= 1);
  assert.match(await page.locator('.av-header time.av-published').innerText(), /^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}$/);
  assert.match(await page.locator('.av-reading-time').innerText(), /^[1-9]\d*분 분량$/);
  assert.ok(await page.locator('.av-tags .av-tag').count() >= 2);
  // Hero with an inline-Markdown credit line whose link is external.
  assert.equal(await page.locator('.av-hero img').count(), 1);
  const credit = page.locator('.av-hero figcaption.av-credit a').first();
  assert.equal(await credit.getAttribute('rel'), 'noopener noreferrer');
  // Editor's Pick: open by default, three points.
  assert.equal(await page.locator('details.av-pick').evaluate((d) => d.open), true);
  assert.equal(await page.locator('.av-pick-items > li').count(), 3);
  // Body: headings with ids, figure with caption, table, callouts, footnotes, task list.
  const ids = await page.locator('.av-body h2[id], .av-body h3[id]').count();
  assert.ok(ids >= 3, `headings with ids: ${ids}`);
  const figure = page.locator('.av-body figure.av-figure').first();
  assert.ok((await figure.locator('figcaption').innerText()).length > 0);
  assert.equal(await figure.locator('img').getAttribute('loading'), 'lazy');
  assert.ok(await page.locator('.av-body table thead th').count() >= 2);
  const kinds = await page.locator('.av-body .av-callout').evaluateAll((els) => els.map((e) => e.className));
  for (const k of ['note', 'tip', 'important', 'warning', 'caution']) {
    assert.ok(kinds.some((c) => c.includes(`av-callout-${k}`)), `callout ${k} in ${kinds}`);
  }
  assert.equal(await page.locator('.av-callout[role=note]').count(), kinds.length);
  assert.ok(await page.locator('.av-callout-title .av-callout-icon').count() >= 1);
  assert.ok(await page.locator('.av-footnotes li[id^=av-fn-]').count() >= 1);
  assert.ok(await page.locator('.av-body li.av-task input[type=checkbox][disabled]').count() >= 2);
  assert.ok(await page.locator('.av-body del').count() >= 1);
  assert.ok(await page.locator('.av-body pre code').count() >= 1);
  // Every external link is marked; every image in the body is lazy.
  const ext = await page.locator('.av-body a[href^="http"]').evaluateAll((els) =>
    els.filter((e) => new URL(e.href).origin !== location.origin).map((e) => e.rel));
  assert.ok(ext.length >= 2 && ext.every((r) => r === 'noopener noreferrer'), JSON.stringify(ext));
  const lazy = await page.locator('.av-body img').evaluateAll((els) => els.map((e) => e.loading));
  assert.ok(lazy.length >= 2 && lazy.every((l) => l === 'lazy'));
  // Raw HTML in the body is shown as text.
  assert.match(await page.locator('.av-body').innerText(), /<div class="promo">/);
  assert.equal(await page.locator('.av-body div.promo, .av-article script').count(), 0);
  // Korean breaks between words; long URLs still wrap (no horizontal overflow at phone width).
  assert.equal(await page.locator('.av-body p').first().evaluate((e) => getComputedStyle(e).wordBreak), 'keep-all');
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px at 360px`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the pick box toggles by click and keyboard, remembers, and prints expanded', async () => {
  const page = await open('/?src=samples/articles/hbm-yield.json');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.av-app[data-ready]').waitFor();
  const toggle = page.locator('summary.av-pick-toggle');
  const box = page.locator('details.av-pick');
  const list = page.locator('.av-pick-items');
  const isOpen = () => box.evaluate((d) => d.open);
  // A native disclosure: its state reaches assistive technology as "expanded".
  const expanded = async () => (await cdpNode(page, 'summary.av-pick-toggle')).expanded;
  assert.equal(await isOpen(), true);
  assert.equal(await expanded(), true);
  await toggle.click();
  assert.equal(await isOpen(), false);
  assert.equal(await expanded(), false);
  assert.equal(await list.isVisible(), false);
  // Keyboard: focus the toggle, Enter opens, Space closes.
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await isOpen(), true);
  assert.equal(await list.isVisible(), true);
  await page.keyboard.press('Space');
  assert.equal(await isOpen(), false);
  const focusRing = await toggle.evaluate((b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(focusRing, 'none', 'the focused toggle shows a focus ring');
  // The choice survives a reload, for this article only, in one bounded storage entry.
  await page.reload();
  await page.locator('.av-app[data-ready]').waitFor();
  assert.equal(await isOpen(), false);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), ['article-viewer:picks']);
  await page.goto(server.url + KITCHEN);
  await page.locator('.av-app[data-ready] details.av-pick').waitFor();
  assert.equal(await page.locator('details.av-pick').evaluate((d) => d.open), true);
  // Printing shows the points even when collapsed on screen.
  await page.goto(server.url + '/?src=samples/articles/hbm-yield.json');
  await page.locator('.av-app[data-ready]').waitFor();
  assert.equal(await list.isVisible(), false);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await list.isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.problems, []);
  await page.close();
});

/** The accessibility node Chromium exposes for the first element matching `selector`. */
async function cdpNode(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    const prop = (name) => node.properties?.find((p) => p.name === name)?.value?.value;
    return { role: node.role?.value, name: node.name?.value, expanded: prop('expanded') };
  } finally {
    await cdp.detach();
  }
}

test('a related card opens its article inside the viewer and back returns', async () => {
  const page = await open(KITCHEN);
  const cards = page.locator('.av-related .av-card');
  assert.ok(await cards.count() >= 2);
  const inside = page.locator('.av-related a.av-card-link[href^="?src="]').first();
  const href = await inside.getAttribute('href');
  const title = await inside.innerText();
  await inside.click();
  await page.waitForFunction((t) => document.querySelector('h1.av-title')?.textContent === t, title);
  assert.equal(new URL(page.url()).search, href);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('h1.av-title')?.textContent.startsWith('키친 싱크'));
  assert.match(page.url(), /kitchen-sink\.json$/);
  // A card with only `url` is an ordinary link to that page.
  const outside = page.locator('.av-related a.av-card-link:not([href^="?src="])').first();
  assert.match(await outside.getAttribute('href'), /^https?:\/\//);
  assert.equal(await outside.getAttribute('rel'), 'noopener noreferrer');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a collection card opens its article; ?src= defaults to the bundled collection', async () => {
  const page = await open('/');
  assert.ok(await page.locator('.av-collection .av-card').count() >= 6);
  // On the published site each card leads to its article's own page.
  const link = page.locator('.av-collection a.av-card-link[href$=".html"]').first();
  const title = await link.innerText();
  await page.locator('.av-app[data-ready]').waitFor();
  // Open-in-new-tab works because the card is a real link.
  const [popup] = await Promise.all([
    browser.context.waitForEvent('page'),
    link.click({ modifiers: ['Control'] }),
  ]);
  await popup.waitForSelector('h1.av-title');
  assert.equal(await popup.locator('h1.av-title').innerText(), title);
  await popup.close();
  assert.equal(await page.locator('.av-collection').count(), 1, 'a modified click leaves this page alone');
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForSelector('h1.av-title');
  assert.equal(await page.locator('h1.av-title').innerText(), title);
  assert.equal(new URL(page.url()).pathname, `/${href}`, 'the address is the article\'s page');
  await page.goBack();
  await page.waitForSelector('.av-collection');
  // The plain viewer page, without ?src=, shows the bundled sample collection.
  await page.goto(`${server.url}/viewer.html`);
  await page.waitForSelector('.av-collection .av-card');
  assert.ok((await page.locator('.av-collection a.av-card-link').first().getAttribute('href')).startsWith('?src='));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the English sample speaks English', async () => {
  const page = await open('/?src=samples/articles/datacenter-power.json');
  assert.equal(await page.locator('.av-article').getAttribute('lang'), 'en');
  assert.match(await page.locator('.av-reading-time').innerText(), /^\d+ min read$/);
  assert.match(await page.locator('.av-header time.av-published').innerText(), /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
  if (await page.locator('.av-related').count()) {
    assert.equal(await page.locator('.av-related-title').innerText(), 'Read more');
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('no console error on any bundled sample', async () => {
  const page = await open('/');
  const links = await page.locator('a.av-card-link[href$=".html"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 6);
  // Each sample as its prerendered page, and in the plain viewer by ?src=.
  const pages = ['/', ...links.map((h) => '/' + h), ...links.map((h) => `/viewer.html?src=samples/${h.replace(/\.html$/, '.json')}`)];
  for (const href of pages) {
    await page.goto(server.url + href);
    // A published article page is HTML with no app; the others are the app's.
    const published = /^\/articles\/[^?]+\.html$/.test(href);
    await page.waitForSelector(published ? '.av-app .av-article' : '.av-app[data-ready] :is(.av-article, .av-collection, .av-error)');
    assert.equal(await page.locator('.av-error').count(), 0, href);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('dropped entries are reported to the console with their path, the rest is shown', async () => {
  const page = await open('/?src=samples/tests/lenient.json');
  assert.equal(await page.locator('.av-error').count(), 0);
  await page.locator('h1.av-title').waitFor();
  const w = page.warnings.join('\n');
  assert.match(w, /related\[1\]: missing title/);
  assert.match(w, /authors\[1\]: expected an object/);
  assert.match(w, /published: not an RFC 3339 date/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the page follows the reader: dark scheme, reduced motion', async () => {
  const page = await openPage(browser.context);
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.goto(`${server.url}/?src=samples/articles/hbm-yield.json`);
  await page.locator('h1.av-title').waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.av-viewer')).backgroundColor);
  assert.equal(bg, 'rgb(17, 19, 23)');
  const card = await page.locator('.av-card').first().evaluate((c) => getComputedStyle(c).transitionDuration);
  assert.match(card, /^0s/);
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.av-viewer')).backgroundColor), 'rgb(255, 255, 255)');
  assert.deepEqual(page.problems, []);
  await page.close();
});
