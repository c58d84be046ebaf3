/**
 * The shared store for several Opsroom instances: PostgreSQL through a pg.Pool, same
 * semantics as sqlite-store.ts (the reference), proven by the same store-contract.ts.
 *
 * Unlike better-sqlite3, appends from many pool clients and many processes interleave, so
 * the per-room seq (PROTOCOL.md section 4: "the same on every instance") is assigned under
 * row locks. One append is one transaction (READ COMMITTED):
 *   1. claim the batch's distinct ids in event_ids (INSERT ... ON CONFLICT DO NOTHING, seq 0 as a
 *      placeholder). A concurrent transaction claiming the same id makes us wait for its outcome;
 *      if it committed, the id is a duplicate and a fresh statement reads its final (room, seq);
 *   2. bump each room that gets new events (INSERT ... ON CONFLICT DO UPDATE SET seq = seq + n
 *      RETURNING seq): the row lock serializes writers of one room until commit, other rooms
 *      do not block. Only non-duplicates are counted, so a duplicate never leaves a gap;
 *   3. one statement stores the events, fills in the claimed ids' seqs, upserts snapshots and
 *      prunes beyond historyMaxEvents (rooms.min_seq advanced in step 2).
 * Locks are always taken ids first, then rooms, each in sorted ("C" collation) order, so two
 * batches cannot wait on each other in a cycle; a deadlock or serialization failure reported
 * anyway is retried from the start, which is safe because the transaction rolled back.
 *
 * Errors (database down, timeouts) are thrown, never swallowed: the hub answers 503 and the
 * publisher retries with the same ids, which idempotency turns into exactly-once even when
 * a COMMIT's outcome was lost with the connection.
 *
 * All SQL names the schema explicitly instead of relying on search_path, so the store also
 * works through poolers (PgBouncer) that drop startup parameters.
 */
import { Pool, type PoolClient } from 'pg';
import type { Envelope } from '@/lib/shared/envelope';
import { OpsroomError } from '@/lib/shared/errors';
import type { ProjectSummary } from '@/lib/shared/api-types';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import { toToken, toUser, toUserRecord, type TokenRow, type UserRow } from './account-rows';
import { toAuditEntry, type AuditRow } from './audit-rows';
import {
  AUDIT_MAX_ENTRIES,
  WEBHOOK_DELIVERY_RETENTION_MS,
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
} from './store';

export interface PostgresStoreOptions extends StoreOptions {
  /** Schema holding Opsroom's tables, created when missing. Default "opsroom". */
  schema?: string;
  /** Maximum connections in the pool. Default 10. */
  poolSize?: number;
  /** application_name of the connections, as shown in pg_stat_activity. Default "opsroom". */
  applicationName?: string;
  /**
   * Called when an idle pooled connection fails (database restart, network cut). The pool
   * has already dropped it and opens a new one on demand; this is for logging only.
   */
  onConnectionError?: (error: Error) => void;
}

export const DEFAULT_POSTGRES_SCHEMA = 'opsroom';

/** Unquoted identifiers only: the schema name is interpolated into SQL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** How often expired idempotency ids are swept (same as SQLite). */
const ID_SWEEP_INTERVAL_MS = 60_000;

/** deadlock_detected, serialization_failure: the transaction rolled back and may simply be rerun. */
const RETRY_SQLSTATES = new Set(['40P01', '40001']);
const MAX_APPEND_ATTEMPTS = 5;

/** Bounds how long a request waits for a connection when the server is unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A writer stalled inside an append (paused VM, network cut) would hold its rooms' locks and
 * stall every instance's writes to them: the server ends such a session after 30 s, and a
 * writer stops waiting for a lock after 10 s (thrown, so 503; the publisher retries). SET
 * LOCAL rather than connection settings, which poolers such as PgBouncer do not pass on.
 */
const BEGIN_APPEND =
  "BEGIN; SET LOCAL idle_in_transaction_session_timeout = '30s'; SET LOCAL lock_timeout = '10s'";

