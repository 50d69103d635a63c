// Writes the archive benchmark's corpus: the seeded Korean-heavy collection of
// bench/collections.mjs (the one bench/search.mjs uses), at any size, streamed to a file.
//   node bench/archive-corpus.mjs <entries> <out.json> [seed]
import fs from 'node:fs';
import { articlesOf, collectionTitle } from './collections.mjs';

export const SEED = 20250912;

export async function writeCorpus(n, file, seed = SEED) {
  const out = fs.createWriteStream(file);
  const write = (s) => (out.write(s) ? null : new Promise((r) => out.once('drain', r)));
  await write(`{"title":${JSON.stringify(collectionTitle(n))},"language":"ko","articles":[\n`);
  let i = 0;
  for (const a of articlesOf(n, seed)) {
    const w = write((i++ ? ',\n' : '') + JSON.stringify(a));
    if (w) await w;
  }
  await write('\n]}\n');
  await new Promise((r) => out.end(r));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, file, seed] = process.argv.slice(2);
  if (!n || !file) {
    console.error('usage: node bench/archive-corpus.mjs <entries> <out.json> [seed]');
    process.exit(2);
  }
  const t = Date.now();
  await writeCorpus(Number(n), file, seed ? Number(seed) : SEED);
  console.log(`${file}: ${Number(n).toLocaleString('en')} entries, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${Date.now() - t} ms`);
}
