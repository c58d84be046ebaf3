import { describe, expect, it } from 'vitest';
import { mergeStats } from './cluster-heartbeat';

describe('mergeStats', () => {
  it('sums clients, rooms and rates over every instance and lists them all', () => {
    const merged = mergeStats(
      {
        totalClients: 2,
        totalRooms: 1,
        clientsPerRoom: { 'project:web': 2 },
        instances: [{ id: 'b', clients: 2, startedAt: 't1' }],
        eventsPerSec: 5,
      },
      [
        {
          id: 'c',
          clients: 3,
          startedAt: 't2',
          clientsPerRoom: { 'project:web': 1, system: 2 },
          eventsPerSec: 1,
        },
        { id: 'a', clients: 0, startedAt: 't0', clientsPerRoom: {}, eventsPerSec: 0 },
      ],
    );
    expect(merged).toEqual({
      totalClients: 5,
      totalRooms: 2,
      clientsPerRoom: { 'project:web': 3, system: 2 },
      instances: [
        { id: 'a', clients: 0, startedAt: 't0' },
        { id: 'b', clients: 2, startedAt: 't1' },
        { id: 'c', clients: 3, startedAt: 't2' },
      ],
      eventsPerSec: 6,
    });
  });
});
