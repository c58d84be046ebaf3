/**
 * Issue #4: every configurable limit, each proved against a real server with its default
 * where that is cheap to reach and with a configured value otherwise, answered with its code.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '@/lib/shared/ack';
import {
  adminToken,
  buildEvent,
  createToken,
  login,
  postEvents,
  rawSubscriber,
  waitFor,
  type TestSocket,
} from '../helpers/api';
import { httpRequest } from '../helpers/node-http';
import { ADMIN_EMAIL, startOpsroom, type OpsroomProcess } from '../helpers/server-process';

type ErrorReply = {
  ok: false;
  error: { code: string; message: string; retryAfterMs?: number; details?: unknown };
};

/** Connects; resolves with the socket once ready, or with the connect_error data. */
function connect(
  url: string,
  token: string,
): Promise<
  { socket: TestSocket; error: null } | { socket: TestSocket; error: { code: string; message: string } }
> {
  const socket: TestSocket = io(url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('ready', () => resolve({ socket, error: null }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ socket, error: (error as Error & { data: { code: string; message: string } }).data });
    });
  });
}

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};

function loginAttempt(url: string, password: string, headers: Record<string, string> = {}) {
  return httpRequest('POST', `${url}/api/auth/login`, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });
}

describe('limits with their defaults', () => {
  let server: OpsroomProcess;
  let token: string;
  /** Logged in before the login test spends this IP's attempts. */
  let cookie: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
    cookie = await login(server.url);
    token = await createToken(server.url, cookie);
  });
  afterAll(async () => server?.cleanup());

  it('login: 10 failed attempts per IP per minute, the 11th is 429 with retryAfterMs and Retry-After', async () => {
    // The successful login in beforeAll gave its attempt back: the budget is whole.
    for (let i = 1; i <= 10; i++) expect((await loginAttempt(server.url, `wrong-${i}`)).status).toBe(401);
    const refused = await loginAttempt(server.url, 'wrong-11');
    expect(refused.status).toBe(429);
    const body = JSON.parse(refused.text) as ErrorReply;
    expect(body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(body.error.retryAfterMs).toBeGreaterThan(50_000);
    expect(Number(refused.headers['retry-after'])).toBe(Math.ceil((body.error.retryAfterMs ?? 0) / 1000));
    // Not even the right password gets in now, and neither header moves the client to another bucket.
    await expect(login(server.url)).rejects.toThrow(/429/);
    const spoofed = await loginAttempt(server.url, 'wrong', {
      'x-opsroom-client-ip': '192.0.2.1',
      'x-forwarded-for': '192.0.2.2',
    });
    expect(spoofed.status).toBe(429);
  });

  it('socket messages: 100 per connection per minute, then RATE_LIMIT_EXCEEDED; flooding past 3x disconnects', async () => {
    const { socket, error } = await connect(server.url, token);
    expect(error).toBeNull();
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => socket.timeout(10_000).emitWithAck('ping', {})),
    );
    expect(replies.every((reply) => reply.ok)).toBe(true);
    const refused = (await socket.timeout(10_000).emitWithAck('ping', {})) as Ack<unknown> as ErrorReply;
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(refused.error.retryAfterMs).toBeGreaterThan(0);
    // Unknown events count too; a client ignoring retryAfterMs is cut off.
    let disconnected = false;
    socket.on('disconnect', () => (disconnected = true));
    const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
    for (let i = 0; i < 250; i++) raw.emit('no-such-event', { i });
    await waitFor(() => disconnected, 5_000, 'the flooding socket to be disconnected');
    expect(socket.connected).toBe(false);
    // Another connection of the same token has its own budget.
    const other = await connect(server.url, token);
    expect((await other.socket.timeout(5_000).emitWithAck('ping', {})).ok).toBe(true);
    other.socket.close();
  });

  it('connections: 20 per user or token, the 21st gets connect_error TOO_MANY_CONNECTIONS', async () => {
    const userToken = await createToken(server.url, cookie, { name: 'conn' });
    const sockets: TestSocket[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const { socket, error } = await connect(server.url, userToken);
        expect(error).toBeNull();
        sockets.push(socket);
      }
      const refused = await connect(server.url, userToken);
      expect(refused.error).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
      expect(refused.error?.message).toMatch(/limit is 20/);
      // Other principals are unaffected; a closed connection frees its slot.
      const other = await connect(server.url, token);
      expect(other.error).toBeNull();
      other.socket.close();
      sockets.pop()?.close();
      let again = await connect(server.url, userToken);
      for (let i = 0; again.error !== null && i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await connect(server.url, userToken);
      }
      expect(again.error).toBeNull();
      sockets.push(again.socket);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('subscriptions: 200 per connection, then INVALID_MESSAGE naming the limit; 50 rooms per subscribe', async () => {
    const client = rawSubscriber(server.url, token);
    await client.ready;
    const rooms = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ room: `project:subs-${from + i}` }));
    const tooMany = (await client.subscribe(rooms(0, 51))) as ErrorReply;
    expect(tooMany.error.code).toBe('INVALID_MESSAGE');
    for (let i = 0; i < 4; i++) expect((await client.subscribe(rooms(i * 50, 50))).ok).toBe(true);
    // Re-subscribing to held rooms (a resume) is not a new subscription.
    expect((await client.subscribe(rooms(0, 50))).ok).toBe(true);
    const refused = (await client.subscribe(rooms(200, 1))) as ErrorReply;
    expect(refused.error).toMatchObject({ code: 'INVALID_MESSAGE', details: { limit: 200, held: 200 } });
    expect(
      (await client.socket.timeout(5_000).emitWithAck('unsubscribe', { rooms: ['project:subs-0'] })).ok,
    ).toBe(true);
    expect((await client.subscribe(rooms(200, 1))).ok).toBe(true);
    client.close();
  });

  it('sizes and depth: body 1 MiB, payload 64 KiB, JSON depth 32, socket message 64 KiB', async () => {
    const room = 'project:sizes';
    const body = await postEvents(server.url, token, buildEvent(room, 1, { pad: 'x'.repeat(1024 * 1024) }));
    expect([body.status, body.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const payload = await postEvents(server.url, token, {
      room,
      type: 'x:y',
      payload: { blob: 'x'.repeat(64 * 1024) },
    });
    expect([payload.status, payload.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(
      (await postEvents(server.url, token, { room, type: 'x:y', payload: { blob: 'x'.repeat(60_000) } }))
        .status,
    ).toBe(202);
    const deep = await postEvents(server.url, token, { room, type: 'x:y', payload: nested(40) });
    expect([deep.status, deep.json.error?.code]).toEqual([422, 'INVALID_EVENT']);
    expect(deep.json.error?.message).toMatch(/deeper than 32/);
    expect((await postEvents(server.url, token, { room, type: 'x:y', payload: nested(30) })).status).toBe(
      202,
    );

    // A socket message over the limit cannot be decoded into a request: the transport is closed.
    const { socket } = await connect(server.url, token);
    let reason = '';
    socket.on('disconnect', (why) => (reason = why));
    socket.emit('publish', { room, type: 'x:y', payload: { blob: 'x'.repeat(70 * 1024) } }, () => undefined);
    await waitFor(() => reason !== '', 5_000, 'the oversized message to close the socket');
    expect(reason).toMatch(/transport (close|error)/);
    // Just under the limit is a normal request.
    const fine = await connect(server.url, token);
    const reply = await fine.socket
      .timeout(5_000)
      .emitWithAck('publish', { room, type: 'x:y', payload: { blob: 'x'.repeat(60 * 1024) } });
    expect(reply.ok).toBe(true);
    fine.socket.close();
  });

  it('sends the security headers on pages and API responses', async () => {
    for (const path of ['/login', '/api/health']) {
      const response = await fetch(`${server.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain('connect-src');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});

describe('limits configured through the environment', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({
      env: {
        OPSROOM_SELF_REPORT: 'off',
        OPSROOM_PUBLISH_RATE_PER_MIN: '150',
        OPSROOM_SOCKET_MESSAGES_PER_MIN: '5',
        OPSROOM_LOGIN_ATTEMPTS_PER_MIN: '3',
        OPSROOM_TRUST_PROXY: '1',
        OPSROOM_MAX_CONNECTIONS: '4',
        OPSROOM_MAX_CONNECTIONS_PER_USER: '3',
        OPSROOM_MAX_SUBSCRIPTIONS_PER_SOCKET: '2',
        OPSROOM_MAX_BODY_BYTES: '32768',
        OPSROOM_MAX_PAYLOAD_BYTES: '1024',
        OPSROOM_MAX_SOCKET_MESSAGE_BYTES: '2048',
        OPSROOM_MAX_JSON_DEPTH: '4',
      },
    });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('publish rate counts events per token across HTTP and socket, with retryAfterMs', async () => {
    const room = 'project:rate';
    const batch = (from: number, n: number) => ({
      events: Array.from({ length: n }, (_, i) => buildEvent(room, from + i)),
    });
    expect((await postEvents(server.url, token, batch(0, 100))).status).toBe(202);
    const refused = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(batch(100, 51)),
    });
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as ErrorReply;
    expect(body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(body.error.retryAfterMs).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // 151 of 150 points are now spent (refused requests count): the socket publish shares the budget.
    const { socket } = await connect(server.url, token);
    const viaSocket = (await socket
      .timeout(5_000)
      .emitWithAck('publish', buildEvent(room, 999))) as ErrorReply;
    expect(viaSocket.error.code).toBe('RATE_LIMIT_EXCEEDED');
    socket.close();
    // Another token has its own budget.
    const other = await createToken(server.url, await login(server.url), { name: 'other-publisher' });
    expect((await postEvents(server.url, other, batch(200, 100))).status).toBe(202);
  });

  it('socket messages per minute follow OPSROOM_SOCKET_MESSAGES_PER_MIN', async () => {
    const { socket } = await connect(server.url, token);
    for (let i = 0; i < 5; i++) expect((await socket.timeout(5_000).emitWithAck('ping', {})).ok).toBe(true);
    const refused = (await socket.timeout(5_000).emitWithAck('ping', {})) as ErrorReply;
    expect(refused.error.code).toBe('RATE_LIMIT_EXCEEDED');
    socket.close();
  });

  it('login attempts are counted per X-Forwarded-For client when the proxy is trusted', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': `10.9.9.9, ${ip}` });
    for (let i = 0; i < 3; i++)
      expect((await loginAttempt(server.url, 'nope', from('198.51.100.1'))).status).toBe(401);
    expect((await loginAttempt(server.url, 'nope', from('198.51.100.1'))).status).toBe(429);
    expect((await loginAttempt(server.url, 'nope', from('198.51.100.2'))).status).toBe(401);
  });

  it('sizes, depth and subscriptions follow their variables', async () => {
    // A token of its own: the first test spent the admin token's publish budget.
    const token = await createToken(server.url, await login(server.url), { name: 'sizes' });
    const room = 'project:small';
    const big = await postEvents(server.url, token, {
      room,
      type: 'x:y',
      payload: { blob: 'x'.repeat(40_000) },
    });
    expect([big.status, big.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(big.json.error?.message).toMatch(/32768/);
    const payload = await postEvents(server.url, token, {
      room,
      type: 'x:y',
      payload: { blob: 'x'.repeat(1100) },
    });
    expect([payload.status, payload.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const deep = await postEvents(server.url, token, { room, type: 'x:y', payload: nested(6) });
    expect(deep.json.error?.message).toMatch(/deeper than 4/);
    expect((await postEvents(server.url, token, { room, type: 'x:y', payload: nested(2) })).status).toBe(202);

    const client = rawSubscriber(server.url, token);
    await client.ready;
    expect((await client.subscribe([{ room: 'project:s1' }, { room: 'project:s2' }])).ok).toBe(true);
    const refused = (await client.subscribe([{ room: 'project:s3' }])) as ErrorReply;
    expect(refused.error).toMatchObject({ code: 'INVALID_MESSAGE', details: { limit: 2 } });
    let reason = '';
    client.socket.on('disconnect', (why) => (reason = why));
    client.socket.emit('subscribe', { rooms: [{ room: `project:${'x'.repeat(3000)}` }] }, () => undefined);
    await waitFor(() => reason !== '', 5_000, 'the 2 KiB socket message limit to close the socket');
  });

  it('connections in total follow OPSROOM_MAX_CONNECTIONS', async () => {
    const second = await createToken(server.url, await login(server.url), { name: 'second' });
    const sockets: TestSocket[] = [];
    try {
      for (const t of [token, token, second, second]) {
        const { socket, error } = await connect(server.url, t);
        expect(error).toBeNull();
        sockets.push(socket);
      }
      const refused = await connect(server.url, second);
      expect(refused.error).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
      expect(refused.error?.message).toMatch(/maximum of 4/);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});
