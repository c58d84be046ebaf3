/**
 * Server and load-client resource usage read from /proc, so every variant (the Opsroom
 * server and the baselines, all child processes) is measured the same way.
 * CPU is utime+stime summed over a process and its descendants; RSS is VmRSS summed the same way.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, asked once; 100 on practically every Linux). */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      clockTicks = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The pid and all its live descendants (via /proc/<pid>/task/<tid>/children). */
export function processTree(rootPid: number): number[] {
  const seen = new Set<number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (pid === undefined || seen.has(pid)) continue;
    if (readText(`/proc/${pid}/stat`) === null) continue;
    seen.add(pid);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      tasks = [];
    }
    for (const tid of tasks) {
      const children = readText(`/proc/${pid}/task/${tid}/children`);
      if (!children) continue;
      for (const child of children.trim().split(/\s+/)) {
        const childPid = Number(child);
        if (Number.isInteger(childPid) && childPid > 0) stack.push(childPid);
      }
    }
  }
  return [...seen];
}

/** CPU seconds (user + system) used so far by one process; 0 when it is gone. */
function cpuSecondsOf(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return 0;
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12.
  const utime = Number(fields[11] ?? 0);
  const stime = Number(fields[12] ?? 0);
  return (utime + stime) / clkTck();
}

function rssBytesOf(pid: number): number {
  const status = readText(`/proc/${pid}/status`);
  const match = status?.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

export interface UsageSample {
  /** performance.now() when taken. */
  atMs: number;
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU seconds and RSS of several process trees together (e.g. all load clients). */
export function sampleUsage(rootPids: readonly number[]): UsageSample {
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const root of rootPids) {
    for (const pid of processTree(root)) {
      cpuSeconds += cpuSecondsOf(pid);
      rssBytes += rssBytesOf(pid);
    }
  }
  return { atMs: performance.now(), cpuSeconds, rssBytes };
}

/**
 * Samples RSS periodically between start() and stop() to report the peak, and CPU at both
 * ends to report the average CPU over the window.
 */
export class UsageWindow {
  private first: UsageSample | null = null;
  private last: UsageSample | null = null;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pids: () => readonly number[],
    private readonly everyMs = 500,
  ) {}

  start(): void {
    this.first = sampleUsage(this.pids());
    this.peakRss = this.first.rssBytes;
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, sampleUsage(this.pids()).rssBytes);
    }, this.everyMs);
  }

  stop(): {
    cpuSeconds: number;
    wallSeconds: number;
    cpuPercent: number;
    rssPeakBytes: number;
    rssEndBytes: number;
  } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last = sampleUsage(this.pids());
    const first = this.first ?? this.last;
    this.peakRss = Math.max(this.peakRss, this.last.rssBytes);
    const cpuSeconds = this.last.cpuSeconds - first.cpuSeconds;
    const wallSeconds = (this.last.atMs - first.atMs) / 1000;
    return {
      cpuSeconds,
      wallSeconds,
      cpuPercent: wallSeconds > 0 ? (cpuSeconds / wallSeconds) * 100 : 0,
      rssPeakBytes: this.peakRss,
      rssEndBytes: this.last.rssBytes,
    };
  }
}

export interface MachineCpuSample {
  busyTicks: number;
  totalTicks: number;
}

/** Whole-machine CPU counters from /proc/stat (all cores), to tell when the box itself was saturated. */
export function sampleMachineCpu(): MachineCpuSample {
  const line = readText('/proc/stat')?.split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

/** Busy share of the whole machine between two samples, in percent of all cores. */
export function machineBusyPercent(from: MachineCpuSample, to: MachineCpuSample): number {
  const total = to.totalTicks - from.totalTicks;
  return total > 0 ? ((to.busyTicks - from.busyTicks) / total) * 100 : 0;
}

/**
 * Whole-machine busy % and the CPU of "everything else" over a window, given the CPU of the
 * processes a scenario accounts for (server, load clients; the bench process itself is added
 * here). A high "other" means interference from outside the benchmark: rerun when quieter.
 */
export class BoxWindow {
  private readonly machine0 = sampleMachineCpu();
  private readonly self0 = process.cpuUsage();
  private readonly t0 = performance.now();

  stop(accountedCpuPercent: number): {
    machineBusyPercent: number;
    otherCpuPercent: number;
    benchCpuPercent: number;
  } {
    const wallSeconds = (performance.now() - this.t0) / 1000;
    const self = process.cpuUsage(this.self0);
    const benchCpuPercent = wallSeconds > 0 ? ((self.user + self.system) / 1e6 / wallSeconds) * 100 : 0;
    const busy = machineBusyPercent(this.machine0, sampleMachineCpu());
    const cores = os.cpus().length;
    return {
      machineBusyPercent: busy,
      otherCpuPercent: Math.max(0, busy * cores - accountedCpuPercent - benchCpuPercent),
      benchCpuPercent,
    };
  }
}
