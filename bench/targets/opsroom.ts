/**
 * Target: the real Opsroom server (server.ts, production Next build; run `npm run build`
 * first), started like the tests start it (tests/helpers/server-process.ts), with an
 * admin-created API token (`publish` + `read` on every project) used both to publish over
 * HTTP and to authenticate the subscribers.
 */
import { adminToken } from '@/tests/helpers/api';
import { startOpsroom } from '@/tests/helpers/server-process';
import { cpuProfileArgs } from './cpu-profile';
import { createPublisher } from './http-publish';
import type { RunningTarget, TargetFactory } from './types';

/** Logging and self-report are not part of what is measured. */
const BENCH_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  OPSROOM_SELF_REPORT: 'off',
  // The load comes from one token over thousands of sockets: lift the per-user and
  // per-socket abuse limits (tested on their own) so they do not cap the figures.
  OPSROOM_MAX_CONNECTIONS_PER_USER: '1000000',
  OPSROOM_MAX_CONNECTIONS: '1000000',
  OPSROOM_SOCKET_MESSAGES_PER_MIN: '1000000',
  OPSROOM_PUBLISH_RATE_PER_MIN: '100000000',
};

interface OpsroomServer {
  url: string;
  port: number;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
  profileDir?: string,
): Promise<OpsroomServer> {
  const server = await startOpsroom({
    env: { ...BENCH_ENV, ...env },
    timeoutMs,
    ...(profileDir === undefined ? {} : { nodeArgs: cpuProfileArgs(profileDir) }),
  });
  if (server.child.pid === undefined) throw new Error('opsroom: no pid');
  return {
    url: server.url,
    port: server.port,
    pid: server.child.pid,
    output: server.output,
    stop: async () => {
      // A killed process writes no profile: let it shut down (bounded by server.ts's own deadline).
      if (profileDir !== undefined) await server.stop('SIGTERM');
      await server.cleanup();
    },
  };
}

export const createToken = adminToken;

export const startOpsroomTarget: TargetFactory = async (options) => {
  const server = await startServer(options.env, 90_000, options.profileDir);
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
