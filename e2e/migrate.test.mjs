// A move that loses nothing: a Ghost export and a WordPress export (the theme-unit-test shape,
// https namespaces) imported and built; every old address of every post, requested from the
// built site over HTTP and opened from disk (file://), leads to the post's new page;
// `_redirects` lists the same addresses; the import report says what came in; scheduled
// posts stay out until `--now` passes their time. Two more exports come with their pictures
// folder beside them (Ghost's content/images, WordPress's wp-content/uploads): their links
// between posts lead to the new pages, and their pictures are served by the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';
import { CLI, runCli } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const FIXTURES = path.join(root, 'crates/import/tests/fixtures/import');
const SITE = 'https://news.example/';
// Before either fixture's scheduled post (2036-09-01 and 2036-09-30), and after both.
const BEFORE = '2030-01-01T00:00:00Z';
const AFTER = '2037-01-01T00:00:00Z';

const SOURCES = {
  ghost: ['ghost', 'ghost/ghost-5.json', ['--site', 'https://newsroom.example/'], 'scheduled'],
  wordpress: ['wordpress', 'wordpress/theme-unit-test.xml', [], 'autumn-regatta'],
  'ghost-export': ['ghost', 'ghost-export/harbour.json', ['--site', 'https://harbour.example/'], 'regatta-preview'],
  'wordpress-export': ['wordpress', 'wordpress-export/lighthouse.xml', [], 'winter-closing'],
};

// The exports with their pictures: a link to click from one post to another, the old host,
// and what the report must say was left behind.
const MOVES = {
  'ghost-export': {
    from: 'harbour-opens', link: '물때표 기사', to: 'tide-tables', toTitle: '이번 주 물때표', oldHost: 'harbour.example',
    back: ['tide-tables', '앞선 기사', 'harbour-opens'],
    rewritten: 3, left: ['https://harbour.example/about/', 'https://harbour.example/?p=0'],
    remote: ['https://photos.example-cdn.test/harbour-night.jpg'],
    missing: ['https://harbour.example/content/images/2025/10/gone.png'],
    copied: ['images/content/images/2025/10/harbour.jpg', 'images/content/images/2025/10/chart.png'],
  },
  'wordpress-export': {
    from: 'lamp-lit', link: "this week's tide table", to: 'tide-table', toTitle: "This week's tide table", oldHost: 'lighthouse.example',
    back: ['tide-table', 'the lamp is lit again', 'lamp-lit'],
    rewritten: 3, left: ['https://lighthouse.example/history/'],
    remote: [],
    missing: ['https://lighthouse.example/wp-content/uploads/2019/01/archive.jpg'],
    copied: ['images/wp-content/uploads/2025/10/lighthouse.jpg', 'images/wp-content/uploads/2025/10/tide-table.png'],
  },
};

const run = runCli;

let tmp, browser;
const sites = {}; // name -> { dir, server, later }

/** The imported articles published in a built site (the copy of dist/ may hold others): page path, title and aliases. */
function articles(dir, name) {
  return fs.readdirSync(path.join(tmp, name, 'articles')).filter((f) => f.endsWith('.json')).filter((f) =>
    fs.existsSync(path.join(dir, 'articles', f))).map((f) => {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'articles', f), 'utf8'));
    return { page: `articles/${f.replace(/\.json$/, '.html')}`, title: doc.title, aliases: doc.aliases || [] };
  });
}

/** `_redirects` as [from, query, to] triples. */
function redirects(dir) {
  return fs.readFileSync(path.join(dir, '_redirects'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const parts = l.split(/\s+/);
    assert.equal(parts.at(-1), '301', l);
    return [parts[0], parts.slice(1, -2).join('&'), parts.at(-2)];
  });
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-migrate-e2e-'));
  for (const [name, [kind, input, extra]] of Object.entries(SOURCES)) {
    const content = path.join(tmp, name);
    run(['import', kind, path.join(FIXTURES, input), '--out', content, ...extra]);
    const build = (now, where) => {
      fs.cpSync(DIST, where, { recursive: true });
      run(['build', '--content', content, '--dist', where, '--site', SITE, '--now', now]);
      return where;
    };
    const dir = build(BEFORE, path.join(tmp, `site-${name}`));
    const later = build(AFTER, path.join(tmp, `site-${name}-later`));
    sites[name] = { dir, later, server: await startServer({ root: dir }) };
  }
  browser = await launch();
  // Pictures of hosts that do not exist here answer with nothing, quickly.
  await browser.context.route((url) => url.protocol.startsWith('http') && !url.hostname.startsWith('127.0.0.1'), (route) =>
    route.fulfill({ status: 204, body: '' }));
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) await s.server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens `url` and waits for the page at `page` (the refresh's target) with its headline. */
async function arrives(url, pagePath, title) {
  const page = await openPage(browser.context);
  try {
    await page.goto(url);
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith(`/${pagePath}`), { timeout: 10000 });
    await page.waitForSelector('h1.av-title');
    assert.equal(await page.locator('h1.av-title').innerText(), title, url);
  } finally {
    await page.close();
  }
}

