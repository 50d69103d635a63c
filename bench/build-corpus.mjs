// A content folder of N generated Korean posts for the build benchmark (bench/build.mjs), in two
// forms from the same posts: the viewer's format (articles/<id>.json and index.json) and Hugo's
// (content/posts/<id>.md with TOML front matter). Seeded: the same N always gives the same bytes.
//
//   node bench/build-corpus.mjs <posts> <folder>   -> <folder>/viewer, <folder>/hugo
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { articlesOf, collectionTitle, rng } from './collections.mjs';

const BODY_WORDS = `인공지능 클라우드 반도체 데이터센터 전력 수율 보안 스타트업 투자 플랫폼 스마트폰 온디바이스 모델
  서버 규제 개인정보 네트워크 기업 시장 경쟁 발표 계약 성장 인프라 엔지니어 개발자 서비스 AI GPU HBM`.split(/\s+/);
const ENDINGS = ['했다.', '밝혔다.', '전망이다.', '보인다.', '나타났다.', '것으로 알려졌다.', '설명했다.'];

/** A body of a few Markdown paragraphs (one with emphasis, some with a heading). */
function body(r) {
  const sentence = () => Array.from({ length: r.int(6, 14) }, () => r.pick(BODY_WORDS)).join(' ') + ' ' + r.pick(ENDINGS);
  const paragraphs = Array.from({ length: r.int(4, 8) }, () => Array.from({ length: r.int(2, 4) }, sentence).join(' '));
  paragraphs[1] = `**${r.pick(BODY_WORDS)}** ${paragraphs[1]}`;
  if (r.chance(0.5)) paragraphs.splice(2, 0, `## ${r.pick(BODY_WORDS)}와 ${r.pick(BODY_WORDS)}`);
  return paragraphs.join('\n\n');
}

/** The posts: the collection's summaries and each article document. */
export function* posts(n) {
  const r = rng(7);
  for (const s of articlesOf(n, 1)) {
    const article = {
      id: s.id,
      title: s.title,
      language: 'ko',
      published: s.published,
      authors: s.authors,
      tags: s.tags,
      body: body(r),
    };
    if (s.editors_pick) article.editors_pick = s.editors_pick;
    yield { summary: s, article };
  }
}

const toml = (s) => JSON.stringify(s); // a JSON string is a valid TOML basic string

/** Writes both forms into `dir` (replacing what an earlier run wrote there). */
export function writeCorpus(n, dir) {
  const viewer = path.join(dir, 'viewer');
  const hugo = path.join(dir, 'hugo', 'content', 'posts');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(viewer, 'articles'), { recursive: true });
  fs.mkdirSync(hugo, { recursive: true });
  const summaries = [];
  for (const { summary, article } of posts(n)) {
    summaries.push(summary);
    fs.writeFileSync(path.join(viewer, 'articles', `${article.id}.json`), JSON.stringify(article, null, 2));
    const front = [
      `title = ${toml(article.title)}`,
      `date = ${article.published}`,
      `summary = ${toml(summary.summary)}`,
      `tags = [${article.tags.map(toml).join(', ')}]`,
      `authors = [${article.authors.map((a) => toml(a.name)).join(', ')}]`,
    ];
    fs.writeFileSync(path.join(hugo, `${article.id}.md`), `+++\n${front.join('\n')}\n+++\n\n${article.body}\n`);
  }
  const collection = { title: collectionTitle(n), language: 'ko', articles: summaries };
  fs.writeFileSync(path.join(viewer, 'index.json'), JSON.stringify(collection, null, 2));
  return { viewer, hugo: path.join(dir, 'hugo') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n, dir] = [+process.argv[2], process.argv[3]];
  if (!(n > 0) || !dir) {
    console.error('usage: node bench/build-corpus.mjs <posts> <folder>');
    process.exit(2);
  }
  console.log(writeCorpus(n, dir));
}
