/**
 * Issue #4: live sockets follow account changes. A revoked token's socket closes within
 * 1 s (reason token_revoked), a demoted operator cannot publish on the same socket, a
 * logout closes that session's sockets, and a revocation made outside the server (the CLI)
 * is picked up by the periodic sweep.
 */
import { spawnSync } from 'node:child_process';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, login, rawSubscriber, waitFor, type TestSocket } from '../helpers/api';
import { httpRequest } from '../helpers/node-http';
import { ROOT, startOpsroom, type OpsroomProcess } from '../helpers/server-process';

describe('live revocation', () => {
  let server: OpsroomProcess;
  let adminCookie: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
    adminCookie = await login(server.url);
  });
  afterAll(async () => server?.cleanup());

  const admin = (method: string, path: string, body?: unknown) =>
    httpRequest(method, `${server.url}${path}`, {
      headers: { cookie: adminCookie, origin: server.url, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  function reasons(socket: TestSocket): string[] {
    const seen: string[] = [];
    socket.on('server:disconnect', (message) => seen.push(message.reason));
    return seen;
  }

  it('closes a revoked token’s socket within 1 s with reason token_revoked', async () => {
    const created = await admin('POST', '/api/tokens', {
      name: 'revoke-me',
      projects: ['*'],
      scopes: ['read'],
    });
    const { id, token } = JSON.parse(created.text) as { id: string; token: string };
    const client = rawSubscriber(server.url, token);
    await client.ready;
    const seen = reasons(client.socket);
    const started = Date.now();
    expect((await admin('DELETE', `/api/tokens/${id}`)).status).toBe(200);
    await waitFor(() => !client.socket.connected, 1000, 'the socket to close');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen).toEqual(['token_revoked']);
  });

  it('a demoted operator can no longer publish on the same socket', async () => {
    const created = await admin('POST', '/api/users', {
      email: 'demote@opsroom.test',
      name: 'Dee',
      role: 'operator',
      password: 'operator-pass-1',
    });
    const userId = (JSON.parse(created.text) as { user: { id: string } }).user.id;
    const cookie = await login(server.url, 'demote@opsroom.test', 'operator-pass-1');
    const socket: TestSocket = io(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    await new Promise((resolve) => socket.once('ready', resolve));
    const publish = () =>
      socket
        .timeout(5000)
        .emitWithAck('publish', { room: 'project:demote', type: 'note:added', payload: { n: 1 } });
    expect(await publish()).toMatchObject({ ok: true });

    expect((await admin('PATCH', `/api/users/${userId}`, { role: 'viewer' })).status).toBe(200);
    expect(await publish()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it('logout closes the sockets of that session', async () => {
    const cookie = await login(server.url);
    const socket: TestSocket = io(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    await new Promise((resolve) => socket.once('ready', resolve));
    const seen = reasons(socket);
    await httpRequest('POST', `${server.url}/api/auth/logout`, { headers: { cookie, origin: server.url } });
    await waitFor(() => !socket.connected, 2000, 'the socket to close');
    expect(seen).toEqual(['token_revoked']);
  });

  it('picks up a token revoked from the CLI within the periodic sweep', async () => {
    const token = await createToken(server.url, adminCookie, { name: 'cli-revoked', scopes: ['read'] });
    const list = JSON.parse((await admin('GET', '/api/tokens')).text) as {
      tokens: Array<{ id: string; name: string }>;
    };
    const id = list.tokens.find((t) => t.name === 'cli-revoked')?.id ?? '';
    const client = rawSubscriber(server.url, token);
    await client.ready;
    const revoke = spawnSync(process.execPath, ['--import', 'tsx', 'cli/opsroom.ts', 'token', 'revoke', id], {
      cwd: ROOT,
      env: {
        ...process.env,
        OPSROOM_DATA_DIR: server.dataDir,
        DATABASE_URL: `file:${server.dataDir}/opsroom.db`,
      },
      encoding: 'utf8',
    });
    expect(revoke.status).toBe(0);
    await waitFor(() => !client.socket.connected, 12_000, 'the sweep to close the socket');
  }, 20_000);
});
