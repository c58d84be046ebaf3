/**
 * Baseline: a bare `ws` server batching the same way as the Opsroom hub (RoomBatcher:
 * first event at once, then up to BATCH_MAX_EVENTS per frame / BATCH_MAX_WAIT_MS), one
 * JSON encode per batch shared by every subscriber. Protocol: the client sends
 * {"type":"subscribe","room"} and gets {"type":"subscribed","room"}, then frames that are
 * JSON arrays of envelopes. Run as a child process: PORT (default 0), prints the listening line.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '@/lib/shared/envelope';
import { announceListening, createPublishHandler, envInt, exitOnSignals, RoomBatcher } from './common';

const maxEvents = Math.max(1, envInt('BATCH_MAX_EVENTS', 10));
const maxWaitMs = envInt('BATCH_MAX_WAIT_MS', 100);

const members = new Map<string, Set<WebSocket>>();
const batchers = new Map<string, RoomBatcher>();

function sendBatch(room: string, batch: Envelope[]): void {
  const sockets = members.get(room);
  if (!sockets || sockets.size === 0) return;
  const frame = Buffer.from(JSON.stringify(batch));
  for (const socket of sockets) socket.send(frame, { binary: false });
}

function batcherFor(room: string): RoomBatcher {
  let batcher = batchers.get(room);
  if (!batcher) {
    batcher = new RoomBatcher(
      maxEvents,
      maxWaitMs,
      (batch) => sendBatch(room, batch),
      () => members.get(room)?.size ?? 0,
    );
    batchers.set(room, batcher);
  }
  return batcher;
}

const httpServer = http.createServer(
  createPublishHandler((envelope) => batcherFor(envelope.room).push(envelope)),
);
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket) => {
  const joined = new Set<string>();
  socket.on('message', (data: Buffer) => {
    let message: { type?: unknown; room?: unknown };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      socket.close(1003, 'bad message');
      return;
    }
    if (message.type !== 'subscribe' || typeof message.room !== 'string') {
      socket.send(JSON.stringify({ type: 'error', error: 'expected {"type":"subscribe","room"}' }));
      return;
    }
    let sockets = members.get(message.room);
    if (!sockets) {
      sockets = new Set();
      members.set(message.room, sockets);
    }
    sockets.add(socket);
    joined.add(message.room);
    socket.send(JSON.stringify({ type: 'subscribed', room: message.room }));
  });
  socket.on('close', () => {
    for (const room of joined) members.get(room)?.delete(socket);
  });
});

exitOnSignals();
httpServer.listen(envInt('PORT', 0), '127.0.0.1', () => announceListening(httpServer));
