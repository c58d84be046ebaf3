/** Reads a request body within a byte limit; malformed or oversized bodies get codes. */
import { OpsroomError } from '@/lib/shared/errors';

/**
 * The exact body bytes, refused past `maxBytes` (by Content-Length up front, or while
 * streaming when it is absent or lies). Webhook signatures are checked over these bytes.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new OpsroomError(
      'PAYLOAD_TOO_LARGE',
      `Request body is ${declared} bytes; the limit is ${maxBytes}.`,
      { limit: maxBytes },
    );
  }
  const reader = request.body?.getReader();
  if (reader === undefined) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new OpsroomError('PAYLOAD_TOO_LARGE', `Request body is over the ${maxBytes}-byte limit.`, {
        limit: maxBytes,
      });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Parses JSON bytes; empty or malformed text is INVALID_MESSAGE. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') throw new OpsroomError('INVALID_MESSAGE', 'Request body is empty; send JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OpsroomError('INVALID_MESSAGE', 'Request body is not valid JSON.');
  }
}

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  return parseJsonBytes(await readBody(request, maxBytes));
}
