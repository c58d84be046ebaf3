/**
 * Slow-consumer eviction: a socket whose unsent data passes a limit is cut off, so one
 * stalled browser cannot grow server memory without bound. It loses nothing: everything
 * was stored first, and the client resumes with `since` when it reconnects.
 *
 * Unsent data lives in two places: engine.io's write buffer (packets queued while the
 * transport waits for the previous write to reach the kernel) and ws's send queue.
 *
 * Over the limit alone is not enough: a client catching up on a large subscribe reply has
 * megabytes queued yet drains them. A socket is evicted when it is over the limit and its
 * backlog did not shrink since the previous check: it is stalled, or falling further behind.
 */
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { OpsroomServer, OpsroomSocket } from './types';

export interface SlowConsumerOptions {
  io: OpsroomServer;
  limitBytes: number;
  intervalMs: number;
  logger: Logger;
  metrics: Metrics;
}

interface QueuedPacket {
  data?: unknown;
  options?: { wsPreEncodedFrame?: Array<{ length: number }> | { length: number } };
}

interface EngineInternals {
  writeBuffer?: QueuedPacket[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
}

/** Bytes a socket still has to send. Pre-encoded broadcast frames carry their size. */
export function unsentBytes(socket: OpsroomSocket): number {
  const conn = socket.conn as unknown as EngineInternals;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const frame = packet.options?.wsPreEncodedFrame;
    if (Array.isArray(frame)) for (const part of frame) bytes += part.length;
    else if (frame !== undefined) bytes += frame.length;
    else if (typeof packet.data === 'string') bytes += packet.data.length;
    else bytes += 64; // control packets
  }
  return bytes;
}

export function startSlowConsumerGuard({
  io,
  limitBytes,
  intervalMs,
  logger,
  metrics,
}: SlowConsumerOptions): () => void {
  const previous = new WeakMap<OpsroomSocket, number>();
  const timer = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const bytes = unsentBytes(socket);
      const before = previous.get(socket);
      previous.set(socket, bytes);
      // First sighting over the limit (e.g. a big reply just queued) only starts the watch.
      if (bytes <= limitBytes || before === undefined || bytes < before) continue;
      logger.warn(
        { clientId: socket.data.clientId, unsentBytes: bytes, limitBytes, reason: 'slow_consumer' },
        'evicting slow consumer',
      );
      metrics.evictions.inc({ reason: 'slow_consumer' });
      // Best effort: a stalled client will not read this, a merely slow one will.
      socket.emit('server:disconnect', {
        reason: 'slow_consumer',
        message: 'Too far behind; reconnect and resume with since.',
      });
      // Leave rooms now (no more batches are queued for it), then drop the TCP connection:
      // a graceful close would wait for a drain that never comes.
      socket.disconnect(true);
      (socket.conn as unknown as EngineInternals).transport?.socket?.terminate?.();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
