/**
 * Without --token, the demo makes its own: a "demo" token with publish and read on the demo
 * projects, created directly in the local database like `npm run opsroom -- token create`.
 * Server modules load only here, so a run with a token never opens the database.
 */
export interface LocalToken {
  id: string;
  token: string;
  /** Where it was stored, for the message. */
  database: string;
}

export async function createLocalDemoToken(projects: string[]): Promise<LocalToken> {
  const { withLocalAccounts } = await import('../local-accounts');
  return withLocalAccounts(async ({ auth, config }) => {
    const created = await auth.createToken({ name: 'demo', projects, scopes: ['publish', 'read'] });
    const database = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL (DATABASE_URL)';
    return { id: created.id, token: created.token, database };
  });
}
