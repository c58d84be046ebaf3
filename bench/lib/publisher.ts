/**
 * Offers a fixed event rate to a target: every `intervalMs` it publishes the events due since
 * the start (so timer drift does not change the rate), in requests of at most `maxPerRequest`.
 * Each event carries its publish time in `payload.t` (epoch ms, sub-ms precision) for latency.
 * When `maxInFlight` requests are already outstanding the due events are skipped and counted,
 * so a target that cannot accept the rate shows up as `skipped`, not as a slower publisher.
 */
import type { BenchEvent, RunningTarget } from '../targets/types';
import { round, sleep, summarizeLatencies, type LatencySummary } from './stats';

export interface PublishOptions {
  room: string;
  type: string;
  rate: number;
  durationMs: number;
  intervalMs: number;
  maxPerRequest: number;
  maxInFlight: number;
  /** Filler for `payload.pad`: fixed, or one per event (e.g. varied log text for compression). */
  pad: string | ((index: number) => string);
}

export interface PublishStats {
  /** Events due at the offered rate. */
  offered: number;
  /** Events acknowledged by the target (202). */
  accepted: number;
  requests: number;
  failedRequests: number;
  /** Requests refused with 429. */
  rateLimited: number;
  /** Events not sent because maxInFlight requests were outstanding. */
  skipped: number;
  errors: string[];
  elapsedMs: number;
  /** Publish request round trips (send to response), ms: separates the publish path from fan-out. */
  requestMs?: LatencySummary;
}

const nowEpochMs = (): number => performance.timeOrigin + performance.now();

export async function publishAtRate(target: RunningTarget, options: PublishOptions): Promise<PublishStats> {
  const stats: PublishStats = {
    offered: 0,
    accepted: 0,
    requests: 0,
    failedRequests: 0,
    rateLimited: 0,
    skipped: 0,
    errors: [],
    elapsedMs: 0,
  };
  const inFlight = new Set<Promise<void>>();
  const roundTrips: number[] = [];
  let padIndex = 0;

  const send = (count: number): void => {
    if (inFlight.size >= options.maxInFlight) {
      stats.skipped += count;
      return;
    }
    const t = nowEpochMs();
    const { pad } = options;
    const first = padIndex;
    padIndex += count;
    const events: BenchEvent[] = Array.from({ length: count }, (_, i) => ({
      room: options.room,
      type: options.type,
      payload: { t, pad: typeof pad === 'string' ? pad : pad(first + i) },
    }));
    stats.requests += 1;
    const sentAt = performance.now();
    const request = target.publish(events).then((result) => {
      roundTrips.push(performance.now() - sentAt);
      stats.accepted += result.accepted;
      if (result.status === 429) stats.rateLimited += 1;
      if (result.error !== undefined) {
        stats.failedRequests += 1;
        if (stats.errors.length < 5) stats.errors.push(result.error);
      }
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };

  const dispatch = (due: number): void => {
    let n = due - stats.offered;
    stats.offered = due;
    while (n > 0) {
      const k = Math.min(n, options.maxPerRequest);
      n -= k;
      send(k);
    }
  };

  const start = performance.now();
  for (let tick = 1; ; tick += 1) {
    const elapsed = performance.now() - start;
    if (elapsed >= options.durationMs) break;
    dispatch(Math.floor((options.rate * elapsed) / 1000) + 1);
    const wait = start + tick * options.intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  dispatch(Math.max(stats.offered, Math.round((options.rate * options.durationMs) / 1000)));
  stats.elapsedMs = performance.now() - start;
  await Promise.all(inFlight);
  const summary = summarizeLatencies(Float64Array.from(roundTrips));
  stats.requestMs = {
    samples: summary.samples,
    p50: round(summary.p50),
    p99: round(summary.p99),
    max: round(summary.max),
    mean: round(summary.mean),
  };
  return stats;
}
