import { describe, expect, it } from 'vitest';
import type { WsStats } from '@/lib/shared/api-types';
import type { Principal } from '../auth/principal';
import { parseEnv } from '../config';
import type { Clock } from '../hub/clock';
import { createLogger } from '../logger';
import { createSelfReporter, type SelfReporterOptions } from './self-reporter';

interface Published {
  at: number;
  room: string;
  type: string;
  payload: Record<string, unknown>;
  source: string;
}

/** Manual clock: timers run only when the test advances time. */
function fakeClock(start = Date.parse('2026-11-22T10:00:00Z')) {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      nextId += 1;
      timers.set(nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    clock,
    pending: () => timers.size,
    settle,
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
      await settle();
    },
  };
}

function setup(overrides: Partial<SelfReporterOptions> = {}) {
  const time = fakeClock();
  const published: Published[] = [];
  const written: string[] = [];
  const logger = createLogger('info', { instance: 'test' }, { write: (s: string) => written.push(s) });
  let pingFails = false;
  let publishFails = false;
  const systemRoom = new Set<string>();
  const stats: WsStats = {
    totalClients: 1,
    totalRooms: 1,
    clientsPerRoom: { system: 1 },
    instances: [{ id: 'i1', clients: 1, startedAt: '2026-11-22T10:00:00.000Z' }],
    eventsPerSec: 0,
  };
  const reporter = createSelfReporter({
    hub: {
      publish: (inputs: unknown[], principal: Principal) => {
        if (publishFails) return Promise.reject(new Error('store down'));
        const source = principal.kind === 'system' ? `system:${principal.name}` : 'other';
        for (const input of inputs as Array<Omit<Published, 'at' | 'source'>>) {
          published.push({ ...input, at: time.clock.now(), source });
        }
        return Promise.resolve([]);
      },
    },
    store: {
      kind: 'sqlite',
      ping: () => (pingFails ? Promise.reject(new Error('disk I/O error')) : Promise.resolve()),
    },
    realtime: {
      stats: () => stats,
      io: { sockets: { adapter: { rooms: new Map([['system', systemRoom]]) } } },
    },
    config: { redisUrl: null, instanceId: 'i1', limits: { maxPayloadBytes: 1024 * 1024 } },
    logger,
    clock: time.clock,
    version: '9.9.9',
    ...overrides,
  });
  return {
    time,
    reporter,
    logger,
    published,
    written,
    systemRoom,
    setPingFails: (value: boolean) => (pingFails = value),
    setPublishFails: (value: boolean) => (publishFails = value),
    of: (type: string) => published.filter((event) => event.type === type),
  };
}

