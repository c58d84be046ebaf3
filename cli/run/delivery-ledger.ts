/**
 * What `run` handed to the publisher, in order, so that at the end it can say how many
 * *lines* (not just events) did not reach Opsroom. The publisher sends its queue in order,
 * so the `pending` events it still holds are always the newest ones recorded here.
 */
export class DeliveryLedger {
  /** Lines per recorded event (0 for build:progress), oldest first. */
  private readonly linesPerEvent: number[] = [];
  private totalLines = 0;

  record(lines: number): void {
    this.linesPerEvent.push(lines);
    this.totalLines += lines;
  }

  get events(): number {
    return this.linesPerEvent.length;
  }

  get lines(): number {
    return this.totalLines;
  }

  /** Events and lines among the newest `pending` recorded events. */
  undelivered(pending: number): { events: number; lines: number } {
    const events = Math.min(Math.max(0, pending), this.linesPerEvent.length);
    let lines = 0;
    for (let i = this.linesPerEvent.length - events; i < this.linesPerEvent.length; i++) {
      lines += this.linesPerEvent[i] ?? 0;
    }
    return { events, lines };
  }
}
