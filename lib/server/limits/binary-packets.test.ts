import { describe, expect, it } from 'vitest';
import { containsBinary, rejectBinaryPackets } from './binary-packets';

describe('binary packets', () => {
  it('finds binary anywhere in a request and refuses the packet with INVALID_MESSAGE', async () => {
    expect(containsBinary([{ room: 'x', payload: { a: [1, { b: 'c' }] } }])).toBe(false);
    expect(containsBinary([{ payload: { deep: [{ data: Buffer.from('x') }] } }])).toBe(true);
    expect(containsBinary([new Uint8Array(2)])).toBe(true);
    let middleware: ((packet: unknown[], next: () => void) => void) | null = null;
    rejectBinaryPackets({ use: (fn) => (middleware = fn) });
    const send = (args: unknown[]) =>
      new Promise((resolve) => middleware?.(['publish', ...args, resolve], () => resolve('passed')));
    expect(await send([{ payload: {} }])).toBe('passed');
    expect(await send([{ payload: { blob: new ArrayBuffer(4) } }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_MESSAGE' },
    });
  });
});
