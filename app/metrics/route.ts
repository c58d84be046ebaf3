import { timingSafeEqual } from 'node:crypto';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

function hasMetricsToken(expected: string | null, header: string | null): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (expected === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Prometheus text; admins or OPSROOM_METRICS_TOKEN. */
export const GET = route(async (runtime, request) => {
  if (!hasMetricsToken(runtime.config.metricsToken, request.headers.get('authorization'))) {
    await requireAdmin(runtime, request, 'metrics');
  }
  runtime.realtime.stats(); // refreshes the rooms gauge
  const body = await runtime.metrics.registry.metrics();
  return new Response(body, {
    headers: { 'content-type': runtime.metrics.registry.contentType, 'cache-control': 'no-store' },
  });
});
