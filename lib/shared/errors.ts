/**
 * Error codes of the public contract (PROTOCOL.md section 5). Every HTTP error body and
 * every failed acknowledgement carries one of these, a human message, and whether a retry
 * may succeed (centrifuge's Error{Code, Message, Temporary}).
 */
export const ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'FORBIDDEN_ORIGIN',
  'TOO_MANY_CONNECTIONS',
  'INVALID_MESSAGE',
  'INVALID_EVENT',
  'UNKNOWN_ROOM',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMIT_EXCEEDED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Field-level problems (validation) or limits; never stack traces or SQL. */
  details?: unknown;
  /** Present on RATE_LIMIT_EXCEEDED: when to try again. */
  retryAfterMs?: number;
}

/** HTTP status for each code, used by every route so the mapping lives in one place. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  FORBIDDEN_ORIGIN: 403,
  TOO_MANY_CONNECTIONS: 503,
  INVALID_MESSAGE: 400,
  INVALID_EVENT: 422,
  UNKNOWN_ROOM: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMIT_EXCEEDED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Codes for which the same request may succeed later without change. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TOO_MANY_CONNECTIONS',
  'RATE_LIMIT_EXCEEDED',
  'UNAVAILABLE',
  'INTERNAL',
]);

const BRAND = Symbol.for('opsroom.error');

/**
 * An error meant for a client. Checked by brand rather than `instanceof` because the Next
 * route bundle and server.ts load separate copies of this module.
 */
export class OpsroomError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'OpsroomError';
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.details !== undefined) body.details = this.details;
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    return body;
  }
}

export function isOpsroomError(value: unknown): value is OpsroomError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Turns anything thrown into a body that is safe to send: unknown errors become INTERNAL. */
export function toErrorBody(error: unknown): ErrorBody {
  if (isOpsroomError(error)) return error.toBody();
  return { code: 'INTERNAL', message: 'Internal error; the server log has the details.' };
}
