/**
 * Ingest: how fast `POST /api/events` stores events. `--publishers` concurrent publishers each
 * post back to back (closed loop: the next request leaves when the previous one got its reply)
 * for `--duration` seconds, with batches of `--batch` events, against Opsroom on SQLite and on
 * PostgreSQL (a throwaway schema in OPSROOM_TEST_DATABASE_URL's database, dropped afterwards).
 *
 * Figures: stored events/s counts what the server durably stored (the rooms' seq advance,
 * read back over the history API, not what the client believes), and time to 202 is each
 * request's round trip. Events are typed `build:progress` events from lib/sdk (a state key, so
 * the snapshot is maintained too), ~200 bytes each, on `--rooms` project rooms.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { buildProgress } from '@/lib/sdk/events';
import { TEST_DATABASE_URL, dropTestSchema, testSchemaName } from '@/lib/server/store/postgres-test-db';
import { history } from '@/tests/helpers/api';
import type { Args } from '../lib/args';
import { medianOfRuns } from '../lib/median';
import { BoxWindow, UsageWindow } from '../lib/proc-stats';
import { failureText, fmt, formatTable, machineInfo, progress, runLabel, type Column } from '../lib/report';
import { round, sleep, summarizeLatencies, type LatencySummary } from '../lib/stats';
import { createPublisher } from '../targets/http-publish';
import { createToken, startServer } from '../targets/opsroom';
import { saveResults } from './fanout';

export const OPTIONS = [
  'stores',
  'batch',
  'publishers',
  'rooms',
  'duration',
  'warmup',
  'repeat',
  'profile-dir',
  'results-dir',
  'no-json',
] as const;

type StoreKind = 'sqlite' | 'postgres';

interface IngestConfig {
  stores: StoreKind[];
  batchSizes: number[];
  publishers: number;
  rooms: number;
  durationSec: number;
  warmupSec: number;
  repeat: number;
  profileDir: string | null;
}

interface IngestResult {
  round: number;
  store: StoreKind;
  batch: number;
  publishers: number;
  error?: string;
  requests?: number;
  failedRequests?: number;
  firstError?: string;
  acceptedEvents?: number;
  /** Seq advance of the rooms over the window: events the server durably stored. */
  storedEvents?: number;
  windowSeconds?: number;
  storedPerSec?: number;
  requestsPerSec?: number;
  /** Request round trip (send to 202), ms. */
  timeTo202Ms?: LatencySummary;
  server?: { cpuPercent: number; rssPeakMB: number };
  benchCpuPercent?: number;
  machineBusyPercent?: number;
  otherCpuPercent?: number;
}

function readConfig(args: Args): IngestConfig {
  const stores = args.list('stores', ['sqlite', 'postgres']);
  const bad = stores.filter((store) => store !== 'sqlite' && store !== 'postgres');
  if (bad.length > 0) throw new Error(`--stores takes sqlite and/or postgres (got ${bad.join(', ')})`);
  const batchSizes = args.numbers('batch', [1, 100]).map(Math.round);
  if (batchSizes.some((size) => size > 100)) throw new Error('--batch sizes must be 1-100 (the API limit)');
  return {
    stores: stores as StoreKind[],
    batchSizes,
    publishers: Math.max(1, Math.round(args.number('publishers', 8))),
    rooms: Math.max(1, Math.round(args.number('rooms', 1))),
    durationSec: args.number('duration', 10),
    warmupSec: args.number('warmup', 2),
    repeat: Math.max(1, Math.round(args.number('repeat', 1))),
    profileDir: args.raw('profile-dir') ?? null,
  };
}

const MB = 2 ** 20;

/** One request's worth of events for publisher `p`: ~200 bytes each, spread over the rooms. */
function makeBatch(p: number, n: number, size: number, rooms: number) {
  const project = `ingest-${p % rooms}`;
  return Array.from({ length: size }, (_, i) =>
    buildProgress(project, {
      buildId: `b-${p}-${(n * size + i) % 50}`,
      status: 'in-progress',
      progress: (n + i) % 100,
      step: `compile module ${(n * size + i) % 997} of the ingest benchmark`,
      currentStep: 3,
      totalSteps: 9,
      message: 'linking objects and writing artifacts to the cache',
    }),
  );
}

