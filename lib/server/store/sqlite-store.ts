/**
 * The embedded store: one SQLite file (better-sqlite3, WAL, synchronous=FULL so a 202 means
 * the event survives a crash). better-sqlite3 is synchronous, so every append runs whole (in a
 * savepoint of a group commit, see commitWaiting) without interleaving with another: seq
 * assignment needs no extra locking.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Envelope } from '@/lib/shared/envelope';
import { OpsroomError } from '@/lib/shared/errors';
import type { ProjectSummary } from '@/lib/shared/api-types';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import { batchStatement } from './sqlite-batch-statement';
import { toToken, toUser, type TokenRow, type UserRow } from './account-rows';
import { toAuditEntry, type AuditRow } from './audit-rows';
import {
  AUDIT_MAX_ENTRIES,
  IDEMPOTENCY_WINDOW_MS,
  type AppendOutcome,
  type HistoryPage,
  type NewEvent,
  type NewToken,
  type NewUser,
  type RoomSnapshot,
  type SessionRecord,
  type Store,
  type StoreOptions,
  type TokenRecord,
  type UserPatch,
  type UserRecord,
  WEBHOOK_DELIVERY_RETENTION_MS,
} from './store';

interface RoomRow {
  seq: number;
  min_seq: number;
}

/** History pages kept for repeated identical `since` reads (see recentPages). */
const RECENT_PAGES_KEPT = 32;
/**
 * Stored JSON bytes the memo may hold in all: a page of large log events (up to
 * HISTORY_MAX_EVENTS x 64 KiB) must not stay pinned in memory after its request.
 */
const RECENT_PAGES_MAX_BYTES = 16 * 1024 * 1024;

/** How often expired idempotency ids are swept (a sweep is one indexed DELETE). */
const ID_SWEEP_INTERVAL_MS = 60_000;

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        new Date().toISOString(),
      );
    })();
  });
}

