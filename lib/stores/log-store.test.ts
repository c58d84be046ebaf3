import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { createLogStore, stripAnsi, type LogLevel, type LogStore } from './log-store';

const TS = '2026-11-22T10:00:00.000Z';

/** A logs:stream envelope whose lines are `<seq>.<index>` (or the given texts). */
function logs(seq: number, lines: number | Array<string | { text: string; level?: LogLevel }> = 1): Envelope {
  const list =
    typeof lines === 'number'
      ? Array.from({ length: lines }, (_, i) => ({ text: `${seq}.${i}` }))
      : lines.map((line) => (typeof line === 'string' ? { text: line } : line));
  return {
    id: `e${seq}`,
    room: 'logs:web:api',
    seq,
    type: 'logs:stream',
    ts: TS,
    source: 'test',
    payload: { stream: 'api', lines: list.map((line) => ({ ts: TS, ...line })) },
  };
}

const texts = (store: LogStore): string[] =>
  Array.from({ length: store.getState().count }, (_, i) => store.getState().getLine(i)?.text ?? '?');
const filtered = (store: LogStore): string[] =>
  store
    .getState()
    .filteredLines()
    .map((line) => line.text);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('log store', () => {
  it('appends lines in order with their identity (seq, index)', () => {
    const store = createLogStore();
    store.getState().append([logs(1, 2), logs(2, 1)]);
    const state = store.getState();
    expect(texts(store)).toEqual(['1.0', '1.1', '2.0']);
    expect(state.getLine(1)).toMatchObject({ seq: 1, index: 1, ts: TS, level: null });
    expect(state.count).toBe(3);
    expect(state.lastSeq).toBe(2);
    expect(state.version).toBeGreaterThan(0);
  });

  it('stays bounded: a ring of `capacity` lines that counts what it evicts', () => {
    const store = createLogStore({ capacity: 5 });
    store.getState().append([logs(1, 3), logs(2, 3)]);
    expect(texts(store)).toEqual(['1.1', '1.2', '2.0', '2.1', '2.2']);
    expect(store.getState().dropped).toBe(1);
    for (let seq = 3; seq <= 40; seq++) store.getState().append([logs(seq, 2)]);
    expect(texts(store)).toEqual(['38.1', '39.0', '39.1', '40.0', '40.1']);
    expect(store.getState()).toMatchObject({ count: 5, dropped: 77, received: 82, lastSeq: 40 });
    // One envelope larger than the ring keeps its newest lines.
    store.getState().append([logs(41, 12)]);
    expect(texts(store)).toEqual(['41.7', '41.8', '41.9', '41.10', '41.11']);
  });

  it('holds 100,000 lines and appends/filters them quickly', () => {
    const store = createLogStore();
    const started = performance.now();
    for (let seq = 1; seq <= 110; seq++) store.getState().append([logs(seq, 1000)]);
    const appendMs = performance.now() - started;
    expect(store.getState()).toMatchObject({ count: 100_000, dropped: 10_000 });
    expect(store.getState().getLine(0)?.text).toBe('11.0');
    expect(store.getState().getLine(99_999)?.text).toBe('110.999');
    const filterStarted = performance.now();
    store.getState().setFilter({ text: '.99', levels: ['debug', 'info', 'warn', 'error'] });
    const filterMs = performance.now() - filterStarted;
    // '.99' matches n.99 and n.990-999: 11 per envelope.
    expect(store.getState().filteredCount).toBe(100 * 11);
    console.log(
      `log store: 110k lines appended in ${appendMs.toFixed(0)} ms, filtered in ${filterMs.toFixed(1)} ms`,
    );
    expect(filterMs).toBeLessThan(200);
  });

  it('drops duplicate envelopes (dedupe by seq), live or backfilled', () => {
    const store = createLogStore();
    store.getState().append([logs(1, 2), logs(2, 2)]);
    const version = store.getState().version;
    store.getState().append([logs(2, 2)]);
    store.getState().backfill([logs(1, 2), logs(2, 2)]);
    expect(store.getState().version).toBe(version);
    store.getState().append([logs(2, 2), logs(3, 1)]);
    expect(texts(store)).toEqual(['1.0', '1.1', '2.0', '2.1', '3.0']);
  });

  it('merges a backfill under live lines that arrived first (resume merge)', () => {
    const store = createLogStore();
    // Live events after the subscribe reply at seq 10 arrive before the HTTP backfill returns.
    store.getState().append([logs(11, 1), logs(12, 2)]);
    store.getState().backfill(range(5, 10).map((seq) => logs(seq, 1)));
    expect(texts(store)).toEqual(['5.0', '6.0', '7.0', '8.0', '9.0', '10.0', '11.0', '12.0', '12.1']);
    // A hole filled later (e.g. a reply overlapping the live stream) lands in order.
    const holey = createLogStore();
    holey.getState().append([logs(1), logs(2), logs(5), logs(6)]);
    holey.getState().append([logs(4), logs(3), logs(5)]);
    expect(texts(holey)).toEqual(['1.0', '2.0', '3.0', '4.0', '5.0', '6.0']);
    expect(holey.getState().lastSeq).toBe(6);
    // Unsorted input is sorted by seq first.
    const unsorted = createLogStore();
    unsorted.getState().backfill([logs(3), logs(1), logs(2)]);
    expect(texts(unsorted)).toEqual(['1.0', '2.0', '3.0']);
  });

  it('does not re-add history older than what a full ring already evicted', () => {
    const store = createLogStore({ capacity: 4 });
    store.getState().append(range(10, 14).map((seq) => logs(seq)));
    expect(texts(store)).toEqual(['11.0', '12.0', '13.0', '14.0']);
    store.getState().backfill([logs(3), logs(10)]);
    expect(texts(store)).toEqual(['11.0', '12.0', '13.0', '14.0']);
    expect(store.getState().dropped).toBe(1);
    // Backfill that overflows a ring that had room keeps the newest lines.
    const small = createLogStore({ capacity: 3 });
    small.getState().append([logs(10), logs(11)]);
    small.getState().backfill([logs(8), logs(9)]);
    expect(texts(small)).toEqual(['9.0', '10.0', '11.0']);
    expect(small.getState().dropped).toBe(1);
  });

  it('ignores other event types in the room but tracks their seq', () => {
    const store = createLogStore();
    store
      .getState()
      .append([
        logs(1),
        { ...logs(2), type: 'notification', payload: { level: 'info', title: 'x' } },
        { ...logs(3), payload: { stream: 'api', lines: 'not an array' } },
      ]);
    expect(texts(store)).toEqual(['1.0']);
    expect(store.getState().lastSeq).toBe(3);
  });

  it('filters by level and case-insensitive text, ignoring ANSI escapes', () => {
    const store = createLogStore();
    store
      .getState()
      .append([
        logs(1, [
          { text: 'Boot \u001b[32mOK\u001b[0m', level: 'info' },
          { text: 'cache miss', level: 'debug' },
          { text: 'disk almost FULL', level: 'warn' },
          { text: '\u001b[1;31mpanic: full\u001b[0m', level: 'error' },
          'no level: full',
        ]),
      ]);
    const state = () => store.getState();
    state().setFilter({ text: 'FULL', levels: ['debug', 'info', 'warn', 'error'] });
    expect(filtered(store)).toEqual([
      'disk almost FULL',
      '\u001b[1;31mpanic: full\u001b[0m',
      'no level: full',
    ]);
    state().setFilter({ text: 'ok', levels: ['info'] });
    expect(filtered(store)).toEqual(['Boot \u001b[32mOK\u001b[0m']);
    state().setFilter({ text: '32m', levels: ['info'] }); // escape codes are not text
    expect(state().filteredCount).toBe(0);
    state().setFilter({ text: '', levels: ['warn', 'error'] });
    expect(filtered(store)).toEqual(['disk almost FULL', '\u001b[1;31mpanic: full\u001b[0m']);
    state().setFilter({ text: '', levels: ['info'] }); // lines without a level count as info
    expect(state().getFilteredLine(1)?.text).toBe('no level: full');
    state().setFilter({ text: '', levels: ['debug', 'info', 'warn', 'error'] });
    expect(state().filteredCount).toBe(5);
  });

  it('extends the filtered index on append and trims it as the ring evicts', () => {
    const store = createLogStore({ capacity: 6 });
    store.getState().setFilter({ text: 'hit', levels: ['debug', 'info', 'warn', 'error'] });
    const epoch = store.getState().epoch;
    store.getState().append([logs(1, ['hit a', 'miss', 'hit b']), logs(2, ['miss', 'hit c'])]);
    expect(filtered(store)).toEqual(['hit a', 'hit b', 'hit c']);
    expect(store.getState().filteredTrimmed).toBe(0);
    store.getState().append([logs(3, ['hit d', 'miss', 'miss'])]); // evicts 'hit a', 'miss'
    expect(filtered(store)).toEqual(['hit b', 'hit c', 'hit d']);
    expect(store.getState()).toMatchObject({ filteredTrimmed: 1, epoch, dropped: 2 });
    for (let seq = 4; seq < 3000; seq++) store.getState().append([logs(seq, ['hit', 'miss'])]);
    expect(store.getState().filteredCount).toBe(3);
    expect(store.getState().getFilteredLine(2)?.seq).toBe(2999);
    expect(store.getState().getFilteredLine(3)).toBeUndefined();
    // Without a filter, trimmed counts evicted lines.
    store.getState().setFilter({ text: '', levels: ['debug', 'info', 'warn', 'error'] });
    const before = store.getState().filteredTrimmed;
    store.getState().append([logs(3000, 2)]);
    expect(store.getState().filteredTrimmed - before).toBe(2);
    expect(store.getState().epoch).toBeGreaterThan(epoch);
  });

  it('clear forgets lines and never merges the cleared ones back', () => {
    const store = createLogStore();
    store.getState().append([logs(1), logs(2)]);
    store.getState().clear();
    expect(store.getState()).toMatchObject({ count: 0, dropped: 0, lastSeq: 2 });
    store.getState().append([logs(2), logs(3)]);
    store.getState().backfill([logs(1)]);
    expect(texts(store)).toEqual(['3.0']);
  });

  it('tracks loading and errors', () => {
    const store = createLogStore();
    expect(store.getState().loading).toBe(true);
    store.getState().setLoading(false);
    expect(store.getState().loading).toBe(false);
    store.getState().setError({ code: 'FORBIDDEN', message: 'no' });
    expect(store.getState().error?.code).toBe('FORBIDDEN');
  });

  it('strips ANSI escapes', () => {
    expect(stripAnsi('\u001b[1;31mred\u001b[0m \u001b]0;title\u0007plain \u001b[38;5;208mx\u001b[m')).toBe(
      'red plain x',
    );
    expect(stripAnsi('no escapes')).toBe('no escapes');
  });
});
