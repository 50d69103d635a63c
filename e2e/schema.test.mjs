// The JSON Schema for the format validates every bundled sample, and rejects the deliberately
// broken one for exactly its planted faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema/article-viewer.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function samples(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? samples(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []);
}

const all = samples(path.join(root, 'static/samples'));

test('every bundled sample is valid', () => {
  const valid = all.filter((f) => !f.includes(`${path.sep}tests${path.sep}`));
  assert.ok(valid.length >= 8, `only ${valid.length} samples`);
  for (const file of valid) {
    const ok = validate(JSON.parse(fs.readFileSync(file, 'utf8')));
    assert.ok(ok, `${path.relative(root, file)}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('the collection lists at least six articles, mostly Korean, one English', () => {
  const index = JSON.parse(fs.readFileSync(path.join(root, 'static/samples/index.json'), 'utf8'));
  const docs = index.articles.filter((a) => a.href).map((a) =>
    JSON.parse(fs.readFileSync(path.join(root, 'static/samples', a.href), 'utf8')));
  assert.ok(docs.length >= 6);
  const langs = docs.map((d) => d.language);
  assert.ok(langs.filter((l) => l === 'ko').length > docs.length / 2);
  assert.ok(langs.includes('en'));
});

test('the lenient sample fails the schema at its planted faults', () => {
  const file = path.join(root, 'static/samples/tests/lenient.json');
  assert.equal(validate(JSON.parse(fs.readFileSync(file, 'utf8'))), false);
  const places = new Set(validate.errors.map((e) => e.instancePath).filter(Boolean));
  for (const p of ['/related/1', '/authors/1', '/published']) {
    assert.ok([...places].some((x) => x.startsWith(p)), `${p} not reported: ${[...places].join(', ')}`);
  }
});

test('the schema refuses what the viewer refuses', () => {
  for (const doc of [[1, 2], { id: 'a', body: 'x' }, { articles: {} }, { id: 'a', title: 5, body: 'x' }]) {
    assert.equal(validate(doc), false, JSON.stringify(doc));
  }
  assert.equal(validate({ id: 7, title: 't', body: 'b', unknown: true }), true);
});

test('the fields added for migration: aliases are paths from the root, draft a boolean, expires a date', () => {
  const base = { id: 'a', title: 't', body: 'b' };
  assert.equal(validate({ ...base, aliases: ['/2024/05/slug/', '/?p=123', '/%ED%95%9C/'], draft: true, expires: '2030-01-01T00:00:00Z' }), true,
    ajv.errorsText(validate.errors));
  for (const bad of [{ aliases: ['slug/'] }, { aliases: ['//other.example/x'] }, { aliases: ['/a#b'] }, { aliases: ['/a b'] },
    { aliases: ['/x/', '/x/'] }, { draft: 'yes' }, { expires: 'soon' }]) {
    assert.equal(validate({ ...base, ...bad }), false, JSON.stringify(bad));
  }
});
