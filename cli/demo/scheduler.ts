/**
 * Simulated time. Scenarios schedule work in simulated milliseconds; the live driver
 * advances the clock by real elapsed time times `--speed`, and the unit tests advance it
 * as fast as they like. Tasks due at the same time run in the order they were scheduled,
 * so a run is deterministic for a given seed.
 */

interface Task {
  at: number;
  order: number;
  run: () => void;
}

export interface Cancel {
  (): void;
}

export class Scheduler {
  private tasks: Task[] = [];
  private order = 0;
  private current = 0;

  /** Simulated milliseconds since the start of the demo. */
  get now(): number {
    return this.current;
  }

  /** Runs `run` once, `delayMs` simulated milliseconds from now. */
  after(delayMs: number, run: () => void): Cancel {
    const task: Task = { at: this.current + Math.max(0, delayMs), order: this.order++, run };
    this.tasks.push(task);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  /** Runs `run` repeatedly; `nextDelayMs` is asked for every gap (so it may be random). */
  repeat(nextDelayMs: () => number, run: () => void): Cancel {
    let cancelled = false;
    let cancelCurrent: Cancel = () => undefined;
    const tick = (): void => {
      if (cancelled) return;
      run();
      if (!cancelled) cancelCurrent = this.after(nextDelayMs(), tick);
    };
    cancelCurrent = this.after(nextDelayMs(), tick);
    return () => {
      cancelled = true;
      cancelCurrent();
    };
  }

  /** Runs every task due up to `time` (inclusive), then sets the clock to `time`. */
  advanceTo(time: number): void {
    for (;;) {
      let next: Task | undefined;
      for (const task of this.tasks) {
        if (task.at > time) continue;
        if (next === undefined || task.at < next.at || (task.at === next.at && task.order < next.order))
          next = task;
      }
      if (next === undefined) break;
      const due = next;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.run();
    }
    this.current = Math.max(this.current, time);
  }

  /** Drops every pending task (used when the demo stops). */
  clear(): void {
    this.tasks = [];
  }

  get pending(): number {
    return this.tasks.length;
  }
}
