#!/usr/bin/env node
// `npm test`: the whole suite. Checks what the tests need beyond npm (Chromium), typechecks,
// builds the production bundle the integration and e2e suites run against, then runs vitest
// (unit + integration) and Playwright (e2e), and prints one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePostgres, findChromium, findRedisServer } from './prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function run(label, command, args, extraEnv = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  return result.status ?? 1;
}

const chromium = findChromium();
if (chromium === null) process.exit(1);
env.OPSROOM_CHROMIUM = chromium;
if (findRedisServer() === null) process.exit(1);
if (!(await ensurePostgres())) process.exit(1);

mkdirSync(path.join(root, 'test-results'), { recursive: true });
if (run('typecheck', bin('tsc'), ['--noEmit']) !== 0) process.exit(1);
if (run('build', bin('next'), ['build'], { OPSROOM_BUILD_SKIP_TYPECHECK: '1' }) !== 0) process.exit(1);

const only = process.argv.slice(2);
const vitestStatus = run('unit + integration (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=test-results/vitest.json',
  ...only,
]);
const e2eStatus = only.length > 0 ? 0 : run('e2e (playwright, chromium)', bin('playwright'), ['test']);

function counts(file, read) {
  const full = path.join(root, 'test-results', file);
  if (!existsSync(full)) return { passed: 0, failed: 0, skipped: 0 };
  try {
    return read(JSON.parse(readFileSync(full, 'utf8')));
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
}
const v = counts('vitest.json', (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests,
  skipped: r.numPendingTests + r.numTodoTests,
}));
const p =
  only.length > 0
    ? { passed: 0, failed: 0, skipped: 0 }
    : counts('playwright.json', (r) => ({
        passed: r.stats.expected,
        failed: r.stats.unexpected + r.stats.flaky,
        skipped: r.stats.skipped,
      }));
const failed =
  v.failed +
  p.failed +
  (vitestStatus !== 0 && v.failed === 0 ? 1 : 0) +
  (e2eStatus !== 0 && p.failed === 0 ? 1 : 0);
process.stdout.write(
  `\ntests: ${v.passed + p.passed} passed, ${failed} failed, ${v.skipped + p.skipped} skipped\n`,
);
process.exit(vitestStatus === 0 && e2eStatus === 0 ? 0 : 1);
