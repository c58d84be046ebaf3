/**
 * A private redis-server for one test file: its own free loopback port, no persistence, killed
 * afterwards. Suites that need Redis fail (never skip) with a one-line message when
 * redis-server is not installed: a skipped cluster suite would let CI pass untested.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './free-port';

export interface RedisServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL and wait for exit. */
  stop: () => Promise<void>;
  /** Starts it again on the same port (after stop). */
  restart: () => Promise<void>;
}

function assertInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error('redis-server is not installed: `apt-get install redis-server` (it needs to be on PATH)');
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** On `port` when given (e.g. one an instance was already told to use), else a free one. */
export async function startRedis(port?: number): Promise<RedisServer> {
  assertInstalled();
  const listenPort = port ?? (await freePort());
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(listenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(listenPort))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await launch();
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${listenPort}`,
    port: listenPort,
    get child() {
      return child;
    },
    stop,
    restart: launch,
  };
}
