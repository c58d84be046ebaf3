/** JSON responses and the one mapping from errors to HTTP status codes. */
import { HTTP_STATUS, toErrorBody } from '@/lib/shared/errors';

const NO_STORE = { 'cache-control': 'no-store' };

/** A JSON answer before it becomes a web Response (Next routes) or a node:http reply (direct routes). */
export interface JsonReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export function jsonReply(data: unknown, status = 200, headers: Record<string, string> = {}): JsonReply {
  return { status, body: data, headers: { ...NO_STORE, ...headers } };
}

export function errorReply(error: unknown): JsonReply {
  const body = toErrorBody(error);
  const headers: Record<string, string> = {};
  if (body.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(body.retryAfterMs / 1000));
  return jsonReply({ error: body }, HTTP_STATUS[body.code], headers);
}

export function toResponse(reply: JsonReply): Response {
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return toResponse(jsonReply(data, status, headers));
}

export function errorResponse(error: unknown): Response {
  return toResponse(errorReply(error));
}
