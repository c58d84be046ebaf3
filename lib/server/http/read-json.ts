/** Reads a request body within a byte limit; malformed or oversized bodies get codes. */
import type { IncomingMessage } from 'node:http';
import { OpsroomError } from '@/lib/shared/errors';

/**
 * The exact body bytes, refused past `maxBytes` (by Content-Length up front, or while
 * streaming when it is absent or lies). Webhook signatures are checked over these bytes.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  refuseDeclaredSize(request.headers.get('content-length'), maxBytes);
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
      throw overLimit(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * `readBody` for a plain node:http request (routes served without Next, direct-routes.ts).
 * Past the limit it stops collecting but keeps reading, so the client can finish sending and
 * gets the 413 rather than a reset connection.
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  refuseDeclaredSize(req.headers['content-length'] ?? null, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(overLimit(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on('error', reject);
    // A client that goes away mid-body: settle (nobody will read the answer).
    req.on('close', () => {
      if (!req.complete) reject(new OpsroomError('INVALID_MESSAGE', 'The request body ended early.'));
    });
  });
}

function refuseDeclaredSize(header: string | null, maxBytes: number): void {
  const declared = Number(header ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new OpsroomError(
      'PAYLOAD_TOO_LARGE',
      `Request body is ${declared} bytes; the limit is ${maxBytes}.`,
      { limit: maxBytes },
    );
  }
}

function overLimit(maxBytes: number): OpsroomError {
  return new OpsroomError('PAYLOAD_TOO_LARGE', `Request body is over the ${maxBytes}-byte limit.`, {
    limit: maxBytes,
  });
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
