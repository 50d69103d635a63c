// Highlighted code (issue 21, part 4) on a site built with `build --out` (the carried viewer)
// from the samples and a story with code in several languages: token spans coloured
// differently, and differently in light and dark (the reader's setting and data-theme), the
// highlight stylesheet linked only from pages with code, code that looks like markup staying
// text, the page's policy unbroken, and axe-core with no violation in either scheme.
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
const SITE = 'https://news.example/';
const CODE_PAGE = 'articles/code-notes.html';
/** Pages with code blocks that have a language, and pages without. */
const WITH_CODE = [CODE_PAGE, 'articles/kitchen-sink.html', 'articles/passkey-phishing.html'];
const WITHOUT_CODE = ['articles/ondevice-ai-phone.html', 'articles/plain-notes.html', 'index.html'];

const fence = (lang, code) => `\`\`\`${lang}\n${code}\n\`\`\``;
const BODY = [
  '개발 노트: 여러 언어의 코드.',
  fence('rust', '// 주석\nfn main() {\n    let n: u32 = 42;\n    println!("안녕 {n}");\n}'),
  fence('ts', "export const greet = (name: string) => `hi ${name}`; // 인사\nconst n = 3.14;"),
  fence('sh', 'for f in *.json; do\n  echo "$f" # 파일\ndone'),
  fence('py', 'def area(r):\n    """넓이"""\n    return 3.14 * r ** 2'),
  fence('yml', 'name: 빌드 # 설정\nsteps:\n  - run: cargo test\n    retries: 2'),
  fence('diff', '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old line\n+new line'),
  fence('html', '<script>window.__ran = true</script>\n<img src=x onerror="window.__ran = true">\n<p class="note">&amp; 글</p>'),
  fence('klingon', "qapla' <b>batlh</b>"),
].join('\n\n');

let tmp, siteDir, server, browser;

const run = runCli;

function writeContent(dir) {
  fs.cpSync(path.join(root, 'static/samples'), dir, { recursive: true });
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const stories = [
    { id: 'code-notes', title: '개발 노트', published: '2025-06-01T09:00:00+09:00', body: BODY },
    { id: 'plain-notes', title: '코드 없는 글', published: '2025-06-02T09:00:00+09:00', body: '본문에 `인라인 코드`만 있다.' },
  ];
  for (const s of stories) {
    fs.writeFileSync(path.join(dir, 'articles', `${s.id}.json`), JSON.stringify(s));
    index.articles.push({ id: s.id, title: s.title, published: s.published, href: `articles/${s.id}.json` });
  }
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index, null, 2));
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-highlight-e2e-'));
  const content = path.join(tmp, 'content');
  writeContent(content);
  siteDir = path.join(tmp, 'site');
  run(['build', '--content', content, '--out', siteDir, '--site', SITE, '--now', '2030-01-01T00:00:00Z', '--no-picture-copies']);
  server = await startServer({ root: siteDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const http = (rel) => `${server.url}/${rel}`;

async function pageIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await openPage(context);
  // Every violation of the page's policy, whether or not the console reports it.
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, close: () => context.close() };
}

/** The highlight stylesheets a page links. */
const highlightLinks = (page) =>
  page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => l.getAttribute('href')).filter((h) => h.includes('highlight.css')));

/** The computed colour of the first token of each class, and of the code's plain text. */
const tokenColours = (page) =>
  page.evaluate(() => {
    const colour = (el) => (el ? getComputedStyle(el).color : null);
    const out = { plain: colour(document.querySelector('.av-body pre code')) };
    for (const c of ['c', 'k', 's', 'n', 'f', 't', 'a', 'i', 'd']) out[c] = colour(document.querySelector(`.av-body pre .av-hl-${c}`));
    return out;
  });

test('the stylesheet is written once and linked only from pages with highlighted code', async () => {
  const files = fs.readdirSync(siteDir).filter((f) => f.startsWith('highlight'));
  assert.deepEqual(files, ['highlight.css']);
  for (const rel of WITH_CODE) {
    const html = fs.readFileSync(path.join(siteDir, rel), 'utf8');
    assert.match(html, /<link rel="stylesheet" href="\.\.\/highlight\.css\?v=[0-9a-f]{16}">/, rel);
    assert.match(html, /<span class="av-hl-[a-z]">/, rel);
  }
  for (const rel of WITHOUT_CODE) {
    const html = fs.readFileSync(path.join(siteDir, rel), 'utf8');
    assert.ok(!html.includes('highlight.css') && !html.includes('av-hl-'), `${rel} has no highlighting`);
  }
  const css = await fetch(http('highlight.css'));
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
});

test('tokens are coloured, differently in light and in dark, and markup in code stays text', async () => {
  const seen = {};
  for (const scheme of ['light', 'dark']) {
    const { page, close } = await pageIn({ colorScheme: scheme });
    try {
      await page.goto(http(CODE_PAGE));
      assert.equal((await highlightLinks(page)).length, 1);
      const colours = await tokenColours(page);
      for (const [c, value] of Object.entries(colours)) assert.ok(value, `${scheme}: a .av-hl-${c} token`);
      const distinct = new Set(['plain', 'c', 'k', 's', 'n', 'f', 't'].map((c) => colours[c]));
      assert.equal(distinct.size, 7, `${scheme}: ${JSON.stringify(colours)}`);
      seen[scheme] = colours;
      // The HTML block is shown as text; none of it ran or became an element.
      const html = page.locator('.av-body pre code.language-html');
      assert.match(await html.textContent(), /^<script>window\.__ran = true<\/script>\n<img src=x onerror=/);
      assert.equal(await html.locator('script, img, p').count(), 0);
      assert.equal(await page.evaluate(() => window.__ran), undefined);
      // An unknown language is plain text, as written.
      const unknown = page.locator('.av-body pre code.language-klingon');
      assert.equal(await unknown.textContent(), "qapla' <b>batlh</b>\n");
      assert.equal(await unknown.locator('span').count(), 0);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  }
  for (const c of ['c', 'k', 's', 'n', 'f', 't', 'a', 'i', 'd']) {
    assert.notEqual(seen.light[c], seen.dark[c], `.av-hl-${c} differs between the schemes`);
  }
});

test("the site's data-theme chooses the colours over the reader's setting", async () => {
  const { page, close } = await pageIn({ colorScheme: 'light' });
  try {
    await page.goto(http(CODE_PAGE));
    const light = await tokenColours(page);
    await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
    const dark = await tokenColours(page);
    assert.notEqual(dark.k, light.k);
    assert.notEqual(dark.s, light.s);
  } finally {
    await close();
  }
});

test('from disk, the page finds its stylesheet too', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(pathToFileURL(path.join(siteDir, 'articles/kitchen-sink.html')).href);
    const colours = await tokenColours(page);
    assert.ok(colours.k && colours.k !== colours.plain, JSON.stringify(colours));
  } finally {
    await close();
  }
});

test('axe-core finds no violation on pages with code, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    // axe is added by the test itself, past the page's own policy.
    const { page, close } = await pageIn({ bypassCSP: true, colorScheme: scheme });
    try {
      for (const rel of WITH_CODE) {
        await page.goto(http(rel));
        assert.deepEqual(await axeViolations(page), [], `${rel} (${scheme})`);
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  }
});
