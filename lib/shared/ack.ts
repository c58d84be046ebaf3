import type { ErrorBody } from './errors';

/** Result envelope of every Socket.IO acknowledgement (PROTOCOL.md section 5). */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const ok = <T>(data: T): Ack<T> => ({ ok: true, data });
export const fail = (error: ErrorBody): Ack<never> => ({ ok: false, error });
