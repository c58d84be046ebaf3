/**
 * A benchmark target: something that accepts published events and fans them out to
 * subscribers. Opsroom itself and the baselines all run as child processes behind this
 * interface, so the scenario code measures them identically.
 */
import type { TargetEndpoint } from '../load/protocol';

/** What the publisher sends: the same shape as an item of `POST /api/events` `{events: [...]}`. */
export interface BenchEvent {
  room: string;
  type: string;
  payload: { t: number; pad: string };
}

export interface PublishResult {
  /** HTTP status (0 when the request failed before a response). */
  status: number;
  accepted: number;
  retryAfterMs?: number;
  error?: string;
}

export interface RunningTarget {
  /** Root pid of the server process; CPU and RSS are summed over it and its descendants. */
  pid: number;
  endpoint: TargetEndpoint;
  /** Publishes 1-100 events in one request. */
  publish(events: BenchEvent[]): Promise<PublishResult>;
  /** Last lines the server printed, for error reports. */
  output(): string;
  stop(): Promise<void>;
}

export interface TargetStartOptions {
  room: string;
  /** Extra environment for the server process. */
  env: Record<string, string>;
  /** Publisher connections kept alive (HTTP keep-alive). */
  maxSockets: number;
  /**
   * Write a V8 CPU profile of the server here (`node --cpu-prof`); the server is then stopped
   * with SIGTERM so that it exits normally and the profile gets written.
   */
  profileDir?: string;
}

export type TargetFactory = (options: TargetStartOptions) => Promise<RunningTarget>;
