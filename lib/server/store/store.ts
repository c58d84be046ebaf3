/**
 * The storage interface: the durable per-room event log plus accounts. SQLite
 * (sqlite-store.ts) is the embedded default; PostgreSQL joins it behind the same
 * interface. Every implementation must pass store-contract.ts.
 */
import type { Envelope, JsonObject } from '@/lib/shared/envelope';
import type {
  AuditEntry,
  LogStreamSummary,
  ProjectSummary,
  PublicToken,
  PublicUser,
  TokenScope,
} from '@/lib/shared/api-types';
import type { Role } from '@/lib/shared/socket-events';

/** A validated event that has not been given a seq yet. */
export interface NewEvent {
  id: string;
  room: string;
  type: string;
  ts: string;
  source: string;
  payload: JsonObject;
  /** Snapshot key (see lib/shared/events.ts stateKeyOf), or null for history-only types. */
  stateKey: string | null;
  /** The project the room belongs to, for the project listing; null for user/system rooms. */
  project: string | null;
}

export type AppendOutcome =
  | { duplicate: false; envelope: Envelope }
  /** The id was seen within the idempotency window: nothing stored, here is where it went. */
  | { duplicate: true; id: string; room: string; seq: number };

export interface HistoryPage {
  /** The room's latest seq (0 for a room with no events). */
  seq: number;
  /** Events with seq > since, oldest first, at most `limit`. */
  events: Envelope[];
  /** True when history no longer reaches back to `since` (or `since` is ahead of the room). */
  reset: boolean;
}

export interface RoomSnapshot {
  seq: number;
  snapshot: Envelope[];
}

export interface EventStore {
  /**
   * Stores events atomically: each new event gets its room's next seq (no gap, no reuse);
   * an id seen within the idempotency window is not stored again. Outcomes are in input
   * order. Resolves only after the data is durable.
   */
  append(events: NewEvent[]): Promise<AppendOutcome[]>;
  since(room: string, since: number, limit: number): Promise<HistoryPage>;
  snapshot(room: string): Promise<RoomSnapshot>;
  listProjects(): Promise<ProjectSummary[]>;
  /** The log streams of a project (rooms logs:<project>:<stream>), most recently active first. */
  listLogStreams(project: string): Promise<LogStreamSummary[]>;
  /** Cheap liveness check for /api/health. */
  ping(): Promise<void>;
}

export interface UserRecord extends PublicUser {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  passwordHash?: string;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  expiresAt: string;
}

export interface TokenRecord extends PublicToken {
  tokenHash: string;
}

export interface NewToken {
  id: string;
  name: string;
  tokenHash: string;
  projects: string[];
  scopes: TokenScope[];
}

export interface AccountStore {
  countUsers(): Promise<number>;
  /** Throws OpsroomError CONFLICT when the email is taken. */
  createUser(user: NewUser): Promise<PublicUser>;
  getUserById(id: string): Promise<UserRecord | null>;
  getUserByEmail(email: string): Promise<UserRecord | null>;
  listUsers(): Promise<PublicUser[]>;
  updateUser(id: string, patch: UserPatch): Promise<PublicUser | null>;
  deleteUser(id: string): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;

  createToken(token: NewToken): Promise<PublicToken>;
  getTokenByHash(tokenHash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<PublicToken[]>;
  /** Returns false when no such token exists. */
  revokeToken(id: string): Promise<boolean>;
  touchToken(id: string): Promise<void>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'ts'> & { ts?: string };

/** The audit log: append-only, newest first on read, bounded to AUDIT_MAX_ENTRIES. */
export interface AuditStore {
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Newest first; `before` pages back by id. */
  listAudit(options: { limit: number; before?: number }): Promise<AuditEntry[]>;
}

export const AUDIT_MAX_ENTRIES = 100_000;

/**
 * Webhook deliveries already handled, by the sender's delivery id (GitHub's
 * X-GitHub-Delivery), so a redelivery changes nothing even after a restart or on another
 * instance. Kept WEBHOOK_DELIVERY_RETENTION_MS.
 */
export interface WebhookDeliveryStore {
  /** True when `source` delivery `id` was recorded within the retention. */
  hasWebhookDelivery(source: string, id: string): Promise<boolean>;
  /** Records a handled delivery (recording it again changes nothing); forgets expired ones. */
  recordWebhookDelivery(source: string, id: string): Promise<void>;
}

/** GitHub lets a delivery be redelivered for 3 days; a week leaves room for slow retries. */
export const WEBHOOK_DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface Store extends EventStore, AccountStore, AuditStore, WebhookDeliveryStore {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Events kept per room for replay (HISTORY_MAX_EVENTS). */
  historyMaxEvents: number;
  /** How long a repeated event id is recognised (10 minutes by the protocol). */
  idempotencyWindowMs?: number;
  now?: () => number;
}

export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;
