/**
 * The running server's services, reachable from Next route handlers. server.ts and the Next
 * route bundle load separate copies of every module, so module-level state is not shared;
 * a single globalThis slot is (https://github.com/vercel/next.js/discussions/49508).
 */
import { OpsroomError } from '@/lib/shared/errors';
import type { AuthService } from './auth/auth-service';
import type { Config } from './config';
import type { Clock } from './hub/clock';
import type { GithubWebhooks } from './integrations/github/receiver';
import type { Limits } from './limits/limits';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { RealtimeServer } from './realtime/realtime-server';
import type { RedisLink } from './realtime/redis-adapter';
import type { Store } from './store/store';

export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  auth: AuthService;
  metrics: Metrics;
  realtime: RealtimeServer;
  /** Set when REDIS_URL is: the cluster's shared Redis. */
  redis: RedisLink | null;
  limits: Limits;
  /** POST /api/webhooks/github; null while GITHUB_WEBHOOK_SECRET is unset (the route answers 404). */
  githubWebhooks: GithubWebhooks | null;
  startedAt: number;
  clock: Clock;
}

const SLOT = Symbol.for('opsroom.runtime');
type Slot = { [SLOT]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Slot)[SLOT] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Slot)[SLOT];
  if (runtime === undefined) {
    // `next dev`/`next start` without server.ts would land here.
    throw new OpsroomError(
      'UNAVAILABLE',
      'Opsroom runtime is not started; run the app with `npm start` (server.ts).',
    );
  }
  return runtime;
}
