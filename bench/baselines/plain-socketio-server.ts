/**
 * Baseline: a plain Socket.IO server doing one `io.to(room).emit('event', envelope)` per
 * published event (no batching, no storage, no auth). Speaks just enough of Opsroom's socket
 * contract (`ready`, then `subscribe` with an ack) that the same load client drives both.
 * Run by the bench as a child process: PORT (default 0 = any), prints {"msg":"listening","port"}.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { announceListening, createPublishHandler, envInt, exitOnSignals } from './common';

// Socket.IO takes over /socket.io/ and passes every other request on to this handler.
const httpServer = http.createServer(
  createPublishHandler((envelope) => io.to(envelope.room).emit('event', envelope)),
);
const io = new Server(httpServer, { serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  socket.emit('ready', {
    clientId: socket.id,
    user: { id: 'bench', name: 'bench', role: 'token' },
    instance: 'plain-socketio',
    serverTime: new Date().toISOString(),
  });
  socket.on('subscribe', (request: { rooms?: Array<{ room: string }> }, ack?: (reply: unknown) => void) => {
    const rooms = (request.rooms ?? []).map((entry) => entry.room);
    void socket.join(rooms);
    ack?.({
      ok: true,
      data: { rooms: rooms.map((room) => ({ room, seq: 0, snapshot: [], events: [], reset: false })) },
    });
  });
});

exitOnSignals();
httpServer.listen(envInt('PORT', 0), '127.0.0.1', () => announceListening(httpServer));
