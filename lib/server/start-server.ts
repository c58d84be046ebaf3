/**
 * Builds and starts the whole server: store, auth, Next, HTTP, Socket.IO. server.ts is a
 * thin caller of this, so the composition lives in one readable function.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import { createAuthService } from './auth/auth-service';
import type { Config } from './config';
import { systemClock } from './hub/clock';
import { createGithubWebhooks } from './integrations/github/receiver';
import { stampClientIp } from './limits/client-ip';
import { createLimits } from './limits/limits';
import { rejectMalformedPath } from './limits/malformed-url';
import { serveDirectRoute } from './http/direct-routes';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { connectRedis } from './realtime/redis-adapter';
import { createRealtimeServer } from './realtime/realtime-server';
import { setRuntime, type Runtime } from './runtime';
import { createStatsSampler } from './container-stats/stats-sampler';
import { createSelfReporter } from './self-report/self-reporter';
import { openStore } from './store/open-store';

export interface RunningServer {
  runtime: Runtime;
  httpServer: HttpServer;
  port: number;
  /** Graceful shutdown; resolves when everything is closed. */
  shutdown: (signal: string) => Promise<void>;
}

export async function startServer(config: Config, logger: Logger, dir: string): Promise<RunningServer> {
  const store = await openStore(config);
  // REDIS_URL makes this instance one of a cluster (Socket.IO adapter, presence, stats).
  const redis = config.redisUrl === null ? null : await connectRedis(config.redisUrl, logger);
  const auth = createAuthService({
    store,
    secret: config.secret,
    sessionTtlMs: config.sessionTtlMs,
    logger: logger.child({ module: 'auth' }),
  });
  await auth.bootstrapAdmin(config.admin);

  const app = next({ dev: config.dev, dir, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((req, res) => {
    stampClientIp(req, config.trustProxy);
    if (rejectMalformedPath(req, res)) return;
    const onError = (error: unknown) => logger.error({ err: error, url: req.url }, 'request failed');
    if (serveDirectRoute(req, res, onError)) return;
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error.' } }));
    });
  });

  const metrics = createMetrics();
  const limits = createLimits(config.limits, redis?.client ?? null);
  const realtime = createRealtimeServer(httpServer, {
    redis,
    config,
    limits,
    store,
    auth,
    logger,
    metrics,
    clock: systemClock,
  });
  const runtime: Runtime = {
    redis,
    config,
    logger,
    store,
    auth,
    metrics,
    realtime,
    limits,
    githubWebhooks:
      config.github.webhookSecret === null
        ? null
        : createGithubWebhooks({
            secret: config.github.webhookSecret,
            projects: config.github.projects,
            maxPayloadBytes: config.limits.maxPayloadBytes,
            hub: realtime.hub,
            store,
            logger,
          }),
    startedAt: Date.now(),
    clock: systemClock,
  };
  setRuntime(runtime);
  // Started before listen so the "listening" line is already in its log tee and the first
  // statuses are stored by the time anyone can look (OPSROOM_SELF_REPORT=off disables it).
  const selfReporter = config.selfReport
    ? createSelfReporter({
        hub: realtime.hub,
        store,
        realtime,
        config,
        logger,
        clock: systemClock,
        startedAt: runtime.startedAt,
        ...(redis === null ? {} : { redisPing: () => redis.ping() }),
      })
    : null;
  selfReporter?.start();
  // Container (Docker) or host/process (/proc) stats, only for watched projects; off with
  // the self-report, whose docker:stats it took over.
  const statsSampler = config.selfReport
    ? createStatsSampler({ hub: realtime.hub, realtime, config: config.stats, logger, clock: systemClock })
    : null;
  statsSampler?.start();

  // Next's dev server upgrades its HMR socket itself; Socket.IO owns /socket.io.
  if (config.dev) {
    const upgrade = app.getUpgradeHandler();
    httpServer.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/_next/')) void upgrade(req, socket, head);
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port, host: config.host, dev: config.dev, database: config.database.kind }, 'listening');

  let closing: Promise<void> | null = null;
  const shutdown = (signal: string): Promise<void> => {
    closing ??= (async () => {
      logger.info({ signal }, 'shutting down');
      // First, while the hub and store are open, so its last events (the line above) go out.
      await Promise.all([selfReporter?.stop(), statsSampler?.stop()]);
      // Stop accepting, then flush batches and say goodbye to every socket.
      httpServer.close();
      await realtime.close();
      httpServer.closeAllConnections();
      setRuntime(undefined);
      await app.close?.();
      await store.close();
      await redis?.close();
      logger.info('stopped');
    })();
    return closing;
  };
  return { runtime, httpServer, port, shutdown };
}
