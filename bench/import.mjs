// Import benchmark: generates a WordPress export (WXR 1.2) and a Ghost export of N posts
// (default 10,000; seeded, mostly Korean, with tags, authors, featured images, figures,
// callouts and an Editor's Pick in some), runs the release `article-viewer-cli import` on
// each, and prints wall time, the child's CPU time (user + system, which a busy machine
// inflates less than wall time) and its peak memory (VmHWM), both sampled from /proc.
// Not a timed test: it only reports.
//
//   cargo build --release -p article-viewer-cli
//   node bench/import.mjs [posts]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.AV_CLI || path.join(root, 'target/release/article-viewer-cli');
const N = +(process.argv[2] || 10000);

// mulberry32: a small seeded generator, so every run imports the same archive.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20250912);
const pick = (list) => list[Math.floor(rand() * list.length)];
const WORDS = ['인공지능', '클라우드', '반도체', '데이터센터', '오라클', '오픈AI', '전력', '수율', '보안', '취약점',
  '스타트업', '투자', '플랫폼', '스마트폰', '온디바이스', '모델', '서버', '규제', '개인정보', '네트워크', '기업', '시장',
  '경쟁', '발표', '계약', '성장', '인프라', '엔지니어', '개발자', '서비스', 'AI', 'GPU', 'HBM', 'API', 'SaaS'];
const ENDINGS = ['했다.', '밝혔다.', '전망이다.', '보인다.', '나타났다.', '것으로 알려졌다.', '설명했다.'];
const TAGS = Array.from({ length: 60 }, (_, i) => (i < 45 ? `${WORDS[i % WORDS.length]}${i >= WORDS.length ? ' ' + i : ''}` : `topic-${i}`));
const AUTHORS = ['김서연', '박준호', '이수민', '최민준', '정하은', '문가용', '강지훈', '윤서아', '장도윤', '임지우',
  '한예린', '오태윤', '서지민', '신유진', '권민재', '황수아', '안도현', '송하린', '전우진', 'Alex Kim'];
const sentence = () => {
  const n = 6 + Math.floor(rand() * 10);
  return Array.from({ length: n }, () => pick(WORDS)).join(' ') + ' ' + pick(ENDINGS);
};
const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 4) }, sentence).join(' ');
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function bodyHtml(i) {
  const parts = [];
  if (i % 3 === 0) {
    parts.push(`<div class="kg-card kg-callout-card kg-callout-card-grey"><div class="kg-callout-emoji">💡</div><div class="kg-callout-text"><b><strong>Editor's Pick</strong></b><br>- ${sentence()}<br>- ${sentence()}<br>- ${sentence()}</div></div>`);
  }
  for (let p = 0; p < 6; p++) {
    parts.push(`<p>${esc(paragraph())} <a href="/tag/${p}/">${pick(WORDS)}</a></p>`);
    if (p === 2) parts.push(`<h2>${esc(sentence())}</h2>`);
    if (p === 3) parts.push(`<figure class="wp-block-image"><img src="/uploads/${i}/chart-${p}.png" alt="${pick(WORDS)} 차트"><figcaption>${esc(sentence())} [자료: ${pick(WORDS)}]</figcaption></figure>`);
    if (p === 4 && i % 5 === 0) parts.push(`<div class="kg-card kg-callout-card"><div class="kg-callout-emoji">💡</div><div class="kg-callout-text"><b><strong>여기서 잠깐!</strong></b><br>${esc(paragraph())}</div></div>`);
  }
  return parts.join('\n');
}

function date(i) {
  const t = Date.UTC(2015, 0, 1) + Math.floor((i / N) * 10 * 365 * 86400e3) + Math.floor(rand() * 86400e3);
  return new Date(t);
}
const sqlDate = (d) => d.toISOString().slice(0, 19).replace('T', ' ');

function writeWxr(file) {
  const out = fs.createWriteStream(file);
  out.write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>벤치마크 블로그</title><link>https://bench.example</link><language>ko-KR</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example</wp:base_blog_url>
`);
  AUTHORS.forEach((name, a) => out.write(`<wp:author><wp:author_id>${a + 1}</wp:author_id><wp:author_login><![CDATA[user${a}]]></wp:author_login><wp:author_email><![CDATA[user${a}@bench.example]]></wp:author_email><wp:author_display_name><![CDATA[${name}]]></wp:author_display_name></wp:author>\n`));
  for (let i = 0; i < N; i++) {
    const d = date(i);
    const local = new Date(d.getTime() + 9 * 3600e3);
    const tags = [pick(TAGS), pick(TAGS), pick(TAGS)];
    out.write(`<item><title><![CDATA[${sentence()}]]></title><link>https://bench.example/${i}/</link>
<dc:creator><![CDATA[user${i % AUTHORS.length}]]></dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph -->
${bodyHtml(i)}
<!-- /wp:paragraph -->]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>${i + 1}</wp:post_id><wp:post_date><![CDATA[${sqlDate(local)}]]></wp:post_date><wp:post_date_gmt><![CDATA[${sqlDate(d)}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[${encodeURIComponent(`${pick(WORDS)}-${i}`).toLowerCase()}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
${tags.map((t) => `<category domain="post_tag" nicename="${encodeURIComponent(t)}"><![CDATA[${t}]]></category>`).join('')}
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[${N + i + 1}]]></wp:meta_value></wp:postmeta>
</item>
`);
  }
  for (let i = 0; i < N; i++) {
    out.write(`<item><title>cover-${i}</title><wp:post_id>${N + i + 1}</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://bench.example/uploads/${i}/cover.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>${pick(WORDS)} 사진</wp:meta_value></wp:postmeta></item>\n`);
  }
  out.write('</channel>\n</rss>\n');
  return new Promise((ok) => out.end(ok));
}

