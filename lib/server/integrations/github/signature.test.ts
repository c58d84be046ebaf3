import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature';

// The test vector of GitHub's "Validating webhook deliveries" page.
const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from('Hello, World!');
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('webhook signature', () => {
  it('signs like GitHub (its documented test vector)', () => {
    expect(signBody(SECRET, BODY)).toBe(SIGNATURE);
  });

  it('accepts the right signature, also in upper-case hex or with spaces around it', () => {
    expect(verifySignature(SECRET, BODY, SIGNATURE)).toBe(true);
    expect(verifySignature(SECRET, BODY, `sha256=${SIGNATURE.slice(7).toUpperCase()}`)).toBe(true);
    expect(verifySignature(SECRET, BODY, ` ${SIGNATURE} `)).toBe(true);
  });

  it('refuses a tampered body, a wrong secret, and missing or malformed headers', () => {
    expect(verifySignature(SECRET, Buffer.from('Hello, World?'), SIGNATURE)).toBe(false);
    expect(verifySignature('another secret', BODY, SIGNATURE)).toBe(false);
    expect(verifySignature(SECRET, BODY, null)).toBe(false);
    expect(verifySignature(SECRET, BODY, '')).toBe(false);
    expect(verifySignature(SECRET, BODY, SIGNATURE.slice(7))).toBe(false);
    expect(verifySignature(SECRET, BODY, `${SIGNATURE}00`)).toBe(false);
    expect(verifySignature(SECRET, BODY, SIGNATURE.slice(0, -2))).toBe(false);
    // The old SHA-1 header format is not accepted in place of SHA-256.
    expect(verifySignature(SECRET, BODY, 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59')).toBe(false);
  });

  it('checks the exact bytes: the same JSON re-encoded does not pass', () => {
    const body = Buffer.from('{"a": 1}');
    const signature = signBody(SECRET, body);
    expect(verifySignature(SECRET, Buffer.from('{"a":1}'), signature)).toBe(false);
    expect(verifySignature(SECRET, body, signature)).toBe(true);
  });
});
