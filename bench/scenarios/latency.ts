/**
 * End-to-end latency at light load: 100 subscribers, 10 events/s, every subscriber timing every
 * envelope from `payload.t` (set just before the `POST /api/events` leaves the publisher) to
 * receipt. At this rate the room is idle between events, so each one should go out at once
 * (PROTOCOL.md section 5): this is the figure a person watching a dashboard feels. Runs the
 * fan-out machinery with light-load defaults; `--repeat` rounds (default 3) give the median.
 */
import type { Args } from '../lib/args';
import { median } from '../lib/median';
import { fmt, formatTable, machineInfo, progress, runLabel, type Column } from '../lib/report';
import {
  FANOUT_DEFAULTS,
  OPTIONS as FANOUT_OPTIONS,
  printNotes,
  readConfig,
  runRounds,
  saveResults,
  selectVariants,
  type FanoutResult,
} from './fanout';

export const OPTIONS = FANOUT_OPTIONS;

const columns = (rounds: number): Array<Column<FanoutResult>> => [
  { header: 'variant', value: (r) => r.variant, align: 'left' },
  { header: 'run', value: (r) => runLabel(r, rounds) },
  { header: 'subs', value: (r) => fmt(r.connected) },
  { header: 'ev/s', value: (r) => fmt(r.acceptedRate, 1) },
  { header: 'samples', value: (r) => fmt(r.latencyMs?.samples) },
  { header: 'fraction', value: (r) => fmt(r.fractionDelivered, 3) },
  { header: 'p50 ms', value: (r) => fmt(r.latencyMs?.p50, 2) },
  { header: 'p99 ms', value: (r) => fmt(r.latencyMs?.p99, 2) },
  { header: 'max ms', value: (r) => fmt(r.latencyMs?.max, 1) },
  { header: 'pub p50 ms', value: (r) => fmt(r.publish?.requestMs?.p50, 2) },
  { header: 'pub p99 ms', value: (r) => fmt(r.publish?.requestMs?.p99, 2) },
  { header: 'ev/frame', value: (r) => fmt(r.eventsPerFrame, 2) },
  { header: 'srv CPU %', value: (r) => fmt(r.server?.cpuPercent) },
  { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
  { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
];

export async function runLatency(args: Args): Promise<void> {
  const config = readConfig(args, {
    ...FANOUT_DEFAULTS,
    subscribers: [100],
    rates: [10],
    durationSec: 30,
    variants: ['opsroom-batched'],
    // Every subscriber decodes and times every envelope (cheap at 10 events/s): set below.
    repeat: 3,
  });
  if (args.raw('sample-sockets') === undefined) config.sampleSockets = Math.max(...config.subscribers);
  const variants = selectVariants(config);
  const startedAt = new Date().toISOString();
  progress(`latency: ${variants.map((v) => v.name).join(', ')}, ${config.repeat} round(s)`);
  const { runs, medians } = await runRounds(config, variants);

  console.log('');
  console.log(
    `latency: POST to receipt, every subscriber timed, ${config.durationSec} s per run, ${config.repeat} round(s)`,
  );
  console.log(formatTable([...runs, ...medians], columns(config.repeat)));
  printNotes(runs);
  for (const variant of variants) {
    const own = runs.filter((r) => r.variant === variant.name && !r.error && r.latencyMs);
    if (own.length === 0) continue;
    const p50 = median(own.map((r) => r.latencyMs?.p50 ?? Number.NaN));
    const p99 = median(own.map((r) => r.latencyMs?.p99 ?? Number.NaN));
    console.log(
      `target (${variant.name}, median of ${own.length}): p50 ${fmt(p50, 2)} ms (< 5: ${p50 < 5 ? 'met' : 'missed'}), ` +
        `p99 ${fmt(p99, 2)} ms (< 25: ${p99 < 25 ? 'met' : 'missed'})`,
    );
  }
  saveResults(args, 'latency', {
    scenario: 'latency',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
  });
}