function writeGhost(file) {
  const out = fs.createWriteStream(file);
  out.write('{"db":[{"meta":{"exported_on":1757660400000,"version":"5.96.0"},"data":{"posts":[\n');
  for (let i = 0; i < N; i++) {
    const d = date(i).toISOString();
    out.write((i ? ',\n' : '') + JSON.stringify({
      id: `p${String(i).padStart(23, '0')}`, uuid: `u${i}`, title: sentence(), slug: `${pick(WORDS)}-${i}`,
      html: bodyHtml(i), lexical: null, mobiledoc: null, feature_image: `__GHOST_URL__/content/images/${i}.jpg`,
      type: 'post', status: 'published', visibility: 'public', published_at: d, updated_at: d,
      custom_excerpt: i % 2 ? sentence() : null,
    }));
  }
  out.write('],\n"posts_tags":[');
  let k = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < 3; j++) out.write((k++ ? ',' : '') + JSON.stringify({ id: `pt${k}`, post_id: `p${String(i).padStart(23, '0')}`, tag_id: `t${Math.floor(rand() * TAGS.length)}`, sort_order: j }));
  }
  out.write('],\n"posts_authors":[');
  for (let i = 0; i < N; i++) out.write((i ? ',' : '') + JSON.stringify({ id: `pa${i}`, post_id: `p${String(i).padStart(23, '0')}`, author_id: `a${i % AUTHORS.length}`, sort_order: 0 }));
  out.write('],\n"tags":' + JSON.stringify(TAGS.map((name, t) => ({ id: `t${t}`, name, slug: `tag-${t}` }))));
  out.write(',\n"users":' + JSON.stringify(AUTHORS.map((name, a) => ({ id: `a${a}`, name, slug: `user${a}`, email: `user${a}@bench.example`, password: '$2a$10$x' }))));
  out.write(',\n"settings":[{"key":"timezone","value":"Asia/Seoul"},{"key":"locale","value":"ko"}]}}]}\n');
  return new Promise((ok) => out.end(ok));
}

/** Runs the CLI; resolves with { seconds, cpu, peakMB, code, stdout, stderr }. */
function measure(args) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let cpu = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const sample = () => {
      try {
        const m = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
        if (m) peak = Math.max(peak, +m[1]);
        // utime and stime, in clock ticks (100 a second on Linux), after the command name.
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpu = Math.max(cpu, (+stat[11] + +stat[12]) / 100);
      } catch { /* the child has exited */ }
    };
    const timer = setInterval(sample, 10);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, cpu, peakMB: peak / 1024, code, stdout, stderr });
    });
  });
}

if (!fs.existsSync(BIN)) {
  console.error(`${BIN} not found: cargo build --release -p article-viewer-cli`);
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-import-bench-'));
try {
  const wxr = path.join(dir, 'export.xml');
  const ghost = path.join(dir, 'ghost.json');
  await writeWxr(wxr);
  await writeGhost(ghost);
  const rows = [];
  for (const [kind, file, extra] of [['wordpress', wxr, []], ['ghost', ghost, ['--site', 'https://bench.example/']]]) {
    const out = path.join(dir, `out-${kind}`);
    const r = await measure(['import', kind, file, '--out', out, ...extra]);
    if (r.code !== 0) {
      console.error(r.stderr.slice(-2000));
      process.exit(1);
    }
    const mb = fs.statSync(file).size / 1048576;
    rows.push({ kind, posts: N, inputMB: mb.toFixed(1), seconds: r.seconds.toFixed(2), cpu: r.cpu.toFixed(1), peakMB: r.peakMB.toFixed(1), result: r.stdout.trim() });
  }
  console.log('| kind | posts | input MB | wall s | CPU s | peak memory MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.kind} | ${r.posts} | ${r.inputMB} | ${r.seconds} | ${r.cpu} | ${r.peakMB} |`);
  for (const r of rows) console.log(`${r.kind}: ${r.result}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
