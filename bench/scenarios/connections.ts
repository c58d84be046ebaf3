/**
 * Connections: server memory per idle subscribed connection and the time to connect them, for
 * Opsroom, a plain Socket.IO server and a raw `ws` server. Per variant and count: start the
 * server, let it settle, read its RSS, connect and subscribe `count` clients (`--connect-concurrency`
 * handshakes in flight per load process), let it settle, read RSS again:
 * KB/conn = (RSS after - RSS before) / connections. That figure still holds the connect storm's
 * garbage and heap growth V8 has not given back yet; after `--idle-sec` more seconds of idle (V8's
 * memory reducer runs a full GC once allocation stays low) RSS is read once more: KB/conn idle,
 * the steady cost of an idle subscribed connection. With `--hold-minutes M` the connections are
 * then held idle for M minutes (engine.io pings keep flowing) while RSS is sampled: the run
 * reports disconnects and how RSS moved over the hold (flat = no leak per connection).
 */
import type { Args } from '../lib/args';
import { LoadPool } from '../lib/load-pool';
import { medianOfRuns } from '../lib/median';
import { BoxWindow, sampleUsage, UsageWindow } from '../lib/proc-stats';
import { failureText, fmt, formatTable, machineInfo, progress, runLabel, type Column } from '../lib/report';
import { round, sleep } from '../lib/stats';
import type { RunningTarget } from '../targets/types';
import { variantCatalogue, type Variant } from '../variants';
import { saveResults } from './fanout';

const ROOM = 'project:bench';

export const OPTIONS = [
  'connections',
  'variants',
  'clients',
  'connect-concurrency',
  'settle',
  'idle-sec',
  'hold-minutes',
  'repeat',
  'profile-dir',
  'results-dir',
  'no-json',
] as const;

interface ConnectionsConfig {
  counts: number[];
  variants: string[];
  clientProcesses: number;
  connectConcurrency: number;
  settleSec: number;
  idleSec: number;
  holdMinutes: number;
  repeat: number;
  profileDir: string | null;
}

interface ConnectionsResult {
  round: number;
  variant: string;
  requested: number;
  connected: number;
  error?: string;
  connectErrors?: string[];
  connectSeconds?: number;
  connectsPerSec?: number;
  /** Server CPU seconds spent on the handshakes (auth, join, subscribe). */
  connectCpuSeconds?: number;
  rssBeforeMB?: number;
  rssAfterMB?: number;
  kbPerConnection?: number;
  /** After `idleSec` more seconds idle. */
  rssIdleMB?: number;
  kbPerConnectionIdle?: number;
  hold?: {
    minutes: number;
    openAtEnd: number;
    disconnects: number;
    disconnectReasons: Record<string, number>;
    rssStartMB: number;
    rssEndMB: number;
    rssMaxMB: number;
    /** RSS end - start over the hold, MB. */
    rssDriftMB: number;
    samples: Array<{ atSec: number; rssMB: number; open: number }>;
  };
  loadBusiestPercent?: number;
  machineBusyPercent?: number;
  otherCpuPercent?: number;
}

