/** Structured JSON logging (pino). Modules take a child logger; nothing prints directly. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Never write secrets, whatever a caller passes in.
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'authorization'],
      remove: true,
    },
  });
}
