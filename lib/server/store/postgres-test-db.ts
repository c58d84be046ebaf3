/**
 * Test support for the PostgreSQL store: the database the suites use, a throwaway schema per
 * store, and a clear failure when the server is not running. The suites must fail, never skip,
 * without PostgreSQL: a skipped store suite would let CI pass with the scale-out store untested.
 */
import { randomBytes } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store';
import type { Store } from './store';

export const TEST_DATABASE_URL =
  process.env.OPSROOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name; the store creates the schema on open. */
export const testSchemaName = (): string => `opsroom_test_${randomBytes(6).toString('hex')}`;

function unreachable(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${reason}): start it with ` +
      '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set OPSROOM_TEST_DATABASE_URL',
  );
}

/** Runs one statement on a short-lived connection (schema setup and teardown, inspection). */
export async function adminQuery<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  // A connection lost while we wait would otherwise be an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(error);
  }
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

let reachable: Promise<void> | undefined;

/**
 * Throws the one-line "start PostgreSQL" error when the test database is down. Meant for
 * beforeEach: a failing beforeAll would only mark the tests skipped, and skipped is what must
 * not happen silently. Checked once per test file.
 */
export function requirePostgres(): Promise<void> {
  reachable ??= adminQuery('SELECT 1').then(() => undefined);
  return reachable;
}

export async function dropTestSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/**
 * A store on its own new schema, dropped again on close. With options.schema (several stores
 * sharing one schema) the caller drops it.
 */
export async function openTestStore(
  options: PostgresStoreOptions,
): Promise<Store & { readonly schema: string }> {
  const owned = options.schema === undefined;
  const schema = options.schema ?? testSchemaName();
  let store: Store;
  try {
    store = await openPostgresStore(TEST_DATABASE_URL, { ...options, schema });
  } catch (error) {
    // A DatabaseError is PostgreSQL answering; anything else (ECONNREFUSED, timeout) is "not there".
    throw error instanceof DatabaseError ? error : unreachable(error);
  }
  return {
    ...store,
    schema,
    async close() {
      await store.close();
      if (owned) await dropTestSchema(schema);
    },
  };
}
