/**
 * docker:stats for this host and this server process, from /proc, when no Docker daemon
 * answers. CPU needs two readings: like Docker's one-shot stats call, the first sample after
 * a pause measures over a short window; later samples reuse the previous tick's reading.
 */
import { dockerStats, type CatalogueEvent } from '@/lib/sdk/events';
import type { Clock } from '../hub/clock';
import { samplesBetween, takeReading, type RawReading, type ReadText } from './proc-stats';

export interface ProcSourceOptions {
  /** The project that receives the host and process samples. */
  project: string;
  clock: Clock;
  /** First CPU window: long enough for meaningful /proc/stat deltas (100 Hz ticks). */
  firstWindowMs?: number;
  /** /proc reader, replaceable in tests. */
  readText?: ReadText;
}

export type ProcSource = ReturnType<typeof createProcSource>;

const DEFAULT_FIRST_WINDOW_MS = 500;

export function createProcSource(options: ProcSourceOptions) {
  const { project, clock } = options;
  const firstWindowMs = options.firstWindowMs ?? DEFAULT_FIRST_WINDOW_MS;
  let last: RawReading | null = null;

  const pause = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

  return {
    project,

    /** The `host` and `opsroom-server` samples since the previous call (or a short window). */
    async sample(): Promise<Array<CatalogueEvent<'docker:stats'>>> {
      let previous = last;
      if (previous === null) {
        previous = await takeReading(options.readText);
        await pause(firstWindowMs);
      }
      const next = await takeReading(options.readText);
      last = next;
      return samplesBetween(previous, next).map((sample) => dockerStats(project, sample));
    },

    /** Forgets the last reading: after a pause, an average over the whole pause would mislead. */
    reset(): void {
      last = null;
    },
  };
}
