/**
 * Account work straight on the local database (the same DATABASE_URL / OPSROOM_DATA_DIR as
 * the server): opens the store, hands over the auth service, and always closes it again.
 */
import { createAuthService, type AuthService } from '@/lib/server/auth/auth-service';
import { loadConfig, type Config } from '@/lib/server/config';
import { createLogger } from '@/lib/server/logger';
import { openStore } from '@/lib/server/store/open-store';
import type { Store } from '@/lib/server/store/store';

export async function withLocalAccounts<T>(
  fn: (accounts: { store: Store; auth: AuthService; config: Config }) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const auth = createAuthService({
      store,
      secret: config.secret,
      sessionTtlMs: config.sessionTtlMs,
      logger: createLogger('warn'),
    });
    return await fn({ store, auth, config });
  } finally {
    await store.close();
  }
}
