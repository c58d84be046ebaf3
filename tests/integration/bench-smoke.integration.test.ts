/**
 * Issue #2: `bench/fanout` runs and prints, side by side in one run, Opsroom batched and
 * unbatched and a plain Socket.IO server. A tiny load here; real figures come from
 * `npm run bench` (bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server-process';

describe('bench fanout (smoke)', () => {
  it('prints delivered/s, latency and server CPU/RSS for every variant', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        'fanout',
        '--subscribers',
        '20',
        '--rate',
        '50',
        '--duration',
        '2',
        '--warmup',
        '1',
        '--drain',
        '2',
        '--clients',
        '1',
        '--no-json',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 170_000 },
    );
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    for (const variant of ['opsroom-batched', 'opsroom-unbatched', 'plain-socketio']) {
      // Every variant connected all its subscribers and delivered (a failed start shows "0/20" and an error line).
      const row = result.stdout.split('\n').find((line) => line.startsWith(`${variant} `));
      expect(row, result.stdout).toMatch(new RegExp(`^${variant}\\s+20\\s+50\\s+\\d+\\s+\\d+\\s+1\\.000`));
    }
    expect(result.stdout).not.toMatch(/: error:/);
    for (const column of ['delivered/s', 'p50', 'p99', 'srv CPU %', 'srv RSS MB'])
      expect(result.stdout).toContain(column);
  }, 180_000);
});
