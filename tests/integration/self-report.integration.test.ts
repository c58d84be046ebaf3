/**
 * "Live dashboards": Opsroom reports on itself from the first second - service statuses in
 * project:opsroom, its own log in logs:opsroom:server - and, while someone watches, host/process
 * samples in project:opsroom (no Docker daemon here) and connection stats in the admins' system
 * room. Also the graceful-stop flush and OPSROOM_SELF_REPORT=off.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, history, login, rawSubscriber, waitFor, type TestSocket } from '../helpers/api';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

async function snapshot(url: string, token: string, room: string) {
  const response = await fetch(`${url}/api/rooms/${encodeURIComponent(room)}/snapshot`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { room: string; seq: number; snapshot: Envelope[] };
}

const keysOf = (events: Envelope[], type: string, field: string): string[] =>
  events
    .filter((e) => e.type === type)
    .map((e) => String(e.payload[field]))
    .sort();

describe('self-report', () => {
  let server: OpsroomProcess;
  let token: string;
  let listeningAt: number;

  beforeAll(async () => {
    // No daemon at this path, whatever the machine has: the /proc path is under test.
    server = await startOpsroom({ env: { OPSROOM_DOCKER_SOCKET: '/nonexistent/docker.sock' } });
    listeningAt = Date.now();
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('has service statuses in project:opsroom within 2 s of start, host stats once someone watches', async () => {
    let latest: Envelope[] = [];
    for (;;) {
      latest = (await snapshot(server.url, token, 'project:opsroom')).snapshot;
      const ready = keysOf(latest, 'service:status', 'service').join() === 'database,server';
      if (ready || Date.now() - listeningAt > 2_000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(keysOf(latest, 'service:status', 'service')).toEqual(['database', 'server']);
    // Nobody has watched project:opsroom yet: no samples taken, none stored.
    expect(keysOf(latest, 'docker:stats', 'container')).toEqual([]);

    const watcher = rawSubscriber(server.url, token);
    try {
      await watcher.ready;
      expect((await watcher.subscribe([{ room: 'project:opsroom' }])).ok).toBe(true);
      // Within one interval (5 s) plus the first 500 ms CPU window.
      await watcher.waitFor(
        () =>
          [...new Set(keysOf(watcher.received(), 'docker:stats', 'container'))].join() ===
          'host,opsroom-server',
        8_000,
      );
    } finally {
      watcher.close();
    }
    latest = (await snapshot(server.url, token, 'project:opsroom')).snapshot;
    expect(keysOf(latest, 'docker:stats', 'container')).toEqual(['host', 'opsroom-server']);

    const byKey = (type: string, field: string, value: string) =>
      latest.find((e) => e.type === type && e.payload[field] === value);
    expect(byKey('service:status', 'service', 'server')).toMatchObject({
      source: 'system:opsroom',
      payload: { status: 'running', health: { status: 'healthy' }, version: expect.any(String) },
    });
    expect(byKey('service:status', 'service', 'database')?.payload).toMatchObject({ status: 'running' });
    const host = byKey('docker:stats', 'container', 'host')?.payload;
    const proc = byKey('docker:stats', 'container', 'opsroom-server')?.payload;
    expect(host?.memLimit).toBeGreaterThan(0);
    expect(Number(host?.memUsage)).toBeLessThanOrEqual(Number(host?.memLimit));
    expect(proc?.memUsage).toBeGreaterThan(10 * 1024 * 1024); // a Node + Next process' RSS
    expect(proc?.cpuPercent).toBeGreaterThanOrEqual(0);

    const projects = await fetch(`${server.url}/api/projects`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.stringify(await projects.json())).toContain('"opsroom"');
  });

  it('streams its own log into logs:opsroom:server', async () => {
    let texts: string[] = [];
    const deadline = Date.now() + 3_000;
    while (!texts.some((text) => text.startsWith('listening')) && Date.now() < deadline) {
      const { json } = await history(server.url, token, 'logs:opsroom:server');
      texts = json.events.flatMap((e) =>
        (e.payload.lines as Array<{ text: string }>).map((line) => line.text),
      );
      if (!texts.some((text) => text.startsWith('listening'))) await new Promise((r) => setTimeout(r, 100));
    }
    expect(texts.find((text) => text.startsWith('listening'))).toMatch(
      /^listening port=\d+ host=127\.0\.0\.1/,
    );
  });

  it('sends system:stats to an admin subscribed to the system room', async () => {
    const cookie = await login(server.url);
    const socket: TestSocket = io(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    try {
      const received: Envelope[] = [];
      socket.on('events', (batch) => received.push(...batch.filter((e) => e.type === 'system:stats')));
      await new Promise<void>((resolve, reject) => {
        socket.once('ready', () => resolve());
        socket.once('connect_error', reject);
      });
      const ack = await socket.timeout(5_000).emitWithAck('subscribe', { rooms: [{ room: 'system' }] });
      expect(ack.ok).toBe(true);
      await waitFor(() => received.length > 0, 3_000, 'a system:stats event');
      const stats = received[0]?.payload;
      expect(stats?.totalClients).toBeGreaterThanOrEqual(1);
      expect(stats).toMatchObject({
        totalRooms: expect.any(Number),
        clientsPerRoom: expect.objectContaining({ system: 1 }),
        instances: [expect.objectContaining({ id: expect.any(String) })],
        eventsPerSec: expect.any(Number),
        rssBytes: expect.any(Number),
        uptimeSec: expect.any(Number),
      });
    } finally {
      socket.close();
    }
  });

  it('flushes its last lines on shutdown; OPSROOM_SELF_REPORT=off publishes nothing', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    const second = await startOpsroom({ dataDir: server.dataDir, env: { OPSROOM_SELF_REPORT: 'off' } });
    try {
      const { json } = await history(second.url, token, 'logs:opsroom:server');
      const texts = json.events.flatMap((e) =>
        (e.payload.lines as Array<{ text: string }>).map((l) => l.text),
      );
      expect(texts.some((text) => text.startsWith('shutting down signal=SIGTERM'))).toBe(true);

      const before = await snapshot(second.url, token, 'project:opsroom');
      const server1 = before.snapshot.find(
        (e) => e.type === 'service:status' && e.payload.service === 'server',
      );
      expect(server1?.payload.status).toBe('stopping');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await snapshot(second.url, token, 'project:opsroom')).seq).toBe(before.seq);
      expect((await history(second.url, token, 'logs:opsroom:server')).json.seq).toBe(json.seq);
    } finally {
      await second.cleanup();
    }
  });
});
