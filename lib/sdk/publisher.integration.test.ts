/**
 * Issue 6 acceptance, against a real Opsroom process: the SDK batches, retries after a
 * refused connection until the server is up, never stores an event twice when a lost answer
 * makes it resend, stops on a refused token, refuses invalid events before sending, skips
 * the one event the server refuses, and sends what is queued when the process exits.
 * What the server stored is checked in the room history, as a user would.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, createToken, history, login, range, seqs, waitFor } from '@/tests/helpers/api';
import { freePort } from '@/tests/helpers/free-port';
import { ROOT, startOpsroom, type OpsroomProcess } from '@/tests/helpers/server-process';
import { startTcpProxy } from '@/tests/helpers/tcp-proxy';
import { FatalPublishError, InvalidEventError, createPublisher, type Publisher } from './index';

const progress = (n: number) => ({
  status: 'in-progress' as const,
  progress: n % 100,
  step: `step ${n}`,
});
const step = (n: number) => ({ buildId: `b${n}`, ...progress(n) });

async function stored(url: string, token: string, room: string): Promise<Envelope[]> {
  const reply = await history(url, token, room);
  expect(reply.status).toBe(200);
  return reply.json.events;
}

/** Collects the publisher's onStatus lines. */
function statusLog() {
  const lines: string[] = [];
  return { lines, onStatus: (line: string) => lines.push(line) };
}

describe('publisher SDK against a real server', () => {
  let server: OpsroomProcess;
  let token: string;
  const open: Publisher[] = [];
  const publisher = (options: Partial<Parameters<typeof createPublisher>[0]> = {}) => {
    const created = createPublisher({
      url: server.url,
      token,
      flushOnExit: false,
      onStatus: () => undefined,
      ...options,
    });
    open.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startOpsroom({ env: { LOG_LEVEL: 'warn' } });
    token = await adminToken(server.url);
  });
  afterAll(async () => {
    await Promise.all(open.map((p) => p.close(1000)));
    await server?.cleanup();
  });

  it('batches 250 events into 3 requests, stored in publish order per room', async () => {
    const sdk = publisher();
    const ids = new Map<string, string[]>([
      ['batch-a', []],
      ['batch-b', []],
    ]);
    for (let n = 0; n < 250; n++) {
      const project = n % 2 === 0 ? 'batch-a' : 'batch-b';
      ids.get(project)?.push(sdk.buildProgress(project, step(n)));
    }
    expect(await sdk.flush(20_000)).toBe(true);
    expect(sdk.stats).toMatchObject({ published: 250, requests: 3, retries: 0, rejected: 0, dropped: 0 });
    for (const [project, published] of ids) {
      const events = await stored(server.url, token, `project:${project}`);
      expect(events.map((e) => e.id)).toEqual(published);
      expect(seqs(events)).toEqual(range(1, 125));
    }
    expect(new Set([...ids.values()].flat()).size).toBe(250);
  });

  it('sends typed helpers to their rooms (logs to logs:<project>:<stream>)', async () => {
    const sdk = publisher();
    const logId = sdk.log('typed', 'deploy-7', [{ text: 'rolling out', level: 'info' }]);
    const statusId = sdk.serviceStatus('typed', { service: 'api', status: 'running' });
    const customId = sdk.publish({
      room: 'project:typed',
      type: 'cache:flushed',
      payload: { keys: 3 },
      id: 'my-own-id-1',
    });
    expect(customId).toBe('my-own-id-1');
    expect(await sdk.flush(10_000)).toBe(true);
    const [logEvent] = await stored(server.url, token, 'logs:typed:deploy-7');
    expect(logEvent).toMatchObject({ id: logId, type: 'logs:stream', payload: { stream: 'deploy-7' } });
    const project = await stored(server.url, token, 'project:typed');
    expect(project.map((e) => [e.id, e.type])).toEqual([
      [statusId, 'service:status'],
      ['my-own-id-1', 'cache:flushed'],
    ]);
  });

  it('stores nothing twice when the answer is lost and the batch is resent', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const lines = statusLog();
      const sdk = publisher({ url: proxy.url, onStatus: lines.onStatus });
      // The first request reaches the server and is stored; its 202 never comes back.
      proxy.loseNextAnswers(1);
      const ids = range(1, 20).map((n) =>
        sdk.deployProgress('idem', { deployId: `d${n}`, environment: 'prod', ...progress(n) }),
      );
      expect(await sdk.flush(20_000)).toBe(true);
      expect(proxy.lostAnswers()).toBe(1);
      expect(sdk.stats).toMatchObject({ published: 20, requests: 2, retries: 1 });
      const events = await stored(server.url, token, 'project:idem');
      expect(events.map((e) => e.id)).toEqual(ids);
      expect(seqs(events)).toEqual(range(1, 20));
      expect(lines.lines[0]).toMatch(/^cannot reach .*; buffering 20 events, retrying with the same ids$/);
      expect(lines.lines[1]).toMatch(/accepts events again/);
    } finally {
      await proxy.close();
    }
  });

  it('stops on a refused token (401) or scope (403) and says why', async () => {
    const bogus = publisher({ token: 'opsr_not-a-real-token' });
    bogus.runnerStatus('fatal', { runnerId: 'r1', name: 'r1', status: 'idle', labels: [] });
    expect(await bogus.flush(10_000)).toBe(false);
    expect(bogus.fatal).toBeInstanceOf(FatalPublishError);
    expect(bogus.fatal).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    // Later events are counted as dropped, not queued forever.
    bogus.runnerStatus('fatal', { runnerId: 'r1', name: 'r1', status: 'busy', labels: [] });
    expect(bogus.pending).toBe(0);
    expect(bogus.stats).toMatchObject({ published: 0, requests: 1, dropped: 2 });

    const readOnly = await createToken(server.url, await login(server.url), {
      name: 'read-only',
      scopes: ['read'],
    });
    const reader = publisher({ token: readOnly });
    reader.notification('admin', { level: 'info', title: 'hello' });
    expect(await reader.flush(10_000)).toBe(false);
    expect(reader.fatal).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(reader.fatal?.message).toContain('publish scope');
    expect(await stored(server.url, token, 'project:fatal')).toEqual([]);
  });

  it('throws InvalidEventError for an invalid event and sends nothing', async () => {
    const sdk = publisher();
    const invalid = () =>
      sdk.buildProgress('local', { buildId: '1', status: 'exploded' as 'failed', progress: 5, step: 'x' });
    expect(invalid).toThrow(InvalidEventError);
    try {
      invalid();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INVALID_EVENT',
        event: { room: 'project:local', type: 'build:progress' },
      });
      expect(JSON.stringify((error as InvalidEventError).details)).toContain('"path":"status"');
    }
    expect(() => sdk.publish({ room: 'nowhere', type: 'x:y', payload: {} })).toThrow(/not a room/);
    expect(() => sdk.publish({ room: 'project:local', type: 'x:y', payload: {}, id: 'no spaces' })).toThrow(
      InvalidEventError,
    );
    expect(await sdk.flush(1000)).toBe(true);
    expect(sdk.stats.requests).toBe(0);
    expect(await stored(server.url, token, 'project:local')).toEqual([]);
  });

  it('sends what is queued when a script simply ends (beforeExit)', async () => {
    const run = await runScript([server.url, token, '10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('queued 10\n');
    const events = await stored(server.url, token, 'project:exit');
    expect(events.map((e) => e.payload.buildId)).toEqual(range(1, 10).map(String));
  });

  it('gives up at exit after exitTimeoutMs when the server is unreachable', async () => {
    const run = await runScript([`http://127.0.0.1:${await freePort()}`, token, '3']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/cannot reach .*ECONNREFUSED/);
    expect(run.stderr).toContain('gave up on 3 events not confirmed within 3000 ms');
  });
});

