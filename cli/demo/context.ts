/**
 * What every scenario module gets: the project it simulates, its own random stream, the
 * simulated clock, and typed emitters. Payload types come from the shared event catalogue,
 * so a scenario that builds an invalid payload fails to compile before it fails validation.
 */
import type { CatalogueType, LogLine, PayloadInputOf } from '@/lib/shared/events';
import type { Rng } from './random';
import type { Scheduler } from './scheduler';

/** One event as the demo publishes it (the publisher adds the idempotency id). */
export interface DemoEvent {
  room: string;
  type: string;
  payload: Record<string, unknown>;
}

export type NoteTone = 'info' | 'ok' | 'warn' | 'error';

/** A line worth printing in the terminal ("build #1042 failed at test"). */
export interface DemoNote {
  atMs: number;
  project: string;
  tone: NoteTone;
  text: string;
}

export interface ProjectContext {
  slug: string;
  /** The pretend GitHub repository, e.g. acme/demo-shop. */
  repo: string;
  rng: Rng;
  scheduler: Scheduler;
  /** ISO timestamp of the current simulated instant, optionally shifted. */
  timestamp: (offsetMs?: number) => string;
  /** Publishes to project:<slug>. */
  emit: <T extends Exclude<CatalogueType, 'logs:stream'>>(type: T, payload: PayloadInputOf<T>) => void;
  /** Publishes lines to logs:<slug>:<stream>. */
  emitLog: (stream: string, lines: LogLine[]) => void;
  note: (tone: NoteTone, text: string) => void;
}

/** A running scenario; stop() publishes whatever closes it off (e.g. cancels a build in flight). */
export interface Scenario {
  stop: () => void;
}

/** Scales a simulated duration: scenarios speak in seconds, the scheduler in milliseconds. */
export const seconds = (s: number): number => Math.round(s * 1000);

export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
