import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, clientIpOf, requestClientIp, stampClientIp } from './client-ip';

function fakeRequest(remoteAddress: string | undefined, headers: Record<string, string>): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    rawHeaders: Object.entries(headers).flat(),
  } as unknown as IncomingMessage;
}

describe('client ip', () => {
  it('replaces a spoofed header with the peer address', () => {
    const req = fakeRequest('::ffff:10.0.0.7', { 'X-Opsroom-Client-IP': '1.2.3.4', Host: 'x' });
    stampClientIp(req, false);
    expect(req.headers[CLIENT_IP_HEADER]).toBe('10.0.0.7');
    expect(req.rawHeaders).toEqual(['Host', 'x']);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted, then takes its last hop', () => {
    const req = fakeRequest('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    expect(clientIpOf(req, false)).toBe('127.0.0.1');
    expect(clientIpOf(req, true)).toBe('203.0.113.9');
    expect(clientIpOf(fakeRequest('127.0.0.1', { 'x-forwarded-for': 'garbage' }), true)).toBe('127.0.0.1');
    expect(clientIpOf(fakeRequest(undefined, {}), false)).toBe('unknown');
  });

  it('reads the stamped address in a route', () => {
    expect(requestClientIp(new Request('http://x/', { headers: { [CLIENT_IP_HEADER]: '::1' } }))).toBe('::1');
    expect(requestClientIp(new Request('http://x/'))).toBe('unknown');
  });
});
