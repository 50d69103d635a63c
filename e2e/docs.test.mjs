// Every command shown in README.md and docs/ runs as written. Fenced blocks in `sh` are run
// whole (bash, stop at the first failure); in `console`, each `$ ` line is run and the lines
// after it, when there are any, must be exactly what it prints (stdout and stderr together).
// Each Markdown file gets a fresh folder holding copies of what its commands read (the bundled
// samples, the import fixtures, the release build), with the release CLI on PATH; blocks run in
// the page's order, so a page can import into a folder and then build from it.
//
// A block the test cannot run (an install, a server that runs until stopped, a benchmark of
// minutes) says so on the line before it, where a reader sees it in the source:
//   <!-- tested by e2e/install.test.mjs -->   another test covers it: that file must exist
//   <!-- not run: a benchmark of minutes -->  a reason is required; files it names must exist
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI_DIR = path.join(root, 'target/release');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const RUN_LANGS = new Set(['sh', 'console']);
// Copied into each page's folder at the same relative path, so commands read as from the root.
const INPUTS = ['static/samples', 'crates/import/tests/fixtures/import'];

/** README.md and every Markdown file under docs/, as paths relative to the root. */
function pages() {
  const found = ['README.md'];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) found.push(rel);
    }
  };
  if (fs.existsSync(path.join(root, 'docs'))) walk('docs');
  return found.sort();
}

/**
 * The fenced blocks of a Markdown text: language, body, 1-based line of the fence, and the
 * marker comment on the nearest non-blank line before it (if that line is a comment).
 */
export function fencedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  let open = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!open) {
      const m = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (!m) continue;
      let j = i - 1;
      while (j >= 0 && lines[j].trim() === '') j--;
      const marker = j >= 0 ? /^\s*<!--\s*(.*?)\s*-->\s*$/.exec(lines[j])?.[1] ?? null : null;
      open = { fence: m[2], indent: m[1].length, lang: m[3].toLowerCase(), line: i + 1, marker, body: [] };
    } else if (line.trim().startsWith(open.fence[0].repeat(open.fence.length)) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ lang: open.lang, line: open.line, marker: open.marker, body: open.body.join('\n') });
      open = null;
    } else {
      open.body.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
    }
  }
  assert.equal(open, null, `a fence opened at line ${open?.line} is never closed`);
  return blocks;
}

/** A console block's commands: each `$ ` line (with its `\` continuations) and what it prints. */
export function consoleSteps(body) {
  const steps = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('$ ')) {
      assert.ok(steps.length > 0 || lines[i].trim() === '', `output before any command: ${lines[i]}`);
      if (steps.length) steps.at(-1).output.push(lines[i]);
      continue;
    }
    let command = lines[i].slice(2);
    while (command.endsWith('\\') && i + 1 < lines.length) command = command.slice(0, -1) + '\n' + lines[++i];
    steps.push({ command, output: [] });
  }
  return steps.map((s) => ({ command: s.command, output: tidy(s.output.join('\n')) }));
}

/** Trailing spaces on each line and blank lines at the end do not count. */
function tidy(text) {
  return text.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '');
}

/** What a marker asks for, checked; true when the block is not to be run. */
function checkMarker(block, where) {
  if (block.marker === null) return false;
  const tested = /^tested by (.+)$/.exec(block.marker);
  if (tested) {
    for (const file of tested[1].split(/,\s*|\s+and\s+/)) {
      assert.ok(fs.existsSync(path.join(root, file)), `${where}: "tested by ${file}", but ${file} does not exist`);
    }
    return true;
  }
  const notRun = /^not run: (.+)$/.exec(block.marker);
  if (notRun) {
    assert.ok(notRun[1].trim().length >= 8, `${where}: "not run" needs a reason`);
    // A script or example it names must still be there (a renamed benchmark is a stale page).
    for (const file of block.body.match(/\b(?:bench|scripts|e2e|crates|cli)\/[\w./-]+\.(?:mjs|sh|rs)\b/g) ?? []) {
      assert.ok(fs.existsSync(path.join(root, file)), `${where}: names ${file}, which does not exist`);
    }
    return true;
  }
  return false; // any other comment is prose
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (outside fenced blocks), with GitHub's -1, -2 for repeats. */
function anchors(text) {
  const seen = new Map();
  let fence = null;
  for (const line of text.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f && (!fence || f[1].startsWith(fence))) fence = fence ? null : f[1];
    const h = !fence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = anchorOf(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    if (n > 0) seen.set(`${base}-${n}`, 1);
  }
  return new Set(seen.keys());
}

/** Every relative link of a page outside code (`[text](target)`), as [target, line]. */
function relativeLinks(text) {
  const out = [];
  let fence = null;
  text.split('\n').forEach((line, i) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f && (!fence || f[1].startsWith(fence))) {
      fence = fence ? null : f[1];
      return;
    }
    if (fence) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) out.push([m[1], i + 1]);
    }
  });
  return out;
}

