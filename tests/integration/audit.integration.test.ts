/**
 * Issue #4: the audit log records logins (ok and failed), token create/revoke, user
 * changes and operator publishes, and only admins can read it.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/lib/shared/api-types';
import { login, type TestSocket } from '../helpers/api';
import { httpRequest } from '../helpers/node-http';
import { ADMIN_EMAIL, startOpsroom, type OpsroomProcess } from '../helpers/server-process';

describe('audit log', () => {
  let server: OpsroomProcess;
  let adminCookie: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
    adminCookie = await login(server.url);
  });
  afterAll(async () => server?.cleanup());

  const asAdmin = (method: string, path: string, body?: unknown) =>
    httpRequest(method, `${server.url}${path}`, {
      headers: { cookie: adminCookie, origin: server.url, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  it('records who did what, from where, and shows it only to admins', async () => {
    await httpRequest('POST', `${server.url}/api/auth/login`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: 'not-the-password' }),
    });
    const token = JSON.parse(
      (await asAdmin('POST', '/api/tokens', { name: 'audited', projects: ['web'], scopes: ['publish'] }))
        .text,
    ) as { id: string };
    await asAdmin('DELETE', `/api/tokens/${token.id}`);
    const user = JSON.parse(
      (
        await asAdmin('POST', '/api/users', {
          email: 'op@opsroom.test',
          name: 'Op',
          role: 'operator',
          password: 'operator-pass-1',
        })
      ).text,
    ) as {
      user: { id: string };
    };
    await asAdmin('PATCH', `/api/users/${user.user.id}`, { role: 'viewer' });
    await asAdmin('PATCH', `/api/users/${user.user.id}`, { role: 'operator' });
    const operatorCookie = await login(server.url, 'op@opsroom.test', 'operator-pass-1');
    const socket: TestSocket = io(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: operatorCookie },
      forceNew: true,
      reconnection: false,
    });
    await new Promise((resolve) => socket.once('ready', resolve));
    expect(
      await socket
        .timeout(5000)
        .emitWithAck('publish', { room: 'project:web', type: 'deploy:note', payload: { text: 'hotfix' } }),
    ).toMatchObject({ ok: true });
    socket.close();

    const response = await asAdmin('GET', '/api/audit?limit=50');
    expect(response.status).toBe(200);
    const entries = (JSON.parse(response.text) as { entries: AuditEntry[] }).entries;
    const actions = entries.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'login.ok',
      'login.failed',
      'token.create',
      'token.revoke',
      'user.create',
      'user.update',
      'user.update',
      'login.ok',
      'events.publish',
    ]);
    const failed = entries.find((e) => e.action === 'login.failed');
    expect(failed).toMatchObject({ actor: ADMIN_EMAIL, ip: '127.0.0.1' });
    expect(entries.find((e) => e.action === 'events.publish')).toMatchObject({
      target: 'project:web',
      details: { count: 1, types: ['deploy:note'], via: 'socket' },
    });
    expect(entries.find((e) => e.action === 'token.create')?.target).toContain(token.id);

    expect(
      (await httpRequest('GET', `${server.url}/api/audit`, { headers: { cookie: operatorCookie } })).status,
    ).toBe(403);
    expect((await httpRequest('GET', `${server.url}/api/audit`)).status).toBe(401);
  });
});
