/**
 * Wraps a route handler: resolves the runtime, turns thrown errors into coded JSON bodies,
 * and logs the unexpected ones (the client sees only INTERNAL).
 */
import { OpsroomError, isOpsroomError } from '@/lib/shared/errors';
import { getRuntime, type Runtime } from '../runtime';
import { errorResponse } from './respond';

export type RouteContext<P extends Record<string, string> = Record<string, string>> = { params: Promise<P> };

export function route<P extends Record<string, string>>(
  handler: (runtime: Runtime, request: Request, params: P) => Promise<Response>,
): (request: Request, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    let runtime: Runtime | undefined;
    try {
      runtime = getRuntime();
      const params = context?.params ? await context.params : ({} as P);
      return await handler(runtime, request, params);
    } catch (error) {
      return errorResponse(await presentError(runtime, error, request));
    }
  };
}

/**
 * The error a failed request answers with, counted and logged: coded errors as they are; an
 * unexpected failure while the database is unreachable (say, the token lookup of any
 * authenticated route) is that outage, 503 UNAVAILABLE, which clients retry, not 500; anything
 * else is logged and answered as INTERNAL (`toErrorBody` hides it).
 */
export async function presentError(
  runtime: Runtime | undefined,
  error: unknown,
  request: { url: string; method: string },
): Promise<unknown> {
  if (isOpsroomError(error)) {
    runtime?.metrics.rejected.inc({ code: error.code });
    return error;
  }
  if (runtime !== undefined && !(await databaseUp(runtime))) {
    runtime.metrics.rejected.inc({ code: 'UNAVAILABLE' });
    runtime.logger.warn({ err: error, url: request.url }, 'request failed: database unavailable');
    return new OpsroomError('UNAVAILABLE', 'The database is unavailable; retry shortly.');
  }
  runtime?.logger.error({ err: error, url: request.url, method: request.method }, 'route failed');
  return error;
}

async function databaseUp(runtime: Runtime): Promise<boolean> {
  try {
    await runtime.store.ping();
    return true;
  } catch {
    return false;
  }
}
