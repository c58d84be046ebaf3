/**
 * Scale-out acceptance: two separate Node processes (two "instances") append to the same room
 * of the same PostgreSQL schema at the same time; the stored seqs must be exactly 1..10,000
 * (PROTOCOL.md section 4: per-room seq is the same on every instance, no gap, no duplicate).
 * Needs PostgreSQL (OPSROOM_TEST_DATABASE_URL); fails, not skips, when it is down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  TEST_DATABASE_URL,
  adminQuery,
  dropTestSchema,
  requirePostgres,
  testSchemaName,
} from '@/lib/server/store/postgres-test-db';

const ROOT = path.resolve(__dirname, '..', '..');
const PER_WORKER = 5_000;

interface Worker {
  child: ChildProcess;
  /** Resolves with each stdout line in turn. */
  nextLine: () => Promise<string>;
  stderr: () => string;
}

function startWorker(schema: string, room: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/pg-append-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PG_WORKER_URL: TEST_DATABASE_URL,
      PG_WORKER_SCHEMA: schema,
      PG_WORKER_ROOM: room,
      PG_WORKER_COUNT: String(PER_WORKER),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  if (child.stdout === null) throw new Error('worker stdout is not piped');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    stderr: () => err,
    nextLine: async () => {
      const line = await lines.next();
      if (line.done === true) throw new Error(`worker exited early:\n${err.slice(-4000)}`);
      return line.value;
    },
  };
}

describe('PostgreSQL store across processes', () => {
  const schema = testSchemaName();
  const workers: Worker[] = [];
  beforeEach(requirePostgres);
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    if (workers.length > 0) await dropTestSchema(schema);
  });

  it('gives two processes appending 5,000 events each to one room seqs exactly 1..10,000', async () => {
    const room = 'project:scale-out';
    // Both open (and migrate) the fresh schema concurrently, then start writing on one signal.
    workers.push(startWorker(schema, room), startWorker(schema, room));
    for (const worker of workers) expect(await worker.nextLine()).toBe('ready');
    for (const worker of workers) worker.child.stdin?.end('go\n');
    const results = await Promise.all(
      workers.map(async (worker) => {
        const line = await worker.nextLine();
        const [code] = (await once(worker.child, 'exit')) as [number | null];
        expect(code, worker.stderr()).toBe(0);
        return (JSON.parse(line) as { seqs: number[] }).seqs;
      }),
    );

    const [a = [], b = []] = results;
    expect(a).toHaveLength(PER_WORKER);
    expect(b).toHaveLength(PER_WORKER);
    const all = [...a, ...b].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 2 * PER_WORKER }, (_, i) => i + 1));
    // The writers really overlapped in time (otherwise this test would prove little).
    expect(Math.min(...a)).toBeLessThan(Math.max(...b));
    expect(Math.min(...b)).toBeLessThan(Math.max(...a));

    const [summary] = await adminQuery<{ n: number; distinct_seqs: number; lo: number; hi: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seqs,
              min(seq)::int AS lo, max(seq)::int AS hi
         FROM "${schema}".events WHERE room = $1`,
      [room],
    );
    expect(summary).toEqual({ n: 10_000, distinct_seqs: 10_000, lo: 1, hi: 10_000 });
    const [roomRow] = await adminQuery<{ seq: string; event_count: string }>(
      `SELECT seq, event_count FROM "${schema}".rooms WHERE room = $1`,
      [room],
    );
    expect(roomRow).toEqual({ seq: '10000', event_count: '10000' });
  });
});
