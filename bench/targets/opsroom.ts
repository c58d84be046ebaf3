/**
 * Target: the real Opsroom server (server.ts, production Next build; run `npm run build`
 * first), with an admin-created API token (`publish` + `read` on every project) used both to
 * publish over HTTP and to authenticate the subscribers.
 *
 * The process is started with the same environment as tests/helpers/server-process.ts, but
 * readiness is detected by polling GET /api/health rather than by the `listening` log line:
 * that line is logged at info level, and the bench runs the server at LOG_LEVEL=warn so that
 * logging is not part of what is measured.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@/tests/helpers/free-port';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT } from '@/tests/helpers/server-process';
import { sleep } from '../lib/stats';
import { createPublisher } from './http-publish';
import type { RunningTarget, TargetFactory } from './types';

interface OpsroomServer {
  url: string;
  port: number;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<OpsroomServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      OPSROOM_DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, 'opsroom.db')}`,
      OPSROOM_ADMIN_EMAIL: ADMIN_EMAIL,
      OPSROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      // The load comes from one token over thousands of sockets: lift the per-user and
      // per-socket abuse limits (tested on their own) so they do not cap the figures.
      OPSROOM_MAX_CONNECTIONS_PER_USER: '1000000',
      OPSROOM_MAX_CONNECTIONS: '1000000',
      OPSROOM_SOCKET_MESSAGES_PER_MIN: '1000000',
      OPSROOM_PUBLISH_RATE_PER_MIN: '100000000',
      OPSROOM_SELF_REPORT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // Graceful shutdown flushes batches and closes sockets; do not let a slow one stall the run.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`opsroom exited during start (code ${child.exitCode}): ${out.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await stop();
      throw new Error(`opsroom did not answer /api/health within ${timeoutMs} ms: ${out.slice(-2000)}`);
    }
    const healthy = await fetch(`${url}/api/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) break;
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error('opsroom: no pid');
  return { url, port, pid: child.pid, output: () => out, stop };
}

export async function createToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200)
    throw new Error(`login answered ${login.status}: ${(await login.text()).slice(0, 300)}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter(Boolean)
    .join('; ');
  if (!cookie) throw new Error('login set no cookie');

  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: JSON.stringify({ name: 'bench', projects: ['*'], scopes: ['publish', 'read'] }),
  });
  if (created.status !== 201) {
    throw new Error(`token creation answered ${created.status}: ${(await created.text()).slice(0, 300)}`);
  }
  const body = (await created.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('token creation returned no token');
  return body.token;
}

export const startOpsroomTarget: TargetFactory = async (options) => {
  const server = await startServer(options.env);
  try {
    const token = await createToken(server.url);
    const publisher = createPublisher(
      server.url,
      '/api/events',
      { authorization: `Bearer ${token}` },
      options.maxSockets,
    );
    const target: RunningTarget = {
      pid: server.pid,
      endpoint: {
        wire: 'socketio',
        url: `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`,
        token,
        room: options.room,
      },
      publish: publisher.publish,
      output: () => server.output().slice(-4000),
      stop: async () => {
        publisher.close();
        await server.stop();
      },
    };
    return target;
  } catch (error) {
    await server.stop();
    throw error;
  }
};
