/**
 * Room names (PROTOCOL.md section 3). Builders and one parser, so no other module
 * ever splits a room string by hand.
 */
import { z } from 'zod';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const slugSchema = z.string().regex(SLUG_PATTERN, 'must match [a-z0-9][a-z0-9._-]{0,63}');

export type ParsedRoom =
  | { kind: 'project'; room: string; project: string }
  | { kind: 'logs'; room: string; project: string; stream: string }
  | { kind: 'user'; room: string; userId: string }
  | { kind: 'system'; room: 'system' };

export const projectRoom = (slug: string): string => `project:${slug}`;
export const logsRoom = (slug: string, stream: string): string => `logs:${slug}:${stream}`;
export const userRoom = (userId: string): string => `user:${userId}`;
export const SYSTEM_ROOM = 'system';

/** Parses a room name; returns null for anything that is not one of the four forms. */
export function parseRoom(room: string): ParsedRoom | null {
  if (room.length > 200) return null;
  if (room === SYSTEM_ROOM) return { kind: 'system', room: SYSTEM_ROOM };
  const parts = room.split(':');
  switch (parts[0]) {
    case 'project': {
      const project = parts[1];
      if (parts.length !== 2 || project === undefined || !SLUG_PATTERN.test(project)) return null;
      return { kind: 'project', room, project };
    }
    case 'logs': {
      const project = parts[1];
      const stream = parts[2];
      if (parts.length !== 3 || project === undefined || stream === undefined) return null;
      if (!SLUG_PATTERN.test(project) || !SLUG_PATTERN.test(stream)) return null;
      return { kind: 'logs', room, project, stream };
    }
    case 'user': {
      const userId = parts[1];
      if (parts.length !== 2 || userId === undefined || !USER_ID_PATTERN.test(userId)) return null;
      return { kind: 'user', room, userId };
    }
    default:
      return null;
  }
}

/** The project a room belongs to, if any (project and logs rooms). */
export function projectOfRoom(room: ParsedRoom): string | null {
  return room.kind === 'project' || room.kind === 'logs' ? room.project : null;
}

export const roomNameSchema = z
  .string()
  .max(200)
  .refine((value) => parseRoom(value) !== null, {
    message: 'room must be project:<slug>, logs:<slug>:<stream>, user:<userId> or system',
  });
