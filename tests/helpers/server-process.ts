/**
 * Starts a real Opsroom server process (server.ts, production Next build) on a free
 * loopback port with its own data directory, for integration tests, e2e and benchmarks.
 * Requires `npm run build` to have run (npm test does it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { freePort } from './free-port';
import { httpRequest } from './node-http';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ADMIN_EMAIL = 'admin@opsroom.test';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export interface OpsroomProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed (structured JSON log lines). */
  output: () => string;
  /** Sends the signal and waits for exit; resolves with the exit code (null when killed by signal). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Stops (if running) and removes the data directory unless keepData. */
  cleanup: () => Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart on the same database). */
  dataDir?: string;
  port?: number;
  keepData?: boolean;
  timeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof` for the bench's profiles. */
  nodeArgs?: string[];
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await httpRequest('GET', `http://127.0.0.1:${port}/api/health`)).status === 200;
  } catch {
    return false;
  }
}

export async function startOpsroom(options: StartOptions = {}): Promise<OpsroomProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'opsroom-test-'));
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server.ts'], {
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
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));

  const exited = once(child, 'exit');
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`opsroom exited during start (code ${child.exitCode}):\n${out.slice(-4000)}`);
    }
    // Ready when the log says so, or (at LOG_LEVEL=warn and above) when health answers.
    if (out.includes('"msg":"listening"') || (await healthy(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`opsroom did not start within the timeout:\n${out.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  };
  return {
    url,
    port,
    dataDir,
    child,
    output: () => out,
    stop,
    cleanup: async () => {
      await stop('SIGKILL');
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
