import { describe, expect, it } from 'vitest';
import {
  hostCpuPercent,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  processCpuPercent,
  samplesBetween,
  takeReading,
  type RawReading,
} from './proc-stats';

const STAT_A = `cpu  1000 50 500 8000 200 10 40 0 30 0
cpu0 500 25 250 4000 100 5 20 0 15 0
cpu1 500 25 250 4000 100 5 20 0 15 0
intr 123456 0 0
ctxt 987654
btime 1700000000
processes 4242
procs_running 2
procs_blocked 0
`;
// 200 jiffies later: 100 busy (user +60, system +40), 100 idle (idle +90, iowait +10).
const STAT_B = `cpu  1060 50 540 8090 210 10 40 0 30 0
cpu0 530 25 270 4045 105 5 20 0 15 0
cpu1 530 25 270 4045 105 5 20 0 15 0
intr 123999 0 0
`;

const MEMINFO = `MemTotal:       16303428 kB
MemFree:         1024000 kB
MemAvailable:    8151714 kB
Buffers:          204800 kB
Cached:          4096000 kB
SwapCached:            0 kB
HugePages_Total:       0
`;

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 9999999   12345    0    0    0     0          0         0  9999999   12345    0    0    0     0       0          0
  eth0: 1500000    3000    0    0    0     0          0         0   250000    2000    0    0    0     0       0          0
wlan0:   500000    1000    0    0    0     0          0         0    50000     500    0    0    0     0       0          0
`;

describe('/proc parsers', () => {
  it('reads the aggregate cpu line and counts cores', () => {
    expect(parseProcStat(STAT_A)).toEqual({
      idle: 8000 + 200,
      total: 1000 + 50 + 500 + 8000 + 200 + 10 + 40 + 0,
      cores: 2,
    });
  });

  it('rejects text without a cpu line', () => {
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
    expect(parseProcStat('cpu  a b c d\n')).toBeNull();
  });

  it('reads MemTotal and MemAvailable in bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 16303428 * 1024, availableBytes: 8151714 * 1024 });
  });

  it('falls back to free + buffers + cached on kernels without MemAvailable', () => {
    const old = MEMINFO.split('\n')
      .filter((line) => !line.startsWith('MemAvailable'))
      .join('\n');
    expect(parseMeminfo(old)?.availableBytes).toBe((1024000 + 204800 + 4096000) * 1024);
    expect(parseMeminfo('nonsense')).toBeNull();
  });

  it('sums network bytes over interfaces except loopback', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ rxBytes: 2_000_000, txBytes: 300_000 });
    expect(parseNetDev(NET_DEV.split('\n').slice(0, 3).join('\n'))).toBeNull();
  });
});

describe('CPU delta math', () => {
  it('host CPU is busy share x cores x 100 (docker stats scale)', () => {
    const a = parseProcStat(STAT_A);
    const b = parseProcStat(STAT_B);
    if (a === null || b === null) throw new Error('fixtures did not parse');
    // 100 busy of 200 jiffies on 2 cores = one core's worth.
    expect(hostCpuPercent(a, b)).toBe(100);
  });

  it('reports 0 rather than NaN for no elapsed ticks or a counter reset', () => {
    const a = { idle: 100, total: 200, cores: 4 };
    expect(hostCpuPercent(a, a)).toBe(0);
    expect(hostCpuPercent(a, { idle: 50, total: 100, cores: 4 })).toBe(0);
  });

  it('process CPU is CPU time over wall time', () => {
    const prev = { user: 1_000_000, system: 500_000 };
    // 150 ms user + 50 ms system over 400 ms wall = 50 %.
    expect(processCpuPercent(prev, { user: 1_150_000, system: 550_000 }, 400)).toBe(50);
    // Two cores busy: beyond 100, like docker stats.
    expect(processCpuPercent(prev, { user: 2_000_000, system: 1_500_000 }, 1000)).toBe(200);
    expect(processCpuPercent(prev, prev, 0)).toBe(0);
  });

  it('turns two readings into host and opsroom-server samples', () => {
    const cpuA = parseProcStat(STAT_A);
    const cpuB = parseProcStat(STAT_B);
    const mem = parseMeminfo(MEMINFO);
    if (cpuA === null || cpuB === null || mem === null) throw new Error('fixtures did not parse');
    const prev: RawReading = {
      at: 1000,
      cpu: cpuA,
      mem,
      net: null,
      processCpu: { user: 0, system: 0 },
      rssBytes: 1,
    };
    const next: RawReading = {
      at: 2000,
      cpu: cpuB,
      mem,
      net: { rxBytes: 10, txBytes: 20 },
      processCpu: { user: 100_000, system: 0 },
      rssBytes: 123_456_789,
    };
    expect(samplesBetween(prev, next)).toEqual([
      {
        container: 'host',
        cpuPercent: 100,
        memUsage: (16303428 - 8151714) * 1024,
        memLimit: 16303428 * 1024,
        netRx: 10,
        netTx: 20,
      },
      { container: 'opsroom-server', cpuPercent: 10, memUsage: 123_456_789, memLimit: 16303428 * 1024 },
    ]);
  });

  it('falls back to the os module where /proc is missing', async () => {
    const reading = await takeReading(() => Promise.resolve(null));
    expect(reading.cpu.cores).toBeGreaterThan(0);
    expect(reading.cpu.total).toBeGreaterThan(0);
    expect(reading.mem.totalBytes).toBeGreaterThan(0);
    expect(reading.net).toBeNull();
    expect(reading.rssBytes).toBeGreaterThan(0);
  });
});