/** An id seen as taken vanished (swept) before we could read it: rerun the append. */
class AppendRaceError extends Error {}

/** bigint columns arrive as strings from node-postgres. */
type Int8 = string;

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * Runs fn in a transaction on one pooled client. A client whose connection broke is
 * destroyed rather than returned to the pool.
 */
async function transaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a dying connection would emit an unhandled
  // 'error' and crash the process. The failing query rejects on its own; just remember it.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

async function migrate(pool: Pool, schema: string): Promise<void> {
  await transaction(pool, async (client) => {
    // Instances starting together would otherwise both see a version as missing and race to
    // apply it; the second one waits here and then finds nothing to do.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`opsroom:migrate:${schema}`]);
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege.
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
    // Migrations use unqualified names; LOCAL ends with this transaction.
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        version,
        new Date().toISOString(),
      ]);
    }
  });
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'opsroom',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // Without a listener, an idle client's error (server restart, network cut) is an
  // uncaught 'error' event that kills the process; the pool already discards the client.
  pool.on('error', (error) => options.onConnectionError?.(error));
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const now = options.now ?? Date.now;
  const windowMs = options.idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS;
  const historyMax = options.historyMaxEvents;
  let lastSweep = 0;
  let closing: Promise<void> | undefined;

  const s = `"${schema}"`;
  const sql = {
    // Sorted so that concurrent batches claim shared ids in the same order (no deadlock). The
    // seq is a placeholder until `store` below, in the same transaction: nobody sees the 0.
    claimIds: `INSERT INTO ${s}.event_ids (id, room, seq, created_at)
      SELECT u.id, u.room, 0, $3::bigint FROM unnest($1::text[], $2::text[]) AS u(id, room) ORDER BY u.id COLLATE "C"
      ON CONFLICT (id) DO NOTHING RETURNING id`,
    existingIds: `SELECT id, room, seq FROM ${s}.event_ids WHERE id = ANY($1::text[])`,
    // Rooms in sorted order for the same reason; the rows stay locked until COMMIT.
    bumpRooms: `INSERT INTO ${s}.rooms (room, project, seq, min_seq, event_count, last_event_at)
      SELECT r.room, r.project, r.added, GREATEST(1, r.added - $5 + 1), r.added, r.ts
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r(room, project, added, ts)
        ORDER BY r.room COLLATE "C"
      ON CONFLICT (room) DO UPDATE SET
        seq = rooms.seq + excluded.seq,
        min_seq = GREATEST(rooms.min_seq, rooms.seq + excluded.seq - $5 + 1),
        event_count = rooms.event_count + excluded.event_count,
        last_event_at = excluded.last_event_at
      RETURNING room, seq, min_seq`,
    // Data-modifying CTEs all run, once, in one round trip. They share one snapshot, so the
    // prune cannot see rows inserted beside it: events already below min_seq are not inserted.
    store: `WITH inserted AS (
        INSERT INTO ${s}.events (room, seq, id, envelope)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])
      ), ids AS (
        UPDATE ${s}.event_ids SET seq = u.seq FROM unnest($5::text[], $6::bigint[]) AS u(id, seq)
         WHERE event_ids.id = u.id
      ), snapshots AS (
        INSERT INTO ${s}.snapshots (room, type, state_key, seq, envelope)
        SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[])
        ON CONFLICT (room, type, state_key) DO UPDATE SET seq = excluded.seq, envelope = excluded.envelope
      ), pruned AS (
        DELETE FROM ${s}.events e USING unnest($12::text[], $13::bigint[]) AS p(room, min_seq)
         WHERE e.room = p.room AND e.seq < p.min_seq
      )
      SELECT 1`,
    // Ids stay recognised while their event is retained (as in SQLite). One instance sweeps at
    // a time (try-lock), so concurrent sweeps never contend for the same rows.
    sweepIds: `WITH gate AS (SELECT pg_try_advisory_xact_lock(hashtext($2)) AS ok)
      DELETE FROM ${s}.event_ids USING gate
       WHERE gate.ok AND event_ids.created_at < $1
         AND event_ids.seq < COALESCE(
           (SELECT min_seq FROM ${s}.rooms WHERE rooms.room = event_ids.room), 9223372036854775807)`,
    // One statement, so the room's seq/min_seq and the events come from one snapshot: a prune
    // committed in between could otherwise open a gap that is not reported as a reset.
    since: `SELECT r.seq, r.min_seq, e.envelope
        FROM ${s}.rooms r
        LEFT JOIN LATERAL (
          SELECT events.seq, events.envelope FROM ${s}.events
           WHERE events.room = r.room AND events.seq > GREATEST($2::bigint, r.min_seq - 1)
           ORDER BY events.seq LIMIT $3
        ) e ON true
       WHERE r.room = $1
       ORDER BY e.seq`,
    snapshot: `SELECT r.seq, sn.envelope FROM ${s}.rooms r
        LEFT JOIN ${s}.snapshots sn ON sn.room = r.room
       WHERE r.room = $1 ORDER BY sn.seq`,
    // left(), not LIKE: "_" is legal in slugs and a LIKE wildcard.
    streams: `SELECT room, last_event_at, event_count FROM ${s}.rooms
       WHERE left(room, char_length($1)) = $1 ORDER BY last_event_at DESC, room`,
    projects: `SELECT project AS slug, MAX(last_event_at) AS last, SUM(event_count) AS count
        FROM ${s}.rooms WHERE project IS NOT NULL GROUP BY project ORDER BY last DESC, slug`,
  };

  async function appendOnce(client: PoolClient, events: NewEvent[], at: number): Promise<AppendOutcome[]> {
    // The first occurrence of an id in the batch is its candidate; later ones are duplicates of it.
    const firstIndex = new Map<string, number>();
    events.forEach((event, index) => {
      if (!firstIndex.has(event.id)) firstIndex.set(event.id, index);
    });
    const candidates = events.filter((event, index) => firstIndex.get(event.id) === index);
    const claimed = new Set(
      (
        await client.query<{ id: string }>(sql.claimIds, [
          candidates.map((e) => e.id),
          candidates.map((e) => e.room),
          at,
        ])
      ).rows.map((row) => row.id),
    );

    const where = new Map<string, { room: string; seq: number }>();
    const taken = candidates.filter((e) => !claimed.has(e.id)).map((e) => e.id);
    if (taken.length > 0) {
      const rows = await client.query<{ id: string; room: string; seq: Int8 }>(sql.existingIds, [taken]);
      for (const row of rows.rows) where.set(row.id, { room: row.room, seq: Number(row.seq) });
      if (where.size !== taken.length) throw new AppendRaceError('a taken event id was swept meanwhile');
    }

    const isNew = (event: NewEvent, index: number) =>
      firstIndex.get(event.id) === index && claimed.has(event.id);
    // Like SQLite: a new room's project comes from the batch's first event for it, its
    // last_event_at from its last stored one.
    const rooms = new Map<string, { project: string | null; added: number; ts: string }>();
    events.forEach((event, index) => {
      let room = rooms.get(event.room);
      if (room === undefined) {
        room = { project: event.project, added: 0, ts: event.ts };
        rooms.set(event.room, room);
      }
      if (isNew(event, index)) {
        room.added += 1;
        room.ts = event.ts;
      }
    });
    const touched = [...rooms].filter(([, room]) => room.added > 0);
    if (touched.length === 0) return events.map((event) => duplicateOf(event, where));

    const bumped = await client.query<{ room: string; seq: Int8; min_seq: Int8 }>(sql.bumpRooms, [
      touched.map(([name]) => name),
      touched.map(([, room]) => room.project),
      touched.map(([, room]) => room.added),
      touched.map(([, room]) => room.ts),
      historyMax,
    ]);
    const cursor = new Map<string, { next: number; minSeq: number }>();
    for (const row of bumped.rows) {
      const added = rooms.get(row.room)?.added ?? 0;
      cursor.set(row.room, { next: Number(row.seq) - added + 1, minSeq: Number(row.min_seq) });
    }

    const insert = { room: [] as string[], seq: [] as number[], id: [] as string[], json: [] as string[] };
    const claim = { id: [] as string[], seq: [] as number[] };
    const snapshots = new Map<
      string,
      { room: string; type: string; key: string; seq: number; json: string }
    >();
    const outcomes = events.map((event, index): AppendOutcome => {
      if (!isNew(event, index)) return duplicateOf(event, where);
      const room = cursor.get(event.room);
      if (room === undefined) throw new Error(`room ${event.room} was not locked`);
      const seq = room.next++;
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
      where.set(event.id, { room: event.room, seq });
      claim.id.push(event.id);
      claim.seq.push(seq);
      if (seq >= room.minSeq) {
        insert.room.push(event.room);
        insert.seq.push(seq);
        insert.id.push(event.id);
        insert.json.push(json);
      }
      // One row per key per statement (ON CONFLICT cannot touch a row twice); the last wins.
      if (event.stateKey !== null) {
        snapshots.set(JSON.stringify([event.room, event.type, event.stateKey]), {
          room: event.room,
          type: event.type,
          key: event.stateKey,
          seq,
          json,
        });
      }
      return { duplicate: false, envelope };
    });
    const snaps = [...snapshots.values()];
    const prune = [...cursor].filter(([, room]) => room.minSeq > 1);
    await client.query(sql.store, [
      insert.room,
      insert.seq,
      insert.id,
      insert.json,
      claim.id,
      claim.seq,
      snaps.map((x) => x.room),
      snaps.map((x) => x.type),
      snaps.map((x) => x.key),
      snaps.map((x) => x.seq),
      snaps.map((x) => x.json),
      prune.map(([name]) => name),
      prune.map(([, room]) => room.minSeq),
    ]);
    return outcomes;
  }

  const userColumns = 'id, email, name, role, password_hash, created_at';
  const tokenColumns = 'id, name, token_hash, projects, scopes, created_at, last_used_at, revoked_at';

  const store: Store = {
    kind: 'postgres',

    async append(events) {
      if (events.length === 0) return [];
      const at = now();
      if (at - lastSweep > ID_SWEEP_INTERVAL_MS) {
        lastSweep = at;
        await pool.query(sql.sweepIds, [at - windowMs, `opsroom:sweep:${schema}`]);
      }
      for (let attempt = 1; ; attempt++) {
        try {
          return await transaction(pool, (client) => appendOnce(client, events, at), BEGIN_APPEND);
        } catch (error) {
          const retry = error instanceof AppendRaceError || RETRY_SQLSTATES.has(sqlState(error) ?? '');
          if (!retry || attempt >= MAX_APPEND_ATTEMPTS) throw error;
        }
      }
    },

    async since(room, since, limit): Promise<HistoryPage> {
      // A negative LIMIT means "no limit" in SQLite; PostgreSQL spells that NULL.
      const rows = await pool.query<{ seq: Int8; min_seq: Int8; envelope: string | null }>(sql.since, [
        room,
        since,
        limit < 0 ? null : limit,
      ]);
      // No row: the room has no events yet (seq 0, history starting at 1).
      const seq = Number(rows.rows[0]?.seq ?? 0);
      const minSeq = Number(rows.rows[0]?.min_seq ?? 1);
      const events = rows.rows.flatMap((r) =>
        r.envelope === null ? [] : [JSON.parse(r.envelope) as Envelope],
      );
      return { seq, events, reset: since > seq || since < minSeq - 1 };
    },

    async snapshot(room): Promise<RoomSnapshot> {
      const rows = await pool.query<{ seq: Int8; envelope: string | null }>(sql.snapshot, [room]);
      const seq = Number(rows.rows[0]?.seq ?? 0);
      const snapshot = rows.rows.flatMap((r) =>
        r.envelope === null ? [] : [JSON.parse(r.envelope) as Envelope],
      );
      return { seq, snapshot };
    },

    async listProjects(): Promise<ProjectSummary[]> {
      const rows = await pool.query<{ slug: string; last: string; count: Int8 }>(sql.projects);
      return rows.rows.map((r) => ({ slug: r.slug, lastEventAt: r.last, eventCount: Number(r.count) }));
    },

    async listLogStreams(project) {
      const prefix = `logs:${project}:`;
      const rows = await pool.query<{ room: string; last_event_at: string; event_count: Int8 }>(sql.streams, [
        prefix,
      ]);
      return rows.rows.map((r) => ({
        stream: r.room.slice(prefix.length),
        lastEventAt: r.last_event_at,
        eventCount: Number(r.event_count),
      }));
    },

    async ping() {
      await pool.query('SELECT 1');
    },

    async countUsers() {
      return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.users`)).rows[0]?.n ?? 0;
    },

    async createUser(user: NewUser) {
      const at = new Date(now()).toISOString();
      try {
        await pool.query(
          `INSERT INTO ${s}.users (id, email, name, role, password_hash, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)`,
          [user.id, user.email, user.name, user.role, user.passwordHash, at],
        );
      } catch (error) {
        // unique_violation on the lower(email) index; other failures are not conflicts.
        if (
          sqlState(error) === '23505' &&
          (error as { constraint?: string }).constraint === 'users_email_ci'
        ) {
          throw new OpsroomError('CONFLICT', 'A user with this email already exists.');
        }
        throw error;
      }
      return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: at };
    },

    async getUserById(id) {
      const rows = await pool.query<UserRow>(`SELECT ${userColumns} FROM ${s}.users WHERE id = $1`, [id]);
      return rows.rows[0] ? toUserRecord(rows.rows[0]) : null;
    },

    async getUserByEmail(email) {
      const rows = await pool.query<UserRow>(
        `SELECT ${userColumns} FROM ${s}.users WHERE lower(email) = lower($1)`,
        [email],
      );
      return rows.rows[0] ? toUserRecord(rows.rows[0]) : null;
    },

    async listUsers() {
      const rows = await pool.query<UserRow>(
        `SELECT ${userColumns} FROM ${s}.users ORDER BY created_at, ord`,
      );
      return rows.rows.map(toUser);
    },

    async updateUser(id, patch: UserPatch) {
      const rows = await pool.query<UserRow>(
        `UPDATE ${s}.users SET name = COALESCE($2, name), role = COALESCE($3, role),
           password_hash = COALESCE($4, password_hash), updated_at = $5
         WHERE id = $1 RETURNING ${userColumns}`,
        [
          id,
          patch.name ?? null,
          patch.role ?? null,
          patch.passwordHash ?? null,
          new Date(now()).toISOString(),
        ],
      );
      return rows.rows[0] ? toUser(rows.rows[0]) : null;
    },

    async deleteUser(id) {
      return ((await pool.query(`DELETE FROM ${s}.users WHERE id = $1`, [id])).rowCount ?? 0) > 0;
    },

    async createSession(session: SessionRecord) {
      await pool.query(`INSERT INTO ${s}.sessions (id_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [
        session.idHash,
        session.userId,
        session.expiresAt,
      ]);
    },

    async getSession(idHash) {
      const rows = await pool.query<{ id_hash: string; user_id: string; expires_at: string }>(
        `SELECT id_hash, user_id, expires_at FROM ${s}.sessions WHERE id_hash = $1`,
        [idHash],
      );
      const row = rows.rows[0];
      return row ? { idHash: row.id_hash, userId: row.user_id, expiresAt: row.expires_at } : null;
    },

    async deleteSession(idHash) {
      await pool.query(`DELETE FROM ${s}.sessions WHERE id_hash = $1`, [idHash]);
    },

    async deleteUserSessions(userId) {
      await pool.query(`DELETE FROM ${s}.sessions WHERE user_id = $1`, [userId]);
    },

    async createToken(token: NewToken) {
      const rows = await pool.query<TokenRow>(
        `INSERT INTO ${s}.api_tokens (id, name, token_hash, projects, scopes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${tokenColumns}`,
        [
          token.id,
          token.name,
          token.tokenHash,
          JSON.stringify(token.projects),
          JSON.stringify(token.scopes),
          new Date(now()).toISOString(),
        ],
      );
      const row = rows.rows[0];
      if (!row) throw new Error('token insert returned no row');
      return toToken(row);
    },

    async getTokenByHash(tokenHash): Promise<TokenRecord | null> {
      const rows = await pool.query<TokenRow>(
        `SELECT ${tokenColumns} FROM ${s}.api_tokens WHERE token_hash = $1`,
        [tokenHash],
      );
      const row = rows.rows[0];
      return row ? { ...toToken(row), tokenHash: row.token_hash } : null;
    },

    async listTokens() {
      const rows = await pool.query<TokenRow>(
        `SELECT ${tokenColumns} FROM ${s}.api_tokens ORDER BY created_at, ord`,
      );
      return rows.rows.map(toToken);
    },

    async revokeToken(id) {
      const result = await pool.query(
        `UPDATE ${s}.api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`,
        [new Date(now()).toISOString(), id],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async touchToken(id) {
      await pool.query(`UPDATE ${s}.api_tokens SET last_used_at = $1 WHERE id = $2`, [
        new Date(now()).toISOString(),
        id,
      ]);
    },

    async appendAudit(entry) {
      const rows = await pool.query<{ id: string }>(
        `INSERT INTO ${s}.audit_log (ts, actor, action, target, ip, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          entry.ts ?? new Date(now()).toISOString(),
          entry.actor,
          entry.action,
          entry.target,
          entry.ip,
          entry.details === null ? null : JSON.stringify(entry.details),
        ],
      );
      // Keep the log bounded; pruning in steps keeps the DELETE rare.
      const id = Number(rows.rows[0]?.id ?? 0);
      if (id % 1000 === 0)
        await pool.query(`DELETE FROM ${s}.audit_log WHERE id <= $1`, [id - AUDIT_MAX_ENTRIES]);
    },

    async hasWebhookDelivery(source, id) {
      const rows = await pool.query(
        `SELECT 1 FROM ${s}.webhook_deliveries WHERE source = $1 AND id = $2 AND received_at >= $3`,
        [source, id, now() - WEBHOOK_DELIVERY_RETENTION_MS],
      );
      return (rows.rowCount ?? 0) > 0;
    },

    async recordWebhookDelivery(source, id) {
      const at = now();
      await pool.query(`DELETE FROM ${s}.webhook_deliveries WHERE received_at < $1`, [
        at - WEBHOOK_DELIVERY_RETENTION_MS,
      ]);
      await pool.query(
        `INSERT INTO ${s}.webhook_deliveries (source, id, received_at) VALUES ($1, $2, $3)
         ON CONFLICT (source, id) DO UPDATE SET received_at = EXCLUDED.received_at`,
        [source, id, at],
      );
    },

    async listAudit({ limit, before }) {
      const rows = await pool.query<AuditRow>(
        `SELECT id, ts, actor, action, target, ip, details FROM ${s}.audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2`,
        [before ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows.rows.map(toAuditEntry);
    },

    async close() {
      // pool.end() throws when called twice; shutdown paths may close more than once.
      closing ??= pool.end();
      await closing;
    },
  };
  return store;
}

function duplicateOf(event: NewEvent, where: Map<string, { room: string; seq: number }>): AppendOutcome {
  const original = where.get(event.id);
  if (original === undefined) throw new Error(`no original for duplicate id ${event.id}`);
  return { duplicate: true, id: event.id, room: original.room, seq: original.seq };
}
