/**
 * Incoming socket messages per connection. Every packet counts, unknown events included,
 * since all of them cost decoding. A refused request is answered on its ack with
 * RATE_LIMIT_EXCEEDED and dropped; a client that keeps sending far past the limit (it is
 * ignoring retryAfterMs) is disconnected.
 */
import { fail } from '@/lib/shared/ack';
import { rateLimitError, type RateLimit } from './rate-limit';

/** Refused messages beyond this multiple of the limit in one window mean "flooding". */
export const FLOOD_FACTOR = 3;

/** The part of a Socket.IO server socket this needs. */
export interface PacketSocket {
  use(fn: (packet: unknown[], next: (err?: Error) => void) => void): unknown;
  disconnect(close?: boolean): unknown;
}

export function limitSocketMessages(
  socket: PacketSocket,
  options: { limit: RateLimit; key: string; onRefused: (flooding: boolean) => void },
): void {
  const { limit, key, onRefused } = options;
  let disconnected = false;
  socket.use((packet, next) => {
    limit.consume(key, 1).then(
      (decision) => {
        if (decision.allowed) {
          next();
          return;
        }
        const flooding = decision.consumed > FLOOD_FACTOR * limit.points;
        onRefused(flooding);
        const ack = packet[packet.length - 1];
        if (typeof ack === 'function') ack(fail(rateLimitError(decision, limit, 'socket messages').toBody()));
        if (flooding && !disconnected) {
          disconnected = true;
          socket.disconnect(true);
        }
      },
      // The limiter's store failed: keep serving rather than refuse everyone.
      () => next(),
    );
  });
}
