/**
 * The client IP for per-IP limits (login attempts). Next does not hand route handlers the
 * remote address, so the HTTP server stamps it into a header that clients cannot set:
 * any incoming header of that name is removed first.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const CLIENT_IP_HEADER = 'x-opsroom-client-ip';

/** Unknown callers share one bucket: better than none when the header is missing. */
const UNKNOWN = 'unknown';

function normalize(address: string | undefined): string | null {
  if (address === undefined) return null;
  const trimmed = address.trim();
  // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; key them like plain IPv4.
  const plain = trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
  return isIP(plain) === 0 ? null : plain;
}

/**
 * The peer address, or with a trusted proxy the last X-Forwarded-For entry: the one the
 * proxy itself appended. Earlier entries come from the client and prove nothing.
 */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  const peer = normalize(req.socket.remoteAddress) ?? UNKNOWN;
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return normalize(hops.at(-1)) ?? peer;
}

/** Called on every request before Next sees it. */
export function stampClientIp(req: IncomingMessage, trustProxy: boolean): void {
  // Assigning replaces a client-sent value in req.headers; Next may rebuild headers from
  // rawHeaders, so spoofed copies are dropped there too.
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i]?.toLowerCase() === CLIENT_IP_HEADER) req.rawHeaders.splice(i, 2);
  }
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
}

/** In a route handler: the IP stamped by the server. */
export function requestClientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? UNKNOWN;
}
