/**
 * Routes the HTTP server answers itself, before Next. Next's router costs 2-4 ms of CPU and
 * latency per request (measured on GET /api/health, issue #7); for POST /api/events, which
 * every publisher calls for every batch, that was most of the time between a publish and its
 * delivery, and capped ingest at ~8,500 events/s. Handlers get a DirectRequest and return a
 * JsonReply; failures take the same path as in Next routes (`presentError`, `errorReply`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsroomError, toErrorBody } from '@/lib/shared/errors';
import { getRuntime, type Runtime } from '../runtime';
import { directRequest, type DirectRequest } from './direct-request';
import { publishEvents } from './publish-events';
import { errorReply, jsonReply, type JsonReply } from './respond';
import { presentError } from './route';

type Handler = (runtime: Runtime, request: DirectRequest) => Promise<JsonReply>;

/** Path -> method -> handler. The path matches exactly (the query string is ignored). */
const ROUTES: ReadonlyMap<string, ReadonlyMap<string, Handler>> = new Map([
  ['/api/events', new Map([['POST', publishEvents]])],
]);

/**
 * What Next's config adds to every response (next.config.js); a JSON answer never needs
 * scripts, styles or framing, so its policy is the strictest.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** Serves `req` when its path is a direct route and returns true; false hands it on to Next. */
export function serveDirectRoute(
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
): boolean {
  const methods = ROUTES.get(pathOf(req.url));
  if (methods === undefined) return false;
  const handler = methods.get(req.method ?? 'GET');
  const answer = handler === undefined ? Promise.resolve(methodNotAllowed(methods)) : run(handler, req);
  answer
    .then((reply) => send(reply, req, res))
    .catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error.' } }));
    });
  return true;
}

async function run(handler: Handler, req: IncomingMessage): Promise<JsonReply> {
  const request = directRequest(req);
  let runtime: Runtime | undefined;
  try {
    runtime = getRuntime();
    return await handler(runtime, request);
  } catch (error) {
    return errorReply(await presentError(runtime, error, request));
  }
}

/** 405 as Next answers a route without that method, with a coded body like every API error. */
function methodNotAllowed(methods: ReadonlyMap<string, Handler>): JsonReply {
  const allow = [...methods.keys()].join(', ');
  const body = toErrorBody(new OpsroomError('INVALID_MESSAGE', `This path accepts ${allow} only.`));
  return jsonReply({ error: body }, 405, { allow });
}

/**
 * Writes the reply. A handler may answer without reading the whole body (413 by
 * Content-Length, 401 before the body): the rest is read and discarded, as Node does for
 * unread bodies, so the client finishes sending and gets the answer instead of a reset.
 */
function send(reply: JsonReply, req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete) req.resume();
  const body = Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    ...reply.headers,
    'content-type': 'application/json',
    'content-length': String(body.length),
  });
  res.end(body);
}