/** A fresh folder with the inputs (and, when the page's commands name it, the release build). */
function sandbox(needsDist) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-docs-'));
  for (const rel of INPUTS) fs.cpSync(path.join(root, rel), path.join(dir, rel), { recursive: true });
  if (needsDist) {
    assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
    fs.cpSync(DIST, path.join(dir, 'dist'), { recursive: true });
  }
  return dir;
}

function shell(script, cwd) {
  const env = { ...process.env, PATH: `${CLI_DIR}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
  // `timeout` signals the whole process group, so nothing a command started outlives it.
  return spawnSync('timeout', ['-k', '5', '60', 'bash', '-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8' });
}

function runBlock(block, cwd, where) {
  if (block.lang === 'sh') {
    const r = shell(block.body, cwd);
    assert.equal(r.status, 0, `${where} failed (exit ${r.status === 124 ? 'timed out after 60 s' : r.status ?? r.signal}):\n${block.body}\n${r.stdout}${r.stderr}`);
    return;
  }
  for (const step of consoleSteps(block.body)) {
    const r = shell(`${step.command} 2>&1`, cwd);
    assert.equal(r.status, 0, `${where}: \`${step.command}\` failed (exit ${r.status === 124 ? 'timed out after 60 s' : r.status ?? r.signal}):\n${r.stdout}`);
    if (step.output !== '') assert.equal(tidy(r.stdout), step.output, `${where}: \`${step.command}\` printed otherwise`);
  }
}

test('the CLI the pages run is built', () => {
  assert.ok(fs.existsSync(path.join(CLI_DIR, 'article-viewer-cli')),
    'target/release/article-viewer-cli missing: cargo build --release -p article-viewer-cli');
});

for (const page of pages()) {
  test(`${page}: every command runs as written`, () => {
    const blocks = fencedBlocks(fs.readFileSync(path.join(root, page), 'utf8'));
    for (const b of blocks) {
      // Another shell's name would leave the block untested without anyone noticing.
      assert.ok(!/^(bash|shell|zsh|shell-session|shellsession)$/.test(b.lang), `${page}:${b.line}: write \`sh\` or \`console\`, not \`${b.lang}\``);
    }
    const runnable = blocks.filter((b) => RUN_LANGS.has(b.lang) && !checkMarker(b, `${page}:${b.line}`));
    if (runnable.length === 0) return;
    const dir = sandbox(runnable.some((b) => /(^|\s)(--dist\s+)?dist\b/.test(b.body)));
    try {
      for (const b of runnable) runBlock(b, dir, `${page}:${b.line}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const page of pages()) {
  test(`${page}: every relative link leads to a file, and a #part to a heading of it`, () => {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    for (const [link, line] of relativeLinks(text)) {
      const [file, part] = link.split('#');
      const target = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), file);
      assert.ok(fs.existsSync(target), `${page}:${line}: ${link}: no such file`);
      if (part !== undefined && target.endsWith('.md')) {
        assert.ok(anchors(fs.readFileSync(target, 'utf8')).has(part), `${page}:${line}: ${link}: no heading for #${part}`);
      }
    }
  });
}

