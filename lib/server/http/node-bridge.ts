/**
 * Runs a fetch-style handler (web Request in, Response out, as Next route handlers are) on a
 * plain node:http request, so a route can be served without Next and still share its code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

const BODYLESS = new Set(['GET', 'HEAD']);

export function toWebRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: BODYLESS.has(method) ? null : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
    // Node's fetch requires this for a streamed request body.
    duplex: 'half',
  } as RequestInit);
}

/**
 * Writes `response` to `res`. A handler may answer without reading the whole body (413 by
 * Content-Length, 401 before the body): the rest is read and discarded first, as Node does for
 * unread bodies, so the client finishes sending and gets the answer instead of a reset.
 */
export async function sendWebResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!req.complete) {
    // Readable.toWeb's listener pauses the stream once its queue is full; take it over.
    req.removeAllListeners('data');
    req.resume();
  }
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
