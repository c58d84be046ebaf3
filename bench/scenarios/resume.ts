/**
 * Resume: `--clients-count` subscribers (default 1,000) are connected and subscribed, then all
 * lose their connection at once; `--missed` events (default 1,000) are published while they are
 * away; then all reconnect together and subscribe with `since` (their last seq), as the client
 * library does. A client has caught up when its subscribe reply, which carries the missed
 * events, has arrived; the figure is the time from the first reconnect to the last client caught
 * up, with the server CPU and peak RSS of that storm. Every missed envelope is counted.
 */
import type { Args } from '../lib/args';
import { LoadPool } from '../lib/load-pool';
import { medianOfRuns } from '../lib/median';
import { BoxWindow, UsageWindow } from '../lib/proc-stats';
import { failureText, fmt, formatTable, machineInfo, progress, runLabel, type Column } from '../lib/report';
import { round, sleep } from '../lib/stats';
import type { BenchEvent, RunningTarget } from '../targets/types';
import { variantCatalogue, type Variant } from '../variants';
import { saveResults } from './fanout';

const ROOM = 'project:bench';
const MISSED_TYPE = 'bench:tick';

export const OPTIONS = [
  'subscribers',
  'missed',
  'variants',
  'clients',
  'connect-concurrency',
  'pad',
  'repeat',
  'profile-dir',
  'results-dir',
  'no-json',
] as const;

interface ResumeConfig {
  subscribers: number;
  missed: number;
  variants: string[];
  clientProcesses: number;
  connectConcurrency: number;
  padBytes: number;
  repeat: number;
  profileDir: string | null;
}

interface ResumeResult {
  round: number;
  variant: string;
  subscribers: number;
  missed: number;
  error?: string;
  reconnected?: number;
  reconnectErrors?: string[];
  /** First reconnect to the last client holding all missed events. */
  catchUpSeconds?: number;
  /** Missed envelopes received in the subscribe replies / (subscribers x missed). */
  fractionCaughtUp?: number;
  envelopesPerSec?: number;
  server?: { cpuSeconds: number; cpuPercent: number; rssPeakMB: number };
  loadBusiestPercent?: number;
  machineBusyPercent?: number;
  otherCpuPercent?: number;
}

function readConfig(args: Args): ResumeConfig {
  const variants = args.list('variants', ['opsroom-batched']);
  const resumable = variantCatalogue({ maxEvents: 10, maxWaitMs: 100 })
    .filter((variant) => variant.name.startsWith('opsroom-'))
    .map((variant) => variant.name);
  const bad = variants.filter((name) => !resumable.includes(name));
  // The baselines keep no history, so there is nothing to resume from.
  if (bad.length > 0)
    throw new Error(`resume runs Opsroom variants only (${resumable.join(', ')}); got ${bad.join(', ')}`);
  return {
    subscribers: Math.max(1, Math.round(args.number('subscribers', 1000))),
    missed: Math.max(1, Math.round(args.number('missed', 1000))),
    variants,
    clientProcesses: Math.max(1, Math.round(args.number('clients', 2))),
    // A network blip brings everyone back at once: by default every handshake is in flight together.
    connectConcurrency: Math.max(1, Math.round(args.number('connect-concurrency', 1000))),
    padBytes: Math.round(args.number('pad', 32)),
    repeat: Math.max(1, Math.round(args.number('repeat', 1))),
    profileDir: args.raw('profile-dir') ?? null,
  };
}

const MB = 2 ** 20;

async function publishMissed(target: RunningTarget, count: number, pad: string): Promise<number> {
  let accepted = 0;
  for (let sent = 0; sent < count; sent += 100) {
    const events: BenchEvent[] = Array.from({ length: Math.min(100, count - sent) }, () => ({
      room: ROOM,
      type: MISSED_TYPE,
      payload: { t: performance.timeOrigin + performance.now(), pad },
    }));
    const reply = await target.publish(events);
    if (reply.error !== undefined) throw new Error(`publishing the missed events failed: ${reply.error}`);
    accepted += reply.accepted;
  }
  return accepted;
}

