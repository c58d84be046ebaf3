/**
 * Sends a room's `events` batches to its sockets on this instance: one encode per batch for the
 * room, then one write per socket carrying all of them, as a bare `ws` server would at best.
 *
 * `io.to(room).emit` also encodes once, but then runs engine.io's per-packet machinery for
 * every socket (a packet object, the write buffer, `packetCreate`/`flush`/`drain` events and
 * their listeners, a flush per write), and each packet is its own socket write. Writing the
 * frames to the socket's `ws` connection skips that, and corking the TCP socket around them
 * makes the batches of one window one write (about 16 us of kernel time each on loopback,
 * most of the fan-out cost; bench fanout, issue #7). Every guarantee holds because a socket
 * takes this path only when nothing of its own is queued in engine.io: frames then reach `ws`
 * in the order they were sent, and `ws` keeps that order on the wire. Any other socket
 * (long-polling, mid-upgrade, or with packets waiting in engine.io's buffer) gets the batches
 * the usual way, behind what it already has queued. The slow-consumer guard sees these
 * frames in `ws`'s bufferedAmount.
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
    socket?: {
      readyState?: number;
      send?: (data: Buffer, options: { binary: boolean }) => void;
      /** `ws`'s TCP socket (internal to ws, stable across its versions; used only to cork). */
      _socket?: { cork?: () => void; uncork?: () => void };
    };
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

/** Writes frames straight to the socket's ws connection, or null when it must queue in engine.io. */
function directWriter(socket: OpsroomSocket): ((frames: Buffer[]) => void) | null {
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
  const tcp = ws._socket;
  return (frames) => {
    if (frames.length === 1 || typeof tcp?.cork !== 'function' || typeof tcp.uncork !== 'function') {
      for (const frame of frames) send(frame, { binary: false });
      return;
    }
    tcp.cork();
    for (const frame of frames) send(frame, { binary: false });
    tcp.uncork();
  };
}

/**
 * Delivers `batches` (each one `events` array, in seq order) to the room's local sockets;
 * returns how many sockets it reached. `compressed`: per-message deflate is on, so every socket
 * compresses its own frames: use Socket.IO's path.
 */
export function broadcastLocal(
  io: OpsroomServer,
  room: string,
  batches: Envelope[][],
  compressed: boolean,
): number {
  const members = io.sockets.adapter.rooms.get(room);
  if (members === undefined || members.size === 0) return 0;
  if (compressed) {
    for (const batch of batches) io.local.to(room).emit('events', batch);
    return members.size;
  }
  const frames = batches.map(encodeEventsPacket);
  let queued: string[] | null = null;
  for (const id of members) {
    const socket = io.sockets.sockets.get(id);
    if (socket === undefined) continue;
    const write = directWriter(socket);
    if (write === null) (queued ??= []).push(id);
    else write(frames);
  }
  // The rest through Socket.IO, one broadcast per batch (every socket is in a room named by its id).
  if (queued !== null) for (const batch of batches) io.local.to(queued).emit('events', batch);
  return members.size;
}
