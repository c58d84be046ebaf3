/**
 * Fan-out: N subscribers in one room, a fixed offered publish rate, each variant in turn on
 * a fresh server process. Per variant: start the server, connect and subscribe everyone,
 * publish warm-up events (not counted), then publish the measured events for `duration`
 * seconds, then wait (up to `drain` seconds) for the last deliveries.
 *
 * Figures (see bench/README.md): delivered/s counts envelopes received by all subscribers
 * during the publishing window; fraction = envelopes received by the end of the drain /
 * (events offered x subscribers connected), so events the target could not accept in time
 * count as undelivered (fractionOfAccepted in the JSON leaves them out); latency = receipt - payload.t on the sampled
 * subscribers; server CPU % and peak RSS over the publishing window (process tree).
 */
import os from 'node:os';
import type { Args } from '../lib/args';
import { LoadPool } from '../lib/load-pool';
import { logText } from '../lib/log-text';
import { medianOfRuns } from '../lib/median';
import { publishAtRate, type PublishStats } from '../lib/publisher';
import { machineBusyPercent, sampleMachineCpu, UsageWindow } from '../lib/proc-stats';
import {
  failureText,
  fmt,
  formatTable,
  machineInfo,
  progress,
  runLabel,
  writeResults,
  type Column,
} from '../lib/report';
import { round, sleep, summarizeLatencies, type LatencySummary } from '../lib/stats';
import type { RunningTarget } from '../targets/types';
import { variantCatalogue, type Variant } from '../variants';

const ROOM = 'project:bench';
const TICK_TYPE = 'bench:tick';
const WARM_TYPE = 'bench:warm';
const DEFAULT_VARIANTS = [
  'opsroom-batched',
  'opsroom-batch50',
  'opsroom-unbatched',
  'plain-socketio',
  'raw-ws-batched',
];
/** Above this CPU (% of one core) a load-client process may be what limits the figures. */
const LOAD_CLIENT_LIMIT_PERCENT = 80;

export const OPTIONS = [
  'subscribers',
  'rate',
  'duration',
  'warmup',
  'drain',
  'variants',
  'clients',
  'sample-sockets',
  'interval-ms',
  'max-per-request',
  'max-in-flight',
  'pad',
  'connect-concurrency',
  'batch-max',
  'batch-wait',
  'repeat',
  'profile-dir',
  'results-dir',
  'no-json',
] as const;

export interface FanoutConfig {
  subscribers: number[];
  rates: number[];
  durationSec: number;
  warmupSec: number;
  drainSec: number;
  variants: string[];
  clientProcesses: number;
  sampleSockets: number;
  intervalMs: number;
  maxPerRequest: number;
  maxInFlight: number;
  padBytes: number;
  connectConcurrency: number;
  batchMaxEvents: number;
  batchMaxWaitMs: number;
  /** Rounds: every variant runs once per round, variants alternating, so drift hits all alike. */
  repeat: number;
  /** Load clients offer permessage-deflate (as browsers do); the compression scenario. */
  clientDeflate: boolean;
  /** `fill`: `pad` bytes of 'x'; `logs`: `pad` bytes of varied log text (compresses realistically). */
  padStyle: 'fill' | 'logs';
  /** Write a server CPU profile per run here (`--cpu-prof`), or null. */
  profileDir: string | null;
}

/** Scenario-specific defaults for readConfig (latency and compression reuse fan-out). */
export interface FanoutDefaults {
  subscribers: number[];
  rates: number[];
  durationSec: number;
  variants: string[];
  sampleSockets: number;
  padBytes: number;
  padStyle: 'fill' | 'logs';
  clientDeflate: boolean;
  repeat: number;
}

export const FANOUT_DEFAULTS: FanoutDefaults = {
  subscribers: [1000],
  rates: [200],
  durationSec: 10,
  variants: DEFAULT_VARIANTS,
  sampleSockets: 20,
  padBytes: 32,
  padStyle: 'fill',
  clientDeflate: false,
  repeat: 1,
};

