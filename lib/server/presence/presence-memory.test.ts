import { describe, expect, it } from 'vitest';
import type { PresenceMember } from '@/lib/shared/socket-events';
import type { Clock } from '../hub/clock';
import { createMemoryPresence } from './presence-memory';

function setup() {
  let now = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let id = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      timers.set(++id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [key, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(key);
        timer.callback();
      }
    }
  };
  const changes: PresenceMember[][] = [];
  const presence = createMemoryPresence({ clock, onChange: (room) => changes.push(presence.members(room)) });
  return { presence, advance, changes };
}

const summary = (members: PresenceMember[]) => members.map((m) => `${m.userId}:${m.connections}`);

describe('memory presence', () => {
  it('counts a user with several tabs as one member with a connection count', () => {
    const { presence } = setup();
    presence.join('project:web', { userId: 'ann', name: 'Ann' }, 'c1');
    presence.join('project:web', { userId: 'ann', name: 'Ann' }, 'c2');
    presence.join('project:web', { userId: 'bob', name: 'Bob' }, 'c3');
    expect(summary(presence.members('project:web'))).toEqual(['ann:2', 'bob:1']);
    presence.leave('project:web', 'c2');
    expect(summary(presence.members('project:web'))).toEqual(['ann:1', 'bob:1']);
  });

  it('removes a member only 3 s after the last connection left', () => {
    const { presence, advance, changes } = setup();
    presence.join('project:web', { userId: 'ann', name: 'Ann' }, 'c1');
    presence.leave('project:web', 'c1');
    advance(2999);
    expect(summary(presence.members('project:web'))).toEqual(['ann:1']);
    advance(1);
    expect(presence.members('project:web')).toEqual([]);
    expect(changes.at(-1)).toEqual([]);
  });

  it('does not show a reload (leave then join within 3 s) as a change', () => {
    const { presence, advance, changes } = setup();
    presence.join('project:web', { userId: 'ann', name: 'Ann' }, 'c1');
    const before = changes.length;
    presence.leave('project:web', 'c1');
    advance(500);
    presence.join('project:web', { userId: 'ann', name: 'Ann' }, 'c2');
    advance(5000);
    expect(changes.length).toBe(before);
    expect(summary(presence.members('project:web'))).toEqual(['ann:1']);
  });
});
