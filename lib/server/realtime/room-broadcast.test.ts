import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { broadcastLocal, encodeEventsPacket } from './room-broadcast';
import type { OpsroomServer } from './types';

const ROOM = 'project:alpha';

function envelope(seq: number): Envelope {
  return {
    id: `01JABCDEFGHJKMNPQRSTV${String(seq).padStart(5, '0')}`,
    room: ROOM,
    seq,
    type: 'log:line',
    ts: '2026-11-30T00:00:00.000Z',
    source: 'test',
    payload: { text: `line ${seq} ü ✓` },
  } as Envelope;
}

let http: HttpServer;
let io: OpsroomServer;
let clients: ClientSocket[] = [];

async function client(transports: ('websocket' | 'polling')[]): Promise<{
  socket: ClientSocket;
  received: string[];
}> {
  const port = (http.address() as AddressInfo).port;
  const socket = connect(`http://127.0.0.1:${port}`, { transports, forceNew: true });
  clients.push(socket);
  const received: string[] = [];
  socket.on('events', (batch: Envelope[]) => {
    received.push(`events:${batch.map((e) => e.seq).join(',')}`);
  });
  socket.on('presence', (note: { room: string }) => {
    received.push(`presence:${note.room}`);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, received };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  http = createServer();
  io = new Server(http, { perMessageDeflate: false }) as OpsroomServer;
  io.on('connection', (socket) => void socket.join(ROOM));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  for (const socket of clients) socket.disconnect();
  clients = [];
  await io.close();
});

describe('broadcastLocal', () => {
  it('encodes exactly what Socket.IO emits for events on the default namespace', () => {
    const batch = [envelope(1), envelope(2)];
    expect(encodeEventsPacket(batch).toString('utf8')).toBe(`42${JSON.stringify(['events', batch])}`);
  });

  it('delivers one batch to every socket of the room, websocket and long-polling alike', async () => {
    const viaWs = await client(['websocket']);
    const viaPolling = await client(['polling']);
    const outside = await client(['websocket']);
    await until(() => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) === 3);
    io.sockets.sockets.get(outside.socket.id ?? '')?.leave(ROOM);

    const reached = broadcastLocal(io, ROOM, [[envelope(1), envelope(2), envelope(3)]], false);

    expect(reached).toBe(2);
    await until(() => viaWs.received.length === 1 && viaPolling.received.length === 1);
    expect(viaWs.received).toEqual(['events:1,2,3']);
    expect(viaPolling.received).toEqual(['events:1,2,3']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outside.received).toEqual([]);
  });

  it('writes several batches to a socket in one TCP write, each its own events packet', async () => {
    const { socket, received } = await client(['websocket']);
    await until(() => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) === 1);
    // Count what the TCP socket hands to the kernel: one _writev/_write call per flush.
    const conn = io.sockets.sockets.get(socket.id ?? '')?.conn as unknown as {
      transport: { socket: { _socket: Record<'_write' | '_writev', (...args: unknown[]) => void> } };
    };
    const tcp = conn.transport.socket._socket;
    let flushes = 0;
    for (const method of ['_write', '_writev'] as const) {
      const original = tcp[method].bind(tcp);
      tcp[method] = (...args: unknown[]) => {
        flushes += 1;
        original(...args);
      };
    }

    broadcastLocal(io, ROOM, [[envelope(1), envelope(2)], [envelope(3)], [envelope(4)]], false);

    await until(() => received.length === 3);
    expect(received).toEqual(['events:1,2', 'events:3', 'events:4']);
    expect(flushes).toBe(1);
  });

  it('keeps a batch behind packets already waiting in engine.io for that socket', async () => {
    const { socket, received } = await client(['websocket']);
    await until(() => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) === 1);
    const server = io.sockets.sockets.get(socket.id ?? '');
    // The first emit goes to the wire at once; the second waits in engine.io's write buffer
    // until the first write completes. A batch written straight to ws would overtake it.
    server?.emit('presence', { room: 'first', members: [] });
    server?.emit('presence', { room: 'second', members: [] });
    broadcastLocal(io, ROOM, [[envelope(7)]], false);
    broadcastLocal(io, ROOM, [[envelope(8)], [envelope(9)]], false);

    await until(() => received.length === 5);
    expect(received).toEqual(['presence:first', 'presence:second', 'events:7', 'events:8', 'events:9']);
  });

  it('uses Socket.IO per socket when compression is on', async () => {
    const { received } = await client(['websocket']);
    await until(() => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) === 1);
    expect(broadcastLocal(io, ROOM, [[envelope(4)], [envelope(5)]], true)).toBe(1);
    await until(() => received.length === 2);
    expect(received).toEqual(['events:4', 'events:5']);
  });

  it('reaches nobody in a room without local sockets', () => {
    expect(broadcastLocal(io, 'project:empty', [[envelope(1)]], false)).toBe(0);
  });
});
