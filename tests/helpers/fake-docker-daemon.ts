/**
 * A loopback Docker daemon for tests: a real HTTP server on a unix socket in a temp dir,
 * answering the documented GET /_ping, GET /containers/json and
 * GET /containers/{id}/stats?stream=false (see docker-examples.ts for the bodies). It can
 * go away and come back on the same path, delay stats like a real daemon's collection cycle,
 * and records what it was asked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ContainerListEntry } from './docker-examples';

export interface FakeContainer {
  entry: ContainerListEntry;
  stats: unknown;
}

export interface FakeDockerDaemon {
  socketPath: string;
  /** Request paths (with query) in arrival order. */
  requests: string[];
  /** The most stats requests that were being answered at once. */
  maxConcurrentStats: () => number;
  setContainers: (containers: FakeContainer[]) => void;
  /** Stops answering and removes the socket (the daemon "disappears"). */
  stop: () => Promise<void>;
  /** Listens again on the same socket path. */
  start: () => Promise<void>;
  /** Stops and removes the temp dir. */
  cleanup: () => Promise<void>;
}

export async function startFakeDockerDaemon(
  options: { containers?: FakeContainer[]; statsDelayMs?: number } = {},
): Promise<FakeDockerDaemon> {
  // Short dir: unix socket paths are limited to 107 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerd-'));
  const socketPath = path.join(dir, 'docker.sock');
  let containers = options.containers ?? [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const pendingStats = new Set<NodeJS.Timeout>();
  let concurrentStats = 0;
  let maxConcurrentStats = 0;
  let server: Server | null = null;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'api-version': '1.47' });
    res.end(JSON.stringify(body));
  };

  function handler(req: { method?: string; url?: string }, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    requests.push(`${url.pathname}${url.search}`);
    if (req.method !== 'GET') return json(res, 405, { message: 'method not allowed' });
    if (url.pathname === '/_ping') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'api-version': '1.47' });
      res.end('OK');
      return;
    }
    if (url.pathname === '/containers/json') {
      const all = url.searchParams.get('all') === '1' || url.searchParams.get('all') === 'true';
      return json(
        res,
        200,
        containers.map((c) => c.entry).filter((entry) => all || entry.State === 'running'),
      );
    }
    const stats = /^\/containers\/([^/]+)\/stats$/.exec(url.pathname);
    if (stats !== null) {
      const id = decodeURIComponent(stats[1] ?? '');
      const container = containers.find((c) => c.entry.Id === id || c.entry.Names.includes(`/${id}`));
      if (container === undefined) return json(res, 404, { message: `No such container: ${id}` });
      concurrentStats += 1;
      maxConcurrentStats = Math.max(maxConcurrentStats, concurrentStats);
      // A real daemon waits one collection cycle before answering stream=false.
      const answer = setTimeout(() => {
        pendingStats.delete(answer);
        concurrentStats -= 1;
        if (!res.destroyed) json(res, 200, container.stats);
      }, options.statsDelayMs ?? 0);
      pendingStats.add(answer);
      return;
    }
    json(res, 404, { message: 'page not found' });
  }

  async function start(): Promise<void> {
    rmSync(socketPath, { force: true });
    const next = createServer(handler);
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(socketPath, () => resolve());
    });
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = null;
    if (current === null) return;
    for (const answer of pendingStats) clearTimeout(answer);
    concurrentStats -= pendingStats.size;
    pendingStats.clear();
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    rmSync(socketPath, { force: true });
  }

  await start();
  return {
    socketPath,
    requests,
    maxConcurrentStats: () => maxConcurrentStats,
    setContainers: (next) => {
      containers = next;
    },
    stop,
    start,
    cleanup: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
