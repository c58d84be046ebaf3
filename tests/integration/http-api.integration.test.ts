/**
 * Issue #2 acceptance: idempotent ids, bad input answered with the right status and code
 * and nothing stored, and the server keeps serving others meanwhile. Also the auth, history,
 * snapshot, projects, stats and metrics endpoints as a client sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildEvent,
  createToken,
  history,
  login,
  postEvents,
  rawSubscriber,
  waitFor,
} from '../helpers/api';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

describe('HTTP API', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_METRICS_TOKEN: 'metrics-token-0123456789' } });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('serves /api/health and the dashboard page', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { db: 'ok' } });
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Opsroom');
  });

  it('serves POST /api/events itself: JSON security headers, 405 for other methods, query ignored', async () => {
    const posted = await fetch(`${server.url}/api/events?via=query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(buildEvent('project:direct', 1)),
    });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('content-type')).toMatch(/^application\/json/);
    expect(posted.headers.get('x-content-type-options')).toBe('nosniff');
    expect(posted.headers.get('x-frame-options')).toBe('DENY');
    expect(posted.headers.get('cache-control')).toBe('no-store');
    const got = await fetch(`${server.url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(got.status).toBe(405);
    expect(got.headers.get('allow')).toBe('POST');
    expect(((await got.json()) as { error: { code: string } }).error.code).toBe('INVALID_MESSAGE');
  });

  it('refuses a chunked POST /api/events body past 1 MiB with 413 and keeps the connection usable', async () => {
    const { request, Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (chunks: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${server.url}/api/events`, {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    const big = await post([
      '{"room":"project:chunked","type":"x:y","payload":{"pad":"',
      ...Array.from({ length: 17 }, () => 'x'.repeat(64 * 1024)),
      '"}}',
    ]);
    expect(big.status).toBe(413);
    expect((JSON.parse(big.body) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const small = await post([JSON.stringify(buildEvent('project:chunked', 1))]);
    expect(small.status).toBe(202);
    agent.destroy();
  });

  it('stores a repeated id once; both calls get 202 with the same seq', async () => {
    const room = 'project:idem';
    const event = buildEvent(room, 1, { id: 'deploy-2026-11-22-1' });
    const one = await postEvents(server.url, token, event);
    const two = await postEvents(server.url, token, {
      ...event,
      payload: { ...event.payload, progress: 99 },
    });
    expect(one.status).toBe(202);
    expect(two.status).toBe(202);
    expect(two.json.accepted?.[0]).toEqual(one.json.accepted?.[0]);
    const stored = await history(server.url, token, room);
    expect(stored.json.events).toHaveLength(1);
    expect(stored.json.events[0]?.payload.progress).toBe(1);
  });

  it('answers bad input with status and code, stores nothing, and keeps serving others', async () => {
    const room = 'project:bad';
    const watcher = rawSubscriber(server.url, token);
    await watcher.ready;
    await watcher.subscribe([{ room }]);

    const raw = (body: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
      fetch(`${server.url}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['malformed JSON', raw('{"room": "project:bad", "type":'), 400, 'INVALID_MESSAGE'],
      ['not an event', raw('[1,2,3]'), 400, 'INVALID_MESSAGE'],
      [
        'unknown room form',
        raw(JSON.stringify({ room: 'projects/bad', type: 'x:y', payload: {} })),
        400,
        'UNKNOWN_ROOM',
      ],
      [
        'bad slug',
        raw(JSON.stringify({ room: 'project:Bad Slug', type: 'x:y', payload: {} })),
        400,
        'UNKNOWN_ROOM',
      ],
      [
        'invalid catalogue payload',
        raw(
          JSON.stringify({
            room,
            type: 'build:progress',
            payload: { buildId: 'b', status: 'done', progress: 500 },
          }),
        ),
        422,
        'INVALID_EVENT',
      ],
      ['bad type', raw(JSON.stringify({ room, type: 'Not A Type', payload: {} })), 422, 'INVALID_EVENT'],
      [
        'oversized payload',
        raw(JSON.stringify({ room, type: 'x:y', payload: { blob: 'x'.repeat(70_000) } })),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'oversized body',
        raw(JSON.stringify({ room, type: 'x:y', payload: { blob: 'x'.repeat(1_100_000) } })),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'prototype pollution',
        raw(`{"room":"${room}","type":"x:y","payload":{"__proto__":{"admin":true}}}`),
        422,
        'INVALID_EVENT',
      ],
      [
        'one bad event in a batch',
        raw(JSON.stringify({ events: [buildEvent(room, 1), { room, type: 'build:progress', payload: {} }] })),
        422,
        'INVALID_EVENT',
      ],
      ['missing token', raw(JSON.stringify(buildEvent(room, 1)), {}), 401, 'UNAUTHORIZED'],
      [
        'invalid token',
        raw(JSON.stringify(buildEvent(room, 1)), { authorization: 'Bearer opsr_nope' }),
        401,
        'UNAUTHORIZED',
      ],
    ];
    for (const [name, pending, status, code] of cases) {
      const response = await pending;
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect({ name, status: response.status, code: body.error.code }).toEqual({ name, status, code });
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const stored = await history(server.url, token, room);
    expect(stored.json).toMatchObject({ seq: 0, events: [] });

    // The server still serves: a good event reaches the watcher.
    expect((await postEvents(server.url, token, buildEvent(room, 1))).status).toBe(202);
    await waitFor(() => watcher.received().length === 1);
    expect(watcher.received()[0]?.seq).toBe(1);
    watcher.close();
  });

  it('routes logs:stream published to a project room into its logs room', async () => {
    const response = await postEvents(server.url, token, {
      room: 'project:logs-demo',
      type: 'logs:stream',
      payload: { stream: 'build-1', lines: [{ ts: new Date().toISOString(), text: 'hello', level: 'info' }] },
    });
    expect(response.status).toBe(202);
    expect(response.json.accepted?.[0]).toMatchObject({ room: 'logs:logs-demo:build-1', seq: 1 });
  });

  it('serves snapshot and projects, and limits tokens to their projects and scopes', async () => {
    await postEvents(server.url, token, {
      room: 'project:snap',
      type: 'service:status',
      payload: { service: 'api', status: 'running' },
    });
    const snapshot = await fetch(`${server.url}/api/rooms/project:snap/snapshot`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await snapshot.json()).toMatchObject({
      room: 'project:snap',
      seq: 1,
      snapshot: [{ type: 'service:status' }],
    });

    const cookie = await login(server.url);
    const webOnly = await createToken(server.url, cookie, {
      name: 'web-ci',
      projects: ['web'],
      scopes: ['publish'],
    });
    expect((await postEvents(server.url, webOnly, buildEvent('project:web', 1))).status).toBe(202);
    const other = await postEvents(server.url, webOnly, buildEvent('project:snap', 1));
    expect(other.status).toBe(403);
    expect(other.json.error?.code).toBe('FORBIDDEN');
    // publish-only: no history.
    expect((await history(server.url, webOnly, 'project:web')).status).toBe(403);

    const projects = await fetch(`${server.url}/api/projects`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const slugs = ((await projects.json()) as { projects: Array<{ slug: string }> }).projects.map(
      (p) => p.slug,
    );
    expect(slugs).toEqual(expect.arrayContaining(['snap', 'web']));
  });

  it('logs in and out with a session cookie, with CSRF protection on cookie requests', async () => {
    const wrong = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@opsroom.test', password: 'wrong-password' }),
    });
    expect(wrong.status).toBe(401);
    const cookie = await login(server.url);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { email: 'admin@opsroom.test', role: 'admin' } });
    // A cookie-authenticated publish from a foreign origin is refused.
    const csrf = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: 'https://evil.example' },
      body: JSON.stringify(buildEvent('project:web', 1)),
    });
    expect(csrf.status).toBe(403);
    const same = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: server.url },
      body: JSON.stringify(buildEvent('project:web', 2)),
    });
    expect(same.status).toBe(202);
    const logout = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: server.url },
    });
    expect(logout.status).toBe(200);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('serves ws stats to admins and metrics to the metrics token', async () => {
    const cookie = await login(server.url);
    const client = rawSubscriber(server.url, token);
    await client.ready;
    await client.subscribe([{ room: 'project:stats' }]);
    const stats = (await (await fetch(`${server.url}/api/ws/stats`, { headers: { cookie } })).json()) as {
      totalClients: number;
      clientsPerRoom: Record<string, number>;
      instances: unknown[];
    };
    expect(stats.clientsPerRoom['project:stats']).toBe(1);
    expect(stats.totalClients).toBeGreaterThanOrEqual(1);
    expect(stats.instances).toHaveLength(1);
    expect(
      (await fetch(`${server.url}/api/ws/stats`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(403);
    client.close();

    const metrics = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    for (const name of [
      'opsroom_connections',
      'opsroom_events_in_total',
      'opsroom_events_out_total',
      'opsroom_batch_size',
      'opsroom_publish_to_emit_seconds',
    ]) {
      expect(text).toContain(name);
    }
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  });
});
