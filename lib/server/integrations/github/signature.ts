/**
 * GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`
 * keyed with the webhook secret
 * (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 * Checked over the exact body bytes, before the body is parsed, and compared in constant time
 * so response timing says nothing about how much of a forged signature was right.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

const signatureHeaderSchema = z
  .string()
  .trim()
  .regex(/^sha256=[0-9a-fA-F]{64}$/);

/** The header value GitHub sends for `body` signed with `secret`. */
export function signBody(secret: string, body: Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True only for a well-formed header whose digest matches the body under the secret. */
export function verifySignature(secret: string, body: Uint8Array, header: string | null): boolean {
  const parsed = signatureHeaderSchema.safeParse(header);
  if (!parsed.success) return false;
  const given = Buffer.from(parsed.data.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  // Same length by the regex (32 bytes), which timingSafeEqual requires.
  return timingSafeEqual(given, expected);
}
