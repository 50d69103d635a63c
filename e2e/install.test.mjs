// One program to install: `cargo install --path cli` into a temporary root, then, with a PATH
// holding only that root's bin/, the Rust toolchain and a few system tools (no trunk,
// wasm-bindgen, wasm-opt or node: checked), `new` writes a starter site and `build --out`
// publishes it with the viewer the program carries. The published folder is served and read in
// Chromium: the article page, the listing's search (the carried app and its wasm), the site's
// navigation from site.toml, robots.txt and 404.html.
//
// To extend (another command of the installed program): `run(args)` runs it with that PATH in
// the temporary folder; `work` is that folder, `site` the starter site, `out` its build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The toolchain's own bin/ (cargo, rustc), not ~/.cargo/bin, where trunk and wasm-bindgen live. */
const TOOLCHAIN = path.join(execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim(), 'bin');
/** What cargo and the linker call besides the toolchain; node, npm and the wasm tools are not here. */
const SYSTEM_TOOLS = ['sh', 'bash', 'cc', 'gcc', 'ld', 'ld.bfd', 'as', 'ar', 'env', 'cat', 'ls', 'rm', 'mkdir', 'uname'];
const ABSENT = ['trunk', 'wasm-bindgen', 'wasm-opt', 'node', 'npm', 'npx'];

let work, env, server, browser;
const site = () => path.join(work, 'mysite');
const out = () => path.join(work, 'public');

/** Runs the installed program (or any command) with the bare PATH, in the temporary folder. */
export function run(args, options = {}) {
  return execFileSync(args[0], args.slice(1), { cwd: work, env, encoding: 'utf8', stdio: 'pipe', ...options });
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'av-install-'));
  const system = path.join(work, 'system-bin');
  fs.mkdirSync(system);
  for (const tool of SYSTEM_TOOLS) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
    if (found) fs.symlinkSync(found, path.join(system, tool));
  }
  const root = path.join(work, 'root');
  env = {
    PATH: [path.join(root, 'bin'), TOOLCHAIN, system].join(':'),
    HOME: process.env.HOME, // cargo's registry cache (no download: --offline)
    CARGO_HOME: process.env.CARGO_HOME || path.join(process.env.HOME, '.cargo'),
    LANG: 'C.UTF-8',
  };
  // Built into the repository's target/, as `cargo build --release -p article-viewer-cli` does,
  // so an up-to-date build is reused rather than made again from nothing.
  run(['cargo', 'install', '--path', path.join(ROOT, 'cli'), '--root', root, '--target-dir', path.join(ROOT, 'target'),
    '--locked', '--offline', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = null;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the PATH has the installed program and Rust, and none of the viewer build tools', () => {
  const where = (name) => run(['sh', '-c', `command -v ${name} || true`]).trim();
  for (const tool of ABSENT) assert.equal(where(tool), '', `${tool} is on the PATH`);
  assert.equal(where('article-viewer-cli'), path.join(work, 'root', 'bin', 'article-viewer-cli'));
  assert.equal(where('cargo'), path.join(TOOLCHAIN, 'cargo'));
});

test('new writes a starter site, and refuses a folder with anything in it', () => {
  const said = run(['article-viewer-cli', 'new', 'mysite']);
  assert.match(said, /wrote a starter site of 5 files into mysite/);
  for (const f of ['site.toml', 'index.json', 'articles/first-post.json', 'README.md']) {
    assert.ok(fs.statSync(path.join(site(), f)).isFile(), f);
  }
  assert.throws(() => run(['article-viewer-cli', 'new', 'mysite']), /not empty; nothing was written/);
  assert.match(run(['article-viewer-cli', 'check', 'mysite']), /0 refused/);
});

test('build --out publishes the whole site with the carried viewer, and builds again over it', () => {
  // No --site: base_url comes from site.toml.
  // The front page, the article, and a page for each of its two tags and its author.
  assert.match(run(['article-viewer-cli', 'build', '--content', 'mysite', '--out', 'public']), /published 5 pages/);
  for (const f of ['index.html', 'viewer.html', 'articles/first-post.html', 'tags/안내/index.html', 'tags/시작하기/index.html',
    'authors/편집부/index.html', 'site.css', 'sitemap.xml', 'feed.atom', '404.html', 'robots.txt', '_headers']) {
    assert.ok(fs.statSync(path.join(out(), f)).isFile(), f);
  }
  assert.ok(fs.readdirSync(out()).some((f) => f.endsWith('_bg.wasm')), 'the app');
  assert.ok(!fs.existsSync(path.join(out(), 'site.toml')) && !fs.existsSync(path.join(out(), 'README.md')));
  assert.equal(fs.readFileSync(path.join(out(), 'robots.txt'), 'utf8'), 'User-agent: *\nAllow: /\n\nSitemap: https://example.com/sitemap.xml\n');
  // A second build replaces its own output; a file it did not write stops it, untouched.
  run(['article-viewer-cli', 'build', '--content', 'mysite', '--out', 'public']);
  fs.writeFileSync(path.join(out(), 'mine.txt'), 'not the program\'s');
  assert.throws(() => run(['article-viewer-cli', 'build', '--content', 'mysite', '--out', 'public']), /mine\.txt is not written by `build`/);
  assert.equal(fs.readFileSync(path.join(out(), 'mine.txt'), 'utf8'), 'not the program\'s');
  fs.rmSync(path.join(out(), 'mine.txt'));
});

test('the published site reads and searches in Chromium', async () => {
  server = await startServer({ root: out() });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openPage(context);

  await page.goto(`${server.url}/articles/first-post.html`);
  assert.equal(await page.locator('h1.av-title').innerText(), '우리 동네 소식지를 시작합니다');
  assert.ok(await page.locator('.av-body p').count() >= 3, 'the body');
  assert.equal(await page.locator('.av-site-nav .av-site-links a').innerText(), '전체 기사');
  assert.ok(await page.locator('.av-site-logo img').evaluate((i) => i.decode().then(() => i.naturalWidth > 0)), 'the logo');

  await page.locator('.av-site-nav .av-site-links a').click();
  await page.waitForSelector('.av-collection .av-search');
  const titles = () => page.locator('.av-collection .av-card-title').allInnerTexts();
  await page.locator('.av-search').fill('없는낱말');
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length === 0);
  await page.locator('.av-search').fill('소식지');
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length === 1);
  assert.deepEqual(await titles(), ['우리 동네 소식지를 시작합니다']);
  assert.equal(await page.locator('.av-card-title mark').first().innerText(), '소식지');

  await page.goto(`${server.url}/404.html`);
  assert.equal(await page.locator('h1').innerText(), '페이지를 찾을 수 없습니다');
  assert.deepEqual(page.problems, []);
  await context.close();
});

// The site's navigation comes before the viewer on the page, so a skip link inside the viewer is
// not the page's first link: axe then wants it inside a landmark (the site header), else `region`.
test('axe-core finds no violation on the starter site, its navigation and footer links included', async () => {
  for (const scheme of ['light', 'dark']) {
    // axe is added by the test itself, past the page's own policy.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, colorScheme: scheme });
    const page = await openPage(context);
    for (const rel of ['index.html', 'articles/first-post.html', '404.html']) {
      await page.goto(`${server.url}/${rel}`);
      if (rel === 'index.html') await page.locator('.av-app[data-ready]').waitFor();
      assert.equal(await page.locator('.av-site-links-footer a').count(), 1, `${rel}: the footer link`);
      const found = await axeViolations(page);
      assert.deepEqual(found, [], `${rel} (${scheme})`);
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});