export interface FanoutResult {
  /** 1-based round (see --repeat); 0 for a median over rounds. */
  round: number;
  variant: string;
  description: string;
  subscribers: number;
  connected: number;
  offeredRate: number;
  error?: string;
  connectErrors?: string[];
  connectSeconds?: number;
  publish?: PublishStats;
  acceptedRate?: number;
  windowSeconds?: number;
  deliveriesInWindow?: number;
  deliveredPerSec?: number;
  expectedDeliveries?: number;
  deliveriesTotal?: number;
  /** Envelopes received by the end of the drain / (events offered x subscribers connected). */
  fractionDelivered?: number;
  /** The same over the events the target accepted (differs when the publisher had to skip). */
  fractionOfAccepted?: number;
  framesPerSec?: number;
  eventsPerFrame?: number;
  latencyMs?: LatencySummary;
  server?: { cpuPercent: number; cpuSeconds: number; rssPeakMB: number; rssEndMB: number };
  /** busiestPercent: the most loaded load-client process (100 = one core); over 80 = load-bound. */
  loadClients?: { processes: number; cpuPercent: number; busiestPercent: number; rssPeakMB: number };
  /** A load-client process passed 80% CPU: it may have been the limit, so efficiency is not valid. */
  loadBound?: boolean;
  /** TCP bytes the subscribers read in the window (after compression, framing included). */
  wireBytes?: number;
  wireBytesPerDelivery?: number;
  wireMBPerSec?: number;
  /** The bench parent (publisher and orchestration), for judging whether the load side interfered. */
  publisherCpuPercent?: number;
  /** Whole machine busy %, all cores; near 100 means the box, not only the server, was the limit. */
  machineBusyPercent?: number;
  /**
   * CPU used by everything else on the box (other processes, kernel network work not charged
   * to a process), in % of one core; a high value during a run means outside interference.
   */
  otherCpuPercent?: number;
  cpuSecondsPerMillionDeliveries?: number;
  disconnects?: number;
  disconnectReasons?: Record<string, number>;
}

