// A move that loses nothing: a Ghost export and a WordPress export (the theme-unit-test shape,
// https namespaces) imported and built; every old address of every post, requested from the
// built site over HTTP and opened from disk (file://), leads to the post's new page;
// `_redirects` lists the same addresses; the import report says what came in; scheduled
// posts stay out until `--now` passes their time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.AV_CLI || path.join(root, 'target/release/article-viewer-cli');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const FIXTURES = path.join(root, 'crates/import/tests/fixtures/import');
const SITE = 'https://news.example/';
// Before either fixture's scheduled post (2036-09-01 and 2036-09-30), and after both.
const BEFORE = '2030-01-01T00:00:00Z';
const AFTER = '2037-01-01T00:00:00Z';

const SOURCES = {
  ghost: ['ghost', 'ghost/ghost-5.json', ['--site', 'https://newsroom.example/'], 'scheduled'],
  wordpress: ['wordpress', 'wordpress/theme-unit-test.xml', [], 'autumn-regatta'],
};

function run(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `${args.join(' ')}\n${r.stderr}`);
  return r;
}

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
