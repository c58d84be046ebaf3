import { describe, expect, it } from 'vitest';
import type { Clock } from '../hub/clock';
import { createPresenceBroadcaster, presenceWindowMs } from './presence-broadcaster';

describe('presence broadcaster', () => {
  it('sends one message per room per window, with the latest members', () => {
    const timers: Array<() => void> = [];
    const clock: Clock = { now: () => 0, setTimeout: (cb) => timers.push(cb), clearTimeout: () => undefined };
    const sent: Array<[string, number]> = [];
    const rooms: Record<string, number> = { 'project:a': 0, 'project:b': 0 };
    let listings = 0;
    const broadcaster = createPresenceBroadcaster({
      clock,
      members: (room) => {
        listings += 1;
        return Array.from({ length: rooms[room] ?? 0 }, (_, i) => ({
          userId: `u${i}`,
          name: 'x',
          connections: 1,
          since: '',
        }));
      },
      emit: (room, members) => sent.push([room, members.length]),
      audience: () => 10,
    });
    for (let n = 1; n <= 1000; n++) {
      rooms['project:a'] = n;
      broadcaster.changed('project:a');
    }
    broadcaster.changed('project:b');
    expect(sent).toEqual([]);
    timers.forEach((fire) => fire());
    expect(sent).toEqual([
      ['project:a', 1000],
      ['project:b', 0],
    ]);
    expect(listings).toBe(2);
  });

  it('widens the window with the audience, within a write budget and a 5 s cap', () => {
    expect(presenceWindowMs(1)).toBe(250);
    expect(presenceWindowMs(500)).toBe(250);
    expect(presenceWindowMs(1000)).toBe(500);
    expect(presenceWindowMs(4000)).toBe(2000);
    expect(presenceWindowMs(10_000)).toBe(5000);
    expect(presenceWindowMs(100_000)).toBe(5000);

    const delays: number[] = [];
    const clock: Clock = {
      now: () => 0,
      setTimeout: (_cb, ms) => delays.push(ms),
      clearTimeout: () => undefined,
    };
    const sizes: Record<string, number> = { 'project:small': 3, 'project:big': 6000 };
    const broadcaster = createPresenceBroadcaster({
      clock,
      members: () => [],
      emit: () => undefined,
      audience: (room) => sizes[room] ?? 0,
    });
    broadcaster.changed('project:small');
    broadcaster.changed('project:big');
    expect(delays).toEqual([250, 3000]);
  });
});
