/**
 * Issue #6 (GitHub part) acceptance against a real server: GitHub's own example deliveries,
 * signed as GitHub signs them, become the right runner and workflow state; forged, tampered
 * or unsigned deliveries are refused with 401 and store nothing; a repeated delivery is
 * stored once, also after a restart; ping is answered and other events are ignored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import {
  TEST_DATABASE_URL,
  dropTestSchema,
  requirePostgres,
  testSchemaName,
} from '@/lib/server/store/postgres-test-db';
import { adminToken, history } from '../helpers/api';
import { deliver, deliverFixture, githubFixture, githubSignature } from '../helpers/github-webhooks';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

const SECRET = 'integration-webhook-secret';
/** The example workflow_job deliveries are for Codertocat/Hello-World: the default slug. */
const JOB_ROOM = 'project:hello-world';
/** The workflow_run examples are octo-org/octo-repo, mapped to `octo` by OPSROOM_GITHUB_PROJECTS. */
const RUN_ROOM = 'project:octo';

async function snapshotOf(url: string, token: string, room: string): Promise<Envelope[]> {
  const response = await fetch(`${url}/api/rooms/${encodeURIComponent(room)}/snapshot`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { snapshot: Envelope[] }).snapshot;
}

function payloadsOf(snapshot: Envelope[], type: string): Array<Record<string, unknown>> {
  return snapshot.filter((envelope) => envelope.type === type).map((envelope) => envelope.payload);
}

/** An example job payload with other ids, for deliveries GitHub's examples do not cover. */
function jobBody(runId: number, jobId: number, action = 'in_progress'): Buffer {
  const example = JSON.parse(githubFixture('workflow_job.in_progress').toString('utf8')) as {
    action: string;
    workflow_job: Record<string, unknown>;
  };
  example.action = action;
  example.workflow_job = {
    ...example.workflow_job,
    id: jobId,
    run_id: runId,
    name: `shard ${jobId}`,
    runner_id: 1000 + jobId,
    runner_name: `runner ${jobId}`,
  };
  return Buffer.from(JSON.stringify(example));
}

/**
 * Eight jobs of one run delivered at once: the run must list all eight (each delivery merges
 * its job into the run's stored jobs[]; without per-run serialization one would drop another).
 */
async function expectConcurrentJobsKept(url: string, token: string, runId: number): Promise<void> {
  const replies = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      deliver(url, jobBody(runId, 100 + i), { event: 'workflow_job', secret: SECRET }),
    ),
  );
  expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(202));
  const [run] = payloadsOf(await snapshotOf(url, token, JOB_ROOM), 'workflow:update').filter(
    (payload) => payload.runId === String(runId),
  );
  expect((run?.jobs as Array<{ jobId: string }>).map((job) => job.jobId).sort()).toEqual(
    Array.from({ length: 8 }, (_, i) => String(100 + i)).sort(),
  );
}

