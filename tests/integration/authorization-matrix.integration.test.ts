/**
 * Issue #4: the whole authorization matrix, walked as each kind of caller: every HTTP
 * endpoint and every socket action, allowed or denied exactly as PROTOCOL.md sections 2, 3
 * and 6 say.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, login, type TestSocket } from '../helpers/api';
import { httpRequest } from '../helpers/node-http';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

type Caller = 'anonymous' | 'viewer' | 'operator' | 'admin' | 'publishToken' | 'readToken' | 'otherToken';
const CALLERS: Caller[] = [
  'anonymous',
  'viewer',
  'operator',
  'admin',
  'publishToken',
  'readToken',
  'otherToken',
];

interface Credentials {
  headers: Record<string, string>;
  socketAuth: { extraHeaders?: Record<string, string>; auth?: { token: string } };
  userId?: string;
}

let server: OpsroomProcess;
const creds = {} as Record<Caller, Credentials>;

beforeAll(async () => {
  server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
  const adminCookie = await login(server.url);
  const asAdmin = { cookie: adminCookie, origin: server.url, 'content-type': 'application/json' };
  const userIds: Record<string, string> = {};
  for (const role of ['viewer', 'operator'] as const) {
    const response = await httpRequest('POST', `${server.url}/api/users`, {
      headers: asAdmin,
      body: JSON.stringify({ email: `${role}@opsroom.test`, name: role, role, password: `${role}-password` }),
    });
    userIds[role] = (JSON.parse(response.text) as { user: { id: string } }).user.id;
  }
  const me = JSON.parse(
    (await httpRequest('GET', `${server.url}/api/auth/me`, { headers: { cookie: adminCookie } })).text,
  ) as { user: { id: string } };
  const session = async (email: string, password: string, userId: string): Promise<Credentials> => {
    const cookie = await login(server.url, email, password);
    return { headers: { cookie, origin: server.url }, socketAuth: { extraHeaders: { cookie } }, userId };
  };
  const token = async (projects: string[], scopes: string[]): Promise<Credentials> => {
    const value = await createToken(server.url, adminCookie, {
      name: `t-${projects[0]}-${scopes.join('-')}`,
      projects,
      scopes,
    });
    return { headers: { authorization: `Bearer ${value}` }, socketAuth: { auth: { token: value } } };
  };
  creds.anonymous = { headers: {}, socketAuth: {} };
  creds.viewer = await session('viewer@opsroom.test', 'viewer-password', userIds.viewer ?? '');
  creds.operator = await session('operator@opsroom.test', 'operator-password', userIds.operator ?? '');
  creds.admin = {
    headers: asAdmin,
    socketAuth: { extraHeaders: { cookie: adminCookie } },
    userId: me.user.id,
  };
  creds.publishToken = await token(['web'], ['publish']);
  creds.readToken = await token(['web'], ['read']);
  creds.otherToken = await token(['other'], ['publish', 'read']);
  // Something to read.
  await httpRequest('POST', `${server.url}/api/events`, {
    headers: { ...creds.publishToken.headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      room: 'project:web',
      type: 'service:status',
      payload: { service: 'api', status: 'running' },
    }),
  });
});
afterAll(async () => server?.cleanup());

const ALLOW = true;
const DENY = false;
/** Expected outcome per caller, in CALLERS order. */
const row = (...cells: boolean[]): Record<Caller, boolean> =>
  Object.fromEntries(CALLERS.map((c, i) => [c, cells[i] ?? DENY])) as Record<Caller, boolean>;

interface HttpCase {
  name: string;
  method: string;
  path: string | ((c: Caller) => string);
  body?: unknown;
  expect: Record<Caller, boolean>;
}

//                                      anon   viewer operator admin  pubTok readTok otherTok
const HTTP_CASES: HttpCase[] = [
  {
    name: 'health',
    method: 'GET',
    path: '/api/health',
    expect: row(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
  },
  {
    name: 'who am I',
    method: 'GET',
    path: '/api/auth/me',
    expect: row(DENY, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW, ALLOW),
  },
  {
    name: 'publish to project:web',
    method: 'POST',
    path: '/api/events',
    body: { room: 'project:web', type: 'note:added', payload: {} },
    expect: row(DENY, DENY, ALLOW, ALLOW, ALLOW, DENY, DENY),
  },
  {
    name: 'history of project:web',
    method: 'GET',
    path: '/api/rooms/project:web/history',
    expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, DENY),
  },
  {
    name: 'snapshot of project:web',
    method: 'GET',
    path: '/api/rooms/project:web/snapshot',
    expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, DENY),
  },
  {
    name: 'history of system',
    method: 'GET',
    path: '/api/rooms/system/history',
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'projects',
    method: 'GET',
    path: '/api/projects',
    expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, ALLOW),
  },
  {
    name: 'ws stats',
    method: 'GET',
    path: '/api/ws/stats',
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'metrics',
    method: 'GET',
    path: '/metrics',
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'list tokens',
    method: 'GET',
    path: '/api/tokens',
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'create token',
    method: 'POST',
    path: '/api/tokens',
    body: { name: 'x', projects: ['web'], scopes: ['read'] },
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'list users',
    method: 'GET',
    path: '/api/users',
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'create user',
    method: 'POST',
    path: '/api/users',
    body: { email: 'new@opsroom.test', name: 'New', role: 'viewer', password: 'new-password' },
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
  {
    name: 'rename a user',
    method: 'PATCH',
    path: () => `/api/users/${creds.viewer.userId ?? ''}`,
    body: { name: 'Viewer' },
    expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
  },
];

