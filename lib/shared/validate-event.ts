/**
 * Turns an untrusted publish input into a normalized, valid event or an OpsroomError with
 * a stable code. Shared so the browser, the SDK and the server reject the same things.
 */
import type { z } from 'zod';
import { publishInputSchema } from './envelope';
import type { JsonObject } from './envelope';
import { OpsroomError } from './errors';
import { CUSTOM_TYPE_PATTERN, EVENT_CATALOGUE, isCatalogueType } from './events';
import { findJsonProblem, utf8Length } from './json-safety';
import { logsRoom, parseRoom } from './rooms';

export interface EventLimits {
  /** Largest payload, as UTF-8 JSON bytes. */
  maxPayloadBytes: number;
  maxJsonDepth: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { maxPayloadBytes: 64 * 1024, maxJsonDepth: 32 };

export interface ValidEvent {
  room: string;
  type: string;
  payload: JsonObject;
  id?: string;
}

export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export function validateEvent(input: unknown, limits: EventLimits = DEFAULT_EVENT_LIMITS): ValidEvent {
  // Structural checks run on the raw input: zod copies records key by key, and copying a
  // "__proto__" key would silently turn it into a prototype instead of rejecting it.
  const problem = findJsonProblem(input, limits.maxJsonDepth + 1);
  if (problem !== null) {
    const message =
      problem.kind === 'too_deep'
        ? `Payload nests deeper than ${limits.maxJsonDepth} levels.`
        : problem.kind === 'forbidden_key'
          ? 'Event uses a forbidden key (__proto__, constructor or prototype).'
          : 'Event is not plain JSON.';
    throw new OpsroomError('INVALID_EVENT', message, { path: problem.path });
  }
  const parsed = publishInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new OpsroomError(
      'INVALID_EVENT',
      'Event must be {room, type, payload, id?}.',
      zodDetails(parsed.error),
    );
  }
  const { type, id } = parsed.data;
  let { room } = parsed.data;
  const rawPayload = parsed.data.payload;

  const size = utf8Length(JSON.stringify(rawPayload));
  if (size > limits.maxPayloadBytes) {
    throw new OpsroomError(
      'PAYLOAD_TOO_LARGE',
      `Payload is ${size} bytes; the limit is ${limits.maxPayloadBytes}.`,
      {
        limit: limits.maxPayloadBytes,
        size,
      },
    );
  }

  const parsedRoom = parseRoom(room);
  if (parsedRoom === null) {
    throw new OpsroomError(
      'UNKNOWN_ROOM',
      `"${room.slice(0, 80)}" is not a room: use project:<slug>, logs:<slug>:<stream>, user:<userId> or system.`,
    );
  }

  let payload: JsonObject;
  if (isCatalogueType(type)) {
    const result = EVENT_CATALOGUE[type].schema.safeParse(rawPayload);
    if (!result.success) {
      throw new OpsroomError(
        'INVALID_EVENT',
        `Payload does not match the "${type}" schema.`,
        zodDetails(result.error),
      );
    }
    payload = result.data as JsonObject;
  } else if (CUSTOM_TYPE_PATTERN.test(type)) {
    payload = rawPayload;
  } else {
    throw new OpsroomError(
      'INVALID_EVENT',
      `Type "${type.slice(0, 80)}" must look like domain:verb (lowercase).`,
    );
  }

  // Log lines live in their own rooms so project rooms stay light (PROTOCOL.md section 3).
  if (type === 'logs:stream') {
    const stream = String(payload.stream);
    if (parsedRoom.kind === 'project') {
      room = logsRoom(parsedRoom.project, stream);
    } else if (parsedRoom.kind !== 'logs' || parsedRoom.stream !== stream) {
      throw new OpsroomError(
        'INVALID_EVENT',
        'logs:stream events go to logs:<slug>:<stream> with a matching stream.',
      );
    }
  } else if (parsedRoom.kind === 'logs') {
    throw new OpsroomError('INVALID_EVENT', 'logs:<slug>:<stream> rooms carry only logs:stream events.');
  }

  const event: ValidEvent = { room, type, payload };
  if (id !== undefined) event.id = id;
  return event;
}
