/**
 * Every catalogue type has a typed helper, so neither publisher can fall behind the catalogue,
 * and each helper publishes exactly what its builder in ./events builds.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE } from '@/lib/shared/events';
import * as builders from './events';
import type { OutgoingEvent } from './events';
import { TYPED_HELPER_NAMES, typedHelpers } from './typed-publisher';

describe('typed helpers', () => {
  it('cover the whole catalogue and publish what their builders build', () => {
    const published: OutgoingEvent[] = [];
    const helpers = typedHelpers((event) => {
      published.push(event);
      return published.length;
    });
    const types = new Set<string>();
    for (const name of TYPED_HELPER_NAMES) {
      // Builders do not validate, so any payload shows which type and room a helper produces.
      const args =
        name === 'log' ? ['web', 'build-1', [{ text: 'x', ts: '2026-01-01T00:00:00.000Z' }]] : ['web', {}];
      const helper = helpers[name] as (...a: unknown[]) => number;
      const build = builders[name] as (...a: unknown[]) => OutgoingEvent;
      expect(helper(...args)).toBe(published.length);
      expect(published.at(-1)).toEqual(build(...args));
      types.add(String(published.at(-1)?.type));
    }
    expect([...types].sort()).toEqual(Object.keys(EVENT_CATALOGUE).sort());
  });
});
