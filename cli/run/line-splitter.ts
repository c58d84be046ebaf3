/**
 * Turns the byte chunks of one pipe (a child's stdout or stderr) into lines.
 *
 * Why it is more than `split('\n')`:
 * - A pipe delivers chunks of any size, so a line (or a multi-byte UTF-8 character) may be cut
 *   across two chunks; the partial line and the decoder state are carried to the next chunk.
 * - `\r\n` endings lose the `\r` (also when the `\r` ends one chunk and the `\n` starts the next).
 * - A line without a final newline (the last `echo -n`) is kept: `end()` returns it.
 * - A runaway line (a minified bundle, a binary dump) is capped at `maxChars` so every line fits
 *   in a `logs:stream` event (line text <= 16,384 characters, payload <= 64 KiB); the rest of
 *   that line is dropped and counted in a `… [N more characters]` suffix instead of being held
 *   in memory.
 */
import { StringDecoder } from 'node:string_decoder';

/** 8,192 characters: even fully JSON-escaped (6 bytes each) a line stays under 64 KiB. */
export const MAX_LINE_CHARS = 8_192;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** Kept text of the line being assembled (at most maxChars). */
  private partial = '';
  /** Characters of the current line beyond the cap, dropped. */
  private dropped = 0;
  /** Whether the last dropped character was a `\r` (part of a `\r\n`, not of the text). */
  private droppedCarriageReturn = false;

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  /** Feeds one chunk; returns the lines it completed, oldest first. */
  push(chunk: Buffer | string): string[] {
    return this.consume(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  /** The pipe closed: returns what is left (a final line without newline), if anything. */
  end(): string[] {
    const lines = this.consume(this.decoder.end());
    if (this.partial !== '' || this.dropped > 0) lines.push(this.finishLine());
    return lines;
  }

  private consume(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) {
        this.append(text.slice(start));
        return lines;
      }
      this.append(text.slice(start, newline));
      lines.push(this.finishLine());
      start = newline + 1;
    }
  }

  private append(segment: string): void {
    if (segment === '') return;
    const room = this.maxChars - this.partial.length;
    if (segment.length <= room && this.dropped === 0) {
      this.partial += segment;
      return;
    }
    let keep = Math.max(0, room);
    // Never cut a surrogate pair in half (a lone surrogate is not valid text).
    if (keep > 0 && isHighSurrogate(segment.charCodeAt(keep - 1))) keep -= 1;
    this.partial += segment.slice(0, keep);
    this.dropped += segment.length - keep;
    this.droppedCarriageReturn = segment.endsWith('\r');
  }

  private finishLine(): string {
    let line = this.partial;
    let dropped = this.dropped;
    if (dropped > 0 && this.droppedCarriageReturn) dropped -= 1;
    else if (dropped === 0 && line.endsWith('\r')) line = line.slice(0, -1);
    this.partial = '';
    this.dropped = 0;
    this.droppedCarriageReturn = false;
    return dropped > 0 ? `${line}… [${dropped} more characters]` : line;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