// The format page is the contract, and the JSON Schema is what the tests validate documents
// against: they must name the same fields, with the same ones required.
test('docs/reference/format.md and the JSON Schema name the same fields, required alike', () => {
  const text = fs.readFileSync(path.join(root, 'docs/reference/format.md'), 'utf8');
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema/article-viewer.schema.json'), 'utf8'));
  const sections = text.split(/^(?=#{2,3} )/m).map((s) => ({ heading: s.split('\n')[0].replace(/^#+\s*/, ''), body: s }));
  const squash = (s) => s.toLowerCase().replace(/[^a-z]/g, '');
  const rows = (body) => body.split('\n').filter((l) => /^\|\s*`/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const names = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const checked = [];
  for (const [def, spec] of Object.entries(schema.$defs)) {
    if (!spec.properties) continue;
    const main = sections.find((s) => squash(s.heading) === squash(def));
    assert.ok(main, `format.md has no section for ${def}`);
    const table = rows(main.body);
    const documented = new Set(table.flatMap((r) => names(r[0])));
    // Fields added later may be listed in a table row that names the part, or a section about it.
    for (const r of rows(text)) if (r.some((c) => new RegExp(`\\b${def}\\b`).test(c))) names(r[0]).forEach((n) => documented.add(n));
    for (const s of sections) if (s !== main && s.heading.includes(def)) names(s.body).forEach((n) => documented.add(n));
    const properties = Object.keys(spec.properties);
    for (const field of properties) assert.ok(documented.has(field), `format.md: ${def}.${field} (in the schema) is not described`);
    for (const field of table.flatMap((r) => names(r[0]))) assert.ok(properties.includes(field), `format.md: ${def}.${field} is not in the schema`);
    const required = table.filter((r) => /\*\*yes\*\*/.test(r[2] ?? '')).flatMap((r) => names(r[0])).sort();
    assert.deepEqual(required, [...(spec.required ?? [])].sort(), `format.md: ${def}'s required fields differ from the schema's`);
    checked.push(def);
  }
  assert.deepEqual(checked.sort(), ['ArchivePointer', 'Article', 'Author', 'Collection', 'Image', 'Pick', 'Summary']);
});

// The checker itself: a test that cannot fail is no test.
test('the block reader: fences, markers, console steps', () => {
  const text = ['x', '<!-- not run: serves until stopped -->', '', '```sh', 'a', '```', '  ```console', '  $ b \\', '  c', '  out', '  ```', '````text', '```', '````'].join('\n');
  const blocks = fencedBlocks(text);
  assert.deepEqual(blocks.map((b) => [b.lang, b.line, b.marker]), [['sh', 4, 'not run: serves until stopped'], ['console', 7, null], ['text', 12, null]]);
  assert.deepEqual(consoleSteps(blocks[1].body), [{ command: 'b \nc', output: 'out' }]);
  assert.throws(() => checkMarker({ marker: 'tested by e2e/no-such.test.mjs', body: '' }, 'x'), /does not exist/);
  assert.throws(() => checkMarker({ marker: 'not run: x', body: '' }, 'x'), /needs a reason/);
  assert.throws(() => checkMarker({ marker: 'not run: a benchmark', body: 'node bench/gone.mjs' }, 'x'), /gone\.mjs/);
  assert.equal(anchorOf('Archives: a million entries'), 'archives-a-million-entries');
  assert.equal(anchorOf('The body: Markdown'), 'the-body-markdown');
  assert.deepEqual(relativeLinks('[a](x.md#y) `[b](no.md)` [c](https://e.example/)\n```\n[d](in-code.md)\n```'), [['x.md#y', 1]]);
  assert.ok(anchors('# A\n## A\n```\n# Not\n```').has('a-1') && !anchors('```\n# Not\n```').has('not'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-docs-self-'));
  try {
    assert.throws(() => runBlock({ lang: 'sh', body: 'true\nfalse\ntrue' }, dir, 'x'), /failed/);
    assert.throws(() => runBlock({ lang: 'console', body: '$ echo hi\nho' }, dir, 'x'), /printed otherwise/);
    assert.throws(() => runBlock({ lang: 'console', body: '$ exit 3' }, dir, 'x'), /failed/);
    runBlock({ lang: 'console', body: '$ echo hi\nhi' }, dir, 'x');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