for (const name of Object.keys(SOURCES)) {
  test(`${name}: every old address leads to its post's new page, over HTTP and from disk`, async () => {
    const { dir, server } = sites[name];
    const list = articles(dir, name);
    const all = list.flatMap((a) => a.aliases.map((alias) => ({ ...a, alias })));
    assert.ok(list.length >= 2 && list.every((a) => a.aliases.length >= 1), JSON.stringify(list));
    for (const { alias, page, title } of all.filter((a) => !a.alias.includes('?'))) {
      await arrives(`${server.url}${encodeURI(alias)}`, page, title);
      const file = path.join(dir, ...decodeURIComponent(alias).split('/').filter(Boolean), 'index.html');
      await arrives(pathToFileURL(file).href, page, title);
    }
    // An address with a query (`/?p=1510`) cannot be a file: _redirects carries it (below),
    // and its target is the page.
    for (const { alias, page, title } of all.filter((a) => a.alias.includes('?'))) {
      const [from, query] = alias.split('?');
      const line = redirects(dir).find(([f, q]) => f === from && q === query);
      assert.ok(line, `${alias} not in _redirects`);
      assert.equal(line[2], `${SITE}${encodeURI(page)}`);
      await arrives(`${server.url}/${page}`, page, title);
    }
  });

  test(`${name}: _redirects lists the same addresses, each to its page`, () => {
    const { dir } = sites[name];
    const want = articles(dir, name).flatMap((a) => a.aliases.map((alias) => {
      const [from, query = ''] = alias.split('?');
      // Written as a request carries them: percent-encoded beyond ASCII.
      return [encodeURI(from), query, `${SITE}${encodeURI(a.page)}`].join(' ');
    })).sort();
    const got = redirects(dir).map((r) => r.join(' ')).sort();
    assert.deepEqual(got, want);
  });

  test(`${name}: the import report lists every post with its state and old addresses`, () => {
    const report = JSON.parse(fs.readFileSync(path.join(tmp, `${name}.import.json`), 'utf8'));
    assert.equal(report.generator, 'article-viewer-cli import');
    const slug = SOURCES[name][3];
    assert.deepEqual(report.posts.filter((p) => p.state === 'scheduled').map((p) => p.slug), [slug]);
    assert.equal(report.totals.imported, report.posts.length);
    assert.equal(report.totals.aliases, report.posts.reduce((n, p) => n + p.aliases.length, 0));
    // What the build redirects is what the report says came in, less the scheduled post's.
    const published = report.posts.filter((p) => p.state === 'published').flatMap((p) => p.aliases).sort();
    const built = articles(sites[name].dir, name).flatMap((a) => a.aliases).sort();
    assert.deepEqual(built, published);
    const md = fs.readFileSync(path.join(tmp, `${name}.import.md`), 'utf8');
    assert.match(md, new RegExp(`\\| \`articles/${slug}\\.json\` [^|]+ \\| scheduled \\|`));
  });

  test(`${name}: the scheduled post is absent until --now passes its time`, () => {
    const { dir, later } = sites[name];
    const slug = SOURCES[name][3];
    const listed = (d) => JSON.parse(fs.readFileSync(path.join(d, 'index.json'), 'utf8')).articles.some((s) => s.href === `articles/${slug}.json`);
    const inFeed = (d) => fs.readFileSync(path.join(d, 'feed.json'), 'utf8').includes(`articles/${slug}.html`);
    const inSitemap = (d) => fs.readFileSync(path.join(d, 'sitemap.xml'), 'utf8').includes(`articles/${slug}.html`);
    const inRedirects = (d) => redirects(d).some(([, , to]) => to.endsWith(`articles/${slug}.html`));
    for (const [d, present] of [[dir, false], [later, true]]) {
      assert.equal(fs.existsSync(path.join(d, `articles/${slug}.html`)), present, `${d}: page`);
      assert.equal(fs.existsSync(path.join(d, `articles/${slug}.json`)), present, `${d}: document`);
      assert.equal(listed(d), present, `${d}: index.json`);
      assert.equal(inFeed(d), present, `${d}: feed.json`);
      assert.equal(inSitemap(d), present, `${d}: sitemap.xml`);
      assert.equal(inRedirects(d), present, `${d}: _redirects`);
    }
  });
}

