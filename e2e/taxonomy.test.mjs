// Tag, author and section pages (issue 20, part 1) on a built copy of the samples with sections
// in site.toml and more stories on 반도체 (so its pages are paged): read from disk and without
// JavaScript, taken over by the app over HTTP (its search and facets within the tag), their
// own feeds parsed as Atom and JSON Feed, listed in the sitemap, and axe-core on them in light
// and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';
import { CLI, runCli } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const SITE = 'https://news.example/';
const SECTIONS = ['클라우드', 'AI', '반도체'];
/** Stories added to the copy, all on 반도체 by 박준호: with the samples' two, more than a listing page. */
const ADDED = 13;
const PAGE_SIZE = 12;

let tmp, siteDir, server, browser;

const run = runCli;

/** The samples, with sections and the added stories. */
function writeContent(dir) {
  fs.cpSync(path.join(root, 'static/samples'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'site.toml'), `title = "테크 브리핑"\nsections = [${SECTIONS.map((s) => JSON.stringify(s)).join(', ')}]\n`);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  for (let i = 1; i <= ADDED; i++) {
    const id = `chip-${String(i).padStart(2, '0')}`;
    const published = `2025-06-${String(i).padStart(2, '0')}T09:00:00+09:00`;
    const authors = [{ name: '박준호', title: '선임기자' }];
    const title = `반도체 단신 ${i}호`;
    fs.writeFileSync(path.join(dir, 'articles', `${id}.json`), JSON.stringify({
      id, title, published, authors, tags: ['반도체', i % 2 ? '메모리' : '파운드리'], body: `단신 ${i}의 본문.`,
    }));
    index.articles.push({ id, title, published, authors, tags: ['반도체', i % 2 ? '메모리' : '파운드리'], href: `articles/${id}.json` });
  }
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index, null, 2));
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-taxonomy-e2e-'));
  const content = path.join(tmp, 'content');
  writeContent(content);
  siteDir = path.join(tmp, 'site');
  fs.cpSync(DIST, siteDir, { recursive: true });
  run(['build', '--content', content, '--dist', siteDir, '--site', SITE, '--now', '2030-01-01T00:00:00Z']);
  server = await startServer({ root: siteDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const disk = (rel) => pathToFileURL(path.join(siteDir, rel)).href;
const http = (rel) => `${server.url}/${encodeURI(rel)}`;

async function pageIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  return { page: await openPage(context), close: () => context.close() };
}

/** The card titles a listing page shows. */
const cardTitles = (page) => page.locator('.av-collection a.av-card-link').allInnerTexts();

/** A tag page as it reads without the app: heading, title, its stories, nothing of the others. */
async function readsAsTag(page, tag, { cards, includes }) {
  assert.equal(await page.locator('h1.av-collection-title').innerText(), `#${tag}`);
  assert.equal(await page.title(), `#${tag}`);
  const titles = await cardTitles(page);
  assert.equal(titles.length, cards, `${tag}: ${titles.join(' | ')}`);
  for (const t of includes) assert.ok(titles.some((x) => x.includes(t)), `${tag}: no ${t} in ${titles.join(' | ')}`);
}

test('from disk (file://): article tags and bylines lead to their pages, and back to the stories', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(disk('articles/sovereign-cloud.html'));
    await page.locator('.av-tags a.av-tag-link', { hasText: '#클라우드' }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith('/tags/클라우드/index.html'));
    await readsAsTag(page, '클라우드', { cards: 1, includes: ['소버린 클라우드'] });
    await page.locator('a.av-card-link').first().click();
    await page.waitForURL((u) => u.pathname.endsWith('/articles/sovereign-cloud.html'));
    await page.locator('.av-byline a.av-author-name', { hasText: '김서연' }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith('/authors/김서연/index.html'));
    assert.equal(await page.locator('h1.av-collection-title').innerText(), '김서연');
    assert.equal(await page.locator('.av-collection-description').innerText(), '기자');
    const titles = await cardTitles(page);
    assert.ok(titles.length >= 3, titles.join(' | '));
    // Newest first: the kitchen sink (2026-03-02) before the on-device story (2026-01-14).
    assert.ok(titles.findIndex((t) => t.includes('샘플')) < titles.findIndex((t) => t.includes('스마트폰')), titles.join(' | '));
    // From disk the browser refuses the app's module (file:// has no CORS): the pages read without it.
    const fileOnly = (p) => /blocked by CORS policy|net::ERR_FAILED/.test(p);
    assert.deepEqual(page.problems.filter((p) => !fileOnly(p)), []);
  } finally {
    await close();
  }
});

