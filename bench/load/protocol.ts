/**
 * What the bench parent and its load-client child processes say to each other over IPC,
 * and how a load client reaches a target.
 */

/**
 * `socketio`: Socket.IO v4 over a bare WebSocket (engine.io protocol 4, websocket transport
 * only), spoken by hand so that a client can count frames without decoding them.
 * `ws`: plain WebSocket carrying JSON arrays of envelopes (the raw `ws` baseline).
 */
export type Wire = 'socketio' | 'ws';

export interface TargetEndpoint {
  wire: Wire;
  /** ws:// URL to connect to (for `socketio`, the engine.io URL with EIO=4&transport=websocket). */
  url: string;
  /** Sent as the Socket.IO handshake `auth: { token }` when set. */
  token?: string;
  room: string;
}

export interface ConnectCommand {
  cmd: 'connect';
  endpoint: TargetEndpoint;
  count: number;
  /** How many of this child's connections decode frames and time envelopes (spread evenly). */
  sampleSockets: number;
  /** Handshakes in flight at once. */
  concurrency: number;
  /** Event type whose envelopes are counted and timed (others, e.g. warm-up events, are ignored). */
  countedType: string;
  timeoutMs: number;
  /**
   * Subscribe with this `since` (Socket.IO targets): the reply carries the missed events, which
   * are counted as deliveries, so "connected" means "caught up" (the resume scenario).
   */
  since?: number;
  /** Offer permessage-deflate, as browsers do (the compression scenario); off by default. */
  deflate?: boolean;
}

export type ParentCommand =
  | ConnectCommand
  | { cmd: 'reset' }
  | { cmd: 'count' }
  | { cmd: 'collect' }
  /** Cut every connection (as a network loss would), keep the process for the next connect. */
  | { cmd: 'drop' }
  | { cmd: 'close' };

export interface Counts {
  /** Envelopes of the counted type received, summed over this child's connections. */
  deliveries: number;
  /** Frames that carried at least one counted envelope. */
  frames: number;
  /** Connections that are open and subscribed. */
  open: number;
  /** Connections lost after subscribing (e.g. slow_consumer), with the reasons seen. */
  disconnects: number;
  disconnectReasons: Record<string, number>;
  /** TCP bytes read since the last reset (WebSocket framing included, after any compression). */
  wireBytes: number;
}

export type ChildReply =
  | { type: 'connected'; connected: number; failed: number; errors: string[] }
  | { type: 'reset' }
  | { type: 'dropped' }
  | ({ type: 'count' } & Counts)
  | ({ type: 'collect'; latenciesMs: number[] } & Counts)
  | { type: 'closed' }
  | { type: 'fatal'; message: string };

export interface ParentMessage {
  id: number;
  command: ParentCommand;
}

export interface ChildMessage {
  id: number;
  reply: ChildReply;
}
