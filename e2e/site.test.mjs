// The published sample site (scripts/test.sh runs `article-viewer-cli build --content
// static/samples --dist dist --site https://news.example/` before these tests): every page read
// from disk and without JavaScript, taken over by the app over HTTP without a flash, a shift or
// a second fetch, its head tags, sitemap and feeds checked by parsing them, and axe-core on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, DIST } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
const SITE = 'https://news.example/';
const ARTICLE = 'articles/kitchen-sink.html';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

const disk = (rel) => pathToFileURL(path.join(DIST, rel)).href;

/** A page in a context of its own (JavaScript on or off, a colour scheme, ...). */
async function pageIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  return { page: await openPage(context), close: () => context.close() };
}

/** Everything a reader of a prerendered article page should get, without any script. */
async function readsCompletely(page) {
  await page.waitForLoadState('load');
  assert.ok((await page.locator('h1.av-title').innerText()).length > 0, 'the headline');
  assert.ok((await page.locator('.av-subtitle').innerText()).length > 0, 'the dek');
  assert.match(await page.locator('.av-header time.av-published').innerText(), /^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}$/);
  assert.match(await page.locator('.av-reading-time').innerText(), /^[1-9]\d*분 분량$/);
  assert.ok(await page.locator('.av-tags .av-tag').count() >= 2, 'the tags');
  assert.ok((await page.locator('.av-hero figcaption.av-credit').innerText()).length > 0, 'the credit line');
  assert.ok(await page.locator('.av-body p').count() >= 3, 'the body');
  assert.ok(await page.locator('.av-body .av-callout').count() >= 1, 'callouts');
  assert.ok(await page.locator('.av-related .av-card').count() >= 2, 'Read more cards');
  // Every image arrived (a broken one has no natural size).
  await page.evaluate(() => Promise.all([...document.images].map((i) => { i.loading = 'eager'; return i.decode().catch(() => {}); })));
  const broken = await page.evaluate(() => [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src')));
  assert.deepEqual(broken, [], 'images that did not load');
  // The pick box opens and closes as a native disclosure.
  const open = () => page.locator('details.av-pick').evaluate((d) => d.open);
  assert.equal(await open(), true);
  await page.locator('summary.av-pick-toggle').click();
  assert.equal(await open(), false);
  assert.equal(await page.locator('.av-pick-items').isVisible(), false);
  await page.locator('summary.av-pick-toggle').click();
  assert.equal(await open(), true);
}

/** The card links of the page, which must lead to prerendered pages that exist. */
async function cardLinks(page, dir) {
  const hrefs = await page.locator('a.av-card-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const internal = hrefs.filter((h) => !/^https?:/.test(h));
  for (const h of internal) {
    assert.match(h, /\.html$/, `${h} leads to a page`);
    assert.ok(fs.existsSync(path.join(DIST, dir, h)), `${h} exists`);
  }
  return internal;
}

test('from disk (file://), every page reads completely and its links open the other pages', async () => {
  const { page, close } = await pageIn();
  try {
    // The root page is the collection.
    await page.goto(disk('index.html'));
    assert.ok(await page.locator('.av-collection .av-card').count() >= 6);
    assert.equal(await page.locator('.av-filters').isVisible(), false, 'search needs the app: not shown from disk');
    const links = await cardLinks(page, '.');
    assert.ok(links.length >= 6);
    for (const href of links) {
      await page.goto(disk(href));
      await page.locator('h1.av-title').waitFor();
      assert.equal(await page.locator('.av-error').count(), 0, href);
    }
    // A card opens the next page, and the header leads home.
    await page.goto(disk(ARTICLE));
    await readsCompletely(page);
    const related = await cardLinks(page, 'articles');
    await page.locator(`.av-related a.av-card-link[href="${related[0]}"]`).click();
    await page.waitForURL(/\.html$/);
    assert.equal(page.url(), disk(`articles/${related[0]}`));
    await page.locator('a.av-site-title').click();
    await page.waitForURL(disk('index.html'));
    // The plain viewer page says how to serve the folder instead of staying blank.
    await page.goto(disk('viewer.html'));
    await page.locator('.av-from-disk').waitFor();
    assert.match(await page.locator('.av-from-disk').innerText(), /python3 -m http\.server/);
  } finally {
    await close();
  }
});

test('without JavaScript, every page reads completely', async () => {
  const { page, close } = await pageIn({ javaScriptEnabled: false });
  try {
    await page.goto(`${server.url}/`);
    assert.ok(await page.locator('.av-collection .av-card').count() >= 6);
    assert.equal(await page.locator('.av-filters').isVisible(), false, 'search needs the app: not shown without it');
    await newestFirst(page);
    await page.goto(`${server.url}/${ARTICLE}`);
    await readsCompletely(page);
    for (const href of await cardLinks(page, 'articles')) {
      await page.goto(`${server.url}/articles/${href}`);
      assert.ok((await page.locator('h1.av-title').innerText()).length > 0, href);
    }
  } finally {
    await close();
  }
});

/** With no query the listing is newest first (the sample's index.json is not in date order). */
async function newestFirst(page) {
  const shown = await page.locator('.av-collection .av-card time.av-published').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
  const collection = JSON.parse(fs.readFileSync(path.join(DIST, 'index.json'), 'utf8'));
  const dates = collection.articles.map((a) => Date.parse(a.published));
  assert.notDeepEqual(dates, [...dates].sort((a, b) => b - a), "the fixture's own order is not already by date");
  assert.deepEqual(shown, [...dates].sort((a, b) => b - a).slice(0, shown.length), 'newest first');
}

/** Layout shifts, the prerendered text, and the pictures at the moment the app's page takes the
 *  prerendered one's place (before the browser paints again), recorded from the first byte. */
const RECORD = `
  window.__shifts = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts.push(e.value); })
    .observe({ type: 'layout-shift', buffered: true });
  document.addEventListener('DOMContentLoaded', () => {
    window.__prerendered = document.querySelector('#article-viewer')?.textContent;
  });
  const loaded = (root) => [...root.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth > 0).map((i) => i.src);
  new MutationObserver((records) => {
    for (const r of records) {
      const old = [...r.removedNodes].find((n) => n.id === 'article-viewer');
      const fresh = [...r.addedNodes].find((n) => n.id === 'article-viewer');
      if (old && fresh) window.__swap = { before: loaded(old), after: loaded(fresh) };
    }
  }).observe(document, { childList: true, subtree: true });`;

test('over HTTP a listing page is taken over by the app: same text, no shift, no second fetch, no error', async () => {
  const { page, close } = await pageIn();
  try {
    await page.addInitScript(RECORD);
    // The app's wasm is held back until the prerendered page's first picture has loaded, so
    // that the takeover happens with pictures on screen (what "no flash" is about) however busy
    // the machine is; a reader's browser gets the pictures first too, being in the HTML.
    await page.route(/_bg\.wasm$/, async (route) => {
      await page.waitForFunction(() => [...document.querySelectorAll('#article-viewer img')].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 15000 }).catch(() => {});
      await route.continue();
    });
    server.hits.clear();
    await page.goto(`${server.url}/index.html`);
    await page.locator('.av-app[data-ready]').waitFor();
    await page.waitForLoadState('networkidle');
    const after = await page.evaluate(() => document.querySelector('#article-viewer').textContent);
    assert.equal(after, await page.evaluate(() => window.__prerendered), 'the text after takeover');
    // No flash: every picture shown before the takeover is there, loaded, the moment it happens.
    const swap = await page.evaluate(() => window.__swap);
    assert.ok(swap, "the app's page took the prerendered one's place");
    assert.ok(swap.before.length > 0, 'pictures had loaded before the takeover');
    for (const src of swap.before) assert.ok(swap.after.includes(src), `${src} loaded at the takeover`);
    assert.deepEqual(await page.evaluate(() => window.__shifts), [], 'layout shifts');
    const json = [...server.hits.keys()].filter((p) => p.endsWith('.json'));
    assert.deepEqual(json, [], 'the page carries its document');
    await newestFirst(page);
    assert.deepEqual(page.problems, []);
    // Search works on the collection page, and a card leads to its article's page.
    await page.locator('.av-search').fill('ㅂㄷㅊ');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ㅂㄷㅊ');
    await page.locator('.av-collection a.av-card-link[href$=".html"]').first().click();
    await page.waitForURL(/\/articles\/[^/]+\.html$/);
    await page.locator('h1.av-title').waitFor();
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

/** The pick box's state at the first frame the browser paints with it (recorded from the first byte). */
const FIRST_FRAME = `
  new MutationObserver((records, observer) => {
    const box = document.querySelector('details.av-pick');
    if (!box) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstFrameOpen = document.querySelector('details.av-pick').open; });
  }).observe(document, { childList: true, subtree: true });`;

test('an article page loads no app, and its pick box remembers the reader\'s choice before the first paint', async () => {
  const { page, close } = await pageIn();
  try {
    await page.addInitScript(RECORD);
    await page.addInitScript(FIRST_FRAME);
    const scripts = [];
    page.on('request', (r) => { if (['script', 'fetch'].includes(r.resourceType()) || r.url().endsWith('.wasm')) scripts.push(r.url()); });
    await page.goto(`${server.url}/${ARTICLE}`);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(scripts, [], 'no script, wasm or document is fetched');
    assert.equal(await page.locator('.av-app[data-ready]').count(), 0, 'the app does not start');
    assert.equal(await page.evaluate(() => window.__firstFrameOpen), true, 'open by default');
    await page.locator('summary.av-pick-toggle').click();
    await page.waitForFunction(() => /:c$/.test(localStorage.getItem('article-viewer:picks') || ''));
    await page.reload();
    await page.waitForFunction(() => window.__firstFrameOpen !== undefined);
    assert.equal(await page.evaluate(() => window.__firstFrameOpen), false, 'closed at the first paint');
    assert.deepEqual(await page.evaluate(() => window.__shifts), [], 'layout shifts');
    // Opened again, the choice is remembered the other way, and the entry keeps one item.
    await page.locator('summary.av-pick-toggle').click();
    await page.waitForFunction(() => /^[0-9a-f]{16}:o$/.test(localStorage.getItem('article-viewer:picks') || ''));
    // The same key as the app's own (src/prefs.rs): viewing the document in the app shows the choice.
    await page.locator('summary.av-pick-toggle').click();
    await page.waitForFunction(() => /^[0-9a-f]{16}:c$/.test(localStorage.getItem('article-viewer:picks') || ''));
    const doc = new URL(ARTICLE.replace(/\.html$/, '.json'), `${server.url}/`).href;
    await page.goto(`${server.url}/viewer.html?src=${encodeURIComponent(doc)}`);
    await page.locator('.av-app[data-ready]').waitFor();
    await page.waitForFunction(() => document.querySelector('details.av-pick') && !document.querySelector('details.av-pick').open);
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('a page opened with filters in its address shows them once taken over', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/index.html?tag=${encodeURIComponent('반도체')}`);
    await page.locator('.av-app[data-ready]').waitFor();
    await page.waitForFunction(() => document.querySelector('.av-count')?.textContent.includes('중'));
    assert.equal(await page.locator('.av-facet-tags .av-chip[data-value="반도체"]').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

const content = (html, selector, attr = 'content') => {
  const re = new RegExp(`<meta[^>]*${selector}[^>]*>`);
  const tag = html.match(re)?.[0];
  return tag?.match(new RegExp(`${attr}="([^"]*)"`))?.[1];
};

test('head tags: title, description, canonical, Open Graph, Twitter card and JSON-LD', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/${ARTICLE}`);
    const doc = JSON.parse(fs.readFileSync(path.join(DIST, 'articles/kitchen-sink.json'), 'utf8'));
    const head = await page.evaluate(() => {
      const m = (sel) => document.querySelector(sel)?.getAttribute('content') ?? null;
      const all = (sel) => [...document.querySelectorAll(sel)].map((e) => e.getAttribute('content'));
      return {
        lang: document.documentElement.lang,
        title: document.title,
        description: m('meta[name=description]'),
        canonical: document.querySelector('link[rel=canonical]')?.getAttribute('href'),
        og: Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')].map((e) => [e.getAttribute('property'), e.getAttribute('content')])),
        published: m('meta[property="article:published_time"]'),
        tags: all('meta[property="article:tag"]'),
        twitter: m('meta[name="twitter:card"]'),
        alternate: document.querySelector('link[rel=alternate][type="application/json"]')?.getAttribute('href'),
        feeds: [...document.querySelectorAll('link[rel=alternate]')].map((l) => l.type),
        ld: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent)),
      };
    });
    const url = `${SITE}${ARTICLE}`;
    assert.equal(head.lang, 'ko');
    assert.equal(head.title, doc.title);
    assert.ok(head.description?.length > 20 && head.description.length <= 160, head.description);
    assert.equal(head.canonical, url);
    assert.equal(head.og['og:type'], 'article');
    assert.equal(head.og['og:title'], doc.title);
    assert.equal(head.og['og:url'], url);
    assert.equal(head.og['og:description'], head.description);
    // The SVG hero's raster copy (link previews show no SVG), at an absolute address.
    assert.match(head.og['og:image'], /^https:\/\/news\.example\/_pictures\/[0-9a-f]+-share\.jpg$/, 'an absolute raster address');
    assert.equal(head.published, doc.published);
    assert.deepEqual(head.tags, doc.tags);
    assert.equal(head.twitter, 'summary_large_image');
    assert.equal(head.alternate, 'kitchen-sink.json');
    assert.ok(head.feeds.includes('application/feed+json') && head.feeds.includes('application/atom+xml'));
    assert.equal(head.ld.length, 1);
    const ld = head.ld[0];
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld['@type'], 'NewsArticle');
    assert.equal(ld.headline, doc.title);
    assert.equal(ld.datePublished, doc.published, 'with its offset');
    assert.match(ld.dateModified, /[+-]\d\d:\d\d$|Z$/);
    assert.deepEqual(ld.author.map((a) => a.name), doc.authors.map((a) => a.name));
    assert.deepEqual(ld.image, [head.og['og:image']]);
    assert.equal(ld.inLanguage, doc.language);
    // The collection page: a website, its own canonical.
    await page.goto(`${server.url}/`);
    assert.equal(await page.evaluate(() => document.querySelector('meta[property="og:type"]').content), 'website');
    assert.equal(await page.evaluate(() => document.querySelector('link[rel=canonical]').href), `${SITE}index.html`);
  } finally {
    await close();
  }
});

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

test('sitemap.xml lists every page; the JSON Feed and the Atom feed are valid', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/`);
    // XML is parsed by the browser's own parser: a parse error is an element of its own.
    const parse = (xml) => page.evaluate((x) => {
      const d = new DOMParser().parseFromString(x, 'application/xml');
      if (d.querySelector('parsererror')) return { error: d.querySelector('parsererror').textContent };
      const walk = (e) => ({ name: e.localName, ns: e.namespaceURI, attrs: Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])),
        text: e.children.length ? undefined : e.textContent, children: [...e.children].map(walk) });
      return walk(d.documentElement);
    }, xml);
    const sitemap = await parse(fs.readFileSync(path.join(DIST, 'sitemap.xml'), 'utf8'));
    assert.equal(sitemap.error, undefined);
    assert.equal(sitemap.name, 'urlset');
    assert.equal(sitemap.ns, 'http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = sitemap.children.map((u) => u.children.find((c) => c.name === 'loc').text);
    const pages = [];
    const walkDir = (dir) => { for (const f of fs.readdirSync(path.join(DIST, dir))) {
      const rel = path.posix.join(dir, f);
      if (fs.statSync(path.join(DIST, rel)).isDirectory()) walkDir(rel);
      else if (f.endsWith('.html') && fs.readFileSync(path.join(DIST, rel), 'utf8').includes('data-prerendered')) pages.push(rel);
    } };
    walkDir('.');
    // Addresses are percent-encoded (tags/%ED%81%B4…/), the files keep their Korean names.
    assert.deepEqual(locs.map((l) => decodeURI(l.slice(SITE.length))).sort(), pages.map((p) => p.replace(/^\.\//, '')).sort());
    for (const u of sitemap.children) {
      const mod = u.children.find((c) => c.name === 'lastmod');
      if (mod) assert.match(mod.text, RFC3339);
    }

    // JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the required members and their types.
    const feed = JSON.parse(fs.readFileSync(path.join(DIST, 'feed.json'), 'utf8'));
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(typeof feed.title, 'string');
    assert.equal(feed.home_page_url, `${SITE}index.html`);
    assert.equal(feed.feed_url, `${SITE}feed.json`);
    assert.ok(Array.isArray(feed.items) && feed.items.length >= 6);
    const ids = new Set();
    for (const item of feed.items) {
      assert.equal(typeof item.id, 'string');
      assert.ok(!ids.has(item.id), `unique id ${item.id}`);
      ids.add(item.id);
      assert.ok(typeof item.content_html === 'string' || typeof item.content_text === 'string', item.id);
      for (const k of ['url', 'image']) if (k in item) assert.match(item[k], /^https?:\/\//, `${item.id} ${k}`);
      for (const k of ['date_published', 'date_modified']) if (k in item) assert.match(item[k], RFC3339, `${item.id} ${k}`);
      for (const a of item.authors ?? []) assert.equal(typeof a.name, 'string');
      if (item.tags) assert.ok(item.tags.every((t) => typeof t === 'string'));
      // Feed readers show the body elsewhere: no address in it may be relative.
      for (const [, u] of (item.content_html ?? '').matchAll(/(?:href|src)="([^"]*)"/g)) assert.match(u, /^(https?:|mailto:|#)/, u);
    }
    const dates = feed.items.map((i) => i.date_published).filter(Boolean);
    assert.deepEqual(dates, [...dates].sort((a, b) => Date.parse(b) - Date.parse(a)), 'newest first');

    // Atom (RFC 4287): feed and entries carry id, title, updated; the feed a self link and an author.
    const atom = await parse(fs.readFileSync(path.join(DIST, 'feed.atom'), 'utf8'));
    assert.equal(atom.error, undefined);
    const NS = 'http://www.w3.org/2005/Atom';
    assert.deepEqual([atom.name, atom.ns], ['feed', NS]);
    const kid = (e, n) => e.children.filter((c) => c.name === n && c.ns === NS);
    for (const n of ['id', 'title', 'updated', 'author']) assert.equal(kid(atom, n).length, 1, `feed ${n}`);
    assert.match(kid(atom, 'updated')[0].text, RFC3339);
    assert.equal(kid(atom, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href, `${SITE}feed.atom`);
    const entries = kid(atom, 'entry');
    assert.equal(entries.length, feed.items.length);
    for (const e of entries) {
      for (const n of ['id', 'title', 'updated']) assert.equal(kid(e, n).length, 1, `entry ${n}`);
      assert.match(kid(e, 'id')[0].text, /^https:\/\//);
      assert.match(kid(e, 'updated')[0].text, RFC3339);
      assert.ok(kid(e, 'link').some((l) => l.attrs.rel === 'alternate'));
      const c = kid(e, 'content')[0];
      if (c) assert.equal(c.attrs.type, 'html');
    }
  } finally {
    await close();
  }
});

test('axe-core finds no violation on the published pages, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    // axe is added by the test itself, past the page's own policy.
    const { page, close } = await pageIn({ bypassCSP: true, colorScheme: scheme });
    try {
      for (const rel of ['index.html', ARTICLE, 'articles/datacenter-power.html']) {
        await page.goto(`${server.url}/${rel}`);
        // Article pages are HTML without the app; the collection is the app's.
        await page.locator(rel.startsWith('articles/') ? '.av-app .av-article' : '.av-app[data-ready]').waitFor();
        // A search, so that <mark> is on the page too.
        if (rel === 'index.html') {
          await page.locator('.av-search').fill('AI');
          await page.locator('.av-card mark').first().waitFor();
        }
        const found = await axeViolations(page);
        assert.deepEqual(found, [], `${rel} (${scheme})`);
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  }
});

test('a long collection gets listing pages, readable without JavaScript and taken over with it', async () => {
  // A content folder of 30 articles, published into a copy of the release build.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'av-listing-'));
  const contentDir = path.join(work, 'content');
  const dist = path.join(work, 'dist');
  fs.mkdirSync(path.join(contentDir, 'articles'), { recursive: true });
  fs.cpSync(DIST, dist, { recursive: true });
  fs.copyFileSync(path.join(dist, 'viewer.html'), path.join(dist, 'index.html'));
  fs.rmSync(path.join(dist, 'viewer.html'));
  const articles = Array.from({ length: 30 }, (_, i) => {
    const id = `a${String(i + 1).padStart(2, '0')}`;
    const published = `2026-01-${String(30 - i).padStart(2, '0')}T09:00:00+09:00`;
    fs.writeFileSync(path.join(contentDir, 'articles', `${id}.json`), JSON.stringify({
      id, title: `목록 기사 ${i + 1}`, language: 'ko', published, body: `본문 ${i + 1}.`,
    }));
    return { id, title: `목록 기사 ${i + 1}`, summary: `요약 ${i + 1}`, published, href: `articles/${id}.json` };
  });
  fs.writeFileSync(path.join(contentDir, 'index.json'), JSON.stringify({ title: '긴 목록', language: 'ko', articles }));
  execFileSync(CLI, ['build', '--content', contentDir, '--dist', dist, '--site', 'https://list.example/news/'], { stdio: 'pipe' });
  for (const f of ['index.html', 'page/2.html', 'page/3.html']) assert.ok(fs.existsSync(path.join(dist, f)), f);
  assert.ok(!fs.existsSync(path.join(dist, 'page/4.html')));
  const site = await startServer({ root: dist });
  try {
    const titles = (page) => page.locator('.av-collection .av-card-title').allInnerTexts();
    const nojs = await pageIn({ javaScriptEnabled: false });
    try {
      const page = nojs.page;
      await page.goto(`${site.url}/`);
      assert.equal((await titles(page)).length, 12);
      await page.locator('a.av-more').click();
      await page.waitForURL(`${site.url}/page/2.html`);
      assert.deepEqual(await titles(page), articles.slice(12, 24).map((a) => a.title));
      await page.locator('a.av-more').click();
      await page.waitForURL(`${site.url}/page/3.html`);
      assert.deepEqual(await titles(page), articles.slice(24).map((a) => a.title));
      assert.equal(await page.locator('a.av-more').count(), 0);
      await page.locator('a.av-previous').click();
      await page.waitForURL(`${site.url}/page/2.html`);
      // The cards of a listing page lead to their articles' pages.
      await page.locator('a.av-card-link').first().click();
      await page.waitForURL(`${site.url}/articles/a13.html`);
    } finally {
      await nojs.close();
    }
    // A short window: the "more" link is below it, so the next page waits for the reader.
    const js = await pageIn({ viewport: { width: 1280, height: 400 } });
    try {
      const page = js.page;
      await page.addInitScript(RECORD);
      await page.goto(`${site.url}/page/2.html`);
      await page.locator('.av-app[data-ready]').waitFor();
      assert.deepEqual(await titles(page), articles.slice(12, 24).map((a) => a.title));
      assert.deepEqual(await page.evaluate(() => window.__shifts), []);
      // With the app, "more" brings the next page in place.
      // The click goes to the link itself: a pointer click scrolls it into view first, the
      // next page then arrives by scrolling, the link goes (nothing more to show), and the
      // click lands on "← 이전 목록" in its place.
      await page.locator('a.av-more').evaluate((a) => a.click());
      await page.locator('.av-collection .av-card').nth(17).waitFor();
      assert.deepEqual((await titles(page)).slice(0, 18), articles.slice(12, 30).map((a) => a.title));
      assert.equal(new URL(page.url()).pathname, '/page/2.html');
      assert.deepEqual(page.problems, []);
    } finally {
      await js.close();
    }
  } finally {
    await site.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
