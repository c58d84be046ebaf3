import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, onLogLine } from '../logger';
import { createLogTee, formatPinoLine, levelOf } from './log-tee';

const line = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, time: '2026-11-22T10:30:00.000Z', pid: 1, instance: 'i1', msg, ...extra });

describe('log tee', () => {
  it('maps pino levels onto the catalogue levels', () => {
    expect([10, 20, 30, 40, 50, 60].map(levelOf)).toEqual([
      'debug',
      'debug',
      'info',
      'warn',
      'error',
      'error',
    ]);
  });

  it('formats msg plus compact key fields, without the noise every line carries', () => {
    expect(
      formatPinoLine(
        line(30, 'listening', { port: 3000, host: '0.0.0.0', dev: false, module: 'realtime' }),
        'x',
      ),
    ).toEqual({
      ts: '2026-11-22T10:30:00.000Z',
      text: 'listening port=3000 host=0.0.0.0 dev=false module=realtime',
      level: 'info',
    });
    const failed = formatPinoLine(
      line(50, 'request failed', {
        err: { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x' },
        url: '/a b',
      }),
      'x',
    );
    expect(failed).toMatchObject({ level: 'error', text: 'request failed err="TypeError: boom" url="/a b"' });
    expect(formatPinoLine('not json\n', '2026-01-01T00:00:00.000Z')).toEqual({
      ts: '2026-01-01T00:00:00.000Z',
      text: 'not json',
      level: 'info',
    });
  });

  it('keeps info and above only', () => {
    const tee = createLogTee({ now: () => 0 });
    tee.push(line(20, 'debug noise'));
    tee.push(line(30, 'a'));
    tee.push(line(40, 'b'));
    tee.push(line(60, 'c'));
    expect(tee.drain()?.map((l) => [l.level, l.text])).toEqual([
      ['info', 'a'],
      ['warn', 'b'],
      ['error', 'c'],
    ]);
    expect(tee.drain()).toBeNull();
  });

  it('is bounded: drops the oldest, counts them and says so in the next batch', () => {
    const tee = createLogTee({ capacity: 3, now: () => Date.parse('2026-11-22T10:00:00Z') });
    for (let i = 1; i <= 5; i += 1) tee.push(line(30, `m${i}`));
    expect(tee.size()).toBe(3);
    expect(tee.dropped()).toBe(2);
    const lines = tee.drain();
    expect(lines?.[0]).toEqual({
      ts: '2026-11-22T10:00:00.000Z',
      text: 'self-report: 2 log lines dropped (log buffer full)',
      level: 'warn',
    });
    expect(lines?.slice(1).map((l) => l.text)).toEqual(['m3', 'm4', 'm5']);
    expect(tee.drain()).toBeNull();
    expect(tee.dropped()).toBe(2);
  });

  it('drains in batches of at most 1000 lines, oldest first', () => {
    const tee = createLogTee({ capacity: 5000, now: () => 0 });
    for (let i = 0; i < 2500; i += 1) tee.push(line(30, `m${i}`));
    const sizes: number[] = [];
    const texts: string[] = [];
    for (let batch = tee.drain(); batch !== null; batch = tee.drain()) {
      sizes.push(batch.length);
      texts.push(...batch.map((l) => l.text));
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(texts[0]).toBe('m0');
    expect(texts.at(-1)).toBe('m2499');
    expect(createLogTee({ maxLines: 5000, now: () => 0 })).toBeDefined();
  });

  it('fits a drained batch into a byte budget, leaving the rest for the next drain', () => {
    const tee = createLogTee({ now: () => 0 });
    for (let i = 0; i < 50; i += 1) tee.push(line(30, `m${i} ${'x'.repeat(100)}`));
    const lines = tee.drain(2_000);
    expect(lines?.length).toBeGreaterThan(5);
    expect(Buffer.byteLength(JSON.stringify({ stream: 'server', lines }))).toBeLessThanOrEqual(2_000);
    expect(tee.size()).toBe(50 - (lines?.length ?? 0));
    // A single line larger than the budget is cut to fit rather than stuck forever.
    const big = createLogTee({ now: () => 0 });
    big.push(line(30, 'y'.repeat(3_000)));
    const cut = big.drain(1_000);
    expect(cut).toHaveLength(1);
    expect(Buffer.byteLength(JSON.stringify({ stream: 'server', lines: cut }))).toBeLessThanOrEqual(1_000);
    expect(big.size()).toBe(0);
  });

  it('taps a logger made by createLogger, children included, and lets go again', () => {
    const written: string[] = [];
    const logger = createLogger('info', { instance: 'test' }, { write: (s: string) => written.push(s) });
    const tee = createLogTee({ now: () => 0 });
    const untap = onLogLine(logger, tee.push);
    expect(untap).not.toBeNull();
    const child = logger.child({ module: 'auth' });
    child.info({ user: 'u1', password: 'secret' }, 'logged in');
    child.debug('below the level');
    untap?.();
    logger.info('after untap');
    const lines = tee.drain();
    expect(lines).toHaveLength(1);
    expect(lines?.[0]?.text).toBe('logged in module=auth user=u1');
    // The destination still gets every line, redacted.
    expect(written).toHaveLength(2);
    expect(written.join('')).not.toContain('secret');
    expect(onLogLine(pino({ enabled: false }), () => undefined)).toBeNull();
  });
});
