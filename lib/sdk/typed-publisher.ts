/**
 * The one interface every Opsroom publisher implements: `publish(event)` plus a typed helper
 * per builder of `./events` (`serviceStatus(project, payload)`, `log(project, stream, lines)`,
 * ...). The helpers are derived from the builders at compile time and at run time, so adding
 * a catalogue type to `./events` gives the HTTP publisher (Node SDK) and the server's
 * in-process publisher the new helper at once. Isomorphic, like `./events`.
 */
import * as builders from './events';
import type { LogLineInput, OutgoingEvent } from './events';

type Builders = typeof builders;

// Compile-time guard: every export of ./events must be a builder of an OutgoingEvent, since
// every export becomes a publisher method.
builders satisfies Record<string, (...args: never) => OutgoingEvent>;

/**
 * The helper's parameters are its builder's, except `log`'s trailing clock, which exists to
 * test the builder and would only confuse publishers.
 */
type HelperParameters<K extends keyof Builders> = K extends 'log'
  ? [project: string, stream: string, lines: readonly LogLineInput[]]
  : Parameters<Builders[K]>;

/** One method per event builder; each publishes the built event and returns `Result`. */
export type TypedHelpers<Result> = {
  [K in keyof Builders]: (...args: HelperParameters<K>) => Result;
};

/**
 * `Result` is what one publish gives back: the event id at once for the batching HTTP
 * publisher, a promise of the stored event for the in-process one.
 */
export interface TypedPublisher<Result> extends TypedHelpers<Result> {
  /** Any event, catalogue or custom type; `id` makes it idempotent (PROTOCOL §4). */
  publish(event: OutgoingEvent): Result;
}

/** Names of the typed helpers, e.g. for a publisher that wants to list what it offers. */
export const TYPED_HELPER_NAMES = Object.keys(builders) as Array<keyof Builders>;

/** Builds the typed helpers of a publisher around its `publish`. */
export function typedHelpers<Result>(publish: (event: OutgoingEvent) => Result): TypedHelpers<Result> {
  const helpers: Record<string, (...args: unknown[]) => Result> = {};
  for (const name of TYPED_HELPER_NAMES) {
    // The guard above makes every export a builder; the cast only erases its parameter list.
    const build = builders[name] as (...args: unknown[]) => OutgoingEvent;
    helpers[name] = (...args) => publish(build(...args));
  }
  return helpers as TypedHelpers<Result>;
}
