import type { Config } from '../config';
import { openPostgresStore } from './postgres-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Opens the store DATABASE_URL names. */
export async function openStore(config: Pick<Config, 'database' | 'historyMaxEvents'>): Promise<Store> {
  switch (config.database.kind) {
    case 'sqlite':
      return openSqliteStore(config.database.file, { historyMaxEvents: config.historyMaxEvents });
    case 'postgres':
      // Tables live in one schema ("opsroom" unless OPSROOM_DATABASE_SCHEMA), created on first
      // start and shared by every instance of a cluster.
      return openPostgresStore(config.database.url, {
        historyMaxEvents: config.historyMaxEvents,
        schema: config.database.schema,
      });
  }
}