describe('GitHub webhooks', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({
      keepData: true,
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        OPSROOM_GITHUB_PROJECTS: 'Octo-Org/Octo-Repo=octo',
        OPSROOM_SELF_REPORT: 'off',
      },
    });
    token = await adminToken(server.url);
  });
  afterAll(async () => {
    await server?.cleanup();
    const { rmSync } = await import('node:fs');
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('refuses a tampered body, a wrong secret and a missing or malformed signature with 401, storing nothing', async () => {
    const body = githubFixture('workflow_job.in_progress');
    const tampered = Buffer.from(body.toString('utf8').replace('GitHub Actions 5', 'GitHub Actions 6'));
    const attempts = [
      deliver(server.url, tampered, {
        event: 'workflow_job',
        secret: null,
        signature: githubSignature(SECRET, body),
      }),
      deliver(server.url, body, { event: 'workflow_job', secret: 'not-the-secret' }),
      deliver(server.url, body, { event: 'workflow_job', secret: null }),
      deliver(server.url, body, { event: 'workflow_job', secret: null, signature: 'sha256=nothex' }),
      deliver(server.url, body, {
        event: 'workflow_job',
        secret: null,
        signature: `sha1=${'0'.repeat(40)}`,
      }),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const stored = await history(server.url, token, JOB_ROOM);
    expect(stored.json).toMatchObject({ seq: 0, events: [] });
    const projects = (await (
      await fetch(`${server.url}/api/projects`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { projects?: Array<{ slug: string }> } | Array<{ slug: string }>;
    expect(JSON.stringify(projects)).not.toContain('hello-world');
  });

  it('replays the example job: the run appears, its runner turns busy with it, then idle with the job’s steps and conclusion', async () => {
    const queued = await deliverFixture(server.url, 'workflow_job.queued', { secret: SECRET });
    expect(queued.status).toBe(202);
    expect(queued.json).toMatchObject({ event: 'workflow_job', project: 'hello-world' });
    expect(queued.json.accepted).toEqual([
      { id: `github:${queued.delivery}:workflow`, room: JOB_ROOM, seq: 1 },
    ]);
    let snapshot = await snapshotOf(server.url, token, JOB_ROOM);
    expect(payloadsOf(snapshot, 'runner:status')).toEqual([]);
    expect(payloadsOf(snapshot, 'workflow:update')).toEqual([
      {
        runId: '2202229078',
        workflow: 'CodeQL',
        repo: 'Codertocat/Hello-World',
        status: 'queued',
        conclusion: null,
        url: 'https://github.com/Codertocat/Hello-World/actions/runs/2202229078',
        jobs: [
          {
            jobId: '289782451',
            name: 'update',
            status: 'queued',
            conclusion: null,
            runnerName: null,
            steps: [],
          },
        ],
      },
    ]);

    const started = await deliverFixture(server.url, 'workflow_job.in_progress', { secret: SECRET });
    expect(started.status).toBe(202);
    snapshot = await snapshotOf(server.url, token, JOB_ROOM);
    expect(payloadsOf(snapshot, 'runner:status')).toEqual([
      {
        runnerId: '5',
        name: 'GitHub Actions 5',
        status: 'busy',
        labels: ['ubuntu-latest'],
        currentJob: { jobId: '289782451', workflow: 'CodeQL', repo: 'Codertocat/Hello-World' },
      },
    ]);
    expect(payloadsOf(snapshot, 'workflow:update')[0]).toMatchObject({ status: 'in_progress' });

    const completed = await deliverFixture(server.url, 'workflow_job.completed.success', { secret: SECRET });
    expect(completed.status).toBe(202);
    snapshot = await snapshotOf(server.url, token, JOB_ROOM);
    expect(payloadsOf(snapshot, 'runner:status')).toEqual([
      {
        runnerId: '5',
        name: 'GitHub Actions 5',
        status: 'idle',
        labels: ['ubuntu-latest'],
        currentJob: null,
      },
    ]);
    const [run] = payloadsOf(snapshot, 'workflow:update');
    expect(run).toMatchObject({
      runId: '2202229078',
      workflow: 'CodeQL',
      status: 'completed',
      conclusion: 'success',
    });
    expect(run?.jobs).toEqual([
      expect.objectContaining({
        jobId: '289782451',
        name: 'linters',
        status: 'completed',
        conclusion: 'success',
        runnerName: 'GitHub Actions 5',
      }),
    ]);
    const steps = (run?.jobs as Array<{ steps: Array<{ name: string; conclusion: string }> }>)[0]?.steps;
    expect(steps?.map((step) => step.name)).toContain('Run Rubocop');
    expect(steps?.every((step) => step.conclusion === 'success')).toBe(true);
    // Published as Opsroom itself, with ids derived from the delivery.
    const stored = await history(server.url, token, JOB_ROOM);
    expect(stored.json.events.map((e) => [e.type, e.source])).toEqual([
      ['workflow:update', 'system:opsroom'],
      ['workflow:update', 'system:opsroom'],
      ['runner:status', 'system:opsroom'],
      ['workflow:update', 'system:opsroom'],
      ['runner:status', 'system:opsroom'],
    ]);
  });

  it('replays the example workflow_run deliveries into the project OPSROOM_GITHUB_PROJECTS names', async () => {
    const requested = await deliverFixture(server.url, 'workflow_run.requested', { secret: SECRET });
    expect(requested).toMatchObject({ status: 202, json: { project: 'octo' } });
    expect(payloadsOf(await snapshotOf(server.url, token, RUN_ROOM), 'workflow:update')).toEqual([
      {
        runId: '289782451',
        workflow: 'test',
        repo: 'octo-org/octo-repo',
        status: 'queued',
        conclusion: null,
        jobs: [],
        url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
      },
    ]);
    expect((await deliverFixture(server.url, 'workflow_run.completed', { secret: SECRET })).status).toBe(202);
    expect(payloadsOf(await snapshotOf(server.url, token, RUN_ROOM), 'workflow:update')).toEqual([
      expect.objectContaining({ runId: '289782451', status: 'completed', conclusion: 'success' }),
    ]);
  });

  it('stores a repeated delivery once, also when the two copies arrive together', async () => {
    const before = (await history(server.url, token, JOB_ROOM)).json.seq;
    const delivery = randomUUID();
    const body = jobBody(7001, 1);
    const first = await deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET });
    expect(first.status).toBe(202);
    const again = await deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET });
    expect(again).toMatchObject({ status: 200, json: { delivery, duplicate: true } });

    const racing = randomUUID();
    const racingBody = jobBody(7002, 2);
    const pair = await Promise.all([
      deliver(server.url, racingBody, { event: 'workflow_job', delivery: racing, secret: SECRET }),
      deliver(server.url, racingBody, { event: 'workflow_job', delivery: racing, secret: SECRET }),
    ]);
    expect(pair.map((reply) => reply.status).every((status) => status === 200 || status === 202)).toBe(true);
    const after = await history(server.url, token, JOB_ROOM, before);
    // Two deliveries of one started job each: a workflow:update and a runner:status.
    expect(after.json.events.map((e) => e.id).sort()).toEqual(
      [
        `github:${delivery}:runner`,
        `github:${delivery}:workflow`,
        `github:${racing}:runner`,
        `github:${racing}:workflow`,
      ].sort(),
    );
  });

  it('keeps every job of a run when its deliveries arrive at the same time', async () => {
    await expectConcurrentJobsKept(server.url, token, 8001);
  });

  it('keeps every job of a run too large for one event, dropping steps of finished jobs first', async () => {
    const runId = 8201;
    const steps = Array.from({ length: 20 }, (_, i) => ({
      name: `step ${i + 1}: ${'long command line '.repeat(4)}`,
      status: 'completed',
      conclusion: 'success',
      number: i + 1,
    }));
    for (let jobId = 1; jobId <= 40; jobId++) {
      const body = JSON.parse(jobBody(runId, jobId, 'completed').toString('utf8')) as {
        workflow_job: Record<string, unknown>;
      };
      body.workflow_job = { ...body.workflow_job, conclusion: 'success', steps };
      const reply = await deliver(server.url, Buffer.from(JSON.stringify(body)), {
        event: 'workflow_job',
        secret: SECRET,
      });
      expect(reply.status).toBe(202);
    }
    const [run] = payloadsOf(await snapshotOf(server.url, token, JOB_ROOM), 'workflow:update').filter(
      (payload) => payload.runId === String(runId),
    );
    expect(Buffer.byteLength(JSON.stringify(run))).toBeLessThanOrEqual(64 * 1024);
    const jobs = run?.jobs as Array<{
      jobId: string;
      conclusion: string;
      steps: unknown[];
      stepsOmitted?: true;
    }>;
    expect(jobs.map((job) => job.jobId)).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)));
    expect(jobs.every((job) => job.conclusion === 'success')).toBe(true);
    expect(jobs.at(-1)?.steps).toHaveLength(20);
    expect(jobs[0]).toMatchObject({ steps: [], stepsOmitted: true });
  });

  it('answers ping, ignores events and actions it does not use, and refuses malformed deliveries', async () => {
    const ping = await deliverFixture(server.url, 'ping', { secret: SECRET });
    expect(ping).toMatchObject({ status: 200, json: { pong: true } });
    expect(typeof ping.json.zen).toBe('string');

    const before = (await history(server.url, token, JOB_ROOM)).json.seq;
    const issue = await deliver(server.url, Buffer.from('{"action":"opened","issue":{}}'), {
      event: 'issues',
      secret: SECRET,
    });
    expect(issue).toMatchObject({ status: 202, json: { event: 'issues', ignored: true } });
    const deleted = await deliver(server.url, jobBody(9001, 1, 'deleted'), {
      event: 'workflow_job',
      secret: SECRET,
    });
    expect(deleted).toMatchObject({ status: 202, json: { ignored: true } });

    const noRepository = await deliver(server.url, Buffer.from('{"action":"queued","workflow_job":{}}'), {
      event: 'workflow_job',
      secret: SECRET,
    });
    expect(noRepository).toMatchObject({ status: 400, json: { error: { code: 'INVALID_MESSAGE' } } });
    const notJson = await deliver(server.url, Buffer.from('not json'), {
      event: 'workflow_job',
      secret: SECRET,
    });
    expect(notJson).toMatchObject({ status: 400, json: { error: { code: 'INVALID_MESSAGE' } } });
    const noEvent = await deliver(server.url, githubFixture('ping'), { event: '', secret: SECRET });
    expect(noEvent).toMatchObject({ status: 400, json: { error: { code: 'INVALID_MESSAGE' } } });
    expect((await history(server.url, token, JOB_ROOM)).json.seq).toBe(before);
  });

  it('still recognises a handled delivery after a restart', async () => {
    const delivery = randomUUID();
    const body = jobBody(9100, 1);
    expect(
      (await deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET })).status,
    ).toBe(202);
    const seq = (await history(server.url, token, JOB_ROOM)).json.seq;
    await server.stop();
    server = await startOpsroom({
      dataDir: server.dataDir,
      keepData: true,
      env: { GITHUB_WEBHOOK_SECRET: SECRET, OPSROOM_SELF_REPORT: 'off' },
    });
    const again = await deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET });
    expect(again).toMatchObject({ status: 200, json: { duplicate: true } });
    expect((await history(server.url, token, JOB_ROOM)).json.seq).toBe(seq);
  });
});

