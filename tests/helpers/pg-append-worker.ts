/**
 * One "instance" for tests/integration/postgres-concurrency: opens the PostgreSQL store in
 * its own process (running migrations, possibly at the same moment as its sibling), prints
 * "ready", waits for "go" on stdin so both processes write at once, appends
 * PG_WORKER_COUNT events to PG_WORKER_ROOM in batches, and prints the seqs it was given as
 * one JSON line. Not a test itself: spawned with `node --import tsx`.
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { ulid } from 'ulid';
import { openPostgresStore } from '@/lib/server/store/postgres-store';
import type { NewEvent } from '@/lib/server/store/store';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const room = env('PG_WORKER_ROOM');
  const count = Number(env('PG_WORKER_COUNT'));
  const batchSize = Number(process.env.PG_WORKER_BATCH ?? '50');
  // Several appends in flight per process, like an instance serving many publishers.
  const inFlight = Number(process.env.PG_WORKER_IN_FLIGHT ?? '4');
  const store = await openPostgresStore(env('PG_WORKER_URL'), {
    schema: env('PG_WORKER_SCHEMA'),
    historyMaxEvents: 1_000_000,
    poolSize: inFlight,
  });
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  await once(lines, 'line');
  lines.close();

  const seqs: number[] = [];
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const size = Math.min(batchSize, count - next);
      next += size;
      const batch = Array.from({ length: size }, (): NewEvent => ({
        id: ulid(),
        room,
        type: 'scale',
        ts: new Date().toISOString(),
        source: `worker:${process.pid}`,
        payload: { pool: 'p', direction: 'up', from: 1, to: 2 },
        stateKey: null,
        project: null,
      }));
      for (const outcome of await store.append(batch)) {
        if (!outcome.duplicate) seqs.push(outcome.envelope.seq);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  await store.close();
  process.stdout.write(`${JSON.stringify({ seqs })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
