/**
 * SQLite schema, as ordered migrations applied at start (each once, in a transaction).
 * Append new migrations; never edit one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    room TEXT PRIMARY KEY,
    project TEXT,
    seq INTEGER NOT NULL,
    min_seq INTEGER NOT NULL DEFAULT 1,
    event_count INTEGER NOT NULL DEFAULT 0,
    last_event_at TEXT NOT NULL
  );
  CREATE INDEX rooms_project ON rooms(project);

  CREATE TABLE events (
    room TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    envelope TEXT NOT NULL,
    PRIMARY KEY (room, seq)
  ) WITHOUT ROWID;

  -- Every id of a retained event, and any id seen in the idempotency window.
  CREATE TABLE event_ids (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX event_ids_created ON event_ids(created_at);

  CREATE TABLE snapshots (
    room TEXT NOT NULL,
    type TEXT NOT NULL,
    state_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    PRIMARY KEY (room, type, state_key)
  ) WITHOUT ROWID;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    projects TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  `,
  `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    ip TEXT,
    details TEXT
  );
  `,
  `
  CREATE TABLE webhook_deliveries (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (source, id)
  ) WITHOUT ROWID;
  CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);
  `,
];
