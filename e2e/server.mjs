// A small static server for the release build (dist/) plus test routes that misbehave on purpose:
// error statuses, stalls, wrong content types, non-UTF-8 bodies, oversized bodies, and documents
// that a test registers at run time. Used by the end-to-end tests and the benchmarks.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The release build served: dist/, or another copy named by AV_DIST (a build of one's own). */
export const DIST = process.env.AV_DIST ? path.resolve(process.env.AV_DIST) : path.resolve(here, '..', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain',
  '.webp': 'image/webp', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
};

/**
 * Starts a server on 127.0.0.1 (port 0 picks a free one). Returns { url, port, docs, hits,
 * failing, close }: `docs` serves given bodies at given paths, `failing` holds path prefixes
 * answered with 503 (a host or CDN failing part of a folder). `hold(path)`, when given, may
 * return a promise: the answer waits for it (a slow host, or answers sent out of order).
 */
export async function startServer({ root = DIST, port = 0, headers = {}, hold } = {}) {
  const docs = new Map(); // path -> { body, type, status, headers }
  const hits = new Map();
  const failing = new Set(); // path prefixes answered with 503
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = decodeURIComponent(url.pathname);
    hits.set(p, (hits.get(p) || 0) + 1);
    const send = (status, body, type = 'application/json', extra = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers, ...extra });
      res.end(body);
    };
    const held = hold?.(p);
    if (held) return held.then(() => answer(p, url, req, res, send), () => answer(p, url, req, res, send));
    answer(p, url, req, res, send);
  });
  function answer(p, url, req, res, send) {
    if (docs.has(p)) {
      const d = docs.get(p);
      return send(d.status || 200, d.body, d.type || 'application/json', d.headers || {});
    }
    if ([...failing].some((f) => p.startsWith(f))) return send(503, 'unavailable', 'text/plain');
    if (p.startsWith('/_test/')) return testRoute(p, url, req, res, send, hits);
    let file = path.join(root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root)) return send(403, 'forbidden', 'text/plain');
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return send(404, '<!doctype html><title>404</title><h1>Not Found</h1>', 'text/html');
    send(200, fs.readFileSync(file), TYPES[path.extname(file)] || 'application/octet-stream');
  }
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    docs,
    hits,
    failing,
    close: () => new Promise((ok) => { for (const s of sockets) s.destroy(); server.close(ok); }),
  };
}

/**
 * Serves the plain viewer page (`viewer.html`, kept by the publishing program; `index.html`
 * before a site is built) at `at`, changed by `edit`: a page with another configuration.
 */
export function viewerPage(server, at, edit = (html) => html) {
  const file = fs.existsSync(path.join(DIST, 'viewer.html')) ? 'viewer.html' : 'index.html';
  const html = fs.readFileSync(path.join(DIST, file), 'utf8');
  server.docs.set(at, { body: edit(html), type: 'text/html; charset=utf-8' });
}

/** `html` without its Content-Security-Policy: tests that must see what a page without one would run. */
export const withoutCsp = (html) => html.replace(/<meta[^>]*Content-Security-Policy[^>]*>/i, '');

function testRoute(p, url, req, res, send, hits) {
  const status = p.match(/^\/_test\/status\/(\d{3})$/);
  if (status) return send(+status[1], `<!doctype html><h1>${status[1]}</h1>`, 'text/html');
  switch (p) {
    case '/_test/invalid.json': return send(200, '{"id": "broken", "title": "잘린 문서", "body": "본문');
    case '/_test/no-title.json': return send(200, JSON.stringify({ id: 'no-title', body: '제목이 없는 문서' }));
    case '/_test/array.json': return send(200, '[1, 2, 3]');
    case '/_test/html-page': return send(200, '<!doctype html><html><body><h1>Welcome</h1></body></html>', 'text/html');
    case '/_test/latin1.json': return send(200, Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    case '/_test/stall': return; // never answers
    case '/_test/stall-body':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.write('{"id": "slow", ');
    case '/_test/too-big.json': {
      const n = 49 * 1024 * 1024;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': n });
      return res.end(Buffer.alloc(n, 0x20));
    }
    case '/_test/redirect': {
      // An open redirect on the site's own origin: sends the reader wherever `to` says.
      res.writeHead(302, { location: url.searchParams.get('to') || '/', 'cache-control': 'no-store' });
      return res.end();
    }
    case '/_test/flaky.json':
      // Fails the first time, works after: proves the retry button retries.
      if ((hits.get(p) || 0) <= 1) return send(503, 'busy', 'text/plain');
      return send(200, JSON.stringify({ id: 'flaky', title: '두 번째에 열린 기사', language: 'ko', body: '다시 시도하니 열렸다.' }));
    default:
      return send(404, 'no such test route', 'text/plain');
  }
}

// `node e2e/server.mjs [port]` serves dist/ for manual checks and benchmarks.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const s = await startServer({ port: +(process.argv[2] || 8081) });
  console.log(`serving ${DIST} at ${s.url}`);
}
