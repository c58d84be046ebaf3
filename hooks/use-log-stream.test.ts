import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '@/lib/shared/api-types';
import type { Envelope } from '@/lib/shared/envelope';
import { loadLogTail } from './use-log-stream';

const ROOM = 'logs:web:api';
const envelope = (seq: number, lines = 1): Envelope => ({
  id: `e${seq}`,
  room: ROOM,
  seq,
  type: 'logs:stream',
  ts: '2026-11-22T10:00:00.000Z',
  source: 'test',
  payload: {
    stream: 'api',
    lines: Array.from({ length: lines }, (_, i) => ({ ts: '2026-11-22T10:00:00.000Z', text: `${seq}.${i}` })),
  },
});

/** A history endpoint over events `oldest..latest` (older ones pruned), recording each request. */
function fakeHistory(oldest: number, latest: number, linesPerEvent = 1) {
  const requests: Array<{ since: number; limit: number }> = [];
  const fetchPage = async (room: string, since: number, limit: number): Promise<HistoryResponse> => {
    requests.push({ since, limit });
    const events: Envelope[] = [];
    for (let seq = Math.max(since + 1, oldest); seq <= latest && events.length < limit; seq++) {
      events.push(envelope(seq, linesPerEvent));
    }
    return { room, seq: latest, events };
  };
  return { requests, fetchPage };
}

describe('loadLogTail', () => {
  it('loads the newest page first, then older pages until enough lines', async () => {
    const history = fakeHistory(1, 1000);
    const pages: number[][] = [];
    const lines = await loadLogTail({
      room: ROOM,
      seq: 950,
      after: 0,
      targetLines: 250,
      pageEvents: 100,
      fetchPage: history.fetchPage,
      onPage: (events) => pages.push(events.map((e) => e.seq)),
    });
    expect(lines).toBe(300);
    expect(history.requests).toEqual([
      { since: 850, limit: 100 },
      { since: 750, limit: 100 },
      { since: 650, limit: 100 },
    ]);
    // Events after the subscribe seq (they arrive live) are not part of the backfill.
    expect(pages.map((p) => [p[0], p.at(-1)])).toEqual([
      [851, 950],
      [751, 850],
      [651, 750],
    ]);
  });

  it('never fetches what is already held and stops at the start of retained history', async () => {
    const held = fakeHistory(1, 100);
    await loadLogTail({
      room: ROOM,
      seq: 100,
      after: 80,
      targetLines: 1e6,
      pageEvents: 50,
      fetchPage: held.fetchPage,
      onPage: () => {},
    });
    expect(held.requests).toEqual([{ since: 80, limit: 20 }]);

    const pruned = fakeHistory(60, 100);
    const seen: number[] = [];
    await loadLogTail({
      room: ROOM,
      seq: 100,
      after: 0,
      targetLines: 1e6,
      pageEvents: 30,
      fetchPage: pruned.fetchPage,
      onPage: (events) => seen.push(...events.map((e) => e.seq)),
    });
    expect(pruned.requests).toEqual([
      { since: 70, limit: 30 },
      { since: 40, limit: 30 },
    ]);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 41 }, (_, i) => 60 + i));

    const empty = fakeHistory(1, 0);
    expect(
      await loadLogTail({
        room: ROOM,
        seq: 0,
        after: 0,
        targetLines: 10,
        fetchPage: empty.fetchPage,
        onPage: () => {},
      }),
    ).toBe(0);
    expect(empty.requests).toEqual([]);
  });

  it('stops after maxPages and when aborted', async () => {
    const history = fakeHistory(1, 10_000);
    await loadLogTail({
      room: ROOM,
      seq: 10_000,
      after: 0,
      targetLines: 1e9,
      pageEvents: 10,
      maxPages: 3,
      fetchPage: history.fetchPage,
      onPage: () => {},
    });
    expect(history.requests).toHaveLength(3);

    const controller = new AbortController();
    const aborted = fakeHistory(1, 10_000);
    const pages: unknown[] = [];
    const fetchPage: typeof aborted.fetchPage = async (room, since, limit) => {
      controller.abort();
      return aborted.fetchPage(room, since, limit);
    };
    await loadLogTail({
      room: ROOM,
      seq: 10_000,
      after: 0,
      targetLines: 1e9,
      signal: controller.signal,
      fetchPage,
      onPage: (e) => pages.push(e),
    });
    expect(pages).toEqual([]);
  });
});