describe('authorization matrix: HTTP', () => {
  for (const testCase of HTTP_CASES) {
    it(testCase.name, async () => {
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const caller of CALLERS) {
        const path = typeof testCase.path === 'function' ? testCase.path(caller) : testCase.path;
        // Each creating call gets a unique body so an allowed call never fails on a conflict.
        const body =
          testCase.body === undefined
            ? undefined
            : JSON.stringify(
                testCase.name === 'create user'
                  ? { ...(testCase.body as object), email: `new-${caller}@opsroom.test` }
                  : testCase.name === 'create token'
                    ? { ...(testCase.body as object), name: `x-${caller}` }
                    : testCase.body,
              );
        const response = await httpRequest(testCase.method, `${server.url}${path}`, {
          headers: {
            ...creds[caller].headers,
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { body }),
        });
        const allowed = response.status >= 200 && response.status < 300;
        outcomes[caller] = allowed ? 'allow' : `deny ${response.status}`;
        expected[caller] = testCase.expect[caller]
          ? 'allow'
          : outcomes[caller].startsWith('deny')
            ? outcomes[caller]
            : 'deny';
        if (!allowed) expect([401, 403]).toContain(response.status);
        if (!allowed && caller === 'anonymous') expect(response.status).toBe(401);
      }
      expect(outcomes).toEqual(expected);
    });
  }
});

describe('authorization matrix: Socket.IO', () => {
  async function connect(caller: Caller): Promise<TestSocket | string> {
    const socket: TestSocket = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...creds[caller].socketAuth,
    });
    return new Promise((resolve) => {
      socket.once('ready', () => resolve(socket));
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
        socket.close();
        resolve(error.data?.code ?? 'ERROR');
      });
    });
  }

  it('connects callers with read access and refuses the rest with UNAUTHORIZED', async () => {
    const outcomes: Record<string, string> = {};
    for (const caller of CALLERS) {
      const result = await connect(caller);
      outcomes[caller] = typeof result === 'string' ? result : 'connected';
      if (typeof result !== 'string') result.close();
    }
    expect(outcomes).toEqual({
      anonymous: 'UNAUTHORIZED',
      viewer: 'connected',
      operator: 'connected',
      admin: 'connected',
      publishToken: 'UNAUTHORIZED',
      readToken: 'connected',
      otherToken: 'connected',
    });
  });

  const SOCKET_CASES: Array<{
    name: string;
    event: 'subscribe' | 'publish' | 'presence:get';
    request: (c: Caller) => unknown;
    expect: Record<Caller, boolean>;
  }> = [
    {
      name: 'subscribe project:web',
      event: 'subscribe',
      request: () => ({ rooms: [{ room: 'project:web' }] }),
      expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, DENY),
    },
    {
      name: 'subscribe logs:web:api',
      event: 'subscribe',
      request: () => ({ rooms: [{ room: 'logs:web:api' }] }),
      expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, DENY),
    },
    {
      name: 'subscribe system',
      event: 'subscribe',
      request: () => ({ rooms: [{ room: 'system' }] }),
      expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
    },
    {
      name: 'subscribe own user room',
      event: 'subscribe',
      request: (c) => ({ rooms: [{ room: `user:${creds[c].userId ?? 'nobody'}` }] }),
      expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, DENY, DENY),
    },
    {
      name: "subscribe someone else's user room",
      event: 'subscribe',
      request: (c) => ({
        rooms: [
          { room: `user:${c === 'viewer' ? (creds.operator.userId ?? '') : (creds.viewer.userId ?? '')}` },
        ],
      }),
      expect: row(DENY, DENY, DENY, DENY, DENY, DENY, DENY),
    },
    {
      name: 'presence of project:web',
      event: 'presence:get',
      request: () => ({ room: 'project:web' }),
      expect: row(DENY, ALLOW, ALLOW, ALLOW, DENY, ALLOW, DENY),
    },
    {
      name: 'publish to project:web',
      event: 'publish',
      request: () => ({ room: 'project:web', type: 'note:added', payload: {} }),
      expect: row(DENY, DENY, ALLOW, ALLOW, DENY, DENY, DENY),
    },
    {
      name: 'publish to system',
      event: 'publish',
      request: () => ({ room: 'system', type: 'note:added', payload: {} }),
      expect: row(DENY, DENY, DENY, ALLOW, DENY, DENY, DENY),
    },
  ];

  for (const testCase of SOCKET_CASES) {
    it(testCase.name, async () => {
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const caller of CALLERS) {
        const socket = await connect(caller);
        if (typeof socket === 'string') {
          outcomes[caller] = `no connection (${socket})`;
        } else {
          const reply = await (
            socket.timeout(5000) as unknown as {
              emitWithAck(e: string, r: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
            }
          ).emitWithAck(testCase.event, testCase.request(caller));
          outcomes[caller] = reply.ok ? 'allow' : `deny ${reply.error?.code ?? ''}`;
          socket.close();
        }
        expected[caller] = testCase.expect[caller]
          ? 'allow'
          : outcomes[caller] === 'allow'
            ? 'deny'
            : outcomes[caller];
        if (outcomes[caller]?.startsWith('deny')) expect(outcomes[caller]).toBe('deny FORBIDDEN');
      }
      expect(outcomes).toEqual(expected);
    });
  }
});