async function runOne(store: StoreKind, batch: number, config: IngestConfig, roundNumber: number) {
  const result: IngestResult = { round: roundNumber, store, batch, publishers: config.publishers };
  const label = `ingest ${store} batch ${batch} x ${config.publishers} publishers${config.repeat > 1 ? ` round ${roundNumber}` : ''}`;
  const schema = store === 'postgres' ? testSchemaName() : null;
  const env: Record<string, string> =
    schema === null
      ? {}
      : {
          DATABASE_URL: TEST_DATABASE_URL,
          OPSROOM_DATABASE_SCHEMA: schema,
          OPSROOM_SECRET: randomBytes(24).toString('hex'),
        };
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let publisher: ReturnType<typeof createPublisher> | null = null;
  try {
    progress(`${label}: starting server`);
    server = await startServer(env, 90_000, config.profileDir ?? undefined);
    const running = server;
    const token = await createToken(running.url);
    const client = createPublisher(
      running.url,
      '/api/events',
      { authorization: `Bearer ${token}` },
      config.publishers,
    );
    publisher = client;
    const rooms = Array.from({ length: config.rooms }, (_, i) => `project:ingest-${i}`);
    const roomSeqs = async (): Promise<number> => {
      let total = 0;
      for (const room of rooms) total += (await history(running.url, token, room, 0, 1)).json.seq ?? 0;
      return total;
    };

    // Closed loop: each publisher sends its next request when the previous one returned.
    const drive = async (durationMs: number, record: boolean) => {
      const roundTrips: number[] = [];
      let requests = 0;
      let failed = 0;
      let accepted = 0;
      let firstError: string | undefined;
      const end = performance.now() + durationMs;
      await Promise.all(
        Array.from({ length: config.publishers }, async (_, p) => {
          for (let n = 0; performance.now() < end; n += 1) {
            const events = makeBatch(p, n, batch, config.rooms);
            const sentAt = performance.now();
            const reply = await client.publish(events);
            requests += 1;
            if (record) roundTrips.push(performance.now() - sentAt);
            accepted += reply.accepted;
            if (reply.error !== undefined) {
              failed += 1;
              firstError ??= reply.error;
              await sleep(10); // do not spin on a failing server
            }
          }
        }),
      );
      return { roundTrips, requests, failed, accepted, firstError };
    };

    if (config.warmupSec > 0) {
      progress(`${label}: warm-up ${config.warmupSec} s`);
      await drive(config.warmupSec * 1000, false);
    }
    const seqBefore = await roomSeqs();
    progress(`${label}: measuring ${config.durationSec} s`);
    const usage = new UsageWindow(() => [running.pid]);
    usage.start();
    const box = new BoxWindow();
    const t0 = performance.now();
    const run = await drive(config.durationSec * 1000, true);
    const windowSeconds = (performance.now() - t0) / 1000;
    const srv = usage.stop();
    const machine = box.stop(srv.cpuPercent);
    const stored = (await roomSeqs()) - seqBefore;

    const latency = summarizeLatencies(Float64Array.from(run.roundTrips));
    Object.assign(result, {
      requests: run.requests,
      failedRequests: run.failed,
      ...(run.firstError === undefined ? {} : { firstError: run.firstError }),
      acceptedEvents: run.accepted,
      storedEvents: stored,
      windowSeconds: round(windowSeconds, 2),
      storedPerSec: round(stored / windowSeconds, 0),
      requestsPerSec: round(run.requests / windowSeconds, 0),
      timeTo202Ms: {
        samples: latency.samples,
        p50: round(latency.p50),
        p99: round(latency.p99),
        max: round(latency.max),
        mean: round(latency.mean),
      },
      server: { cpuPercent: round(srv.cpuPercent, 1), rssPeakMB: round(srv.rssPeakBytes / MB, 1) },
      benchCpuPercent: round(machine.benchCpuPercent, 1),
      machineBusyPercent: round(machine.machineBusyPercent, 1),
      otherCpuPercent: round(machine.otherCpuPercent, 1),
    } satisfies Partial<IngestResult>);
    progress(
      `${label}: ${fmt(result.storedPerSec)} stored ev/s, p99 to 202 ${fmt(result.timeTo202Ms?.p99, 1)} ms`,
    );
  } catch (error) {
    result.error = failureText(error);
    progress(`${label}: FAILED ${result.error}`);
  } finally {
    publisher?.close();
    await server?.stop().catch(() => undefined);
    if (schema !== null) await dropTestSchema(schema).catch(() => undefined);
  }
  return result;
}