function readConfig(args: Args): ConnectionsConfig {
  const catalogue = variantCatalogue({ maxEvents: 10, maxWaitMs: 100 }).map((variant) => variant.name);
  const variants = args.list('variants', ['opsroom-batched', 'plain-socketio', 'raw-ws-batched']);
  const unknown = variants.filter((name) => !catalogue.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown variant(s) ${unknown.join(', ')}; known: ${catalogue.join(', ')}`);
  return {
    counts: args.numbers('connections', [1000, 10_000]).map(Math.round),
    variants,
    clientProcesses: Math.max(1, Math.round(args.number('clients', 2))),
    connectConcurrency: Math.max(1, Math.round(args.number('connect-concurrency', 50))),
    settleSec: args.number('settle', 3),
    idleSec: args.number('idle-sec', 30),
    holdMinutes: args.number('hold-minutes', 0),
    repeat: Math.max(1, Math.round(args.number('repeat', 1))),
    profileDir: args.raw('profile-dir') ?? null,
  };
}

const MB = 2 ** 20;
const rssOf = (pid: number): number => sampleUsage([pid]).rssBytes;

async function runOne(
  variant: Variant,
  count: number,
  config: ConnectionsConfig,
  roundNumber: number,
): Promise<ConnectionsResult> {
  const result: ConnectionsResult = {
    round: roundNumber,
    variant: variant.name,
    requested: count,
    connected: 0,
  };
  const label = `${variant.name} ${count} connections${config.repeat > 1 ? ` round ${roundNumber}` : ''}`;
  let target: RunningTarget | null = null;
  let pool: LoadPool | null = null;
  try {
    progress(`${label}: starting server`);
    target = await variant.start({
      room: ROOM,
      env: { ...variant.env },
      maxSockets: 4,
      ...(config.profileDir === null ? {} : { profileDir: config.profileDir }),
    });
    const running = target;
    pool = await LoadPool.start(config.clientProcesses);
    const clients = pool;
    await sleep(config.settleSec * 1000);
    const rssBefore = rssOf(running.pid);

    progress(`${label}: connecting`);
    const usage = new UsageWindow(() => [running.pid]);
    const perClient = clients.pids.map((pid) => new UsageWindow(() => [pid]));
    usage.start();
    for (const window of perClient) window.start();
    const box = new BoxWindow();
    const t0 = performance.now();
    const connect = await clients.connect(running.endpoint, count, {
      sampleSockets: 0,
      concurrency: config.connectConcurrency,
      countedType: 'bench:tick',
      timeoutMs: 120_000,
    });
    const connectSeconds = (performance.now() - t0) / 1000;
    const srv = usage.stop();
    const loads = perClient.map((window) => window.stop());
    const machine = box.stop(srv.cpuPercent + loads.reduce((sum, load) => sum + load.cpuPercent, 0));
    result.connected = connect.connected;
    if (connect.errors.length > 0) result.connectErrors = connect.errors;
    if (connect.connected === 0) throw new Error(`no connection: ${connect.errors.join('; ')}`);
    result.connectSeconds = round(connectSeconds, 2);
    result.connectsPerSec = round(connect.connected / connectSeconds, 0);
    result.connectCpuSeconds = round(srv.cpuSeconds, 2);
    result.loadBusiestPercent = round(Math.max(...loads.map((load) => load.cpuPercent)), 1);
    result.machineBusyPercent = round(machine.machineBusyPercent, 1);
    result.otherCpuPercent = round(machine.otherCpuPercent, 1);

    await sleep(config.settleSec * 1000);
    const rssAfter = rssOf(running.pid);
    result.rssBeforeMB = round(rssBefore / MB, 1);
    result.rssAfterMB = round(rssAfter / MB, 1);
    result.kbPerConnection = round((rssAfter - rssBefore) / 1024 / connect.connected, 1);
    progress(
      `${label}: ${fmt(connectSeconds, 1)} s to connect, ${fmt(result.kbPerConnection, 1)} KB per connection`,
    );
    if (config.idleSec > 0) {
      await sleep(config.idleSec * 1000);
      const rssIdle = rssOf(running.pid);
      result.rssIdleMB = round(rssIdle / MB, 1);
      result.kbPerConnectionIdle = round((rssIdle - rssBefore) / 1024 / connect.connected, 1);
      progress(
        `${label}: ${fmt(result.kbPerConnectionIdle, 1)} KB per connection after ${config.idleSec} s idle`,
      );
    }

    if (config.holdMinutes > 0) {
      progress(`${label}: holding ${config.holdMinutes} min`);
      const samples: Array<{ atSec: number; rssMB: number; open: number }> = [];
      const holdStart = performance.now();
      const holdMs = config.holdMinutes * 60_000;
      for (;;) {
        const atSec = (performance.now() - holdStart) / 1000;
        const counts = await clients.count();
        samples.push({ atSec: round(atSec, 0), rssMB: round(rssOf(running.pid) / MB, 1), open: counts.open });
        if (atSec * 1000 >= holdMs) break;
        await sleep(Math.min(10_000, holdMs - atSec * 1000));
      }
      const end = await clients.count();
      const first = samples[0];
      const last = samples.at(-1);
      result.hold = {
        minutes: config.holdMinutes,
        openAtEnd: end.open,
        disconnects: end.disconnects,
        disconnectReasons: end.disconnectReasons,
        rssStartMB: first?.rssMB ?? 0,
        rssEndMB: last?.rssMB ?? 0,
        rssMaxMB: Math.max(...samples.map((sample) => sample.rssMB)),
        rssDriftMB: round((last?.rssMB ?? 0) - (first?.rssMB ?? 0), 1),
        samples,
      };
    }
  } catch (error) {
    result.error = failureText(error);
    progress(`${label}: FAILED ${result.error}`);
  } finally {
    await pool?.close().catch(() => undefined);
    await target?.stop().catch(() => undefined);
  }
  return result;
}

const columns = (rounds: number): Array<Column<ConnectionsResult>> => [
  { header: 'variant', value: (r) => r.variant, align: 'left' },
  { header: 'run', value: (r) => runLabel(r, rounds) },
  {
    header: 'connected',
    value: (r) => fmt(r.connected) + (r.connected < r.requested ? `/${fmt(r.requested)}` : ''),
  },
  { header: 'connect s', value: (r) => fmt(r.connectSeconds, 2) },
  { header: 'conn/s', value: (r) => fmt(r.connectsPerSec) },
  { header: 'srv CPU-s', value: (r) => fmt(r.connectCpuSeconds, 2) },
  { header: 'RSS before MB', value: (r) => fmt(r.rssBeforeMB, 1) },
  { header: 'RSS after MB', value: (r) => fmt(r.rssAfterMB, 1) },
  { header: 'KB/conn', value: (r) => fmt(r.kbPerConnection, 1) },
  { header: 'RSS idle MB', value: (r) => fmt(r.rssIdleMB, 1) },
  { header: 'KB/conn idle', value: (r) => fmt(r.kbPerConnectionIdle, 1) },
  { header: 'hold min', value: (r) => fmt(r.hold?.minutes, 1) },
  { header: 'disconnects', value: (r) => fmt(r.hold?.disconnects) },
  { header: 'RSS drift MB', value: (r) => fmt(r.hold?.rssDriftMB, 1) },
  { header: 'load max %', value: (r) => fmt(r.loadBusiestPercent) },
  { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
  { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
];

export async function runConnections(args: Args): Promise<void> {
  const config = readConfig(args);
  const catalogue = variantCatalogue({ maxEvents: 10, maxWaitMs: 100 });
  const variants = config.variants
    .map((name) => catalogue.find((variant) => variant.name === name))
    .filter((variant): variant is Variant => variant !== undefined);
  const startedAt = new Date().toISOString();
  const runs: ConnectionsResult[] = [];
  for (const count of config.counts) {
    for (let roundNumber = 1; roundNumber <= config.repeat; roundNumber += 1) {
      for (const variant of variants) {
        runs.push(await runOne(variant, count, config, roundNumber));
        await sleep(500);
      }
    }
  }
  const medians: ConnectionsResult[] = [];
  if (config.repeat > 1) {
    for (const count of config.counts) {
      for (const variant of variants) {
        const same = runs.filter((r) => r.variant === variant.name && r.requested === count && !r.error);
        if (same.length > 0) medians.push({ ...medianOfRuns(same), round: 0 });
      }
    }
  }

  console.log('');
  console.log(
    `connections: idle subscribed connections, ${config.clientProcesses} load processes, ` +
      `${config.connectConcurrency} handshakes in flight per process`,
  );
  console.log(formatTable([...runs, ...medians], columns(config.repeat)));
  for (const r of runs) {
    const notes: string[] = [];
    if (r.error) notes.push(`error: ${r.error}`);
    if (r.connectErrors) notes.push(`connect errors: ${r.connectErrors.join('; ')}`);
    if (r.hold && r.hold.disconnects > 0)
      notes.push(`disconnects: ${JSON.stringify(r.hold.disconnectReasons)}`);
    if (notes.length > 0) console.log(`  ${r.variant} ${r.requested} run ${r.round}: ${notes.join(' / ')}`);
  }
  for (const r of medians.length > 0 ? medians : runs) {
    if (r.variant !== 'opsroom-batched' || r.kbPerConnectionIdle === undefined) continue;
    const plain = (medians.length > 0 ? medians : runs).find(
      (other) =>
        other.variant === 'plain-socketio' && other.requested === r.requested && other.round === r.round,
    );
    const verdict = r.kbPerConnectionIdle <= 20 ? 'met' : 'missed';
    console.log(
      `target @ ${fmt(r.requested)} connections: opsroom ${fmt(r.kbPerConnectionIdle, 1)} KB/conn idle ` +
        `(<= 20: ${verdict})` +
        (plain?.kbPerConnectionIdle === undefined
          ? ''
          : `, plain Socket.IO ${fmt(plain.kbPerConnectionIdle, 1)}`),
    );
  }
  saveResults(args, 'connections', {
    scenario: 'connections',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
  });
}
