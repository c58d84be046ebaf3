/**
 * A local Opsroom cluster for integration tests: a private redis-server, a throwaway PostgreSQL
 * schema and several server processes sharing both (and one OPSROOM_SECRET, so a session or
 * token from one instance works on all).
 */
import { randomBytes } from 'node:crypto';
import {
  TEST_DATABASE_URL,
  dropTestSchema,
  requirePostgres,
  testSchemaName,
} from '@/lib/server/store/postgres-test-db';
import { startRedis, type RedisServer } from './redis-server';
import { startOpsroom, type OpsroomProcess } from './server-process';

export interface Cluster {
  redis: RedisServer;
  schema: string;
  nodes: Map<string, OpsroomProcess>;
  node: (id: string) => OpsroomProcess;
  /** Env every instance got; pass to startOpsroom (with OPSROOM_INSTANCE_ID) to add or restart one. */
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

export async function startCluster(
  ids: string[],
  extraEnv: Record<string, string> = {},
  /** Per-instance overrides (e.g. one instance's DATABASE_URL through a proxy). */
  nodeEnv: Record<string, Record<string, string>> = {},
): Promise<Cluster> {
  await requirePostgres();
  const redis = await startRedis();
  const schema = testSchemaName();
  const env: Record<string, string> = {
    DATABASE_URL: TEST_DATABASE_URL,
    OPSROOM_DATABASE_SCHEMA: schema,
    REDIS_URL: redis.url,
    OPSROOM_SECRET: randomBytes(24).toString('hex'),
    OPSROOM_SELF_REPORT: 'off',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const nodes = new Map<string, OpsroomProcess>();
  const cleanup = async (): Promise<void> => {
    await Promise.allSettled([...nodes.values()].map((node) => node.cleanup()));
    await redis.stop();
    await dropTestSchema(schema);
  };
  try {
    // The first instance creates the schema and the admin; the rest start together after it.
    const [first, ...rest] = ids;
    if (first === undefined) throw new Error('a cluster needs at least one instance');
    const envOf = (id: string) => ({ ...env, OPSROOM_INSTANCE_ID: id, ...nodeEnv[id] });
    nodes.set(first, await startOpsroom({ env: envOf(first) }));
    const started = await Promise.all(rest.map((id) => startOpsroom({ env: envOf(id) })));
    rest.forEach((id, index) => nodes.set(id, started[index] as OpsroomProcess));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    redis,
    schema,
    nodes,
    node: (id) => {
      const node = nodes.get(id);
      if (node === undefined) throw new Error(`no instance ${id}`);
      return node;
    },
    env,
    cleanup,
  };
}