const columns = (rounds: number): Array<Column<IngestResult>> => [
  { header: 'store', value: (r) => r.store, align: 'left' },
  { header: 'run', value: (r) => runLabel(r, rounds) },
  { header: 'batch', value: (r) => fmt(r.batch) },
  { header: 'publishers', value: (r) => fmt(r.publishers) },
  { header: 'req/s', value: (r) => fmt(r.requestsPerSec) },
  { header: 'stored ev/s', value: (r) => fmt(r.storedPerSec) },
  { header: 'p50 to 202 ms', value: (r) => fmt(r.timeTo202Ms?.p50, 1) },
  { header: 'p99 to 202 ms', value: (r) => fmt(r.timeTo202Ms?.p99, 1) },
  { header: 'max ms', value: (r) => fmt(r.timeTo202Ms?.max, 1) },
  { header: 'failed req', value: (r) => fmt(r.failedRequests) },
  { header: 'srv CPU %', value: (r) => fmt(r.server?.cpuPercent) },
  { header: 'srv RSS MB', value: (r) => fmt(r.server?.rssPeakMB) },
  { header: 'pub CPU %', value: (r) => fmt(r.benchCpuPercent) },
  { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
  { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
];

export async function runIngest(args: Args): Promise<void> {
  const config = readConfig(args);
  const startedAt = new Date().toISOString();
  const runs: IngestResult[] = [];
  for (let roundNumber = 1; roundNumber <= config.repeat; roundNumber += 1) {
    for (const store of config.stores) {
      for (const batch of config.batchSizes) runs.push(await runOne(store, batch, config, roundNumber));
    }
  }
  const medians: IngestResult[] = [];
  if (config.repeat > 1) {
    for (const store of config.stores) {
      for (const batch of config.batchSizes) {
        const same = runs.filter((r) => r.store === store && r.batch === batch && !r.error);
        if (same.length > 0) medians.push({ ...medianOfRuns(same), round: 0 });
      }
    }
  }

  console.log('');
  console.log(
    `ingest: POST /api/events, ${config.publishers} closed-loop publishers, ${config.rooms} room(s), ` +
      `${config.durationSec} s per run, ${os.cpus().length} cores`,
  );
  console.log(formatTable([...runs, ...medians], columns(config.repeat)));
  for (const r of runs) {
    if (r.error) console.log(`  ${r.store} batch ${r.batch} run ${r.round}: error: ${r.error}`);
    else if (r.failedRequests)
      console.log(
        `  ${r.store} batch ${r.batch} run ${r.round}: ${r.failedRequests} failed; first: ${r.firstError}`,
      );
  }
  const target = (medians.length > 0 ? medians : runs).find((r) => r.store === 'sqlite' && r.batch === 100);
  if (target?.storedPerSec !== undefined) {
    console.log(
      `target (SQLite, batches of 100): ${fmt(target.storedPerSec)} stored ev/s (>= 20,000: ${target.storedPerSec >= 20_000 ? 'met' : 'missed'}), ` +
        `p99 to 202 ${fmt(target.timeTo202Ms?.p99, 1)} ms (< 50: ${(target.timeTo202Ms?.p99 ?? Infinity) < 50 ? 'met' : 'missed'})`,
    );
  }
  saveResults(args, 'ingest', {
    scenario: 'ingest',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
  });
}