describe('publisher SDK through a server outage', () => {
  it('retries a refused connection until the server is up: everything stored once, in order', async () => {
    // A token needs a running server; then the server goes away and the port is free.
    const first = await startOpsroom({ keepData: true, env: { LOG_LEVEL: 'warn' } });
    const token = await adminToken(first.url);
    await first.stop();
    let second: OpsroomProcess | undefined;
    const lines = statusLog();
    const sdk = createPublisher({ url: first.url, token, flushOnExit: false, onStatus: lines.onStatus });
    try {
      const ids = range(1, 150).map((n) =>
        n % 3 === 0
          ? sdk.log('outage', 'build-1', [{ text: `line ${n}` }])
          : sdk.buildProgress('outage', step(n)),
      );
      await waitFor(() => sdk.stats.retries >= 2, 15_000, 'two refused attempts');
      expect(lines.lines).toEqual([
        `cannot reach ${first.url} (ECONNREFUSED); buffering 150 events, retrying with the same ids`,
      ]);
      expect(sdk.pending).toBe(150);

      second = await startOpsroom({ port: first.port, dataDir: first.dataDir, env: { LOG_LEVEL: 'warn' } });
      expect(await sdk.flush(30_000)).toBe(true);
      expect(lines.lines[1]).toMatch(new RegExp(`^${first.url} accepts events again after [\\d.]+ s`));
      expect(sdk.stats).toMatchObject({ published: 150, rejected: 0, dropped: 0 });

      const project = await stored(second.url, token, 'project:outage');
      const logs = await stored(second.url, token, 'logs:outage:build-1');
      expect(project.map((e) => e.id)).toEqual(ids.filter((_, i) => (i + 1) % 3 !== 0));
      expect(logs.map((e) => e.id)).toEqual(ids.filter((_, i) => (i + 1) % 3 === 0));
      expect(seqs(project)).toEqual(range(1, 100));
      expect(seqs(logs)).toEqual(range(1, 50));
    } finally {
      await sdk.close(1000);
      await second?.cleanup();
      await first.cleanup();
    }
  });
});

describe('publisher SDK and an event only the server refuses', () => {
  let server: OpsroomProcess;
  let token: string;
  beforeAll(async () => {
    // The server takes smaller payloads than the SDK checks for, so it refuses what passed locally.
    server = await startOpsroom({ env: { LOG_LEVEL: 'warn', OPSROOM_MAX_PAYLOAD_BYTES: '1024' } });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('reports and skips the refused event; the rest are stored in order', async () => {
    const lines = statusLog();
    const sdk = createPublisher({ url: server.url, token, flushOnExit: false, onStatus: lines.onStatus });
    const ids = range(1, 6).map((n) =>
      sdk.buildProgress('refused', { ...step(n), message: n === 3 ? 'x'.repeat(2000) : `build ${n}` }),
    );
    expect(await sdk.flush(10_000)).toBe(true);
    expect(sdk.stats).toMatchObject({ published: 5, rejected: 1, requests: 2 });
    expect(lines.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^server rejected build:progress ${ids[2]} for project:refused: PAYLOAD_TOO_LARGE`),
      ),
    ]);
    const events = await stored(server.url, token, 'project:refused');
    expect(events.map((e) => e.id)).toEqual(ids.filter((_, i) => i !== 2));
    await sdk.close();
  });
});

function runScript(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/fixtures/sdk-publish-and-exit.ts', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}
