import { describe, expect, it } from 'vitest';
import { createConnectionLimits } from './connection-limits';

describe('connection limits', () => {
  it('caps connections per key and releases each once', () => {
    const limits = createConnectionLimits({ maxTotal: 100, maxPerKey: 2 });
    const one = limits.admit('alice');
    const two = limits.admit('alice');
    expect(one.ok && two.ok).toBe(true);
    expect(limits.admit('alice')).toMatchObject({ ok: false, scope: 'user' });
    expect(limits.admit('bob').ok).toBe(true);
    if (!one.ok) throw new Error('unreachable');
    one.release();
    one.release(); // idempotent: disconnect and transport close may both call it
    expect(limits.count('alice')).toBe(1);
    expect(limits.count()).toBe(2);
    expect(limits.admit('alice').ok).toBe(true);
  });

  it('caps the total across keys', () => {
    const limits = createConnectionLimits({ maxTotal: 3, maxPerKey: 10 });
    expect(['a', 'b', 'c'].map((key) => limits.admit(key).ok)).toEqual([true, true, true]);
    const refused = limits.admit('d');
    expect(refused).toMatchObject({ ok: false, scope: 'total' });
    expect(refused.ok ? '' : refused.message).toContain('3 connections');
  });
});
