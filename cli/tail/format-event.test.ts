import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { clockTime, formatEventLines } from './format-event';

const envelope = (seq: number, type: string, payload: Record<string, unknown>): Envelope => ({
  id: `e${seq}`,
  room: 'project:web',
  seq,
  type,
  ts: '2026-11-30T10:30:01.234Z',
  source: 'token:ci',
  payload,
});

describe('formatEventLines', () => {
  it('prints one line per log line with its own time and level', () => {
    const lines = formatEventLines(
      envelope(7, 'logs:stream', {
        stream: 'api',
        lines: [
          { ts: '2026-11-30T10:30:00.100Z', text: 'GET / 200', level: 'info' },
          { ts: '2026-11-30T10:30:00.200Z', text: 'no level' },
          { ts: '2026-11-30T10:30:00.300Z', text: 'boom', level: 'error' },
        ],
      }),
    );
    expect(lines).toEqual([
      '10:30:00.100 #7 INFO  GET / 200',
      '10:30:00.200 #7 INFO  no level',
      '10:30:00.300 #7 ERROR boom',
    ]);
  });

  it('summarizes catalogue events and shows anything else as compact JSON', () => {
    expect(
      formatEventLines(
        envelope(8, 'build:progress', {
          buildId: 'b1',
          status: 'failed',
          progress: 40,
          step: 'Compiling',
          currentStep: 2,
          totalSteps: 5,
          message: 'exited with code 3',
        }),
      ),
    ).toEqual(['10:30:01.234 #8 build:progress b1 failed 40% Compiling (2/5) - exited with code 3']);
    expect(
      formatEventLines(
        envelope(9, 'service:status', {
          service: 'api',
          status: 'degraded',
          health: { status: 'unhealthy' },
        }),
      ),
    ).toEqual(['10:30:01.234 #9 service:status api degraded (unhealthy)']);
    expect(formatEventLines(envelope(10, 'deploy:done', { env: 'prod', ok: true }))).toEqual([
      '10:30:01.234 #10 deploy:done {"env":"prod","ok":true}',
    ]);
    // A payload that does not match its schema is still shown, as JSON.
    expect(formatEventLines(envelope(11, 'build:progress', { buildId: 'b1' }))).toEqual([
      '10:30:01.234 #11 build:progress {"buildId":"b1"}',
    ]);
    const long = formatEventLines(envelope(12, 'x:y', { text: 'a'.repeat(500) }))[0] ?? '';
    expect(long.length).toBeLessThan(260);
    expect(long.endsWith('…')).toBe(true);
  });

  it('reads the clock time of an ISO timestamp', () => {
    expect(clockTime('2026-11-30T23:59:59Z')).toBe('23:59:59');
    expect(clockTime('not a time')).toBe('not a time');
  });
});
