/**
 * A node:http request as the direct routes' handlers see it: the method, headers read like a
 * web Request's, and the body within a byte limit. Building a web Request and Response around
 * a node:http exchange cost ~0.28 ms of CPU per request (Readable.toWeb, undici's Request and
 * Response): as much as the rest of a one-event publish.
 */
import type { IncomingMessage } from 'node:http';
import { readNodeBody } from './read-json';
import type { RequestHead } from './request-auth';

export interface DirectRequest extends RequestHead {
  url: string;
  /** The exact body bytes; PAYLOAD_TOO_LARGE past `maxBytes`. */
  body(maxBytes: number): Promise<Buffer>;
}

export function directRequest(req: IncomingMessage): DirectRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: (maxBytes) => readNodeBody(req, maxBytes),
  };
}
