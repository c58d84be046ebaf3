/**
 * PostgreSQL schema, as ordered migrations applied at open (all pending ones in one
 * transaction behind an advisory lock, see postgres-store.ts). Append new migrations; never
 * edit one that has shipped. Mirrors sqlite-migrations.ts table for table.
 *
 * Choices that differ from SQLite, and why:
 * - Room names, ids and ISO timestamps are `COLLATE "C"`: SQLite compares them bytewise, and
 *   ORDER BY last_event_at must not depend on the database's locale.
 * - Envelopes are `text`, not `jsonb`: we only ever store and return the whole JSON string,
 *   jsonb would reorder keys, cost a parse on every insert and reject "\u0000" in strings.
 * - Seqs are `bigint`; node-postgres returns them as strings, the store converts them.
 * - users.email is unique on lower(email) (SQLite: COLLATE NOCASE).
 * - users and api_tokens get an identity column so listings created within one millisecond
 *   keep their insertion order.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    room text COLLATE "C" PRIMARY KEY,
    project text COLLATE "C",
    seq bigint NOT NULL,
    min_seq bigint NOT NULL DEFAULT 1,
    event_count bigint NOT NULL DEFAULT 0,
    last_event_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX rooms_project ON rooms (project);

  CREATE TABLE events (
    room text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    id text COLLATE "C" NOT NULL,
    envelope text NOT NULL,
    PRIMARY KEY (room, seq)
  );

  -- Every id of a retained event, and any id seen in the idempotency window.
  CREATE TABLE event_ids (
    id text COLLATE "C" PRIMARY KEY,
    room text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX event_ids_created ON event_ids (created_at);

  CREATE TABLE snapshots (
    room text COLLATE "C" NOT NULL,
    type text COLLATE "C" NOT NULL,
    state_key text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    envelope text NOT NULL,
    PRIMARY KEY (room, type, state_key)
  );

  CREATE TABLE users (
    id text PRIMARY KEY,
    ord bigint GENERATED ALWAYS AS IDENTITY,
    email text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL
  );
  CREATE UNIQUE INDEX users_email_ci ON users (lower(email));

  CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at text NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);

  CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    ord bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    projects jsonb NOT NULL,
    scopes jsonb NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    last_used_at text,
    revoked_at text
  );
  `,
  `
  CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts text COLLATE "C" NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text,
    ip text,
    details text
  );
  `,
  `
  CREATE TABLE webhook_deliveries (
    source text NOT NULL,
    id text NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (source, id)
  );
  CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
  `,
];
