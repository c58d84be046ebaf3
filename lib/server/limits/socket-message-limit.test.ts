import { describe, expect, it } from 'vitest';
import { createMemoryRateLimit } from './rate-limit-memory';
import { FLOOD_FACTOR, limitSocketMessages } from './socket-message-limit';

function fakeSocket() {
  let middleware: ((packet: unknown[], next: (err?: Error) => void) => void) | null = null;
  const socket = {
    disconnects: 0,
    use(fn: (packet: unknown[], next: (err?: Error) => void) => void) {
      middleware = fn;
    },
    disconnect() {
      socket.disconnects += 1;
    },
    /** Sends one packet; resolves with 'passed' or the ack reply. */
    send(event: string): Promise<unknown> {
      return new Promise((resolve) => middleware?.([event, {}, resolve], () => resolve('passed')));
    },
  };
  return socket;
}

describe('socket message limit', () => {
  it('passes messages up to the limit, then acks RATE_LIMIT_EXCEEDED with retryAfterMs', async () => {
    const socket = fakeSocket();
    const refused: boolean[] = [];
    const limit = createMemoryRateLimit({ points: 5, windowSec: 60, keyPrefix: 'sm1' });
    limitSocketMessages(socket, { limit, key: 'c1', onRefused: (flooding) => refused.push(flooding) });
    for (let i = 0; i < 5; i++) expect(await socket.send('ping')).toBe('passed');
    const reply = (await socket.send('ping')) as {
      ok: boolean;
      error: { code: string; retryAfterMs: number };
    };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(reply.error.retryAfterMs).toBeGreaterThan(0);
    expect(refused).toEqual([false]);
    expect(socket.disconnects).toBe(0);
  });

  it(`disconnects a client that keeps sending past ${FLOOD_FACTOR}x the limit`, async () => {
    const socket = fakeSocket();
    const limit = createMemoryRateLimit({ points: 4, windowSec: 60, keyPrefix: 'sm2' });
    limitSocketMessages(socket, { limit, key: 'c1', onRefused: () => undefined });
    for (let i = 0; i < FLOOD_FACTOR * 4; i++) await socket.send('x');
    expect(socket.disconnects).toBe(0);
    await socket.send('x');
    await socket.send('x');
    expect(socket.disconnects).toBe(1);
  });
});