test('without JavaScript: a section from the header, paged like the listing, and its author', async () => {
  const { page, close } = await pageIn({ javaScriptEnabled: false });
  try {
    await page.goto(http('index.html'));
    const sections = await page.locator('.av-site-nav .av-site-sections a').allInnerTexts();
    assert.deepEqual(sections, SECTIONS);
    assert.equal(await page.locator('.av-site-sections a[aria-current]').count(), 0, 'the front page is in no section');
    await page.locator('.av-site-sections a', { hasText: '반도체' }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith('/tags/반도체/index.html'));
    // Newest first: the press release (2026), the HBM story (2025-11), then the briefs from the 13th down.
    await readsAsTag(page, '반도체', { cards: PAGE_SIZE, includes: ['기술 설명회', 'HBM4', '단신 13호', '단신 4호'] });
    // The header says where the reader is: the section's own page, then a page inside it.
    assert.deepEqual(await page.locator('.av-site-nav a[aria-current]').allInnerTexts(), ['반도체']);
    assert.equal(await page.locator('.av-site-sections a[aria-current="page"]').innerText(), '반도체');
    const first = await cardTitles(page);
    await page.locator('a.av-more').click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith('/tags/반도체/page/2.html'));
    assert.equal(await page.locator('.av-site-sections a[aria-current="true"]').innerText(), '반도체');
    const second = await cardTitles(page);
    assert.equal(first.length + second.length, ADDED + 2, 'every story of the tag, once');
    assert.ok(second.every((t) => !first.includes(t)), 'page 2 goes on where page 1 ended');
    assert.deepEqual(second.map((t) => t.match(/단신 \d+호/)?.[0]), ['단신 3호', '단신 2호', '단신 1호']);
    await page.locator('a.av-previous').click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith('/tags/반도체/index.html'));
    // The header's sections work from a page two folders down too.
    await page.locator('.av-site-sections a', { hasText: '클라우드' }).click();
    await readsAsTag(page, '클라우드', { cards: 1, includes: ['소버린'] });
    await page.goto(http('authors/박준호/index.html'));
    assert.equal(await page.locator('h1.av-collection-title').innerText(), '박준호');
    assert.equal(await page.locator('.av-collection-description').innerText(), '선임기자');
    assert.equal((await cardTitles(page)).length, PAGE_SIZE);
    assert.ok(fs.existsSync(path.join(siteDir, 'authors/박준호/page/2.html')));
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('with the app: a tag page is its listing, searched and filtered within the tag', async () => {
  const { page, close } = await pageIn();
  try {
    const fetched = [];
    page.on('request', (r) => { if (r.resourceType() === 'fetch') fetched.push(decodeURIComponent(r.url())); });
    await page.goto(http('tags/반도체/index.html'));
    await page.locator('.av-app[data-ready]').waitFor();
    assert.equal(await page.locator('h1.av-collection-title').innerText(), '#반도체', 'the heading stays');
    assert.equal(await page.title(), '#반도체', 'the document title is the tag\'s');
    assert.equal((await cardTitles(page)).length, PAGE_SIZE);
    // The other facets are the tag's stories' own.
    const filters = page.locator('.av-filters');
    if (!(await filters.isVisible())) await page.locator('.av-filter-toggle, summary', { hasText: '필터' }).first().click();
    const chips = await page.locator('.av-facet-tags .av-chip').evaluateAll((cs) => cs.map((c) => c.dataset.value));
    assert.ok(chips.includes('메모리') && chips.includes('HBM'), chips.join(', '));
    assert.ok(!chips.includes('클라우드'), 'no tag of a story outside 반도체');
    await page.locator('.av-facet-tags .av-chip[data-value="메모리"]').click();
    await page.waitForFunction(() => document.querySelectorAll('.av-collection a.av-card-link').length === 7);
    assert.match(decodeURIComponent(page.url()), /\/tags\/반도체\/index\.html\?tag=메모리$/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('.av-collection a.av-card-link').length === 12);
    // Search finds within the tag only.
    await page.locator('.av-search').fill('HBM');
    await page.waitForFunction(() => document.querySelectorAll('.av-collection a.av-card-link').length === 1);
    assert.match((await cardTitles(page))[0], /HBM4/);
    await page.locator('.av-search').fill('소버린');
    await page.locator('.av-no-results').waitFor();
    // The page carried its collection: nothing was fetched for it.
    assert.deepEqual(fetched.filter((u) => u.endsWith('.json')), []);
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('each tag and author has an Atom and a JSON Feed that parse, and the sitemap lists every page', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(http('tags/반도체/index.html'));
    const NS = 'http://www.w3.org/2005/Atom';
    for (const [folder, count] of [['tags/반도체/', ADDED + 2], ['tags/클라우드/', 1], ['authors/김서연/', 3], ['tags/ai/', 1]]) {
      const atom = fs.readFileSync(path.join(siteDir, folder, 'feed.atom'), 'utf8');
      const parsed = await page.evaluate(([x, ns]) => {
        const d = new DOMParser().parseFromString(x, 'application/xml');
        if (d.querySelector('parsererror')) return { error: d.querySelector('parsererror').textContent };
        const r = d.documentElement;
        const kids = (n, name) => [...n.children].filter((c) => c.localName === name && c.namespaceURI === ns);
        return {
          name: r.localName, ns: r.namespaceURI,
          self: kids(r, 'link').find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href'),
          fields: ['id', 'title', 'updated'].map((f) => kids(r, f).length),
          entries: kids(r, 'entry').map((e) => ['id', 'title', 'updated', 'link'].every((f) => kids(e, f).length >= 1)),
        };
      }, [atom, NS]);
      assert.equal(parsed.error, undefined, folder);
      assert.deepEqual([parsed.name, parsed.ns], ['feed', NS]);
      assert.equal(decodeURI(parsed.self), `${SITE}${folder}feed.atom`);
      assert.deepEqual(parsed.fields, [1, 1, 1]);
      assert.ok(parsed.entries.length >= Math.min(count, 3) && parsed.entries.every(Boolean), `${folder}: ${parsed.entries}`);
      const json = JSON.parse(fs.readFileSync(path.join(siteDir, folder, 'feed.json'), 'utf8'));
      assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(decodeURI(json.feed_url), `${SITE}${folder}feed.json`);
      assert.equal(decodeURI(json.home_page_url), `${SITE}${folder}index.html`);
      assert.ok(json.items.length >= Math.min(count, 3), folder);
      for (const item of json.items) {
        assert.ok(item.id && /^https:\/\//.test(item.url) && (item.content_html || item.content_text), JSON.stringify(item));
      }
    }
    // The tag page names its own feeds, and they are there.
    const feeds = await page.locator('link[rel="alternate"][type="application/atom+xml"]').evaluateAll((ls) => ls.map((l) => l.href));
    assert.equal(decodeURIComponent(feeds[0]), `${server.url}/tags/반도체/feed.atom`);
    assert.equal((await page.request.get(feeds[0])).status(), 200);
    const sitemap = fs.readFileSync(path.join(siteDir, 'sitemap.xml'), 'utf8');
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => decodeURI(m[1]));
    for (const rel of ['tags/반도체/index.html', 'tags/반도체/page/2.html', 'tags/클라우드/index.html', 'tags/ai/index.html',
      'authors/김서연/index.html', 'authors/박준호/page/2.html', 'authors/daniel-cho/index.html']) {
      assert.ok(locs.includes(`${SITE}${rel}`), `${rel} not in the sitemap`);
      assert.ok(fs.existsSync(path.join(siteDir, rel)), `${rel} not written`);
    }
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('axe-core finds no violation on tag and author pages, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, close } = await pageIn({ bypassCSP: true, colorScheme: scheme });
    try {
      for (const rel of ['tags/반도체/index.html', 'tags/반도체/page/2.html', 'authors/김서연/index.html']) {
        await page.goto(http(rel));
        await page.locator('.av-app[data-ready]').waitFor();
        const found = await axeViolations(page);
        assert.deepEqual(found, [], `${rel} (${scheme})`);
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  }
});
