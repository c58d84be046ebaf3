/** Real child processes (node itself as the command): exit codes, signals, pipes, backpressure. */
import { describe, expect, it } from 'vitest';
import { startChild, type OutputStream } from './child-command';

const node = (script: string): string[] => [process.execPath, '-e', script];

function run(command: string[]) {
  const chunks: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] };
  let spawned = false;
  const child = startChild(command, {
    onSpawn: () => (spawned = true),
    onChunk: (stream, chunk) => chunks[stream].push(chunk),
  });
  const text = (stream: OutputStream) => Buffer.concat(chunks[stream]).toString('utf8');
  const bytes = (stream: OutputStream) => chunks[stream].reduce((sum, c) => sum + c.length, 0);
  return { child, text, bytes, spawned: () => spawned };
}

describe('startChild', () => {
  it('passes arguments without a shell and reports exit code and both streams', async () => {
    const { child, text, spawned } = run(
      node(
        'process.stdout.write(process.argv.slice(1).join("|")); console.error("on stderr"); process.exit(3)',
      ).concat(['$HOME', 'a b', '*']),
    );
    expect(await child.finished).toEqual({ kind: 'exited', exitCode: 3 });
    expect(spawned()).toBe(true);
    expect(text('stdout')).toBe('$HOME|a b|*');
    expect(text('stderr')).toBe('on stderr\n');
  });

  it('maps a signal death to 128 + the signal number', async () => {
    const { child } = run(node('process.kill(process.pid, "SIGKILL")'));
    expect(await child.finished).toEqual({ kind: 'signaled', signal: 'SIGKILL', exitCode: 137 });
  });

  it('forwards a signal to the running command', async () => {
    const { child, text } = run(node('console.log("ready"); setInterval(() => {}, 1000)'));
    while (!text('stdout').includes('ready')) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    expect(await child.finished).toEqual({ kind: 'signaled', signal: 'SIGTERM', exitCode: 143 });
    child.kill('SIGTERM'); // after the end: a no-op, not an error
  });

  it('reports a missing command as 127 without spawning', async () => {
    const { child, spawned } = run(['opsroom-no-such-command-here', '--flag']);
    expect(await child.finished).toEqual({
      kind: 'not-started',
      reason: 'command not found: opsroom-no-such-command-here',
      exitCode: 127,
    });
    expect(spawned()).toBe(false);
  });

  it('pause() blocks the command in write(2) until resume(); nothing is lost', async () => {
    const total = 4 * 1024 * 1024;
    const { child, bytes } = run(
      node(
        `const block = Buffer.alloc(65536, 120); for (let i = 0; i < ${total / 65536}; i++) process.stdout.write(block);`,
      ),
    );
    child.pause();
    let ended = false;
    void child.finished.then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 1_000));
    // The child is stuck on a full pipe: it has not finished and most of its output is unread.
    expect(ended).toBe(false);
    expect(bytes('stdout')).toBeLessThan(total / 2);
    child.resume();
    expect(await child.finished).toEqual({ kind: 'exited', exitCode: 0 });
    expect(bytes('stdout')).toBe(total);
  });
});