export function readConfig(args: Args, defaults: FanoutDefaults = FANOUT_DEFAULTS): FanoutConfig {
  const catalogue = variantCatalogue({ maxEvents: 10, maxWaitMs: 100 }).map((variant) => variant.name);
  let variants = args.list('variants', defaults.variants);
  if (variants.length === 1 && variants[0] === 'all') variants = catalogue;
  const unknown = variants.filter((name) => !catalogue.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown variant(s) ${unknown.join(', ')}; known: ${catalogue.join(', ')}, all`);
  return {
    subscribers: args.numbers('subscribers', defaults.subscribers).map(Math.round),
    rates: args.numbers('rate', defaults.rates),
    durationSec: args.number('duration', defaults.durationSec),
    warmupSec: args.number('warmup', 2),
    drainSec: args.number('drain', 10),
    variants,
    clientProcesses: Math.max(1, Math.round(args.number('clients', os.cpus().length))),
    sampleSockets: Math.round(args.number('sample-sockets', defaults.sampleSockets)),
    intervalMs: Math.max(1, args.number('interval-ms', 20)),
    maxPerRequest: Math.min(100, Math.max(1, Math.round(args.number('max-per-request', 100)))),
    maxInFlight: Math.max(1, Math.round(args.number('max-in-flight', 16))),
    padBytes: Math.round(args.number('pad', defaults.padBytes)),
    connectConcurrency: Math.max(1, Math.round(args.number('connect-concurrency', 50))),
    batchMaxEvents: Math.max(1, Math.round(args.number('batch-max', 10))),
    batchMaxWaitMs: Math.round(args.number('batch-wait', 100)),
    repeat: Math.max(1, Math.round(args.number('repeat', defaults.repeat))),
    clientDeflate: defaults.clientDeflate,
    padStyle: defaults.padStyle,
    profileDir: args.raw('profile-dir') ?? null,
  };
}

const MB = 2 ** 20;

export async function runVariant(
  variant: Variant,
  subscribers: number,
  rate: number,
  config: FanoutConfig,
  roundNumber = 1,
): Promise<FanoutResult> {
  const result: FanoutResult = {
    round: roundNumber,
    variant: variant.name,
    description: variant.description,
    subscribers,
    connected: 0,
    offeredRate: rate,
  };
  const label = `${variant.name} ${subscribers} subs ${rate} ev/s${config.repeat > 1 ? ` round ${roundNumber}` : ''}`;
  let target: RunningTarget | null = null;
  let pool: LoadPool | null = null;
  try {
    progress(`${label}: starting server`);
    target = await variant.start({
      room: ROOM,
      env: { ...variant.env },
      maxSockets: config.maxInFlight,
      ...(config.profileDir === null ? {} : { profileDir: config.profileDir }),
    });
    const running = target;
    pool = await LoadPool.start(config.clientProcesses);
    const clients = pool;

    progress(`${label}: connecting ${subscribers} subscribers from ${config.clientProcesses} processes`);
    const connectStart = performance.now();
    const connect = await clients.connect(running.endpoint, subscribers, {
      sampleSockets: config.sampleSockets,
      concurrency: config.connectConcurrency,
      countedType: TICK_TYPE,
      timeoutMs: 60_000,
      deflate: config.clientDeflate,
    });
    result.connectSeconds = round((performance.now() - connectStart) / 1000, 1);
    result.connected = connect.connected;
    if (connect.errors.length > 0) result.connectErrors = connect.errors;
    if (connect.connected === 0) throw new Error(`no subscriber connected: ${connect.errors.join('; ')}`);

    const fill = 'x'.repeat(config.padBytes);
    const pad = config.padStyle === 'logs' ? (i: number) => logText(i, config.padBytes) : fill;
    const publishOptions = {
      room: ROOM,
      rate,
      intervalMs: config.intervalMs,
      maxPerRequest: config.maxPerRequest,
      maxInFlight: config.maxInFlight,
      pad,
    };
    if (config.warmupSec > 0) {
      progress(`${label}: warm-up ${config.warmupSec} s`);
      await publishAtRate(running, {
        ...publishOptions,
        type: WARM_TYPE,
        durationMs: config.warmupSec * 1000,
      });
      // let the last warm-up batches leave before counting starts
      await sleep(Math.max(500, config.batchMaxWaitMs * 2));
    }
    await clients.reset();

    progress(`${label}: measuring ${config.durationSec} s`);
    const serverUsage = new UsageWindow(() => [running.pid]);
    const clientUsage = new UsageWindow(() => clients.pids);
    const perClientUsage = clients.pids.map((pid) => new UsageWindow(() => [pid]));
    serverUsage.start();
    clientUsage.start();
    for (const usage of perClientUsage) usage.start();
    const machine0 = sampleMachineCpu();
    const parent0 = process.cpuUsage();
    const t0 = performance.now();
    const publish = await publishAtRate(running, {
      ...publishOptions,
      type: TICK_TYPE,
      durationMs: config.durationSec * 1000,
    });
    const inWindow = await clients.count();
    const windowSeconds = (performance.now() - t0) / 1000;
    const server = serverUsage.stop();
    const load = clientUsage.stop();
    const busiestClient = Math.max(0, ...perClientUsage.map((usage) => usage.stop().cpuPercent));
    const parentCpu = process.cpuUsage(parent0);
    const machineBusy = machineBusyPercent(machine0, sampleMachineCpu());

    // Drain: wait for the deliveries still on their way, until complete or no progress.
    const expected = publish.accepted * connect.connected;
    const drainStart = performance.now();
    let last = inWindow.deliveries;
    let lastProgress = performance.now();
    const stallMs = Math.max(1500, config.batchMaxWaitMs * 3);
    while (last < expected && performance.now() - drainStart < config.drainSec * 1000) {
      await sleep(200);
      const now = await clients.count();
      if (now.deliveries > last) {
        last = now.deliveries;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > stallMs) {
        break;
      }
    }
    const final = await clients.collect();

    result.publish = publish;
    result.acceptedRate = round(publish.accepted / windowSeconds, 1);
    result.windowSeconds = round(windowSeconds, 2);
    result.deliveriesInWindow = inWindow.deliveries;
    result.deliveredPerSec = round(inWindow.deliveries / windowSeconds, 0);
    result.expectedDeliveries = expected;
    result.deliveriesTotal = final.deliveries;
    const offeredDeliveries = publish.offered * connect.connected;
    result.fractionDelivered = offeredDeliveries > 0 ? round(final.deliveries / offeredDeliveries, 4) : 0;
    result.fractionOfAccepted = expected > 0 ? round(final.deliveries / expected, 4) : 0;
    result.framesPerSec = round(inWindow.frames / windowSeconds, 0);
    result.eventsPerFrame = inWindow.frames > 0 ? round(inWindow.deliveries / inWindow.frames, 2) : 0;
    result.latencyMs = summarizeLatencies(final.latenciesMs);
    result.latencyMs = {
      samples: result.latencyMs.samples,
      p50: round(result.latencyMs.p50, 2),
      p99: round(result.latencyMs.p99, 2),
      max: round(result.latencyMs.max, 2),
      mean: round(result.latencyMs.mean, 2),
    };
    result.server = {
      cpuPercent: round(server.cpuPercent, 1),
      cpuSeconds: round(server.cpuSeconds, 2),
      rssPeakMB: round(server.rssPeakBytes / MB, 1),
      rssEndMB: round(server.rssEndBytes / MB, 1),
    };
    result.loadClients = {
      processes: config.clientProcesses,
      cpuPercent: round(load.cpuPercent, 1),
      busiestPercent: round(busiestClient, 1),
      rssPeakMB: round(load.rssPeakBytes / MB, 1),
    };
    result.loadBound = busiestClient > LOAD_CLIENT_LIMIT_PERCENT;
    result.wireBytes = inWindow.wireBytes;
    result.wireBytesPerDelivery =
      inWindow.deliveries > 0 ? round(inWindow.wireBytes / inWindow.deliveries, 1) : Number.NaN;
    result.wireMBPerSec = round(inWindow.wireBytes / MB / windowSeconds, 2);
    result.publisherCpuPercent = round(((parentCpu.user + parentCpu.system) / 1e6 / windowSeconds) * 100, 1);
    result.machineBusyPercent = round(machineBusy, 1);
    result.otherCpuPercent = round(
      Math.max(
        0,
        machineBusy * os.cpus().length - server.cpuPercent - load.cpuPercent - result.publisherCpuPercent,
      ),
      1,
    );
    result.cpuSecondsPerMillionDeliveries =
      inWindow.deliveries > 0 ? round(server.cpuSeconds / (inWindow.deliveries / 1e6), 2) : Number.NaN;
    result.disconnects = final.disconnects;
    if (final.disconnects > 0) result.disconnectReasons = final.disconnectReasons;
    progress(
      `${label}: ${fmt(result.deliveredPerSec)} deliveries/s, fraction ${fmt(result.fractionDelivered, 3)}, ` +
        `p50 ${fmt(result.latencyMs.p50, 1)} ms, p99 ${fmt(result.latencyMs.p99, 1)} ms, server CPU ${fmt(server.cpuPercent)}%`,
    );
  } catch (error) {
    result.error = failureText(error);
    progress(`${label}: FAILED ${result.error}`);
  } finally {
    await pool?.close().catch(() => undefined);
    await target?.stop().catch(() => undefined);
  }
  return result;
}

export function fanoutColumns(rounds: number): Array<Column<FanoutResult>> {
  return [
    { header: 'variant', value: (r) => r.variant, align: 'left' },
    { header: 'run', value: (r) => runLabel(r, rounds) },
    {
      header: 'subs',
      value: (r) => fmt(r.connected) + (r.connected < r.subscribers ? `/${r.subscribers}` : ''),
    },
    { header: 'offered ev/s', value: (r) => fmt(r.offeredRate) },
    { header: 'accepted ev/s', value: (r) => fmt(r.acceptedRate) },
    { header: 'delivered/s', value: (r) => fmt(r.deliveredPerSec) },
    { header: 'fraction', value: (r) => fmt(r.fractionDelivered, 3) },
    { header: 'ev/frame', value: (r) => fmt(r.eventsPerFrame, 1) },
    { header: 'p50 ms', value: (r) => fmt(r.latencyMs?.p50, 1) },
    { header: 'p99 ms', value: (r) => fmt(r.latencyMs?.p99, 1) },
    { header: 'max ms', value: (r) => fmt(r.latencyMs?.max, 1) },
    { header: 'srv CPU %', value: (r) => fmt(r.server?.cpuPercent) },
    { header: 'srv RSS MB', value: (r) => fmt(r.server?.rssPeakMB) },
    // "!" marks a figure taken while a load client was over 80% CPU (not a valid efficiency).
    {
      header: 'CPU-s/M deliv',
      value: (r) => fmt(r.cpuSecondsPerMillionDeliveries, 2) + (r.loadBound === true ? '!' : ''),
    },
    { header: 'pub p99 ms', value: (r) => fmt(r.publish?.requestMs?.p99, 0) },
    { header: 'load CPU %', value: (r) => fmt(r.loadClients?.cpuPercent) },
    { header: 'load max %', value: (r) => fmt(r.loadClients?.busiestPercent) },
    { header: 'pub CPU %', value: (r) => fmt(r.publisherCpuPercent) },
    { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
    { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
  ];
}

/**
 * Every (subscribers, rate) x variant, `config.repeat` rounds with the variants alternating
 * inside each round (A B C, A B C, ...), so slow drift on a shared box hits every variant alike.
 * Returns every run and, per (variant, subscribers, rate), the median of its rounds (round 0).
 */
export async function runRounds(
  config: FanoutConfig,
  variants: readonly Variant[],
): Promise<{ runs: FanoutResult[]; medians: FanoutResult[] }> {
  const runs: FanoutResult[] = [];
  for (const subscribers of config.subscribers) {
    for (const rate of config.rates) {
      for (let round = 1; round <= config.repeat; round += 1) {
        for (const variant of variants) {
          runs.push(await runVariant(variant, subscribers, rate, config, round));
          await sleep(500);
        }
      }
    }
  }
  const medians: FanoutResult[] = [];
  if (config.repeat > 1) {
    for (const subscribers of config.subscribers) {
      for (const rate of config.rates) {
        for (const variant of variants) {
          const same = runs.filter(
            (r) =>
              r.variant === variant.name &&
              r.subscribers === subscribers &&
              r.offeredRate === rate &&
              !r.error,
          );
          if (same.length === 0) continue;
          const combined = medianOfRuns(same);
          medians.push({ ...combined, round: 0, loadBound: same.some((r) => r.loadBound === true) });
        }
      }
    }
  }
  return { runs, medians };
}

/** The variants a scenario asked for, in order. */
export function selectVariants(config: FanoutConfig): Variant[] {
  const catalogue = variantCatalogue({ maxEvents: config.batchMaxEvents, maxWaitMs: config.batchMaxWaitMs });
  return config.variants
    .map((name) => catalogue.find((variant) => variant.name === name))
    .filter((variant): variant is Variant => variant !== undefined);
}

/** Errors, failed publishes, disconnects and load-bound runs, one line per run that had any. */
export function printNotes(results: readonly FanoutResult[]): void {
  for (const result of results) {
    const notes: string[] = [];
    if (result.error) notes.push(`error: ${result.error}`);
    if (result.connectErrors) notes.push(`connect errors: ${result.connectErrors.join('; ')}`);
    if (result.publish && (result.publish.failedRequests > 0 || result.publish.skipped > 0)) {
      notes.push(
        `publish: ${result.publish.failedRequests} failed requests (${result.publish.rateLimited} rate-limited), ` +
          `${result.publish.skipped} events skipped (in-flight cap)${result.publish.errors[0] ? `; first: ${result.publish.errors[0]}` : ''}`,
      );
    }
    if (result.disconnects) notes.push(`disconnects: ${JSON.stringify(result.disconnectReasons)}`);
    if (result.loadBound)
      notes.push(
        `a load client used ${fmt(result.loadClients?.busiestPercent)}% CPU (> ${LOAD_CLIENT_LIMIT_PERCENT}%): ` +
          'it may be the bottleneck, so CPU-s/M deliv is not a valid efficiency figure (use more --clients or fewer subscribers)',
      );
    if (notes.length > 0) console.log(`  ${result.variant} run ${result.round}: ${notes.join(' / ')}`);
  }
}

/** Writes the JSON result file unless --no-json; prints where. */
export function saveResults(args: Args, scenario: string, data: Record<string, unknown>): void {
  if (args.flag('no-json')) return;
  const dir = args.raw('results-dir');
  const file = dir === undefined ? writeResults(scenario, data) : writeResults(scenario, data, dir);
  console.log(`\nresults written to ${file}`);
}

const ratio = (a: number | undefined, b: number | undefined): number =>
  a !== undefined && b !== undefined && b > 0 ? a / b : Number.NaN;

export interface EfficiencyRatios {
  subscribers: number;
  rate: number;
  round: number;
  /** plain Socket.IO CPU-s/M over Opsroom's (target >= 5). */
  vsPlainSocketIo: number;
  /** Opsroom CPU-s/M over raw ws batched (target <= 1.5). */
  vsRawWs: number;
}

/** Issue #7's efficiency targets, per round (ratios within one run) and their median. */
export function efficiencyRatios(
  runs: readonly FanoutResult[],
  subject = 'opsroom-batched',
): EfficiencyRatios[] {
  const out: EfficiencyRatios[] = [];
  const keys = new Set(runs.map((r) => `${r.subscribers}/${r.offeredRate}/${r.round}`));
  for (const key of keys) {
    const [subscribers = 0, rate = 0, round = 0] = key.split('/').map(Number);
    const cost = (variant: string): number | undefined =>
      runs.find(
        (r) =>
          r.variant === variant &&
          r.subscribers === subscribers &&
          r.offeredRate === rate &&
          r.round === round,
      )?.cpuSecondsPerMillionDeliveries;
    const own = cost(subject);
    out.push({
      subscribers,
      rate,
      round,
      vsPlainSocketIo: round2(ratio(cost('plain-socketio'), own)),
      vsRawWs: round2(ratio(own, cost('raw-ws-batched'))),
    });
  }
  return out.filter((r) => Number.isFinite(r.vsPlainSocketIo) || Number.isFinite(r.vsRawWs));
}

const round2 = (value: number): number => round(value, 2);

export async function runFanout(args: Args): Promise<void> {
  const config = readConfig(args);
  const variants = selectVariants(config);
  const startedAt = new Date().toISOString();
  progress(
    `fanout: ${variants.map((v) => v.name).join(', ')} x subscribers ${config.subscribers.join('/')} x rate ${config.rates.join('/')} ev/s, ` +
      `${config.durationSec} s each, ${config.repeat} round(s)`,
  );
  const { runs, medians } = await runRounds(config, variants);

  console.log('');
  console.log(
    `fanout: ${config.durationSec} s per variant, room ${ROOM}, ${config.clientProcesses} load processes, ${config.repeat} round(s)`,
  );
  console.log(formatTable([...runs, ...medians], fanoutColumns(config.repeat)));
  printNotes(runs);
  const ratios = efficiencyRatios(runs);
  for (const subscribers of config.subscribers) {
    for (const rate of config.rates) {
      const own = ratios.filter((r) => r.subscribers === subscribers && r.rate === rate);
      if (own.length === 0) continue;
      const list = (pick: (r: EfficiencyRatios) => number): string =>
        own.map((r) => fmt(pick(r), 2)).join(', ');
      const mid = (pick: (r: EfficiencyRatios) => number): string =>
        fmt(medianOfRuns(own.map((r) => ({ v: pick(r) }))).v, 2);
      console.log(
        `targets @ ${fmt(subscribers)} subs, ${fmt(rate)} ev/s: plain-socketio/opsroom-batched CPU-s/M = ${mid((r) => r.vsPlainSocketIo)}x ` +
          `(runs ${list((r) => r.vsPlainSocketIo)}; target >= 5x), opsroom-batched/raw-ws-batched = ${mid((r) => r.vsRawWs)}x ` +
          `(runs ${list((r) => r.vsRawWs)}; target <= 1.5x)`,
      );
    }
  }

  saveResults(args, 'fanout', {
    scenario: 'fanout',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
    efficiencyRatios: ratios,
  });
}
