/**
 * Opsroom reports on itself ("Live dashboards": data a new user sees at once), publishing
 * through the hub like any publisher (the in-process publisher's typed helpers), as the
 * system principal:
 * - project:opsroom: `service:status` of server, database (and redis when REDIS_URL is set)
 *   at start, on change and as a heartbeat. (Host, process and container stats are the
 *   container-stats sampler's, sampled only while someone watches.)
 * - logs:opsroom:server: its own log (info and above) as `logs:stream`, via a bounded tee.
 * - system (admins): `system:stats` with connection figures, only while someone watches.
 * All loops re-arm after their publish settles, so a slow store never stacks publishes.
 */
import { systemStatsPayload } from './system-stats';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { log as logEvent, serviceStatus } from '@/lib/sdk/events';
import type { WsStats } from '@/lib/shared/api-types';
import type { ServiceStatusPayload } from '@/lib/shared/events';
import { SYSTEM_ROOM } from '@/lib/shared/rooms';
import packageJson from '@/package.json';
import type { Config } from '../config';
import type { Clock } from '../hub/clock';
import type { Hub } from '../hub/hub';
import { createInProcessPublisher } from '../hub/in-process-publisher';
import { onLogLine, type Logger } from '../logger';
import type { Store } from '../store/store';
import { createLogTee } from './log-tee';

export const SELF_PROJECT = 'opsroom';
export const SELF_LOG_STREAM = 'server';
export const SYSTEM_STATS_TYPE = 'system:stats';

const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_SYSTEM_INTERVAL_MS = 2_000;
const DEFAULT_HEARTBEAT_MS = 60_000;
const DEFAULT_LOG_FLUSH_MS = 500;
const STORE_PING_TIMEOUT_MS = 2_000;
/** Event-loop p99 delay above which the server reports itself degraded. */
const EVENT_LOOP_DEGRADED_MS = 1_000;
const MAX_OUTPUT_CHARS = 1_000;

export interface SelfReporterOptions {
  hub: Pick<Hub, 'publish'>;
  store: Pick<Store, 'ping' | 'kind'>;
  /** Structural so tests need no Socket.IO server; RealtimeServer satisfies it. */
  realtime: { stats(): WsStats; io: { sockets: { adapter: { rooms: Map<string, Set<string>> } } } };
  config: Pick<Config, 'redisUrl' | 'instanceId'> & { limits: Pick<Config['limits'], 'maxPayloadBytes'> };
  /** The root logger from createLogger: its lines are teed into logs:opsroom:server. */
  logger: Logger;
  clock: Clock;
  /** With REDIS_URL: the cluster link's PING (redis-adapter.ts); without it redis shows as unknown. */
  redisPing?: () => Promise<boolean>;
  /** Service checks (default 5 s); a status is published on change or when its heartbeat is due. */
  intervalMs?: number;
  /** system:stats while the system room has subscribers (default 2 s). */
  systemIntervalMs?: number;
  /** Unchanged service statuses are re-published this often (default 60 s). */
  heartbeatMs?: number;
  /** Log tee flush period (default 500 ms). */
  logFlushMs?: number;
  /** Process start (epoch ms) for uptimeSec; defaults to when the reporter was created. */
  startedAt?: number;
  version?: string;
}

export type SelfReporter = ReturnType<typeof createSelfReporter>;

interface PublishInput {
  room: string;
  type: string;
  payload: Record<string, unknown>;
}

