/**
 * Keeps the Node process alive while someone awaits the publisher (flush, close, whenBelow).
 * The publisher's own timers (batch window, retry backoff) are unref'd so a script that is
 * done does not hang on them; but an `await publisher.flush()` during an outage must not be
 * cut short by the event loop running dry, so awaiting callers hold one ref'd timer.
 */
export interface ProcessHold {
  acquire(): void;
  release(): void;
}

/** A timer that never fires in practice (~12 days), only there to be ref'd. */
const HOLD_INTERVAL_MS = 2 ** 30;

export function createProcessHold(): ProcessHold {
  let holders = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    acquire() {
      holders += 1;
      timer ??= setInterval(() => undefined, HOLD_INTERVAL_MS);
    },
    release() {
      holders = Math.max(0, holders - 1);
      if (holders === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
