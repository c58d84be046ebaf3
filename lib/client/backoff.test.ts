import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const top = () => 0; // no jitter: the nominal delay
const bottom = () => 0.999_999; // maximal jitter

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 16 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 16_000, 16_000, 16_000,
    ]);
  });

  it('jitters downwards by at most 25 %, so the cap is a true upper bound', () => {
    expect(backoffDelay(0, bottom)).toBe(750);
    expect(backoffDelay(4, bottom)).toBe(12_000);
    expect(backoffDelay(2, () => 0.5)).toBe(3_500);
    for (let attempt = 0; attempt < 40; attempt += 1) {
      for (const r of [0, 0.1, 0.37, 0.5, 0.9, 0.999]) {
        const delay = backoffDelay(attempt, () => r);
        const nominal = Math.min(1_000 * 2 ** attempt, 16_000);
        expect(delay).toBeLessThanOrEqual(nominal);
        expect(delay).toBeGreaterThanOrEqual(nominal * 0.75);
      }
    }
  });

  it('spreads a reconnect storm: different random values give different delays', () => {
    const delays = new Set([0, 0.2, 0.4, 0.6, 0.8].map((r) => backoffDelay(4, () => r)));
    expect(delays.size).toBe(5);
  });

  it('survives huge, negative and fractional attempts and out-of-range randoms', () => {
    expect(backoffDelay(10_000, top)).toBe(16_000);
    expect(backoffDelay(-3, top)).toBe(1_000);
    expect(backoffDelay(1.7, top)).toBe(2_000);
    expect(backoffDelay(0, () => 5)).toBe(750);
    expect(backoffDelay(0, () => -1)).toBe(1_000);
    expect(Number.isFinite(backoffDelay(Number.MAX_SAFE_INTEGER, top))).toBe(true);
  });

  it('accepts other bounds', () => {
    expect(backoffDelay(0, top, { baseMs: 100, maxMs: 300 })).toBe(100);
    expect(backoffDelay(5, top, { baseMs: 100, maxMs: 300 })).toBe(300);
    expect(backoffDelay(0, bottom, { jitter: 0 })).toBe(1_000);
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1_000, maxMs: 16_000, jitter: 0.25 });
  });
});
