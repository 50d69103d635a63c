// Bring an archive in, publish it, read it: `article-viewer-cli import` on the Ghost and
// Markdown fixtures, every document checked against the JSON Schema, `build` into a copy of
// the release build, and the viewer rendering an imported post with no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';
import { CLI, runCli } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The release build of the viewer (`trunk build --release`); AV_DIST points elsewhere.
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const FIXTURES = path.join(root, 'crates/import/tests/fixtures/import');

const run = runCli;

/** The documents of a content folder (hidden files, such as the import's own manifest, are not
 * documents; nor are the import reports written beside each folder, `<out>.import.json`). */
function jsonFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && !e.name.endsWith('.import.json')).flatMap((e) =>
    e.isDirectory() ? jsonFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []);
}

let tmp, site, server, browser;

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-import-e2e-'));
  run(['import', 'ghost', path.join(FIXTURES, 'ghost/ghost-5.json'), '--out', path.join(tmp, 'ghost'), '--site', 'https://newsroom.example/']);
  run(['import', 'markdown', path.join(FIXTURES, 'markdown'), '--out', path.join(tmp, 'markdown'), '--site', 'https://site.example/']);
  for (const [kind, input] of [['jsonfeed', 'jsonfeed/feed-1.1.json'], ['feed', 'feed/rss.xml'], ['feed', 'feed/atom.xml'], ['wordpress', 'wordpress/wxr-1.2.xml']]) {
    run(['import', kind, path.join(FIXTURES, input), '--out', path.join(tmp, 'other', path.basename(input))]);
  }
  // Publish both into copies of the release build (viewer.html, when present, is the template).
  for (const name of ['ghost', 'markdown']) {
    fs.cpSync(DIST, path.join(tmp, `site-${name}`), { recursive: true });
    run(['build', '--content', path.join(tmp, name), '--dist', path.join(tmp, `site-${name}`), '--site', 'https://news.example/']);
  }
  site = path.join(tmp, 'site-ghost');
  server = { ghost: await startServer({ root: site }), markdown: await startServer({ root: path.join(tmp, 'site-markdown') }) };
  browser = await launch();
  // The fixtures' own images live on hosts that do not exist here: answer them with a picture
  // so that a failed load is not mistaken for a viewer error.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await browser.context.route((url) => !url.hostname.startsWith('127.0.0.1'), (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: png }));
});

after(async () => {
  await browser?.close();
  await server?.ghost?.close();
  await server?.markdown?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('every imported document is valid against the schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema/article-viewer.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const files = ['ghost', 'markdown', 'other'].flatMap((d) => jsonFiles(path.join(tmp, d)));
  assert.ok(files.length >= 26, `${files.length} documents`);
  for (const f of files) {
    assert.ok(validate(JSON.parse(fs.readFileSync(f, 'utf8'))), `${path.relative(tmp, f)}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('an imported Ghost post renders as the seed article did, with no console error', async () => {
  const page = await openPage(browser.context);
  await page.goto(`${server.ghost.url}/articles/openai-oracle-partnership.html`);
  await page.waitForSelector('.av-article');
  await page.waitForLoadState('load');
  assert.equal(await page.locator('h1.av-title').innerText(), '인공지능 강자 오픈AI, 옛 강자 오라클과 손 잡다');
  assert.equal(await page.locator('.av-article').getAttribute('lang'), 'ko');
  assert.match(await page.locator('.av-header time.av-published').innerText(), /^2025\.09\.12 09:00$/);
  assert.equal(await page.locator('.av-pick-items > li').count(), 3);
  assert.match(await page.locator('.av-hero figcaption').innerText(), /Photo by Nik \/ Unsplash/);
  assert.match(await page.locator('.av-body figure.av-figure figcaption').first().innerText(), /\[자료: 오라클\]/);
  const tip = page.locator('.av-body .av-callout-tip');
  assert.equal(await tip.count(), 1);
  assert.match(await tip.locator('.av-callout-title').innerText(), /여기서 잠깐!/);
  assert.ok(await page.locator('.av-related .av-card').count() >= 1);
  assert.equal(await page.locator('.av-body script, .av-body iframe').count(), 0);
  // The published article page is HTML (no app): the pick box folds natively.
  assert.notEqual(await page.locator('details.av-pick').getAttribute('open'), null);
  await page.locator('.av-pick-toggle').click();
  await page.waitForSelector('details.av-pick:not([open])');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the imported collection lists every post, and a card opens its article', async () => {
  const page = await openPage(browser.context);
  const missing = [];
  page.on('response', (r) => { if (r.status() === 404) missing.push(new URL(r.url()).pathname); });
  await page.goto(`${server.ghost.url}/`);
  await page.waitForSelector('[data-ready]', { timeout: 15000 });
  await page.waitForSelector('.av-collection .av-card');
  assert.equal(await page.locator('.av-collection .av-card').count(), 5);
  await page.locator('.av-card-link', { hasText: '토렌트, OSINT로서의 가치 충분' }).click();
  await page.waitForSelector('h1.av-title:has-text("토렌트")');
  assert.ok(await page.locator('.av-body h2').count() >= 1);
  // No failed load (the icon's address stays put as the app moves between pages) and no
  // console error.
  assert.deepEqual(missing, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a Markdown post keeps its own images after publishing', async () => {
  const page = await openPage(browser.context);
  await page.goto(`${server.markdown.url}/articles/openai-oracle.html`);
  await page.waitForSelector('.av-article .av-body figure img');
  const sizes = await page.locator('.av-hero img, .av-body figure img').evaluateAll(async (imgs) =>
    Promise.all(imgs.map(async (img) => {
      img.loading = 'eager';
      await img.decode().catch(() => {});
      return { src: img.getAttribute('src'), width: img.naturalWidth };
    })));
  assert.ok(sizes.length >= 3, JSON.stringify(sizes));
  for (const s of sizes.filter((s) => !s.src.startsWith('http'))) assert.ok(s.width > 0, `${s.src} did not load`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
