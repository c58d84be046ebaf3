/** Structured JSON logging (pino). Modules take a child logger; nothing prints directly. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Receives each serialized JSON line a logger (or any of its children) writes. Must not log. */
export type LogLineListener = (line: string) => void;

// Keyed by the root logger createLogger returned; children share its streamWrite hook.
const listenersOf = new WeakMap<Logger, Set<LogLineListener>>();

/** `destination` defaults to stdout; tests pass their own to keep output quiet. */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const listeners = new Set<LogLineListener>();
  const logger = pino(
    {
      level,
      base: { ...base },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Never write secrets, whatever a caller passes in.
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'authorization'],
        remove: true,
      },
      hooks: {
        // A tap for the self-reporter's log tee; the line still goes to stdout unchanged.
        streamWrite: (line) => {
          for (const listener of listeners) {
            try {
              listener(line);
            } catch {
              // A faulty listener must never break (or recurse into) logging.
            }
          }
          return line;
        },
      },
    },
    destination,
  );
  listenersOf.set(logger, listeners);
  return logger;
}

/**
 * Subscribes to the lines of a logger made by createLogger (already redacted, only those that
 * pass its level). Returns the unsubscribe, or null for a logger from elsewhere.
 */
export function onLogLine(logger: Logger, listener: LogLineListener): (() => void) | null {
  const listeners = listenersOf.get(logger);
  if (listeners === undefined) return null;
  listeners.add(listener);
  return () => listeners.delete(listener);
}
