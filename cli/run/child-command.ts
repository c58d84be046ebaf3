/**
 * Runs the wrapped command: no shell (argv goes to execve as given, so nothing is expanded
 * or re-quoted), stdin inherited (interactive prompts still work), stdout and stderr piped
 * so every chunk can be echoed and published.
 *
 * `pause()` stops reading both pipes: the kernel's pipe buffer (64 KiB on Linux) fills and the
 * child's next write blocks. That is the backpressure `run` relies on to keep its memory
 * bounded while Opsroom is unreachable: the child waits, no line is dropped.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export type OutputStream = 'stdout' | 'stderr';

/** How the command ended, and the exit code `run` passes on (shell conventions). */
export type CommandOutcome =
  | { kind: 'exited'; exitCode: number }
  /** Killed by a signal: exit code 128 + the signal's number (SIGKILL: 137). */
  | { kind: 'signaled'; signal: NodeJS.Signals; exitCode: number }
  /** Could not start: 127 when not found, 126 when not executable. */
  | { kind: 'not-started'; reason: string; exitCode: number };

export interface ChildHandlers {
  /** The process exists (execve succeeded). */
  onSpawn(): void;
  onChunk(stream: OutputStream, chunk: Buffer): void;
}

export interface RunningChild {
  /** Resolves once the process has ended and both pipes are drained. */
  readonly finished: Promise<CommandOutcome>;
  pause(): void;
  resume(): void;
  /** Forwards a signal (no-op once the process has ended). */
  kill(signal: NodeJS.Signals): void;
}

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export function startChild(command: readonly string[], handlers: ChildHandlers): RunningChild {
  const [file, ...args] = command;
  if (file === undefined) throw new Error('startChild: empty command');
  const child = spawn(file, args, { stdio: ['inherit', 'pipe', 'pipe'], shell: false });
  let ended = false;

  const finished = new Promise<CommandOutcome>((resolve) => {
    child.once('spawn', () => handlers.onSpawn());
    child.stdout.on('data', (chunk: Buffer) => handlers.onChunk('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => handlers.onChunk('stderr', chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      // 'error' without 'spawn' means execve failed; after a spawn it would be a kill() failure.
      if (child.pid !== undefined) return;
      ended = true;
      const notFound = error.code === 'ENOENT';
      resolve({
        kind: 'not-started',
        reason: notFound ? `command not found: ${file}` : `cannot run ${file}: ${error.message}`,
        exitCode: notFound ? 127 : 126,
      });
    });
    // 'close' (not 'exit') waits until both pipes have ended, so no output is left unread.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      ended = true;
      if (child.pid === undefined) return; // spawn failure, reported through 'error'
      if (signal !== null) resolve({ kind: 'signaled', signal, exitCode: signalExitCode(signal) });
      else resolve({ kind: 'exited', exitCode: code ?? 1 });
    });
  });

  return {
    finished,
    pause: () => {
      child.stdout.pause();
      child.stderr.pause();
    },
    resume: () => {
      child.stdout.resume();
      child.stderr.resume();
    },
    kill: (signal) => {
      if (!ended && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