/** Opens `url`, clicks the body link named `text`, and checks the page it lands on. */
async function follows(url, text, pagePath, title) {
  const page = await openPage(browser.context);
  try {
    await page.goto(url);
    await page.waitForSelector('h1.av-title');
    const link = page.locator('.av-body a, article a').filter({ hasText: text }).first();
    assert.ok(await link.count(), `${url}: no link "${text}"`);
    await Promise.all([page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith(`/${pagePath}`), { timeout: 10000 }), link.click()]);
    await page.waitForSelector('h1.av-title');
    assert.equal(await page.locator('h1.av-title').innerText(), title, `${url} → ${text}`);
  } finally {
    await page.close();
  }
}

for (const [name, move] of Object.entries(MOVES)) {
  test(`${name}: links between posts open the other post's new page, over HTTP and from disk`, async () => {
    const { dir, server } = sites[name];
    const doc = (slug) => JSON.parse(fs.readFileSync(path.join(dir, 'articles', `${slug}.json`), 'utf8'));
    const title = (slug) => doc(slug).title;
    for (const [from, text, to] of [[move.from, move.link, move.to], move.back]) {
      await follows(`${server.url}/articles/${encodeURIComponent(from)}.html`, text, `articles/${to}.html`, title(to));
      await follows(pathToFileURL(path.join(dir, 'articles', `${from}.html`)).href, text, `articles/${to}.html`, title(to));
    }
    assert.equal(title(move.to), move.toTitle);
    // The documents say so too: the body's link is the page beside it.
    assert.ok(doc(move.from).body.includes(`](${move.to}.html)`), doc(move.from).body);
  });

  test(`${name}: pictures are served by the site, never asked of the old host`, async () => {
    const { dir, server } = sites[name];
    for (const rel of move.copied) assert.ok(fs.existsSync(path.join(dir, rel)), `${rel} not published`);
    for (const slug of [move.from, move.to]) {
      const page = await openPage(browser.context);
      const asked = [];
      page.on('request', (r) => asked.push(r.url()));
      try {
        await page.goto(`${server.url}/articles/${slug}.html`);
        await page.waitForSelector('h1.av-title');
        await page.waitForLoadState('networkidle');
        const imgs = await page.locator('img').evaluateAll((list) => list.map((i) => ({ src: i.currentSrc || i.src, w: i.naturalWidth })));
        const ours = imgs.filter((i) => i.src.startsWith(server.url));
        assert.ok(ours.length >= 1, `${slug}: ${JSON.stringify(imgs)}`);
        for (const i of ours) assert.ok(i.w > 0, `${i.src} did not load`);
        // The only requests to the old host are the pictures the report lists as missing.
        const old = asked.filter((u) => new URL(u).hostname.replace(/^www\./, '') === move.oldHost);
        for (const u of old) assert.ok(move.missing.includes(u), `${slug} asked the old host for ${u}`);
      } finally {
        await page.close();
      }
    }
  });

  test(`${name}: the import report lists the links and pictures left behind`, () => {
    const report = JSON.parse(fs.readFileSync(path.join(tmp, `${name}.import.json`), 'utf8'));
    const posts = report.posts;
    const all = (f) => posts.flatMap(f).sort();
    assert.equal(report.totals.links_rewritten, move.rewritten);
    assert.deepEqual(all((p) => p.links.left), [...move.left].sort());
    assert.equal(report.totals.links_left, move.left.length);
    const pics = (outcome) => all((p) => p.pictures.filter((x) => x.outcome === outcome).map((x) => x.src));
    assert.deepEqual(pics('remote'), [...move.remote].sort());
    assert.deepEqual(pics('missing'), [...move.missing].sort());
    assert.deepEqual([...new Set(all((p) => p.pictures.filter((x) => x.copy).map((x) => x.copy)))], [...move.copied].sort());
    assert.equal(report.totals.picture_files, move.copied.length);
    const md = fs.readFileSync(path.join(tmp, `${name}.import.md`), 'utf8');
    for (const l of move.left) assert.ok(md.includes(`<${l}>`), `${l} not in the Markdown report`);
    for (const m of move.missing) assert.match(md, new RegExp(`missing <${m.replace(/[.?]/g, '\\$&')}>`));
  });
}
