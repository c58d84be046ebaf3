/**
 * Compression: WebSocket per-message deflate off (Opsroom's default) and on
 * (OPSROOM_WS_COMPRESSION=on, frames of 1 KiB and more), with subscribers that offer deflate as
 * browsers do. Events carry ~1 KiB of varied log text (bench/lib/log-text.ts), so every frame
 * is over the threshold and compresses like a real log stream. Compared: bytes on the wire
 * (TCP bytes the subscribers read, framing included), server CPU and CPU per delivery, RSS
 * and latency. Runs the fan-out machinery with these defaults.
 */
import type { Args } from '../lib/args';
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
  { header: 'accepted ev/s', value: (r) => fmt(r.acceptedRate) },
  { header: 'delivered/s', value: (r) => fmt(r.deliveredPerSec) },
  { header: 'fraction', value: (r) => fmt(r.fractionDelivered, 3) },
  { header: 'ev/frame', value: (r) => fmt(r.eventsPerFrame, 1) },
  { header: 'wire MB/s', value: (r) => fmt(r.wireMBPerSec, 1) },
  { header: 'wire B/deliv', value: (r) => fmt(r.wireBytesPerDelivery) },
  { header: 'srv CPU %', value: (r) => fmt(r.server?.cpuPercent) },
  {
    header: 'CPU-s/M deliv',
    value: (r) => fmt(r.cpuSecondsPerMillionDeliveries, 2) + (r.loadBound === true ? '!' : ''),
  },
  { header: 'srv RSS MB', value: (r) => fmt(r.server?.rssPeakMB) },
  { header: 'p50 ms', value: (r) => fmt(r.latencyMs?.p50, 1) },
  { header: 'p99 ms', value: (r) => fmt(r.latencyMs?.p99, 1) },
  { header: 'load max %', value: (r) => fmt(r.loadClients?.busiestPercent) },
  { header: 'box busy %', value: (r) => fmt(r.machineBusyPercent) },
  { header: 'other CPU %', value: (r) => fmt(r.otherCpuPercent) },
];

export async function runCompression(args: Args): Promise<void> {
  const config = readConfig(args, {
    ...FANOUT_DEFAULTS,
    subscribers: [500],
    rates: [100],
    variants: ['opsroom-batched', 'opsroom-deflate'],
    padBytes: 1024,
    padStyle: 'logs',
    clientDeflate: true,
  });
  const variants = selectVariants(config);
  const startedAt = new Date().toISOString();
  progress(`compression: ${variants.map((v) => v.name).join(' vs ')}, ${config.repeat} round(s)`);
  const { runs, medians } = await runRounds(config, variants);

  console.log('');
  console.log(
    `compression: ~${config.padBytes} B log-text events, subscribers offer permessage-deflate, ${config.durationSec} s per run`,
  );
  console.log(formatTable([...runs, ...medians], columns(config.repeat)));
  printNotes(runs);
  saveResults(args, 'compression', {
    scenario: 'compression',
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    results: runs,
    medians,
  });
}
