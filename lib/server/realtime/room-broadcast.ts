/**
 * Sends one `events` batch to a room's sockets on this instance: one encode for the room, then
 * one WebSocket write per socket, as a bare `ws` server does.
 *
 * `io.to(room).emit` also encodes once, but then runs engine.io's per-packet machinery for
 * every socket (a packet object, the write buffer, `packetCreate`/`flush`/`drain` events and
 * their listeners, a flush per write): about a quarter of the fan-out CPU at 1,000 subscribers
 * (bench fanout, issue #7). Writing the frame to the socket's `ws` connection skips that and
 * keeps every guarantee, because a socket takes this path only when nothing of its own is
 * queued in engine.io: frames then reach `ws` in the order they were sent, and `ws` keeps that
 * order on the wire. Any other socket (long-polling, mid-upgrade, or with packets waiting in
 * engine.io's buffer) gets the batch the usual way, behind what it already has queued.
 * The slow-consumer guard sees these frames in `ws`'s bufferedAmount.
 */
import type { Envelope } from '@/lib/shared/envelope';
import type { OpsroomServer, OpsroomSocket } from './types';

/** The engine.io connection state this path relies on (not part of Socket.IO's typed API). */
interface EngineConnection {
  readyState?: string;
  upgrading?: boolean;
  writeBuffer?: unknown[];
  transport?: {
    name?: string;
    socket?: { readyState?: number; send?: (data: Buffer, options: { binary: boolean }) => void };
  };
}

/** `ws`'s WebSocket.OPEN. */
const WS_OPEN = 1;

/**
 * The text frame Socket.IO would send for `emit('events', batch)` on the default namespace:
 * engine.io packet type 4 (message), then Socket.IO packet type 2 (EVENT) and the JSON array.
 * Envelopes are plain JSON (no binary attachments), so this is the whole encoding.
 */
export function encodeEventsPacket(batch: readonly Envelope[]): Buffer {
  return Buffer.from(`42${JSON.stringify(['events', batch])}`);
}

function directSend(socket: OpsroomSocket): ((frame: Buffer) => void) | null {
  const conn = socket.conn as unknown as EngineConnection;
  const ws = conn.transport?.socket;
  if (
    conn.readyState !== 'open' ||
    conn.upgrading === true ||
    conn.transport?.name !== 'websocket' ||
    (conn.writeBuffer?.length ?? 0) > 0 ||
    ws?.readyState !== WS_OPEN ||
    typeof ws.send !== 'function'
  ) {
    return null;
  }
  const send = ws.send.bind(ws);
  return (frame) => send(frame, { binary: false });
}

/**
 * Delivers `batch` to the room's local sockets; returns how many it reached. `compressed`:
 * per-message deflate is on, so every socket compresses its own frame: use Socket.IO's path.
 */
export function broadcastLocal(
  io: OpsroomServer,
  room: string,
  batch: Envelope[],
  compressed: boolean,
): number {
  const members = io.sockets.adapter.rooms.get(room);
  if (members === undefined || members.size === 0) return 0;
  if (compressed) {
    io.local.to(room).emit('events', batch);
    return members.size;
  }
  const frame = encodeEventsPacket(batch);
  let queued: string[] | null = null;
  for (const id of members) {
    const socket = io.sockets.sockets.get(id);
    if (socket === undefined) continue;
    const send = directSend(socket);
    if (send === null) (queued ??= []).push(id);
    else send(frame);
  }
  // The rest in one broadcast (Socket.IO joins every socket to a room named by its id).
  if (queued !== null) io.local.to(queued).emit('events', batch);
  return members.size;
}