export function openSqliteStore(file: string, options: StoreOptions): Store {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const now = options.now ?? Date.now;
  const windowMs = options.idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS;
  const historyMax = options.historyMaxEvents;
  let lastSweep = 0;

  const q = {
    room: db.prepare<[string], RoomRow>('SELECT seq, min_seq FROM rooms WHERE room = ?'),
    upsertRoom: db.prepare(
      `INSERT INTO rooms (room, project, seq, min_seq, event_count, last_event_at) VALUES (@room, @project, @seq, @minSeq, @added, @ts)
       ON CONFLICT(room) DO UPDATE SET seq = @seq, min_seq = @minSeq, event_count = event_count + @added, last_event_at = @ts`,
    ),
    prune: db.prepare('DELETE FROM events WHERE room = ? AND seq < ?'),
    sweepIds: db.prepare(
      `DELETE FROM event_ids WHERE created_at < ?
         AND seq < COALESCE((SELECT min_seq FROM rooms WHERE rooms.room = event_ids.room), 9223372036854775807)`,
    ),
    since: db.prepare<[string, number, number], { envelope: string }>(
      'SELECT envelope FROM events WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    snapshot: db.prepare<[string], { envelope: string }>(
      'SELECT envelope FROM snapshots WHERE room = ? ORDER BY seq',
    ),
    streams: db.prepare<[{ prefix: string }], { room: string; last_event_at: string; event_count: number }>(
      // substr, not LIKE: "_" is legal in slugs and a LIKE wildcard.
      'SELECT room, last_event_at, event_count FROM rooms WHERE substr(room, 1, length(@prefix)) = @prefix ORDER BY last_event_at DESC',
    ),
    appendAudit: db.prepare(
      'INSERT INTO audit_log (ts, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    pruneAudit: db.prepare('DELETE FROM audit_log WHERE id <= ?'),
    listAudit: db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
    ),
    hasDelivery: db.prepare<[string, string, number], { found: number }>(
      'SELECT 1 AS found FROM webhook_deliveries WHERE source = ? AND id = ? AND received_at >= ?',
    ),
    recordDelivery: db.prepare(
      `INSERT INTO webhook_deliveries (source, id, received_at) VALUES (?, ?, ?)
       ON CONFLICT(source, id) DO UPDATE SET received_at = excluded.received_at`,
    ),
    forgetDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?'),
    projects: db.prepare<[], { slug: string; last: string; count: number }>(
      `SELECT project AS slug, MAX(last_event_at) AS last, SUM(event_count) AS count
         FROM rooms WHERE project IS NOT NULL GROUP BY project ORDER BY last DESC`,
    ),
  };

  // A batch costs a fixed handful of statements, not 3-4 per event (issue #7, ingest): one
  // lookup of the batch's ids, one multi-row INSERT per table, one snapshot row per
  // (room, type, key) however often the batch updates it, one room row and prune per room.
  const knownIds = batchStatement(db, 1, (ids) => `SELECT id, room, seq FROM event_ids WHERE id IN (${ids})`);
  const insertIds = batchStatement(
    db,
    4,
    (rows) => `INSERT INTO event_ids (id, room, seq, created_at) VALUES ${rows}`,
  );
  const insertEvents = batchStatement(
    db,
    4,
    (rows) => `INSERT INTO events (room, seq, id, envelope) VALUES ${rows}`,
  );
  const upsertSnapshots = batchStatement(
    db,
    5,
    (rows) => `INSERT INTO snapshots (room, type, state_key, seq, envelope) VALUES ${rows}
       ON CONFLICT(room, type, state_key) DO UPDATE SET seq = excluded.seq, envelope = excluded.envelope`,
  );

  const appendTx = db.transaction((events: NewEvent[], at: number): AppendOutcome[] => {
    const rooms = new Map<
      string,
      { seq: number; minSeq: number; added: number; ts: string; project: string | null }
    >();
    // Ids already claimed: stored earlier (still in event_ids), or earlier in this batch.
    const claimed = new Map<string, { room: string; seq: number }>();
    for (const row of knownIds.all<{ id: string; room: string; seq: number }>(
      events.map((event) => [event.id]),
    )) {
      claimed.set(row.id, { room: row.room, seq: row.seq });
    }
    const outcomes: AppendOutcome[] = [];
    const idRows: unknown[][] = [];
    const eventRows: unknown[][] = [];
    // Keyed by room, type and state key: a later event of the batch replaces an earlier one.
    const snapshotRows = new Map<string, unknown[]>();
    for (const event of events) {
      const existing = claimed.get(event.id);
      if (existing !== undefined) {
        outcomes.push({ duplicate: true, id: event.id, room: existing.room, seq: existing.seq });
        continue;
      }
      let state = rooms.get(event.room);
      if (state === undefined) {
        const row = q.room.get(event.room);
        state = {
          seq: row?.seq ?? 0,
          minSeq: row?.min_seq ?? 1,
          added: 0,
          ts: event.ts,
          project: event.project,
        };
        rooms.set(event.room, state);
      }
      const seq = state.seq + 1;
      claimed.set(event.id, { room: event.room, seq });
      const envelope: Envelope = {
        id: event.id,
        room: event.room,
        seq,
        type: event.type,
        ts: event.ts,
        source: event.source,
        payload: event.payload,
      };
      const json = JSON.stringify(envelope);
      idRows.push([event.id, event.room, seq, at]);
      eventRows.push([event.room, seq, event.id, json]);
      if (event.stateKey !== null) {
        snapshotRows.set(`${event.room}\u0000${event.type}\u0000${event.stateKey}`, [
          event.room,
          event.type,
          event.stateKey,
          seq,
          json,
        ]);
      }
      state.seq = seq;
      state.added += 1;
      state.ts = event.ts;
      outcomes.push({ duplicate: false, envelope });
    }
    insertIds.run(idRows);
    insertEvents.run(eventRows);
    upsertSnapshots.run([...snapshotRows.values()]);
    for (const [room, state] of rooms) {
      if (state.added === 0) continue;
      const keepFrom = state.seq - historyMax + 1;
      if (keepFrom > state.minSeq) {
        q.prune.run(room, keepFrom);
        state.minSeq = keepFrom;
      }
      q.upsertRoom.run({
        room,
        project: state.project,
        seq: state.seq,
        minSeq: state.minSeq,
        added: state.added,
        ts: state.ts,
      });
    }
    return outcomes;
  });

  /**
   * Group commit (issue #7, ingest): appends that arrive in the same turn of the event loop
   * (concurrent publishers' requests read in one poll phase) share one transaction, so one
   * fsync and one WAL write of the touched pages serve them all. Each batch still runs in its
   * own savepoint: a batch that fails rolls back alone and only its caller sees the error.
   * Every caller is answered only after the shared COMMIT (synchronous=FULL) returned.
   */
  interface WaitingAppend {
    events: NewEvent[];
    resolve: (outcomes: AppendOutcome[]) => void;
    reject: (error: unknown) => void;
  }
  type AppendResult = { ok: true; outcomes: AppendOutcome[] } | { ok: false; error: unknown };
  let waiting: WaitingAppend[] = [];
  const groupTx = db.transaction((group: WaitingAppend[], at: number): AppendResult[] =>
    group.map((append) => {
      try {
        return { ok: true, outcomes: appendTx(append.events, at) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  function commitWaiting(): void {
    const group = waiting;
    waiting = [];
    let results: AppendResult[];
    try {
      const at = now();
      if (at - lastSweep > ID_SWEEP_INTERVAL_MS) {
        lastSweep = at;
        q.sweepIds.run(at - windowMs);
      }
      results = groupTx(group, at);
    } catch (error) {
      for (const append of group) append.reject(error);
      return;
    }
    group.forEach((append, index) => {
      const result = results[index];
      if (result === undefined) append.reject(new Error('group commit lost a batch'));
      else if (result.ok) append.resolve(result.outcomes);
      else append.reject(result.error);
    });
  }

  /**
   * The last pages read, valid while their room's seq and min_seq are unchanged (any append or
   * prune changes one of them). After a network blip every client of a room resumes from the same
   * seq: one read and parse serves them all instead of one per client (issue #7, resume: reading
   * and parsing was a fifth of the server's CPU). Callers must not mutate the returned events.
   */
  interface RecentPage {
    seq: number;
    minSeq: number;
    events: Envelope[];
    bytes: number;
  }
  const recentPages = new Map<string, RecentPage>();
  let recentPagesBytes = 0;
  function forgetPage(key: string): void {
    const page = recentPages.get(key);
    if (page === undefined) return;
    recentPages.delete(key);
    recentPagesBytes -= page.bytes;
  }
  function rememberPage(key: string, page: RecentPage): void {
    forgetPage(key);
    if (page.bytes > RECENT_PAGES_MAX_BYTES / 4) return; // too big to be worth pinning
    recentPages.set(key, page);
    recentPagesBytes += page.bytes;
    while (recentPages.size > RECENT_PAGES_KEPT || recentPagesBytes > RECENT_PAGES_MAX_BYTES) {
      const oldest = recentPages.keys().next().value;
      if (oldest === undefined) break;
      forgetPage(oldest);
    }
  }

  const userById = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const tokenById = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');

  const store: Store = {
    kind: 'sqlite',

    append(events) {
      return new Promise<AppendOutcome[]>((resolve, reject) => {
        waiting.push({ events, resolve, reject });
        if (waiting.length === 1) setImmediate(commitWaiting);
      });
    },

    async since(room, since, limit): Promise<HistoryPage> {
      const row = q.room.get(room);
      const seq = row?.seq ?? 0;
      const minSeq = row?.min_seq ?? 1;
      const reset = since > seq || since < minSeq - 1;
      const from = Math.max(since, minSeq - 1);
      const key = `${room}\u0000${from}\u0000${limit}`;
      const cached = recentPages.get(key);
      if (cached !== undefined && cached.seq === seq && cached.minSeq === minSeq) {
        return { seq, events: cached.events, reset };
      }
      let bytes = 0;
      const events = q.since.all(room, from, limit).map((r) => {
        bytes += r.envelope.length;
        return JSON.parse(r.envelope) as Envelope;
      });
      rememberPage(key, { seq, minSeq, events, bytes });
      return { seq, events, reset };
    },

    async snapshot(room): Promise<RoomSnapshot> {
      const seq = q.room.get(room)?.seq ?? 0;
      const snapshot = q.snapshot.all(room).map((r) => JSON.parse(r.envelope) as Envelope);
      return { seq, snapshot };
    },

    async listProjects(): Promise<ProjectSummary[]> {
      return q.projects.all().map((r) => ({ slug: r.slug, lastEventAt: r.last, eventCount: r.count }));
    },

    async listLogStreams(project) {
      return q.streams.all({ prefix: `logs:${project}:` }).map((r) => ({
        stream: r.room.slice(`logs:${project}:`.length),
        lastEventAt: r.last_event_at,
        eventCount: r.event_count,
      }));
    },

    async ping() {
      db.prepare('SELECT 1').get();
    },

    async countUsers() {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },

    async createUser(user: NewUser) {
      const at = new Date(now()).toISOString();
      try {
        db.prepare(
          'INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(user.id, user.email, user.name, user.role, user.passwordHash, at, at);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new OpsroomError('CONFLICT', 'A user with this email already exists.');
        }
        throw error;
      }
      return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: at };
    },

    async getUserById(id): Promise<UserRecord | null> {
      const row = userById.get(id);
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },

    async getUserByEmail(email): Promise<UserRecord | null> {
      const row = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?').get(email);
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },

    async listUsers() {
      return db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at').all().map(toUser);
    },

    async updateUser(id, patch: UserPatch) {
      const row = userById.get(id);
      if (!row) return null;
      db.prepare('UPDATE users SET name = ?, role = ?, password_hash = ?, updated_at = ? WHERE id = ?').run(
        patch.name ?? row.name,
        patch.role ?? row.role,
        patch.passwordHash ?? row.password_hash,
        new Date(now()).toISOString(),
        id,
      );
      const updated = userById.get(id);
      return updated ? toUser(updated) : null;
    },

    async deleteUser(id) {
      return db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
    },

    async createSession(session: SessionRecord) {
      db.prepare('INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (?, ?, ?)').run(
        session.idHash,
        session.userId,
        session.expiresAt,
      );
    },

    async getSession(idHash) {
      const row = db
        .prepare<[string], { id_hash: string; user_id: string; expires_at: string }>(
          'SELECT * FROM sessions WHERE id_hash = ?',
        )
        .get(idHash);
      return row ? { idHash: row.id_hash, userId: row.user_id, expiresAt: row.expires_at } : null;
    },

    async deleteSession(idHash) {
      db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
    },

    async deleteUserSessions(userId) {
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    },

    async createToken(token: NewToken) {
      const at = new Date(now()).toISOString();
      db.prepare(
        'INSERT INTO api_tokens (id, name, token_hash, projects, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        token.id,
        token.name,
        token.tokenHash,
        JSON.stringify(token.projects),
        JSON.stringify(token.scopes),
        at,
      );
      const row = tokenById.get(token.id);
      if (!row) throw new Error('token vanished after insert');
      return toToken(row);
    },

    async getTokenByHash(tokenHash): Promise<TokenRecord | null> {
      const row = db
        .prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?')
        .get(tokenHash);
      return row ? { ...toToken(row), tokenHash: row.token_hash } : null;
    },

    async listTokens() {
      return db.prepare<[], TokenRow>('SELECT * FROM api_tokens ORDER BY created_at').all().map(toToken);
    },

    async revokeToken(id) {
      const result = db
        .prepare('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?')
        .run(new Date(now()).toISOString(), id);
      return result.changes > 0;
    },

    async touchToken(id) {
      db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(
        new Date(now()).toISOString(),
        id,
      );
    },

    async appendAudit(entry) {
      const result = q.appendAudit.run(
        entry.ts ?? new Date(now()).toISOString(),
        entry.actor,
        entry.action,
        entry.target,
        entry.ip,
        entry.details === null ? null : JSON.stringify(entry.details),
      );
      // Keep the log bounded; pruning in steps keeps the DELETE rare.
      const id = Number(result.lastInsertRowid);
      if (id % 1000 === 0) q.pruneAudit.run(id - AUDIT_MAX_ENTRIES);
    },

    async hasWebhookDelivery(source, id) {
      return q.hasDelivery.get(source, id, now() - WEBHOOK_DELIVERY_RETENTION_MS) !== undefined;
    },

    async recordWebhookDelivery(source, id) {
      const at = now();
      db.transaction(() => {
        q.forgetDeliveries.run(at - WEBHOOK_DELIVERY_RETENTION_MS);
        q.recordDelivery.run(source, id, at);
      })();
    },

    async listAudit({ limit, before }) {
      return q.listAudit.all(before ?? Number.MAX_SAFE_INTEGER, limit).map(toAuditEntry);
    },

    async close() {
      // Appends already accepted for the next group commit are stored, not dropped.
      if (waiting.length > 0) commitWaiting();
      db.close();
    },
  };
  return store;
}
