/**
 * Target: two Opsroom instances on one private redis-server and one throwaway PostgreSQL schema
 * (issue 5). Events are published to instance A; every subscriber connects to instance B, so
 * each delivery crosses Redis (the scale-out worst case). CPU and RSS are B's.
 * Needs redis-server on PATH and PostgreSQL at OPSROOM_TEST_DATABASE_URL (see tests/helpers).
 */
import { randomBytes } from 'node:crypto';
import { TEST_DATABASE_URL, dropTestSchema, testSchemaName } from '@/lib/server/store/postgres-test-db';
import { startRedis } from '@/tests/helpers/redis-server';
import { createPublisher } from './http-publish';
import { createToken, startServer } from './opsroom';
import type { RunningTarget, TargetFactory } from './types';

export const startOpsroomClusterTarget: TargetFactory = async (options) => {
  const redis = await startRedis();
  const schema = testSchemaName();
  const env = {
    ...options.env,
    DATABASE_URL: TEST_DATABASE_URL,
    OPSROOM_DATABASE_SCHEMA: schema,
    REDIS_URL: redis.url,
    OPSROOM_SECRET: randomBytes(24).toString('hex'),
    OPSROOM_SELF_REPORT: 'off',
  };
  const servers: Array<Awaited<ReturnType<typeof startServer>>> = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(servers.map((server) => server.stop()));
    await redis.stop();
    await dropTestSchema(schema);
  };
  try {
    // A first: it creates the schema and the admin B then finds.
    const a = await startServer({ ...env, OPSROOM_INSTANCE_ID: 'a' });
    servers.push(a);
    const b = await startServer({ ...env, OPSROOM_INSTANCE_ID: 'b' });
    servers.push(b);
    const token = await createToken(a.url);
    const publisher = createPublisher(
      a.url,
      '/api/events',
      { authorization: `Bearer ${token}` },
      options.maxSockets,
    );
    const target: RunningTarget = {
      pid: b.pid,
      endpoint: {
        wire: 'socketio',
        url: `ws://127.0.0.1:${b.port}/socket.io/?EIO=4&transport=websocket`,
        token,
        room: options.room,
      },
      publish: publisher.publish,
      output: () => `--- a ---\n${a.output().slice(-2000)}\n--- b ---\n${b.output().slice(-2000)}`,
      stop: async () => {
        publisher.close();
        await stopAll();
      },
    };
    return target;
  } catch (error) {
    await stopAll();
    throw error;
  }
};
