/**
 * Degraded modes of a cluster (issue 5): Redis restarted during a stream (every client still
 * ends complete, in order, exactly once), and the database of one instance cut off (publishes
 * answer 503 with a code, health names the failed check, and both recover when it returns).
 * B reaches PostgreSQL through a loopback TCP proxy, so "PostgreSQL down" is B's alone and the
 * shared server keeps running for everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client/realtime-client';
import type { HealthResponse } from '@/lib/shared/api-types';
import type { Envelope } from '@/lib/shared/envelope';
import { TEST_DATABASE_URL } from '@/lib/server/store/postgres-test-db';
import { buildEvent, createToken, login, postEvents, range, seqs, waitFor } from '@/tests/helpers/api';
import { startCluster, type Cluster } from '@/tests/helpers/cluster';
import { freePort } from '@/tests/helpers/free-port';
import { httpRequest } from '@/tests/helpers/node-http';
import { startRedis, type RedisServer } from '@/tests/helpers/redis-server';
import { startOpsroom } from '@/tests/helpers/server-process';
import { startTcpProxy, type TcpProxy } from '@/tests/helpers/tcp-proxy';

const TOTAL = 2_000;
const BATCH = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function health(url: string): Promise<{ status: number; body: HealthResponse }> {
  const response = await httpRequest('GET', `${url}/api/health`);
  return { status: response.status, body: JSON.parse(response.text) as HealthResponse };
}

describe('a cluster with Redis or the database away', () => {
  let cluster: Cluster | undefined;
  let dbProxy: TcpProxy | undefined;
  let setupError: unknown;
  let token = '';

  beforeAll(async () => {
    try {
      const pg = new URL(TEST_DATABASE_URL);
      dbProxy = await startTcpProxy(Number(pg.port || 5432));
      const viaProxy = new URL(TEST_DATABASE_URL);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(dbProxy.port);
      cluster = await startCluster(
        ['a', 'b'],
        { OPSROOM_PUBLISH_RATE_PER_MIN: '10000000', OPSROOM_SOCKET_MESSAGES_PER_MIN: '100000' },
        { b: { DATABASE_URL: viaProxy.toString() } },
      );
      token = await createToken(cluster.node('a').url, await login(cluster.node('a').url), { name: 'ops' });
    } catch (error) {
      setupError = error;
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.cleanup();
    await dbProxy?.close();
  });

  function ready(): { c: Cluster; proxy: TcpProxy } {
    if (setupError !== undefined) throw setupError;
    if (cluster === undefined || dbProxy === undefined) throw new Error('cluster not started');
    return { c: cluster, proxy: dbProxy };
  }

  it('keeps delivering through a Redis restart; every client ends complete', async () => {
    const { c } = ready();
    const room = 'project:redis-restart';
    const clients: RealtimeClient[] = [];
    const received: Envelope[][] = [];
    try {
      for (const id of ['a', 'a', 'b', 'b']) {
        const got: Envelope[] = [];
        received.push(got);
        const client = createRealtimeClient({
          url: c.node(id).url,
          token,
          backoff: { baseMs: 100, maxMs: 500 },
        });
        clients.push(client);
        client.subscribe(room, { onEvents: (events) => got.push(...events) }, { since: 0 });
      }
      await waitFor(() => clients.every((client) => client.getState().ready !== null), 10_000, 'clients');

      let sawRedisFail = false;
      for (let chunk = 0; chunk < TOTAL / BATCH; chunk++) {
        const node = c.node(chunk % 2 === 0 ? 'a' : 'b');
        const events = range(1, BATCH).map((i) => buildEvent(room, chunk * BATCH + i));
        const response = await postEvents(node.url, token, { events });
        // Redis is not on the publish path: the database acknowledges, Redis only fans out.
        expect(response.status).toBe(202);
        if (chunk === 30) await c.redis.stop();
        if (chunk === 60) {
          const during = await health(c.node('a').url);
          expect(during.status).toBe(503);
          expect(during.body.checks).toEqual({ db: 'ok', redis: 'fail' });
          sawRedisFail = true;
          await c.redis.restart();
        }
        await sleep(10);
      }
      expect(sawRedisFail).toBe(true);
      await waitFor(() => received.every((got) => got.length >= TOTAL), 20_000, 'every client to catch up');
      for (const got of received) expect(seqs(got)).toEqual(range(1, TOTAL));
      const after = await health(c.node('a').url);
      expect(after.body.checks).toEqual({ db: 'ok', redis: 'ok' });
    } finally {
      for (const client of clients) client.close();
    }
  }, 60_000);

  it('starts without Redis, serves its own clients, and joins once Redis is up', async () => {
    const { c } = ready();
    const port = await freePort();
    const lonely = await startOpsroom({
      env: { ...c.env, OPSROOM_INSTANCE_ID: 'd', REDIS_URL: `redis://127.0.0.1:${port}` },
    });
    let late: RedisServer | undefined;
    try {
      const before = await health(lonely.url);
      expect(before.status).toBe(503);
      expect(before.body.checks).toEqual({ db: 'ok', redis: 'fail' });
      expect((await postEvents(lonely.url, token, buildEvent('project:lonely', 1))).status).toBe(202);
      late = await startRedis(port);
      const deadline = Date.now() + 10_000;
      while ((await health(lonely.url)).status !== 200 && Date.now() < deadline) await sleep(100);
      expect((await health(lonely.url)).body.checks).toEqual({ db: 'ok', redis: 'ok' });
    } finally {
      await lonely.cleanup();
      await late?.stop();
    }
  }, 40_000);

  it('answers 503 with a code while the database is away, and recovers', async () => {
    const { c, proxy } = ready();
    const room = 'project:db-down';
    const b = c.node('b').url;
    expect((await postEvents(b, token, buildEvent(room, 1))).status).toBe(202);

    proxy.setDown(true);
    try {
      const refused = await postEvents(b, token, buildEvent(room, 2));
      expect(refused.status).toBe(503);
      expect(typeof refused.json.error?.code).toBe('string');
      const down = await health(b);
      expect(down.status).toBe(503);
      expect(down.body.checks.db).toBe('fail');
      expect(down.body.checks.redis).toBe('ok');
    } finally {
      proxy.setDown(false);
    }

    // The pool reconnects on demand: publishing and delivery resume.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await postEvents(b, token, buildEvent(room, 3))).status;
      if (status === 202) break;
      await sleep(200);
    }
    expect(status).toBe(202);
    expect((await health(b)).body.checks).toEqual({ db: 'ok', redis: 'ok' });
  }, 30_000);
});
