/**
 * Socket requests are JSON (PROTOCOL.md section 5), but Socket.IO also carries binary
 * attachments: a Buffer inside a publish payload would pass the JSON checks as an object and
 * be stored as {"type":"Buffer","data":[...]}. No client event takes binary, so packets that
 * carry any are answered INVALID_MESSAGE and dropped before a handler sees them.
 */
import { fail } from '@/lib/shared/ack';
import { OpsroomError } from '@/lib/shared/errors';
import type { PacketSocket } from './socket-message-limit';

/** Iterative (hostile nesting cannot overflow the stack) and bounded by the decoded message. */
export function containsBinary(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (ArrayBuffer.isView(current) || current instanceof ArrayBuffer) return true;
    // A loop, not push(...spread): a large array would exceed the argument limit.
    for (const child of Array.isArray(current) ? (current as unknown[]) : Object.values(current)) {
      stack.push(child);
    }
  }
  return false;
}

export function rejectBinaryPackets(socket: Pick<PacketSocket, 'use'>): void {
  socket.use((packet, next) => {
    const ack = packet[packet.length - 1];
    const args = typeof ack === 'function' ? packet.slice(1, -1) : packet.slice(1);
    if (!containsBinary(args)) {
      next();
      return;
    }
    const error = new OpsroomError(
      'INVALID_MESSAGE',
      'Socket messages are JSON; binary attachments are refused.',
    );
    if (typeof ack === 'function') ack(fail(error.toBody()));
  });
}
