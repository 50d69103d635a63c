// Every way loading can fail shows its own message in the page, says where, and offers a retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, viewerPage } from './server.mjs';
import { launch, openPage } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The plain viewer page with one configuration meta tag set, served at `at`. An allowed origin
 *  is added to the page's Content-Security-Policy too (connect-src), as a site owner does. */
function configuredPage(at, name, content) {
  viewerPage(server, at, (html) => {
    const out = html.replace(new RegExp(`<meta[^>]*article-viewer:${name}[^>]*>`), `<meta name="article-viewer:${name}" content="${content}">`);
    assert.ok(out.includes(`article-viewer:${name}" content="${content}"`), `no ${name} meta in the viewer page`);
    return name === 'allowed-origins' ? out.replace("connect-src 'self'", `connect-src 'self' ${content}`) : out;
  });
}

async function failure(src) {
  const page = await openPage(browser.context);
  await page.goto(`${server.url}/?src=${encodeURIComponent(src)}`);
  const alert = page.locator('.av-error[role=alert]');
  await alert.waitFor({ timeout: 15000 });
  return { page, message: await alert.locator('.av-error-message').innerText(), where: await alert.locator('.av-error-where').innerText() };
}

const CASES = [
  ['a missing document', 'samples/nope.json', /^문서를 찾을 수 없습니다 \(HTTP 404/],
  ['a server error', '/_test/status/500', /^서버가 오류로 응답했습니다 \(HTTP 500/],
  ['invalid JSON', '/_test/invalid.json', /^문서를 읽을 수 없습니다: invalid JSON: the document ends too early/],
  ['a document without title', '/_test/no-title.json', /^문서를 읽을 수 없습니다: title: missing$/],
  ['an HTML page instead of JSON', '/_test/html-page', /not JSON: it looks like an HTML page/],
  ['a root that is not an object', '/_test/array.json', /must be a JSON object, found an array/],
  ['a non-UTF-8 body', '/_test/latin1.json', /UTF-8/],
  ['a body over the limit', '/_test/too-big.json', /너무 큽니다 \(49 MB\)/],
  ['another origin', 'https://evil.example/a.json', /https:\/\/evil\.example의 문서를 열도록 허용하지 않았습니다/],
  ['a javascript: URL', 'javascript:alert(1)', /http\(s\) 주소의 문서만/],
];

for (const [name, src, want] of CASES) {
  test(`${name} shows its own message`, async () => {
    const { page, message, where } = await failure(src);
    assert.match(message, want);
    assert.ok(where.length > 0, 'the message says where');
    assert.equal(await page.locator('.av-error button.av-retry').count(), 1);
    // Nothing is left half-broken: the page still answers clicks.
    await page.locator('.av-retry').click();
    await page.locator('.av-error').waitFor();
    const others = page.problems.filter((p) => !/Failed to load resource/.test(p));
    assert.deepEqual(others, []);
    await page.close();
  });
}

test('retry retries', async () => {
  const { page, message } = await failure('/_test/flaky.json');
  assert.match(message, /HTTP 503/);
  await page.locator('.av-retry').click();
  await page.locator('h1.av-title').waitFor();
  assert.equal(await page.locator('h1.av-title').innerText(), '두 번째에 열린 기사');
  await page.close();
});

test('a server that never answers times out with a message', async () => {
  // The page's own configuration sets a 2-second limit, so the test does not wait the default.
  configuredPage('/short-timeout.html', 'timeout', '2');
  for (const stall of ['/_test/stall', '/_test/stall-body']) {
    const page = await openPage(browser.context);
    const started = Date.now();
    await page.goto(`${server.url}/short-timeout.html?src=${stall}`);
    await page.locator('.av-error').waitFor({ timeout: 10000 });
    assert.match(await page.locator('.av-error-message').innerText(), /^서버가 2초 안에 응답하지 않았습니다\.$/);
    assert.ok(Date.now() - started < 8000);
    await page.close();
  }
});

test('an origin the site owner allows is loaded; others still are not', async () => {
  const other = await startServer({ headers: { 'access-control-allow-origin': '*' } });
  try {
    configuredPage('/allowing.html', 'allowed-origins', other.url);
    const page = await openPage(browser.context);
    await page.goto(`${server.url}/allowing.html?src=${encodeURIComponent(`${other.url}/samples/articles/hbm-yield.json`)}`);
    await page.locator('h1.av-title').waitFor({ timeout: 15000 });
    assert.match(await page.locator('h1.av-title').innerText(), /HBM4/);
    await page.goto(`${server.url}/allowing.html?src=${encodeURIComponent('http://127.0.0.2:9/a.json')}`);
    assert.match(await page.locator('.av-error-message').innerText(), /허용하지 않았습니다/);
    await page.close();
  } finally {
    await other.close();
  }
});
