/**
 * Log streams: a steady trickle of access and job logs for the api, web and worker
 * services (logs:<slug>:<service>), noisier while a service is degraded. Also the ANSI
 * colour helpers and line builder the build logs use.
 */
import type { LogLine } from '@/lib/shared/events';
import { seconds, type ProjectContext, type Scenario } from './context';
import type { Rng } from './random';
import type { ServiceHealth } from './services';

const ESC = '\u001b[';
export const ansi = {
  green: (text: string): string => `${ESC}32m${text}${ESC}0m`,
  red: (text: string): string => `${ESC}31m${text}${ESC}0m`,
  yellow: (text: string): string => `${ESC}33m${text}${ESC}0m`,
  cyan: (text: string): string => `${ESC}36m${text}${ESC}0m`,
  dim: (text: string): string => `${ESC}2m${text}${ESC}0m`,
  bold: (text: string): string => `${ESC}1m${text}${ESC}0m`,
};
export const OK = ansi.green('✓');
export const FAIL = ansi.red('✗');

export function logLine(
  ctx: ProjectContext,
  text: string,
  level: LogLine['level'] = 'info',
  offsetMs = 0,
): LogLine {
  return { ts: ctx.timestamp(offsetMs), text, level };
}

const API_ROUTES = [
  ['GET', '/api/products'],
  ['GET', '/api/products/:id'],
  ['GET', '/api/cart'],
  ['POST', '/api/cart/items'],
  ['POST', '/api/checkout'],
  ['GET', '/api/orders'],
  ['GET', '/healthz'],
] as const;
const WEB_PAGES = ['/', '/products', '/products/[slug]', '/cart', '/checkout', '/account/orders'] as const;
const JOBS = ['send-receipt-email', 'sync-inventory', 'resize-image', 'charge-subscription', 'export-report'];

function requestId(rng: Rng): string {
  return `req_${rng.hex(10)}`;
}

function apiLine(rng: Rng, degraded: boolean): [string, LogLine['level']] {
  const [method, route] = rng.pick(API_ROUTES);
  const path = route.replace(':id', String(rng.int(100, 9999)));
  const roll = rng.next();
  const failRate = degraded ? 0.25 : 0.02;
  const ms = Math.round((degraded ? rng.float(400, 2400) : rng.float(2, 90)) * (method === 'POST' ? 2 : 1));
  if (roll < failRate) {
    const status = rng.pick([500, 502, 504]);
    return [`${ansi.red(`${method} ${path} ${status}`)} ${ms}ms ${requestId(rng)} upstream timeout`, 'error'];
  }
  if (roll < failRate + 0.05) {
    const status = rng.pick([400, 401, 404, 409, 422]);
    return [`${method} ${path} ${ansi.yellow(String(status))} ${ms}ms ${requestId(rng)}`, 'warn'];
  }
  if (ms > 800)
    return [`${method} ${path} 200 ${ansi.yellow(`${ms}ms`)} slow request ${requestId(rng)}`, 'warn'];
  return [`${method} ${path} ${ansi.green('200')} ${ms}ms ${requestId(rng)}`, 'info'];
}

function webLine(rng: Rng, degraded: boolean): [string, LogLine['level']] {
  const page = rng.pick(WEB_PAGES);
  const ms = Math.round(degraded ? rng.float(300, 1800) : rng.float(8, 120));
  if (degraded && rng.chance(0.2)) return [`GET ${page} 500 ${ms}ms fetch failed: api returned 502`, 'error'];
  if (rng.chance(0.05)) return [`${ansi.dim('cache')} revalidated ${page} in ${ms}ms`, 'debug'];
  return [`GET ${page} 200 ${ms}ms (${rng.chance(0.7) ? 'cache hit' : 'ssr'})`, 'info'];
}

function workerLine(rng: Rng, degraded: boolean): [string, LogLine['level']] {
  const job = `${rng.pick(JOBS)}#${rng.int(40000, 99999)}`;
  const ms = Math.round(degraded ? rng.float(500, 6000) : rng.float(20, 900));
  if (rng.chance(degraded ? 0.3 : 0.04)) {
    return [`${ansi.yellow('retry')} ${job} attempt ${rng.int(2, 5)}/5: ETIMEDOUT redis:6379`, 'warn'];
  }
  if (rng.chance(0.01)) return [`${FAIL} ${job} failed permanently, moved to dead-letter queue`, 'error'];
  return [`${OK} ${job} done in ${ms}ms`, 'info'];
}

const STREAMS = {
  api: apiLine,
  web: webLine,
  worker: workerLine,
} as const;

/** Service log streams; `health` tells which service (if any) is degraded right now. */
export function startServiceLogs(ctx: ProjectContext, health: ServiceHealth): Scenario {
  const cancels = Object.entries(STREAMS).map(([stream, make]) => {
    const rng = ctx.rng.fork(`logs:${stream}`);
    return ctx.scheduler.repeat(
      () => seconds(rng.float(0.8, 2.5)),
      () => {
        const degraded = health.isDegraded(stream) || (stream !== 'api' && health.isDegraded('redis'));
        const count = rng.int(1, degraded ? 6 : 3);
        const lines: LogLine[] = [];
        let offsetMs = -count * 200;
        for (let i = 0; i < count; i++) {
          const [text, level] = make(rng, degraded);
          offsetMs += rng.int(5, 200);
          lines.push(logLine(ctx, text, level, offsetMs));
        }
        ctx.emitLog(stream, lines);
      },
    );
  });
  return { stop: () => cancels.forEach((cancel) => cancel()) };
}
