// `article-viewer-cli serve` in Chromium: the preview of a copy of the samples, an open article
// page following an edit of its title without a reload by hand, a broken document shown over
// the open page (naming the file and the place) while the last good page stays, and the page
// recovering when the document is fixed. Also the listing page following an edit of the
// collection. The port is any free one (`--port 0`; serve prints its address).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
const ARTICLE = 'articles/hbm-yield.json';

let work, content, serve, base, browser, output = '';

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'av-serve-'));
  content = path.join(work, 'content');
  fs.cpSync(path.join(ROOT, 'static', 'samples'), content, { recursive: true });
  serve = spawn(CLI, ['serve', '--content', content, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  serve.stderr.on('data', (d) => { output += d; });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30000);
    serve.stdout.on('data', (d) => {
      output += d;
      const m = output.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    serve.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  serve?.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

const edit = (rel, change) => {
  const file = path.join(content, rel);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
};

test('an edited title shows in the open page; a broken document is shown, then recovers', async () => {
  const context = await browser.newContext();
  const page = await openPage(context);
  await page.goto(new URL('articles/hbm-yield.html', base).href);
  const title = page.locator('h1').first();
  await assert.doesNotReject(title.waitFor());
  assert.match(await title.textContent(), /HBM4 양산 앞둔/);
  // The reload script is listening before the edit.
  await page.waitForFunction(() => document.documentElement.dataset.avServe === 'open');
  const original = fs.readFileSync(path.join(content, ARTICLE), 'utf8');

  edit(ARTICLE, (t) => t.replace('"title": "HBM4 양산 앞둔', '"title": "고친 제목, HBM4 양산 앞둔'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('고친 제목'), null, { timeout: 10000 });
  assert.match(await page.title(), /고친 제목/);

  fs.writeFileSync(path.join(content, ARTICLE), '{\n  "title": "깨진 문서",\n  "body": 잘못\n}\n');
  const overlay = page.locator('#av-serve-error');
  await overlay.waitFor({ timeout: 10000 });
  const said = await overlay.textContent();
  assert.match(said, /hbm-yield\.json/);
  assert.match(said, /line 3, column \d+/);
  // The last good page stays under the message.
  assert.match(await page.locator('h1').first().textContent(), /고친 제목/);
  // A page opened while the document is broken shows the message too.
  const other = await openPage(context);
  await other.goto(new URL('articles/passkey-phishing.html', base).href);
  await other.locator('#av-serve-error').waitFor({ timeout: 10000 });

  fs.writeFileSync(path.join(content, ARTICLE), original.replace('"title": "HBM4 양산 앞둔', '"title": "되살린 HBM4 양산 앞둔'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('되살린'), null, { timeout: 10000 });
  assert.equal(await page.locator('#av-serve-error').count(), 0);
  await other.waitForFunction(() => !document.querySelector('#av-serve-error'), null, { timeout: 10000 });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an edit of the collection shows in the open listing page', async () => {
  const context = await browser.newContext();
  const page = await openPage(context);
  await page.goto(base);
  await page.locator('.av-card').first().waitFor();
  await page.waitForFunction(() => document.documentElement.dataset.avServe === 'open');
  edit('index.json', (t) => t.replace('"title": "스마트폰 속 AI', '"title": "목록에서 고친 스마트폰 속 AI'));
  await page.waitForFunction(() => document.body.textContent.includes('목록에서 고친'), null, { timeout: 10000 });
  assert.deepEqual(page.problems, []);
  await context.close();
});