async function runOne(variant: Variant, config: ResumeConfig, roundNumber: number): Promise<ResumeResult> {
  const result: ResumeResult = {
    round: roundNumber,
    variant: variant.name,
    subscribers: config.subscribers,
    missed: config.missed,
  };
  const label = `resume ${variant.name} ${config.subscribers} x ${config.missed}${config.repeat > 1 ? ` round ${roundNumber}` : ''}`;
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
    const pad = 'x'.repeat(config.padBytes);

    // The seq the clients hold when they drop: one event before they connect.
    const first = await running.publish([{ room: ROOM, type: 'bench:warm', payload: { t: 0, pad } }]);
    if (first.error !== undefined) throw new Error(`first publish failed: ${first.error}`);
    const heldSeq = 1; // a fresh server: the room's first event
    progress(`${label}: connecting`);
    const initial = await clients.connect(running.endpoint, config.subscribers, {
      sampleSockets: 0,
      concurrency: 50,
      countedType: MISSED_TYPE,
      timeoutMs: 120_000,
    });
    if (initial.connected < config.subscribers)
      throw new Error(
        `only ${initial.connected} of ${config.subscribers} connected: ${initial.errors.join('; ')}`,
      );
    await clients.drop();
    // Let the server notice the closes before the missed events are published.
    await sleep(1000);
    const accepted = await publishMissed(running, config.missed, pad);
    if (accepted !== config.missed) throw new Error(`${accepted} of ${config.missed} missed events accepted`);
    // The hub may still hold the last ones in its batch window (BATCH_MAX_WAIT_MS): let them go
    // out to nobody, so that a client reconnecting at once does not get them live as well as in
    // its reply (the client library would drop the duplicates; the count here would not).
    await sleep(500);

    progress(`${label}: reconnecting with since=${heldSeq}`);
    const usage = new UsageWindow(() => [running.pid], 100);
    const perClient = clients.pids.map((pid) => new UsageWindow(() => [pid]));
    usage.start();
    for (const window of perClient) window.start();
    const box = new BoxWindow();
    const t0 = performance.now();
    const again = await clients.connect(running.endpoint, config.subscribers, {
      sampleSockets: 0,
      concurrency: Math.ceil(config.connectConcurrency / config.clientProcesses),
      countedType: MISSED_TYPE,
      timeoutMs: 120_000,
      since: heldSeq,
    });
    const seconds = (performance.now() - t0) / 1000;
    const srv = usage.stop();
    const loads = perClient.map((window) => window.stop());
    const machine = box.stop(srv.cpuPercent + loads.reduce((sum, load) => sum + load.cpuPercent, 0));
    const counts = await clients.count();

    result.reconnected = again.connected;
    if (again.errors.length > 0) result.reconnectErrors = again.errors;
    result.catchUpSeconds = round(seconds, 2);
    result.fractionCaughtUp = round(counts.deliveries / (config.subscribers * config.missed), 4);
    result.envelopesPerSec = round(counts.deliveries / seconds, 0);
    result.server = {
      cpuSeconds: round(srv.cpuSeconds, 2),
      cpuPercent: round(srv.cpuPercent, 1),
      rssPeakMB: round(srv.rssPeakBytes / MB, 1),
    };
    result.loadBusiestPercent = round(Math.max(...loads.map((load) => load.cpuPercent)), 1);
    result.machineBusyPercent = round(machine.machineBusyPercent, 1);
    result.otherCpuPercent = round(machine.otherCpuPercent, 1);
    progress(`${label}: all caught up in ${fmt(seconds, 2)} s (fraction ${fmt(result.fractionCaughtUp, 3)})`);
  } catch (error) {
    result.error = failureText(error);
    progress(`${label}: FAILED ${result.error}`);
  } finally {
    await pool?.close().catch(() => undefined);
    await target?.stop().catch(() => undefined);
  }
  return result;
}

const columns = (rounds: number): Array<Column<ResumeResult>> => [
  { header: 'variant', value: (r) => r.variant, align: 'left' },
  { header: 'run', value: (r) => runLabel(r, rounds) },
  {
    header: 'clients',
    value: (r) => fmt(r.reconnected) + ((r.reconnected ?? 0) < r.subscribers ? `/${r.subscribers}` : ''),
  },
  { header: 'missed each', value: (r) => fmt(r.missed) },
  { header: 'caught up s', value: (r) => fmt(r.catchUpSeconds, 2) },
  { header: 'fraction', value: (r) => fmt(r.fractionCaughtUp, 3) },
  { header: 'envelopes/s', value: (r) => fmt(r.envelopesPerSec) },
  { header: 'srv CPU-s', value: (r) => fmt(r.server?.cpuSeconds, 2) },
  { header: 'srv CPU %', value: (r) => fmt(r.server?.cpuPercent) },
  { header: 'srv RSS MB', value: (r) => fmt(r.server?.rssPeakMB) },
  { header: 'load max %', value: (r) => fmt(r.loadBusiestPercent) },
  { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
  { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
];

export async function runResume(args: Args): Promise<void> {
  const config = readConfig(args);
  const catalogue = variantCatalogue({ maxEvents: 10, maxWaitMs: 100 });
  const variants = config.variants
    .map((name) => catalogue.find((variant) => variant.name === name))
    .filter((variant): variant is Variant => variant !== undefined);
  const startedAt = new Date().toISOString();
  const runs: ResumeResult[] = [];
  for (let roundNumber = 1; roundNumber <= config.repeat; roundNumber += 1) {
    for (const variant of variants) runs.push(await runOne(variant, config, roundNumber));
  }
  const medians: ResumeResult[] = [];
  if (config.repeat > 1) {
    for (const variant of variants) {
      const same = runs.filter((r) => r.variant === variant.name && !r.error);
      if (same.length > 0) medians.push({ ...medianOfRuns(same), round: 0 });
    }
  }

  console.log('');
  console.log(
    `resume: ${fmt(config.subscribers)} clients drop, miss ${fmt(config.missed)} events each, reconnect together with since`,
  );
  console.log(formatTable([...runs, ...medians], columns(config.repeat)));
  for (const r of runs) {
    if (r.error) console.log(`  ${r.variant} run ${r.round}: error: ${r.error}`);
    else if (r.reconnectErrors)
      console.log(`  ${r.variant} run ${r.round}: reconnect errors: ${r.reconnectErrors.join('; ')}`);
  }
  const target = medians[0] ?? runs.find((r) => !r.error);
  if (target?.catchUpSeconds !== undefined) {
    console.log(
      `target (${target.variant}): ${fmt(target.catchUpSeconds, 2)} s for ${fmt(config.subscribers)} clients x ${fmt(config.missed)} events ` +
        `(< 10 s: ${target.catchUpSeconds < 10 && (target.fractionCaughtUp ?? 0) >= 1 ? 'met' : 'missed'})`,
    );
  }
  saveResults(args, 'resume', {
    scenario: 'resume',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
  });
}
