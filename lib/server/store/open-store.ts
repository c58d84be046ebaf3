import type { Config } from '../config';
import { OpsroomError } from '@/lib/shared/errors';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Opens the store DATABASE_URL names. */
export async function openStore(config: Pick<Config, 'database' | 'historyMaxEvents'>): Promise<Store> {
  switch (config.database.kind) {
    case 'sqlite':
      return openSqliteStore(config.database.file, { historyMaxEvents: config.historyMaxEvents });
    case 'postgres':
      // The PostgreSQL store arrives with the scale-out issue (#5).
      throw new OpsroomError('UNAVAILABLE', 'PostgreSQL DATABASE_URL is not supported yet; use file:');
  }
}