describe('self-reporter', () => {
  it('publishes service statuses at once and leaves docker:stats to the stats sampler', async () => {
    const t = setup();
    t.reporter.start();
    await t.time.settle();
    const statuses = t.of('service:status');
    expect(statuses.map((e) => e.payload.service)).toEqual(['server', 'database']);
    expect(statuses[0]).toMatchObject({
      room: 'project:opsroom',
      source: 'system:opsroom',
      payload: { status: 'running', version: '9.9.9', health: { status: 'healthy' } },
    });
    expect(statuses[1]?.payload).toMatchObject({ status: 'running', message: 'sqlite' });

    // Unchanged statuses wait for their heartbeat; host stats are no longer the reporter's.
    await t.time.advance(30_000);
    expect(t.of('service:status')).toHaveLength(2);
    expect(t.of('docker:stats')).toHaveLength(0);
    await t.reporter.stop();
  });

  it('reports redis as unknown only when REDIS_URL is set', async () => {
    const t = setup({
      config: { redisUrl: 'redis://localhost:6379', instanceId: 'i1', limits: { maxPayloadBytes: 65536 } },
    });
    t.reporter.start();
    await t.time.settle();
    expect(t.of('service:status').find((e) => e.payload.service === 'redis')?.payload).toMatchObject({
      status: 'unknown',
      health: { status: 'unknown' },
    });
    await t.reporter.stop();
  });

  it('reports redis from its ping when the cluster link is given', async () => {
    let up = true;
    const t = setup({
      config: { redisUrl: 'redis://localhost:6379', instanceId: 'i1', limits: { maxPayloadBytes: 65536 } },
      redisPing: () => Promise.resolve(up),
    });
    t.reporter.start();
    await t.time.settle();
    const redis = () => t.of('service:status').filter((e) => e.payload.service === 'redis');
    expect(redis().at(-1)?.payload).toMatchObject({ status: 'running', health: { status: 'healthy' } });
    up = false;
    await t.time.advance(5000);
    expect(redis().at(-1)?.payload).toMatchObject({ status: 'error', health: { status: 'unhealthy' } });
    await t.reporter.stop();
  });

  it('re-publishes statuses on change and otherwise at most once a minute', async () => {
    const t = setup();
    t.reporter.start();
    await t.time.advance(30_000);
    expect(t.of('service:status')).toHaveLength(2);

    t.setPingFails(true);
    await t.time.advance(5_000);
    const database = t.of('service:status').filter((e) => e.payload.service === 'database');
    expect(database.at(-1)?.payload).toMatchObject({ status: 'error', health: { status: 'unhealthy' } });
    expect(t.of('service:status').filter((e) => e.payload.service === 'server')).toHaveLength(1);

    await t.time.advance(30_000); // server heartbeat due at 60 s
    expect(t.of('service:status').filter((e) => e.payload.service === 'server')).toHaveLength(2);
    expect(t.of('service:status').filter((e) => e.payload.service === 'database')).toHaveLength(2);
    await t.reporter.stop();
  });

  it('publishes system:stats every 2 s only while the system room has subscribers', async () => {
    const t = setup();
    t.reporter.start();
    await t.time.advance(10_000);
    expect(t.of('system:stats')).toHaveLength(0);

    t.systemRoom.add('socket-1');
    await t.time.advance(4_000);
    const stats = t.of('system:stats');
    expect(stats).toHaveLength(2);
    expect(stats[0]).toMatchObject({ room: 'system', payload: { totalClients: 1, uptimeSec: 12 } });
    expect(stats[0]?.payload.rssBytes).toBeGreaterThan(0);

    t.systemRoom.clear();
    await t.time.advance(10_000);
    expect(t.of('system:stats')).toHaveLength(2);
    await t.reporter.stop();
  });

  it('tees its log into logs:opsroom:server every 500 ms, one event per flush', async () => {
    const t = setup();
    t.reporter.start();
    t.logger.info({ port: 3000 }, 'listening');
    for (let i = 0; i < 1500; i += 1) t.logger.child({ module: 'x' }).warn({ i }, 'busy');
    t.logger.debug('not teed');
    await t.time.advance(500);
    const logs = t.of('logs:stream');
    expect(logs).toHaveLength(1);
    expect(logs[0]?.room).toBe('logs:opsroom:server');
    const lines = logs[0]?.payload.lines as Array<{ text: string; level: string }>;
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toMatchObject({ text: 'listening port=3000', level: 'info' });
    await t.time.advance(500);
    expect(t.of('logs:stream')).toHaveLength(2);
    expect((t.of('logs:stream')[1]?.payload.lines as unknown[]).length).toBe(501);
    await t.time.advance(5_000);
    expect(t.of('logs:stream')).toHaveLength(2); // idle log: nothing to send
    await t.reporter.stop();
  });

  it('keeps each logs:stream event within the payload limit', async () => {
    const t = setup({
      config: { redisUrl: null, instanceId: 'i1', limits: { maxPayloadBytes: 64 * 1024 } },
    });
    t.reporter.start();
    for (let i = 0; i < 1000; i += 1)
      t.logger.info({ requestId: `r-${i}`, path: '/api/events' }, 'request handled');
    await t.time.advance(500);
    const first = t.of('logs:stream')[0]?.payload;
    expect(Buffer.byteLength(JSON.stringify(first))).toBeLessThanOrEqual(64 * 1024);
    const taken = (first?.lines as unknown[]).length;
    expect(taken).toBeGreaterThan(100);
    expect(taken).toBeLessThan(1000);
    await t.time.advance(5_000);
    const total = t.of('logs:stream').reduce((sum, e) => sum + (e.payload.lines as unknown[]).length, 0);
    expect(total).toBe(1000);
    await t.reporter.stop();
  });

  it('cannot feed itself: a failing store yields one warning per outage, not a loop', async () => {
    const t = setup();
    t.reporter.start();
    await t.time.settle();
    t.setPublishFails(true);
    t.logger.info('before the outage');
    await t.time.advance(30_000);
    const warnings = t.written.filter((line) => line.includes('self-report publish failed'));
    // One per kind of publish (service-status, logs), whatever the number of ticks.
    expect(warnings.length).toBeLessThanOrEqual(3);
    expect(t.written.length).toBeLessThan(10);

    t.setPublishFails(false);
    // The next line to send is the first publish after the outage.
    t.logger.info('after the outage');
    await t.time.advance(1_000);
    const texts = t
      .of('logs:stream')
      .flatMap((e) => (e.payload.lines as Array<{ text: string }>).map((l) => l.text));
    // Lines teed during the outage went with the failed publishes; the recovery is reported.
    expect(texts.some((text) => text.startsWith('self-report publishing again'))).toBe(true);
    expect(t.reporter.stats().droppedLogLines).toBe(0);
    await t.reporter.stop();
  });

  it('stop() sends the stopping status and the last log lines, then goes quiet', async () => {
    const t = setup();
    t.reporter.start();
    await t.time.advance(1_000);
    t.logger.info({ signal: 'SIGTERM' }, 'shutting down');
    await t.reporter.stop();
    expect(t.of('service:status').at(-1)?.payload).toMatchObject({ service: 'server', status: 'stopping' });
    const last = t.of('logs:stream').at(-1)?.payload.lines as Array<{ text: string }>;
    expect(last.at(-1)?.text).toBe('shutting down signal=SIGTERM');
    expect(t.time.pending()).toBe(0);

    const count = t.published.length;
    t.logger.info('after stop');
    await t.time.advance(10_000);
    expect(t.published).toHaveLength(count);
  });
});

describe('OPSROOM_SELF_REPORT', () => {
  it('is on by default, accepts off and names itself when wrong', () => {
    expect(parseEnv({}).OPSROOM_SELF_REPORT).toBe('on');
    expect(parseEnv({ OPSROOM_SELF_REPORT: 'off' }).OPSROOM_SELF_REPORT).toBe('off');
    expect(() => parseEnv({ OPSROOM_SELF_REPORT: 'maybe' })).toThrow(
      'Invalid environment variable OPSROOM_SELF_REPORT: must be on or off (got "maybe")',
    );
  });
});
