import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_STATS_EXAMPLE, listEntry } from '@/tests/helpers/docker-examples';
import { startFakeDockerDaemon, type FakeDockerDaemon } from '@/tests/helpers/fake-docker-daemon';
import { createDockerApi, DockerApiError, type DockerApi } from './docker-api';

/** A unix-socket HTTP server answering every request with handler's status and body. */
async function oddDaemon(handler: (path: string) => { status: number; body: string } | 'hang') {
  const dir = mkdtempSync(path.join(tmpdir(), 'oddd-'));
  const socketPath = path.join(dir, 'docker.sock');
  const server = createServer((req, res) => {
    const answer = handler(req.url ?? '/');
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<DockerApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DockerApiError);
    return error as DockerApiError;
  }
  throw new Error('expected a rejection');
}

describe('Docker API client over a unix socket', () => {
  let daemon: FakeDockerDaemon;
  let api: DockerApi;

  beforeAll(async () => {
    daemon = await startFakeDockerDaemon({
      containers: [
        {
          entry: listEntry('aaa111', 'api', { labels: { 'opsroom.project': 'shop' } }),
          stats: CONTAINER_STATS_EXAMPLE,
        },
        { entry: listEntry('bbb222', 'old-job', { state: 'exited' }), stats: CONTAINER_STATS_EXAMPLE },
      ],
    });
    api = createDockerApi({ socketPath: daemon.socketPath, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    api.close();
    await daemon.cleanup();
  });

  it('pings, lists running containers and reads one stats sample', async () => {
    expect(await api.ping()).toEqual({ ok: true });
    const containers = await api.listRunningContainers();
    expect(containers.map((c) => [c.Id, c.Names, c.Labels?.['opsroom.project']])).toEqual([
      ['aaa111', ['/api'], 'shop'],
    ]);
    const stats = await api.containerStats('aaa111');
    expect(stats.memory_stats.usage).toBe(6537216);
    expect(stats.cpu_stats.online_cpus).toBe(4);
    expect(daemon.requests).toEqual(['/_ping', '/containers/json', '/containers/aaa111/stats?stream=false']);
  });

  it('reports a missing container as HTTP 404 with the daemon message', async () => {
    const error = await rejection(api.containerStats('nope'));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 404 });
    expect(error.message).toContain('No such container: nope');
  });

  it('reports no daemon as UNREACHABLE, and ping as false', async () => {
    const gone = createDockerApi({ socketPath: path.join(tmpdir(), 'no-such-dir', 'docker.sock') });
    expect(await gone.ping()).toEqual({ ok: false, reason: expect.stringContaining('ENOENT') });
    const error = await rejection(gone.listRunningContainers());
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain('ENOENT');
    gone.close();
  });
});

describe('Docker API client against a misbehaving daemon', () => {
  let odd: Awaited<ReturnType<typeof oddDaemon>> | null = null;
  afterEach(async () => {
    await odd?.close();
    odd = null;
  });

  it('rejects bodies that are not JSON or not the documented shape', async () => {
    odd = await oddDaemon((url) =>
      url.startsWith('/containers/json')
        ? { status: 200, body: '[{"Names": ["/x"]}]' }
        : { status: 200, body: '<html>proxy error</html>' },
    );
    const api = createDockerApi({ socketPath: odd.socketPath });
    expect(await rejection(api.listRunningContainers())).toMatchObject({
      code: 'INVALID_RESPONSE',
      message: expect.stringContaining('at 0.Id'),
    });
    expect(await rejection(api.containerStats('x'))).toMatchObject({
      code: 'INVALID_RESPONSE',
      message: expect.stringContaining('not JSON'),
    });
    expect(await api.ping()).toEqual({ ok: false, reason: expect.stringContaining('HTTP 200') });
    api.close();
  });

  it('gives up on a daemon that does not answer within the deadline', async () => {
    odd = await oddDaemon(() => 'hang');
    const api = createDockerApi({ socketPath: odd.socketPath, timeoutMs: 300 });
    expect((await rejection(api.containerStats('slow'))).code).toBe('TIMEOUT');
    expect(await api.ping()).toEqual({ ok: false, reason: '/_ping: no answer in time' });
    api.close();
  });
});
