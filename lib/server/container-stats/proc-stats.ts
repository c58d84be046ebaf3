/**
 * Host and process resource figures for docker:stats when no Docker daemon answers, read from
 * Linux /proc with an `os`-module fallback (macOS dev machines). Parsers are pure so fixtures
 * can test them.
 *
 * CPU follows `docker stats`: 100 means one core fully busy, so a 4-core host tops out at
 * 400 and the server process (always a subset of the host) is on the same scale.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';

export interface CpuTimes {
  /** Jiffies (or ms from `os.cpus()`) spent idle, including iowait. */
  idle: number;
  /** All jiffies, busy and idle. */
  total: number;
  cores: number;
}

export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
}

export interface NetTotals {
  rxBytes: number;
  txBytes: number;
}

/** The aggregate `cpu` line of /proc/stat; null when the text has none. */
export function parseProcStat(text: string): CpuTimes | null {
  let times: number[] | null = null;
  let cores = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      times = line.trim().split(/\s+/).slice(1).map(Number);
    } else if (/^cpu\d+\s/.test(line)) {
      cores += 1;
    }
  }
  if (times === null || times.length < 4 || times.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal; guest/guest_nice are already inside user/nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = times;
  return {
    idle: idle + iowait,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
    cores: Math.max(cores, 1),
  };
}

/** /proc/meminfo; MemAvailable where the kernel has it (3.14+), else free + buffers + cached. */
export function parseMeminfo(text: string): MemInfo | null {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) kb.set(match[1], Number(match[2]));
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return null;
  const available =
    kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { totalBytes: total * 1024, availableBytes: Math.min(available, total) * 1024 };
}

/** Byte counters of /proc/net/dev summed over every interface except loopback. */
export function parseNetDev(text: string): NetTotals | null {
  let rxBytes = 0;
  let txBytes = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    // Header lines contain '|' and no colon-separated counters; 16 counters per interface.
    if (name === '' || name.includes('|') || fields.length < 9) continue;
    if (name === 'lo') continue;
    const rx = fields[0];
    const tx = fields[8];
    if (rx === undefined || tx === undefined || !Number.isFinite(rx) || !Number.isFinite(tx)) continue;
    rxBytes += rx;
    txBytes += tx;
    seen = true;
  }
  return seen ? { rxBytes, txBytes } : null;
}

/** Host CPU between two readings, docker-stats scale (0 to cores x 100). */
export function hostCpuPercent(prev: CpuTimes, next: CpuTimes): number {
  const total = next.total - prev.total;
  const idle = next.idle - prev.idle;
  // No ticks elapsed (or a counter reset after a snapshot restore): report idle, not NaN.
  if (total <= 0 || idle < 0) return 0;
  const busy = Math.min(Math.max((total - idle) / total, 0), 1);
  return round2(busy * next.cores * 100);
}

/** Process CPU from two `process.cpuUsage()` readings (microseconds) over elapsedMs of wall time. */
export function processCpuPercent(prev: NodeJS.CpuUsage, next: NodeJS.CpuUsage, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const usedMicros = next.user - prev.user + (next.system - prev.system);
  return round2((Math.max(usedMicros, 0) / (elapsedMs * 1000)) * 100);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** One raw reading; two of them make a sample with rates. */
export interface RawReading {
  /** Monotonic milliseconds (performance.now), for process CPU. */
  at: number;
  cpu: CpuTimes;
  mem: MemInfo;
  net: NetTotals | null;
  processCpu: NodeJS.CpuUsage;
  rssBytes: number;
}

export type ReadText = (file: string) => Promise<string | null>;

const readProcText: ReadText = (file) => readFile(file, 'utf8').catch(() => null);

function cpuFromOs(): CpuTimes {
  let idle = 0;
  let total = 0;
  const cpus = os.cpus();
  for (const { times } of cpus) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total, cores: Math.max(cpus.length, 1) };
}

/** Reads /proc (or falls back to `os`) plus this process's CPU time and RSS. */
export async function takeReading(read: ReadText = readProcText): Promise<RawReading> {
  const [stat, meminfo, netdev] = await Promise.all([
    read('/proc/stat'),
    read('/proc/meminfo'),
    read('/proc/net/dev'),
  ]);
  return {
    at: performance.now(),
    cpu: (stat === null ? null : parseProcStat(stat)) ?? cpuFromOs(),
    mem: (meminfo === null ? null : parseMeminfo(meminfo)) ?? {
      totalBytes: os.totalmem(),
      availableBytes: os.freemem(),
    },
    net: netdev === null ? null : parseNetDev(netdev),
    processCpu: process.cpuUsage(),
    rssBytes: process.memoryUsage.rss(),
  };
}

export interface ContainerSample {
  container: string;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  netRx?: number;
  netTx?: number;
}

export const HOST_CONTAINER = 'host';
export const SERVER_CONTAINER = 'opsroom-server';

/** The two docker:stats payloads (host, server process) for the interval between two readings. */
export function samplesBetween(prev: RawReading, next: RawReading): ContainerSample[] {
  const host: ContainerSample = {
    container: HOST_CONTAINER,
    cpuPercent: hostCpuPercent(prev.cpu, next.cpu),
    memUsage: next.mem.totalBytes - next.mem.availableBytes,
    memLimit: next.mem.totalBytes,
  };
  // Cumulative counters, as docker stats reports them.
  if (next.net !== null) {
    host.netRx = next.net.rxBytes;
    host.netTx = next.net.txBytes;
  }
  const server: ContainerSample = {
    container: SERVER_CONTAINER,
    cpuPercent: processCpuPercent(prev.processCpu, next.processCpu, next.at - prev.at),
    memUsage: next.rssBytes,
    memLimit: next.mem.totalBytes,
  };
  return [host, server];
}
