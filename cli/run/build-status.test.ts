import { describe, expect, it } from 'vitest';
import { buildProgressSchema } from '@/lib/shared/events';
import { BuildStatus } from './build-status';

describe('BuildStatus', () => {
  it('goes queued -> in-progress -> marker progress -> complete, each payload valid on its own', () => {
    const build = new BuildStatus('b1', 'make all');
    const payloads = [
      build.queued(),
      build.started(),
      build.marker({ progress: 40, step: 'Compiling', currentStep: 2, totalSteps: 5 }),
      build.marker({ progress: 60 }),
      build.finished({ kind: 'exited', exitCode: 0 }, null),
    ];
    for (const payload of payloads) expect(buildProgressSchema.safeParse(payload).success).toBe(true);
    expect(payloads.map((p) => [p.status, p.progress, p.step])).toEqual([
      ['queued', 0, 'queued'],
      ['in-progress', 0, 'running'],
      ['in-progress', 40, 'Compiling'],
      ['in-progress', 60, 'Compiling'],
      ['complete', 100, 'Compiling'],
    ]);
    expect(payloads[4]).toMatchObject({ currentStep: 5, totalSteps: 5, message: 'exited with code 0' });
  });

  it('fails with the exit code or signal in the message, keeping the last progress', () => {
    const failed = new BuildStatus('b2', 'npm test');
    failed.marker({ progress: 30 });
    expect(failed.finished({ kind: 'exited', exitCode: 3 }, null)).toMatchObject({
      status: 'failed',
      progress: 30,
      message: 'exited with code 3',
    });
    expect(
      new BuildStatus('b3', 'x').finished({ kind: 'signaled', signal: 'SIGKILL', exitCode: 137 }, null),
    ).toMatchObject({ status: 'failed', message: 'killed by SIGKILL (exit code 137)' });
    expect(
      new BuildStatus('b4', 'nope').finished(
        { kind: 'not-started', reason: 'command not found: nope', exitCode: 127 },
        null,
      ),
    ).toMatchObject({ status: 'failed', message: 'command not found: nope (exit code 127)' });
  });

  it('is cancelled when run was interrupted, whatever the command then did', () => {
    const build = new BuildStatus('b5', 'sleep 60');
    expect(build.finished({ kind: 'exited', exitCode: 0 }, 'SIGINT')).toMatchObject({
      status: 'cancelled',
      message: 'interrupted by SIGINT; exited with code 0',
    });
  });
});
