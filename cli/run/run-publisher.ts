/**
 * The publisher SDK (lib/sdk) configured for `run`:
 * - an unbounded queue: `run` never drops a line; it bounds memory by pausing the command
 *   instead (cli/run.ts, `--max-pending`);
 * - a short request window: log lines were already batched for 100 ms by the LogBatcher;
 * - no exit hook: `run` flushes explicitly with its own timeout and says what was not delivered.
 */
import { createPublisher, type Publisher } from '@/lib/sdk';

export interface RunPublisherOptions {
  url: string;
  token: string;
  /** One-line outage / recovery / rejection reports from the SDK. */
  onStatus: (message: string) => void;
}

export function createRunPublisher(options: RunPublisherOptions): Publisher {
  return createPublisher({
    url: options.url,
    token: options.token,
    onStatus: options.onStatus,
    maxQueue: Infinity,
    batchWindowMs: 20,
    flushOnExit: false,
  });
}
