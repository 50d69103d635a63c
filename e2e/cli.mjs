// The release CLI the end-to-end tests run (AV_CLI names another build), and a run of it that
// must succeed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = process.env.AV_CLI || path.join(root, 'target/release/article-viewer-cli');

/** Runs the CLI with `args`; fails the test, with its stderr, unless it exits with 0. */
export function runCli(args, timeout = 120000) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', timeout });
  assert.equal(r.status, 0, `${args.join(' ')}\n${r.stderr}`);
  return r;
}
