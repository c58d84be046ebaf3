import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { dockerStatsSchema } from '@/lib/shared/events';
import { systemClock, type Clock } from '../hub/clock';
import { createProcSource } from './proc-source';

/** Against this machine's real /proc: figures a user would find plausible. */
describe('/proc source on this machine', () => {
  it('samples the host and this process with plausible CPU and memory', async () => {
    let pauses = 0;
    const clock: Clock = {
      ...systemClock,
      setTimeout: (callback, ms) => {
        pauses += 1;
        return systemClock.setTimeout(callback, ms);
      },
    };
    const source = createProcSource({ project: 'opsroom', clock, firstWindowMs: 200 });
    // Some work in this process so its CPU share is not trivially zero.
    const busyUntil = Date.now() + 50;
    setTimeout(() => {
      while (Date.now() < busyUntil) Math.sqrt(Math.random());
    }, 10);
    const events = await source.sample();
    expect(events.map((e) => [e.room, e.type, e.payload.container])).toEqual([
      ['project:opsroom', 'docker:stats', 'host'],
      ['project:opsroom', 'docker:stats', 'opsroom-server'],
    ]);
    const cores = os.cpus().length;
    const total = os.totalmem();
    for (const { payload } of events) {
      expect(dockerStatsSchema.safeParse(payload).success).toBe(true);
      expect(payload.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(payload.cpuPercent).toBeLessThanOrEqual(100 * cores);
      expect(payload.memUsage).toBeGreaterThan(0);
      expect(payload.memUsage).toBeLessThanOrEqual(payload.memLimit);
      // /proc/meminfo and os.totalmem() read the same MemTotal.
      expect(payload.memLimit).toBe(total);
    }
    const [host, server] = events.map((e) => e.payload);
    // The process is part of the host: its memory cannot exceed the host's use.
    expect(server?.memUsage).toBeLessThanOrEqual(host?.memUsage ?? 0);
    // Network counters exist when the host has an interface besides loopback.
    if (host?.netRx !== undefined) expect(host.netTx).toBeGreaterThanOrEqual(0);

    expect(pauses).toBe(1);

    // The next sample reuses this reading (no second window); cumulative counters only grow.
    const next = await source.sample();
    expect(pauses).toBe(1);
    expect(next[0]?.payload.netRx ?? 0).toBeGreaterThanOrEqual(host?.netRx ?? 0);
    // After a reset (nobody watched for a while) it measures a fresh window again.
    source.reset();
    await source.sample();
    expect(pauses).toBe(2);
  });
});