describe('GitHub webhooks without a secret', () => {
  let server: OpsroomProcess;
  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
  });
  afterAll(async () => server?.cleanup());

  it('answers 404 NOT_FOUND saying how to enable the endpoint', async () => {
    const reply = await deliverFixture(server.url, 'workflow_job.queued', { secret: 'anything' });
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(reply.json)).toContain('GITHUB_WEBHOOK_SECRET');
  });
});

// PostgreSQL: reads and writes really interleave there (SQLite's calls complete synchronously),
// so this is where a lost job would show.
describe('GitHub webhooks on PostgreSQL', () => {
  const schema = testSchemaName();
  let server: OpsroomProcess;
  let token: string;
  beforeEach(requirePostgres);
  beforeAll(async () => {
    await requirePostgres();
    server = await startOpsroom({
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        OPSROOM_SELF_REPORT: 'off',
        DATABASE_URL: TEST_DATABASE_URL,
        OPSROOM_DATABASE_SCHEMA: schema,
      },
    });
    token = await adminToken(server.url);
  });
  afterAll(async () => {
    await server?.cleanup();
    await dropTestSchema(schema);
  });

  it('keeps every job of a run when its deliveries arrive at the same time', async () => {
    await expectConcurrentJobsKept(server.url, token, 8101);
  });

  it('stores a delivery sent twice at once only once', async () => {
    const delivery = randomUUID();
    const body = jobBody(8102, 1);
    const pair = await Promise.all([
      deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET }),
      deliver(server.url, body, { event: 'workflow_job', delivery, secret: SECRET }),
    ]);
    expect(pair.map((reply) => reply.status).sort()).toEqual(expect.arrayContaining([202]));
    const stored = (await history(server.url, token, JOB_ROOM)).json.events.filter((e) =>
      e.id.startsWith(`github:${delivery}:`),
    );
    expect(stored.map((e) => e.type).sort()).toEqual(['runner:status', 'workflow:update']);
  });
});