export function createSelfReporter(options: SelfReporterOptions) {
  const { hub, store, realtime, config, clock } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const systemIntervalMs = options.systemIntervalMs ?? DEFAULT_SYSTEM_INTERVAL_MS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const logFlushMs = options.logFlushMs ?? DEFAULT_LOG_FLUSH_MS;
  const startedAt = options.startedAt ?? clock.now();
  const version = options.version ?? packageJson.version;
  const log = options.logger.child({ module: 'self-report' });
  const publisher = createInProcessPublisher({ hub });

  const tee = createLogTee({ now: clock.now });
  const timers = new Map<string, unknown>();
  const inFlight = new Set<Promise<unknown>>();
  /** Last published state per service: a change or an expired heartbeat publishes again. */
  const lastStatus = new Map<string, { key: string; at: number }>();
  /** Kinds of publish currently failing: warn once per outage, not on every tick (and not into the log tee each time). */
  const failing = new Set<string>();
  let running = false;
  let untap: (() => void) | null = null;
  let loopDelay: IntervalHistogram | null = null;
  let published = 0;

  async function publish(what: string, inputs: PublishInput[]): Promise<boolean> {
    if (inputs.length === 0) return true;
    try {
      await publisher.publishAll(inputs);
      published += inputs.length;
      if (failing.delete(what)) log.info({ what }, 'self-report publishing again');
      return true;
    } catch (error) {
      if (!failing.has(what)) {
        failing.add(what);
        log.warn({ err: error, what }, 'self-report publish failed');
      }
      return false;
    }
  }

  /** Runs fn every periodMs (first after firstMs), re-arming only after it settles. */
  function loop(name: string, firstMs: number, periodMs: number, fn: () => Promise<void>): void {
    const arm = (ms: number) => {
      timers.set(
        name,
        clock.setTimeout(() => {
          if (!running) return;
          const run = fn().catch((error: unknown) =>
            log.error({ err: error, loop: name }, 'self-report tick failed'),
          );
          inFlight.add(run);
          void run.finally(() => {
            inFlight.delete(run);
            if (running) arm(periodMs);
          });
        }, ms),
      );
    };
    arm(firstMs);
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  async function pingStore(): Promise<{ ok: true; ms: number } | { ok: false; error: string }> {
    const began = performance.now();
    let handle: unknown;
    const timeout = new Promise<never>((_, reject) => {
      handle = clock.setTimeout(
        () => reject(new Error(`no answer within ${STORE_PING_TIMEOUT_MS} ms`)),
        STORE_PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([store.ping(), timeout]);
      return { ok: true, ms: Math.round((performance.now() - began) * 10) / 10 };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clock.clearTimeout(handle);
    }
  }

  async function serviceStatuses(): Promise<ServiceStatusPayload[]> {
    const delayMs = loopDelay === null ? 0 : Math.round(loopDelay.percentile(99) / 1e6);
    loopDelay?.reset();
    const loopHealthy = delayMs < EVENT_LOOP_DEGRADED_MS;
    const server: ServiceStatusPayload = {
      service: 'server',
      status: loopHealthy ? 'running' : 'degraded',
      health: {
        status: loopHealthy ? 'healthy' : 'unhealthy',
        checks: [
          {
            name: 'event-loop',
            status: loopHealthy ? 'healthy' : 'unhealthy',
            output: `p99 delay ${delayMs} ms`,
          },
        ],
      },
      version,
      message: `instance ${config.instanceId}, pid ${process.pid}`,
    };
    const ping = await pingStore();
    const database: ServiceStatusPayload = ping.ok
      ? {
          service: 'database',
          status: 'running',
          health: {
            status: 'healthy',
            checks: [{ name: 'ping', status: 'healthy', output: `${ping.ms} ms` }],
          },
          message: store.kind,
        }
      : {
          service: 'database',
          status: 'error',
          health: {
            status: 'unhealthy',
            checks: [{ name: 'ping', status: 'unhealthy', output: ping.error.slice(0, MAX_OUTPUT_CHARS) }],
          },
          message: `${store.kind} ping failed`,
        };
    const statuses = [server, database];
    if (config.redisUrl !== null && options.redisPing !== undefined) {
      const up = await options.redisPing();
      statuses.push({
        service: 'redis',
        status: up ? 'running' : 'error',
        health: {
          status: up ? 'healthy' : 'unhealthy',
          checks: [{ name: 'ping', status: up ? 'healthy' : 'unhealthy' }],
        },
        message: up ? 'cluster fan-out, presence and stats' : 'unreachable; serving local clients only',
      });
    } else if (config.redisUrl !== null) {
      statuses.push({
        service: 'redis',
        status: 'unknown',
        health: { status: 'unknown' },
        message: 'REDIS_URL is set but no Redis link was given to the reporter',
      });
    }
    return statuses;
  }

  /** Statuses whose state changed or whose heartbeat is due; outputs and messages alone are no change. */
  function dueStatuses(
    statuses: ServiceStatusPayload[],
    now: number,
  ): Array<{ payload: ServiceStatusPayload; key: string }> {
    return statuses
      .map((payload) => ({
        payload,
        key: JSON.stringify([
          payload.status,
          payload.health?.status,
          payload.health?.checks?.map((check) => [check.name, check.status]),
        ]),
      }))
      .filter(({ payload, key }) => {
        const last = lastStatus.get(payload.service);
        return last === undefined || last.key !== key || now - last.at >= heartbeatMs;
      });
  }

  function markPublished(due: Array<{ payload: ServiceStatusPayload; key: string }>, now: number): void {
    for (const { payload, key } of due) lastStatus.set(payload.service, { key, at: now });
  }

  const statusInput = (payload: ServiceStatusPayload): PublishInput => serviceStatus(SELF_PROJECT, payload);

  async function publishStatuses(): Promise<void> {
    const now = clock.now();
    const due = dueStatuses(await serviceStatuses(), now);
    if (
      await publish(
        'service-status',
        due.map(({ payload }) => statusInput(payload)),
      )
    )
      markPublished(due, now);
  }

  function systemSubscribers(): number {
    return realtime.io.sockets.adapter.rooms.get(SYSTEM_ROOM)?.size ?? 0;
  }

  async function systemTick(): Promise<void> {
    // Nobody on the connections page: publish nothing, store nothing.
    if (systemSubscribers() === 0) return;
    const payload = { ...systemStatsPayload(realtime.stats(), startedAt, clock.now()) };
    await publish('system-stats', [{ room: SYSTEM_ROOM, type: SYSTEM_STATS_TYPE, payload }]);
  }

  async function flushLogs(): Promise<void> {
    // 1000 typical lines are ~150 KB: the payload limit, not the line count, usually bounds a batch.
    const lines = tee.drain(config.limits.maxPayloadBytes);
    if (lines === null) return;
    // Lines of a failed publish are not re-queued: the store is down and the buffer would only fill.
    await publish('logs', [logEvent(SELF_PROJECT, SELF_LOG_STREAM, lines)]);
  }

  return {
    /** Starts every loop; statuses go out at once. */
    start(): void {
      if (running) return;
      running = true;
      untap = onLogLine(options.logger, tee.push);
      loopDelay = monitorEventLoopDelay({ resolution: 20 });
      loopDelay.enable();
      void track(
        publishStatuses().catch((error: unknown) => log.error({ err: error }, 'self-report start failed')),
      );
      loop('status', intervalMs, intervalMs, publishStatuses);
      loop('system', systemIntervalMs, systemIntervalMs, systemTick);
      loop('logs', logFlushMs, logFlushMs, flushLogs);
    },

    /**
     * Stops the loops, waits for publishes under way, then sends the server's `stopping`
     * status and the last buffered log lines (the store must still be open).
     */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      for (const handle of timers.values()) clock.clearTimeout(handle);
      timers.clear();
      // Detach first: lines logged while stopping are not sent, so stop() always ends.
      untap?.();
      untap = null;
      loopDelay?.disable();
      await Promise.allSettled([...inFlight]);
      await publish('service-status', [
        statusInput({
          service: 'server',
          status: 'stopping',
          health: { status: 'unknown' },
          version,
          message: `instance ${config.instanceId} is shutting down`,
        }),
      ]);
      while (tee.size() > 0) await flushLogs();
      await flushLogs(); // a pending "lines dropped" notice
    },

    /** Figures for tests and diagnostics. */
    stats: () => ({ published, bufferedLogLines: tee.size(), droppedLogLines: tee.dropped() }),
  };
}
