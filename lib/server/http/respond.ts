/** JSON responses and the one mapping from errors to HTTP status codes. */
import { HTTP_STATUS, toErrorBody } from '@/lib/shared/errors';

const NO_STORE = { 'cache-control': 'no-store' };

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...NO_STORE, ...headers } });
}

export function errorResponse(error: unknown): Response {
  const body = toErrorBody(error);
  const headers: Record<string, string> = {};
  if (body.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(body.retryAfterMs / 1000));
  return json({ error: body }, HTTP_STATUS[body.code], headers);
}
