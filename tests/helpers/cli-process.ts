/**
 * Runs the Opsroom CLI (`node --import tsx cli/opsroom.ts ...`, what `npm run opsroom --`
 * and `npx opsroom` do) as a real child process, capturing its output as it arrives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ROOT } from './server-process';
import { waitFor } from './api';

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Complete stdout lines so far. */
  stdoutLines: () => string[];
  /** Resolves with the exit code (128 + n when killed by signal n, like a shell). */
  exited: Promise<number>;
  waitForStdout: (predicate: (text: string) => boolean, timeoutMs?: number, what?: string) => Promise<void>;
  waitForStderr: (predicate: (text: string) => boolean, timeoutMs?: number, what?: string) => Promise<void>;
  kill: (signal?: NodeJS.Signals) => void;
}

export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/opsroom.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = once(child, 'close').then(([code, signal]) => {
    if (typeof code === 'number') return code;
    return signal === 'SIGKILL' ? 137 : signal === 'SIGTERM' ? 143 : signal === 'SIGINT' ? 130 : 1;
  });
  const describe = () => `\n--- stdout (tail) ---\n${out.slice(-2000)}\n--- stderr ---\n${err.slice(-4000)}`;
  const waitOn =
    (read: () => string) =>
    async (predicate: (text: string) => boolean, timeoutMs = 30_000, what = 'output'): Promise<void> => {
      try {
        await waitFor(() => predicate(read()), timeoutMs, what);
      } catch (error) {
        throw new Error(`${(error as Error).message}${describe()}`);
      }
    };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    stdoutLines: () => {
      const lines = out.split('\n');
      lines.pop(); // incomplete (or empty after the last newline)
      return lines;
    },
    exited,
    waitForStdout: waitOn(() => out),
    waitForStderr: waitOn(() => err),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
