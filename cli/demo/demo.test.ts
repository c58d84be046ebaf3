/**
 * The demo workload without a server: every generated event passes the same validation the
 * server applies, and the workload is deterministic per seed and labelled as demo data. (The
 * publisher it uses is the SDK's: lib/sdk/publisher*.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE, type CatalogueType } from '@/lib/shared/events';
import { parseRoom } from '@/lib/shared/rooms';
import { validateEvent } from '@/lib/shared/validate-event';
import { UsageError } from '../args';
import type { DemoEvent } from './context';
import { DEFAULT_PROJECTS, parseDemoOptions } from './options';
import { Scheduler } from './scheduler';
import { simulate } from './simulation';

const START = Date.parse('2026-11-22T10:00:00.000Z');
const run = (seed: number, durationMs: number, projects = DEFAULT_PROJECTS) =>
  simulate({ seed, projects, durationMs, wallClock: (ms) => START + ms });

const long = run(1, 15 * 60_000);
const short = run(1, 6_000); // stopped mid-build and mid-benchmark
const of = (events: DemoEvent[], type: CatalogueType) => events.filter((e) => e.type === type);
const payloads = (events: DemoEvent[], type: CatalogueType) =>
  of(events, type).map((e) => e.payload as Record<string, unknown>);

describe('demo workload', () => {
  it('generates only events the server accepts, covering the whole catalogue', () => {
    const all = [...long.events, ...short.events];
    for (const event of all) {
      expect(() => validateEvent(event), `${event.type} ${JSON.stringify(event.payload)}`).not.toThrow();
      // Room stays as generated: logs already go to their logs room.
      expect(validateEvent(event).room).toBe(event.room);
    }
    const types = new Set(all.map((e) => e.type));
    expect([...types].sort()).toEqual(Object.keys(EVENT_CATALOGUE).sort());
  });

  it('labels everything as demo data', () => {
    for (const event of long.events) {
      const room = parseRoom(event.room);
      expect(room?.kind === 'project' || room?.kind === 'logs').toBe(true);
      if (room?.kind === 'project' || room?.kind === 'logs') expect(room.project).toMatch(/^demo-/);
    }
    for (const slug of DEFAULT_PROJECTS) {
      const first = long.events.find((e) => e.room === `project:${slug}`);
      expect(first).toMatchObject({
        type: 'notification',
        payload: { level: 'info', title: 'Demo data', body: 'Simulated by npm run demo' },
      });
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = run(1, 15 * 60_000);
    expect(again.events).toEqual(long.events);
    expect(again.notes).toEqual(long.notes);
    expect(run(2, 60_000).events).not.toEqual(run(1, 60_000).events);
  });

  it('runs builds through install → lint → test → build → package, about one in five failing at test', () => {
    const builds = payloads(long.events, 'build:progress');
    const byId = new Map<string, Array<Record<string, unknown>>>();
    for (const b of builds) byId.set(String(b.buildId), [...(byId.get(String(b.buildId)) ?? []), b]);
    const finals = [...byId.values()].map((updates) => updates.at(-1));
    const failed = finals.filter((b) => b?.status === 'failed');
    const complete = finals.filter((b) => b?.status === 'complete');
    expect(complete.length).toBeGreaterThan(10);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length / (failed.length + complete.length)).toBeLessThan(0.4);
    for (const f of failed) expect(f).toMatchObject({ step: 'test', currentStep: 3, totalSteps: 5 });
    for (const c of complete) expect(c).toMatchObject({ progress: 100, step: 'package', currentStep: 5 });
    for (const updates of byId.values()) {
      const steps = [...new Set(updates.map((u) => u.step))];
      expect(['queued', 'install', 'lint', 'test', 'build', 'package'].slice(0, steps.length)).toEqual(steps);
      const progress = updates.map((u) => Number(u.progress));
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    }
    // Every build has its own log stream, with ANSI colours and several levels.
    const buildId = String(builds[0]?.buildId);
    const lines = of(long.events, 'logs:stream')
      .filter((e) => e.room.endsWith(`:build-${buildId}`))
      .flatMap((e) => e.payload.lines as Array<{ text: string; level?: string }>);
    expect(lines.length).toBeGreaterThan(5);
    const allLines = of(long.events, 'logs:stream').flatMap(
      (e) => e.payload.lines as Array<{ text: string; level?: string }>,
    );
    expect(allLines.some((l) => l.text.includes('\u001b[32m✓\u001b[0m'))).toBe(true);
    expect(new Set(allLines.map((l) => l.level))).toEqual(new Set(['debug', 'info', 'warn', 'error']));
  });

  it('deploys passing main builds to staging then production, sometimes rolling back', () => {
    const deploys = payloads(long.events, 'deploy:progress');
    const finals = new Map(deploys.map((d) => [String(d.deployId), d]));
    const statuses = [...finals.values()].map((d) => `${d.environment}:${d.status}`);
    expect(statuses).toContain('staging:complete');
    expect(statuses).toContain('production:complete');
    const versions = new Set(deploys.map((d) => d.version));
    const passed = new Set(
      payloads(long.events, 'build:progress')
        .filter((b) => b.status === 'complete')
        .map((b) => String(b.message).split(' ')[1]),
    );
    for (const version of versions) expect(passed).toContain(version);
    expect(deploys.some((d) => d.status === 'rolled-back' && d.environment === 'production')).toBe(true);
  });

  it('keeps runners, workflow runs, scaling, containers, services and benchmarks plausible', () => {
    const runners = payloads(long.events, 'runner:status');
    expect(runners.some((r) => r.status === 'busy' && r.currentJob !== null)).toBe(true);
    expect(payloads(long.events, 'workflow:update').some((w) => w.conclusion === 'success')).toBe(true);
    const scales = payloads(long.events, 'scale');
    expect(new Set(scales.map((s) => s.direction))).toEqual(new Set(['up', 'down']));
    for (const s of scales) expect(Math.abs(Number(s.to) - Number(s.from))).toBe(1);

    const stats = payloads(long.events, 'docker:stats');
    const containers = new Set(stats.map((s) => s.container));
    expect(containers.size).toBe(4 * DEFAULT_PROJECTS.length);
    for (const container of containers) {
      const series = stats.filter((s) => s.container === container);
      expect(series.length).toBeGreaterThanOrEqual((15 * 60) / 2); // every 2 s
      const rx = series.map((s) => Number(s.netRx));
      expect(rx).toEqual([...rx].sort((a, b) => a - b));
      for (const s of series) expect(Number(s.memUsage)).toBeLessThan(Number(s.memLimit));
    }

    const services = payloads(long.events, 'service:status');
    expect(new Set(services.map((s) => s.service))).toEqual(
      new Set(['api', 'web', 'worker', 'postgres', 'redis']),
    );
    expect(services.some((s) => s.status === 'degraded')).toBe(true);

    const queries = payloads(long.events, 'db:query:result');
    expect(queries.some((q) => q.status === 'ok' && Array.isArray(q.rows))).toBe(true);
    expect(queries.some((q) => q.status === 'error' && typeof q.error === 'string')).toBe(true);

    for (const type of ['run:started', 'run:complete', 'regression:detected', 'analysis:complete'] as const)
      expect(of(long.events, type).length).toBeGreaterThanOrEqual(DEFAULT_PROJECTS.length);
    // The first run of every project finds one regression within half a minute.
    const early = run(1, 30_000);
    expect(of(early.events, 'regression:detected')).toHaveLength(DEFAULT_PROJECTS.length);
    expect(of(early.events, 'baseline:updated').length).toBeGreaterThan(0);
  });

  it('closes off what is in flight when stopped', () => {
    const last = (type: CatalogueType) => payloads(short.events, type).at(-1);
    expect(payloads(short.events, 'build:progress').some((b) => b.status === 'cancelled')).toBe(true);
    expect(last('run:failed')).toMatchObject({ error: 'Cancelled: the demo stopped' });
  });
});

describe('scheduler', () => {
  it('runs due tasks in time order, same-time tasks in scheduling order', () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    scheduler.after(20, () => seen.push('b'));
    scheduler.after(10, () => {
      seen.push('a');
      scheduler.after(5, () => seen.push('a+5'));
    });
    scheduler.after(20, () => seen.push('c'));
    const cancel = scheduler.after(15, () => seen.push('cancelled'));
    cancel();
    scheduler.advanceTo(30);
    expect(seen).toEqual(['a', 'a+5', 'b', 'c']);
    expect(scheduler.now).toBe(30);
  });
});

describe('options', () => {
  it('has defaults and reads OPSROOM_URL / OPSROOM_TOKEN', () => {
    expect(parseDemoOptions([], {})).toEqual({
      url: 'http://localhost:3000',
      speed: 1,
      projects: DEFAULT_PROJECTS,
    });
    expect(
      parseDemoOptions(['--speed', '4', '--duration', '8', '--seed', '1', '--projects', 'demo-a, demo-b'], {
        OPSROOM_URL: 'http://127.0.0.1:4000',
        OPSROOM_TOKEN: 'opsr_x',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:4000',
      token: 'opsr_x',
      speed: 4,
      duration: 8,
      seed: 1,
      projects: ['demo-a', 'demo-b'],
    });
    expect(parseDemoOptions(['--help'], {})).toBeNull();
  });

  it.each([
    [['--projects', 'shop'], /start with demo-/],
    [['--projects', 'demo-Shop'], /must match/],
    [['--speed', '0'], /--speed must be greater than 0/],
    [['--speed', 'fast'], /--speed must be a positive number/],
    [['--duration', '-3'], /duration/],
    [['--url', 'localhost:3000'], /--url must be an http\(s\) URL/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--colour'], /Unknown option/],
    [['extra'], /unexpected argument/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseDemoOptions(argv, {})).toThrow(UsageError);
    expect(() => parseDemoOptions(argv, {})).toThrow(message);
  });
});
