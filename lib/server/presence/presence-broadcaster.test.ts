import { describe, expect, it } from 'vitest';
import type { Clock } from '../hub/clock';
import { createPresenceBroadcaster } from './presence-broadcaster';

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
});
