import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { LIMITS } from './project-state';
import { createProjectStore } from './project-store';

let ts = Date.parse('2026-11-22T10:00:00Z');
const env = (seq: number, type: string, payload: Record<string, unknown>): Envelope => ({
  id: `e${seq}`,
  room: 'project:web',
  seq,
  type,
  ts: new Date((ts += 1000)).toISOString(),
  source: 'test',
  payload,
});
const build = (seq: number, buildId: string, status: string, progress: number, step: string) =>
  env(seq, 'build:progress', { buildId, status, progress, step });

describe('project store', () => {
  it('renders the snapshot at once and applies live events after it', () => {
    const store = createProjectStore();
    expect(store.getState().loaded).toBe(false);
    store
      .getState()
      .reset(
        [
          env(3, 'service:status', { service: 'api', status: 'running' }),
          build(7, 'b1', 'in-progress', 40, 'test'),
        ],
        9,
      );
    const state = store.getState();
    expect(state.loaded).toBe(true);
    expect(state.seq).toBe(9);
    expect(state.services.api?.latest.payload.status).toBe('running');
    expect(state.builds.b1?.latest.payload.progress).toBe(40);

    store
      .getState()
      .apply([
        build(10, 'b1', 'complete', 100, 'done'),
        env(11, 'service:status', { service: 'api', status: 'error' }),
      ]);
    expect(store.getState().builds.b1?.latest.payload.status).toBe('complete');
    expect(store.getState().builds.b1?.steps.map((s) => s.step)).toEqual(['test', 'done']);
    expect(store.getState().services.api?.history.map((h) => h.status)).toEqual(['running', 'error']);
  });

  it('ignores events it already has (dedupe by seq)', () => {
    const store = createProjectStore();
    store.getState().reset([], 0);
    store
      .getState()
      .apply([build(1, 'b1', 'queued', 0, 'queued'), build(2, 'b1', 'in-progress', 10, 'install')]);
    const before = store.getState();
    store
      .getState()
      .apply([build(2, 'b1', 'in-progress', 10, 'install'), build(1, 'b1', 'queued', 0, 'queued')]);
    expect(store.getState()).toBe(before);
    expect(store.getState().activity).toHaveLength(2);
  });

  it('backfills history under the snapshot without regressing live state', () => {
    const store = createProjectStore();
    // Snapshot at seq 6: b1 complete (seq 5), service api running (seq 6).
    const snapshot = [
      build(5, 'b1', 'complete', 100, 'package'),
      env(6, 'service:status', { service: 'api', status: 'running' }),
    ];
    store.getState().reset(snapshot, 6);
    store.getState().apply([build(7, 'b2', 'queued', 0, 'queued')]);
    // History arrives late: b1's earlier steps and a notification.
    store
      .getState()
      .backfill([
        build(1, 'b1', 'queued', 0, 'queued'),
        build(2, 'b1', 'in-progress', 20, 'install'),
        build(3, 'b1', 'in-progress', 60, 'test'),
        env(4, 'notification', { level: 'info', title: 'hello' }),
        build(5, 'b1', 'complete', 100, 'package'),
        env(6, 'service:status', { service: 'api', status: 'running' }),
      ]);
    const state = store.getState();
    expect(state.builds.b1?.latest.payload.status).toBe('complete');
    expect(state.builds.b1?.steps.map((s) => s.step)).toEqual(['queued', 'install', 'test', 'package']);
    expect(state.builds.b2?.latest.payload.status).toBe('queued');
    expect(state.notifications.map((n) => n.payload.title)).toEqual(['hello']);
    expect(state.activity.map((e) => e.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(state.seq).toBe(7);
  });

  it('keeps every list and series bounded', () => {
    const store = createProjectStore();
    store.getState().reset([], 0);
    const events: Envelope[] = [];
    for (let seq = 1; seq <= 1000; seq++) {
      events.push(
        env(seq, 'docker:stats', { container: 'db', cpuPercent: seq % 100, memUsage: 1, memLimit: 2 }),
      );
    }
    for (let seq = 1001; seq <= 1500; seq++)
      events.push(env(seq, 'notification', { level: 'info', title: `n${seq}` }));
    store.getState().apply(events);
    const state = store.getState();
    expect(state.containers.db?.series).toHaveLength(LIMITS.series);
    expect(state.containers.db?.series.at(-1)?.cpuPercent).toBe(1000 % 100);
    expect(state.notifications).toHaveLength(LIMITS.notifications);
    expect(state.activity).toHaveLength(LIMITS.activity);
    // Samples stay out of the activity feed.
    expect(state.activity.every((e) => e.type === 'notification')).toBe(true);
  });

  it('tracks benchmark runs, regressions and baselines', () => {
    const store = createProjectStore();
    store.getState().reset([], 0);
    store.getState().apply([
      env(1, 'run:started', { runId: 'r1', suite: 'api' }),
      env(2, 'run:progress', { runId: 'r1', suite: 'api', progress: 50 }),
      env(3, 'regression:detected', {
        runId: 'r1',
        test: 'GET /',
        metric: 'p99',
        baseline: 10,
        current: 15,
        changePercent: 50,
        severity: 'high',
      }),
      env(4, 'run:complete', { runId: 'r1', suite: 'api', progress: 100 }),
      env(5, 'baseline:updated', { name: 'main', runId: 'r1', test: 'GET /' }),
    ]);
    const state = store.getState();
    expect(state.benchmarkRuns.r1?.status).toBe('complete');
    expect(state.regressions[0]?.payload.severity).toBe('high');
    expect(Object.keys(state.baselines)).toEqual(['main']);
  });
});
