import type { HealthResponse } from '@/lib/shared/api-types';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime) => {
  let db: 'ok' | 'fail' = 'ok';
  try {
    await runtime.store.ping();
  } catch {
    db = 'fail';
  }
  const redis = runtime.redis === null ? undefined : (await runtime.redis.ping()) ? 'ok' : 'fail';
  const healthy = db === 'ok' && redis !== 'fail';
  const body: HealthResponse = {
    status: healthy ? 'ok' : 'degraded',
    checks: redis === undefined ? { db } : { db, redis },
    instance: runtime.config.instanceId,
    uptimeSec: Math.round((Date.now() - runtime.startedAt) / 1000),
  };
  return json(body, healthy ? 200 : 503);
});
