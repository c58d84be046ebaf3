/**
 * Issues #2 and #7: every bench scenario runs end to end at a tiny size, prints its table and
 * writes JSON holding its figures, so the suite cannot rot. Sizes here are seconds; real figures
 * come from `npm run bench` (bench/README.md). No assertion is about speed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server-process';

const resultsDir = mkdtempSync(path.join(tmpdir(), 'opsroom-bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

interface Scenario<R> {
  stdout: string;
  json: { scenario: string; results: R[]; medians?: R[] };
}

/** Runs one scenario; returns its table output and the JSON file it wrote. */
function runBench<R>(scenario: string, args: string[]): Scenario<R> {
  const dir = path.join(resultsDir, scenario);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', scenario, ...args, '--results-dir', dir],
    { cwd: ROOT, encoding: 'utf8', timeout: 170_000 },
  );
  expect(result.status, result.stderr.slice(-2000)).toBe(0);
  const files = readdirSync(dir).filter((file) => file.startsWith(`${scenario}-`) && file.endsWith('.json'));
  expect(files).toHaveLength(1);
  const json = JSON.parse(readFileSync(path.join(dir, files[0] ?? ''), 'utf8')) as Scenario<R>['json'];
  expect(json.scenario).toBe(scenario);
  return { stdout: result.stdout, json };
}

const positive = expect.any(Number);

// A long drain only costs time when deliveries are late (a busy machine); it ends when all arrived.
const FANOUT_TINY = ['--duration', '2', '--warmup', '1', '--drain', '15', '--clients', '1'];

describe('bench scenarios (smoke)', () => {
  it('fanout: delivered/s, latency and server CPU/RSS for every variant', () => {
    const { stdout, json } = runBench<Record<string, unknown>>('fanout', [
      ...FANOUT_TINY,
      '--subscribers',
      '20',
      '--rate',
      '50',
    ]);
    for (const variant of ['opsroom-batched', 'opsroom-unbatched', 'plain-socketio', 'raw-ws-batched']) {
      // Every variant has its row (a failed start shows "0/20" and an error line).
      expect(stdout).toMatch(new RegExp(`^${variant}\\s+1\\s+20\\s+50\\s`, 'm'));
      const result = json.results.find((r) => r.variant === variant);
      expect(result).toMatchObject({
        connected: 20,
        // Every event the server accepted reached every subscriber (on a busy machine the
        // publisher may skip some it could not send in time: those count in fractionDelivered).
        fractionOfAccepted: 1,
        deliveredPerSec: positive,
        cpuSecondsPerMillionDeliveries: positive,
        latencyMs: { p50: positive, p99: positive },
        server: { cpuPercent: positive, rssPeakMB: positive },
        loadClients: { busiestPercent: positive },
        machineBusyPercent: positive,
      });
      expect(result?.error).toBeUndefined();
    }
    expect(stdout).toContain('plain-socketio/opsroom-batched CPU-s/M');
  }, 180_000);

  it('ingest: stored events/s and time to 202 on SQLite and PostgreSQL', () => {
    const { json } = runBench<Record<string, unknown>>('ingest', [
      '--duration',
      '1',
      '--warmup',
      '0',
      '--publishers',
      '2',
      '--batch',
      '1,100',
    ]);
    expect(json.results.map((r) => `${String(r.store)}/${String(r.batch)}`)).toEqual([
      'sqlite/1',
      'sqlite/100',
      'postgres/1',
      'postgres/100',
    ]);
    for (const result of json.results) {
      expect(result.error).toBeUndefined();
      expect(result.failedRequests).toBe(0);
      // What the server stored is what it acknowledged.
      expect(result.storedEvents).toBe(result.acceptedEvents);
      expect(result).toMatchObject({ storedPerSec: positive, timeTo202Ms: { p50: positive, p99: positive } });
    }
  }, 180_000);

  it('latency: p50/p99 POST to receipt with every subscriber timed', () => {
    const { json } = runBench<Record<string, unknown>>('latency', [
      ...FANOUT_TINY,
      '--subscribers',
      '10',
      '--repeat',
      '2',
    ]);
    expect(json.results).toHaveLength(2);
    expect(json.medians).toHaveLength(1);
    for (const result of [...json.results, ...(json.medians ?? [])]) {
      expect(result).toMatchObject({
        variant: 'opsroom-batched',
        fractionOfAccepted: 1,
        latencyMs: { p50: positive },
      });
      // ~20 events x 10 subscribers, all timed (a busy machine may skip a few publishes).
      expect((result.latencyMs as { samples: number }).samples).toBeGreaterThanOrEqual(100);
    }
  }, 180_000);

  it('connections: RSS per connection and time to connect, with a short hold', () => {
    const { json } = runBench<Record<string, unknown>>('connections', [
      '--connections',
      '50',
      '--settle',
      '0.5',
      '--hold-minutes',
      '0.05',
    ]);
    expect(json.results.map((r) => r.variant)).toEqual([
      'opsroom-batched',
      'plain-socketio',
      'raw-ws-batched',
    ]);
    for (const result of json.results) {
      expect(result).toMatchObject({
        connected: 50,
        connectSeconds: positive,
        kbPerConnection: expect.any(Number),
        hold: { openAtEnd: 50, disconnects: 0 },
      });
    }
  }, 180_000);

  it('resume: every client catches up on every missed event', () => {
    const { json } = runBench<Record<string, unknown>>('resume', ['--subscribers', '20', '--missed', '150']);
    expect(json.results[0]).toMatchObject({ reconnected: 20, fractionCaughtUp: 1, catchUpSeconds: positive });
  }, 180_000);

  it('compression: bytes on the wire with deflate off and on', () => {
    const { json } = runBench<Record<string, unknown>>('compression', [
      ...FANOUT_TINY,
      '--subscribers',
      '10',
      '--rate',
      '50',
    ]);
    const [off, on] = json.results;
    expect(off).toMatchObject({
      variant: 'opsroom-batched',
      fractionOfAccepted: 1,
      wireBytesPerDelivery: positive,
    });
    expect(on).toMatchObject({
      variant: 'opsroom-deflate',
      fractionOfAccepted: 1,
      wireBytesPerDelivery: positive,
    });
    // Log text deflates: the same deliveries take fewer bytes with compression on.
    expect(on?.wireBytesPerDelivery as number).toBeLessThan(off?.wireBytesPerDelivery as number);
  }, 180_000);
});
