/**
 * Typed Socket.IO event maps (PROTOCOL.md section 5), imported by the server, the browser
 * client and the Node client alike. Request shapes are what a well-behaved client sends;
 * the server still validates every one with the schemas in socket-requests.ts.
 */
import type { Ack } from './ack';
import type { Envelope } from './envelope';

export type Role = 'viewer' | 'operator' | 'admin';

export interface ReadyMessage {
  clientId: string;
  user: { id: string; name: string; role: Role | 'token' };
  instance: string;
  serverTime: string;
}

export interface PresenceMember {
  userId: string;
  name: string;
  connections: number;
  since: string;
}

export interface PresenceMessage {
  room: string;
  members: PresenceMember[];
}

export type ServerDisconnectReason = 'slow_consumer' | 'shutdown' | 'token_revoked';

export interface SubscribeRequest {
  rooms: Array<{ room: string; since?: number }>;
}

export interface RoomSubscription {
  room: string;
  /** The room's latest seq at the time of the reply. */
  seq: number;
  snapshot: Envelope[];
  events: Envelope[];
  /** True when history no longer reaches back to `since`: rebuild from `snapshot`. */
  reset: boolean;
}

export interface PublishRequest {
  room: string;
  type: string;
  payload: Record<string, unknown>;
  id?: string;
}

export interface ServerToClientEvents {
  ready: (message: ReadyMessage) => void;
  events: (batch: Envelope[]) => void;
  presence: (message: PresenceMessage) => void;
  /** Sent just before a disconnect the server causes, so the client knows why. */
  'server:disconnect': (message: { reason: ServerDisconnectReason; message: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (reply: Ack<{ rooms: RoomSubscription[] }>) => void) => void;
  unsubscribe: (request: { rooms: string[] }, ack: (reply: Ack<{ rooms: string[] }>) => void) => void;
  'presence:get': (
    request: { room: string },
    ack: (reply: Ack<{ members: PresenceMember[] }>) => void,
  ) => void;
  publish: (request: PublishRequest, ack: (reply: Ack<{ id: string; seq: number }>) => void) => void;
  ping: (request: Record<string, never>, ack: (reply: Ack<{ serverTime: string }>) => void) => void;
}

export const SOCKET_PATH = '/socket.io';
