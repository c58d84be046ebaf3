import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS } from './line-splitter';

/** Feeds `input` cut at every given offset and returns all lines, end() included. */
function splitAt(input: Buffer, cuts: number[], maxChars?: number): string[] {
  const splitter = new LineSplitter(maxChars);
  const lines: string[] = [];
  let start = 0;
  for (const cut of [...cuts, input.length]) {
    lines.push(...splitter.push(input.subarray(start, cut)));
    start = cut;
  }
  lines.push(...splitter.end());
  return lines;
}

describe('LineSplitter', () => {
  it('joins a line cut across chunks and keeps blank lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('hel')).toEqual([]);
    expect(splitter.push('lo\n\nwor')).toEqual(['hello', '']);
    expect(splitter.push('ld\n')).toEqual(['world']);
    expect(splitter.end()).toEqual([]);
  });

  it('gives the same lines whatever the chunk boundaries, including inside UTF-8 characters and CRLF', () => {
    const text = 'première ligne\r\n日本語 ✓ 🚀 emoji\nthird\r\n\r\nlast without newline';
    const bytes = Buffer.from(text, 'utf8');
    const expected = ['première ligne', '日本語 ✓ 🚀 emoji', 'third', '', 'last without newline'];
    expect(splitAt(bytes, [])).toEqual(expected);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(splitAt(bytes, [cut]), `cut at byte ${cut}`).toEqual(expected);
    }
    // Every byte its own chunk.
    expect(
      splitAt(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  it('keeps a final line without newline, and a lone carriage return inside a line', () => {
    expect(splitAt(Buffer.from('a\rb\nc'), [])).toEqual(['a\rb', 'c']);
    expect(splitAt(Buffer.from('only'), [2])).toEqual(['only']);
    expect(splitAt(Buffer.from(''), [])).toEqual([]);
    expect(splitAt(Buffer.from('x\n'), [])).toEqual(['x']);
  });

  it('caps a long line, counts what it dropped, and carries on with the next line', () => {
    const long = 'x'.repeat(25);
    const lines = splitAt(Buffer.from(`${long}\r\nshort\n${long}`), [7, 13, 26], 10);
    expect(lines).toEqual(['xxxxxxxxxx… [15 more characters]', 'short', 'xxxxxxxxxx… [15 more characters]']);
  });

  it('never splits a surrogate pair at the cap', () => {
    const [line] = splitAt(Buffer.from(`abc🚀def\n`), [], 4);
    // Counted in UTF-16 code units, like the catalogue's 16,384-character limit.
    expect(line).toBe('abc… [5 more characters]');
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('caps at 8,192 characters by default (fits a logs:stream line of 16,384)', () => {
    const [line] = splitAt(Buffer.from(`${'y'.repeat(MAX_LINE_CHARS + 5)}\n`), [4096]);
    expect(line?.startsWith('y'.repeat(MAX_LINE_CHARS))).toBe(true);
    expect(line?.endsWith('… [5 more characters]')).toBe(true);
    expect(MAX_LINE_CHARS).toBe(8192);
  });
});
