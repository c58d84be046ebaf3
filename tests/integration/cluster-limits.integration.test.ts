/**
 * Issue #5: rate limits hold across instances. Login attempts from one IP and a token's
 * publish budget are counted once for the whole cluster (Redis), not once per instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, buildEvent, postEvents, range } from '../helpers/api';
import { startCluster, type Cluster } from '../helpers/cluster';
import { httpRequest } from '../helpers/node-http';
import { ADMIN_EMAIL } from '../helpers/server-process';

describe('limits across a cluster', () => {
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    cluster = await startCluster(['a', 'b'], { OPSROOM_PUBLISH_RATE_PER_MIN: '100' });
    // Before the login test uses up this IP's attempts.
    token = await adminToken(cluster.node('a').url);
  }, 120_000);
  afterAll(async () => cluster?.cleanup());

  it('counts failed logins from one IP on every instance together', async () => {
    const attempt = (node: string) =>
      httpRequest('POST', `${cluster.node(node).url}/api/auth/login`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: 'wrong-password' }),
      });
    // Ten guesses, alternating between the instances: each instance alone saw only five.
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 === 0 ? 'a' : 'b')).status).toBe(401);
    for (const node of ['a', 'b']) {
      const refused = await attempt(node);
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'RATE_LIMIT_EXCEEDED' } });
    }
  });

  it('shares a token’s publish budget between instances', async () => {
    const batch = (from: number) => ({
      events: range(from, from + 59).map((n) => buildEvent('project:limits', n)),
    });
    expect((await postEvents(cluster.node('a').url, token, batch(1))).status).toBe(202);
    // 60 more on the other instance would make 120 of 100 for this minute.
    const refused = await postEvents(cluster.node('b').url, token, batch(61));
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(refused.json.error?.retryAfterMs).toBeGreaterThan(0);
  });
});
