/** Targets for the baseline servers in bench/baselines/, each run as its own child process. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { cpuProfileArgs } from './cpu-profile';
import { createPublisher } from './http-publish';
import type { RunningTarget, TargetFactory, TargetStartOptions } from './types';
import type { Wire } from '../load/protocol';

const BASELINES = path.join(__dirname, '..', 'baselines');

async function startBaseline(file: string, wire: Wire, options: TargetStartOptions): Promise<RunningTarget> {
  const profile = options.profileDir === undefined ? [] : cpuProfileArgs(options.profileDir);
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(BASELINES, file)], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  const exited = once(child, 'exit');

  const deadline = Date.now() + 30_000;
  let port = 0;
  while (port === 0) {
    if (child.exitCode !== null) throw new Error(`${file} exited during start:\n${out.slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${file} did not start in 30 s:\n${out.slice(-2000)}`);
    }
    const match = out.match(/"msg":"listening","port":(\d+)/);
    if (match?.[1]) port = Number(match[1]);
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (child.pid === undefined) throw new Error(`${file}: no pid`);

  const base = `http://127.0.0.1:${port}`;
  const publisher = createPublisher(base, '/publish', {}, options.maxSockets);
  return {
    pid: child.pid,
    endpoint: {
      wire,
      url:
        wire === 'socketio'
          ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`
          : `ws://127.0.0.1:${port}/`,
      room: options.room,
    },
    publish: publisher.publish,
    output: () => out,
    stop: async () => {
      publisher.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

export const startPlainSocketIo: TargetFactory = (options) =>
  startBaseline('plain-socketio-server.ts', 'socketio', options);

export const startRawWs: TargetFactory = (options) => startBaseline('raw-ws-server.ts', 'ws', options);
