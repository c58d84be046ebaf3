/** Shapes of HTTP API responses (PROTOCOL.md section 6), shared by routes, CLI and UI. */
import type { Envelope } from './envelope';
import type { Role } from './socket-events';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export type TokenScope = 'publish' | 'read';

export interface PublicToken {
  id: string;
  name: string;
  projects: string[];
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ProjectSummary {
  slug: string;
  lastEventAt: string;
  eventCount: number;
}

export interface LogStreamSummary {
  stream: string;
  lastEventAt: string;
  eventCount: number;
}

export interface AcceptedEvent {
  id: string;
  room: string;
  seq: number;
}

export interface HistoryResponse {
  room: string;
  seq: number;
  events: Envelope[];
}

export interface SnapshotResponse {
  room: string;
  seq: number;
  snapshot: Envelope[];
}

export interface WsStats {
  totalClients: number;
  totalRooms: number;
  clientsPerRoom: Record<string, number>;
  instances: Array<{ id: string; clients: number; startedAt: string }>;
  eventsPerSec: number;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  checks: { db: 'ok' | 'fail'; redis?: 'ok' | 'fail' };
  instance: string;
  uptimeSec: number;
}

export const AUDIT_ACTIONS = [
  'login.ok',
  'login.failed',
  'logout',
  'setup',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'events.publish',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One security-relevant action (GET /api/audit, admins). */
export interface AuditEntry {
  id: number;
  ts: string;
  /** Who did it: `user:<id>`, `token:<name>`, or the email tried for a failed login. */
  actor: string;
  action: AuditAction;
  /** What it was done to (user id, token id, rooms), if anything. */
  target: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}
