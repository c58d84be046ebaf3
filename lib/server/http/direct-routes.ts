/**
 * Routes the HTTP server answers itself, before Next. Next's router costs 2-4 ms of CPU and
 * latency per request (measured on GET /api/health, issue #7); for POST /api/events, which
 * every publisher calls for every batch, that was most of the time between a publish and its
 * delivery. The handlers are the same fetch-style functions a Next route would export and
 * run inside the same `route()` wrapper (error codes, logging, outage mapping).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsroomError, toErrorBody } from '@/lib/shared/errors';
import type { Runtime } from '../runtime';
import { sendWebResponse, toWebRequest } from './node-bridge';
import { publishEvents } from './publish-events';
import { json } from './respond';
import { route } from './route';

type Handler = (request: Request) => Promise<Response>;

/** Path -> method -> handler. The path matches exactly (the query string is ignored). */
const ROUTES: Record<string, Record<string, (runtime: Runtime, request: Request) => Promise<Response>>> = {
  '/api/events': { POST: publishEvents },
};

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

const COMPILED: Map<string, Map<string, Handler>> = new Map(
  Object.entries(ROUTES).map(([path, methods]) => [
    path,
    new Map(
      Object.entries(methods).map(([method, handler]) => {
        const wrapped = route((runtime, request) => handler(runtime, request));
        return [method, (request: Request) => wrapped(request, { params: Promise.resolve({}) })];
      }),
    ),
  ]),
);

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/**
 * A Request needs an absolute URL; handlers read only its path (logs), never its host, which
 * comes from the Host header and may be anything a client sent.
 */
const PLACEHOLDER_ORIGIN = 'http://opsroom.local';

/** Serves `req` when its path is a direct route and returns true; false hands it on to Next. */
export function serveDirectRoute(
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
): boolean {
  const methods = COMPILED.get(pathOf(req.url));
  if (methods === undefined) return false;
  const handler = methods.get(req.method ?? 'GET');
  const allow = [...methods.keys()].join(', ');
  const answer =
    handler === undefined
      ? Promise.resolve(methodNotAllowed(allow))
      : handler(toWebRequest(req, PLACEHOLDER_ORIGIN));
  answer
    .then((response) => sendWebResponse(withHeaders(response, SECURITY_HEADERS), req, res))
    .catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error.' } }));
    });
  return true;
}

/** 405 as Next answers a route without that method, with a coded body like every API error. */
function methodNotAllowed(allow: string): Response {
  const body = toErrorBody(new OpsroomError('INVALID_MESSAGE', `This path accepts ${allow} only.`));
  return json({ error: body }, 405, { allow });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
