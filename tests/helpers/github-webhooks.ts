/**
 * Replays GitHub webhook deliveries against a real server: the example payloads in
 * tests/fixtures/github, signed as GitHub signs them (hex HMAC-SHA256 of the exact body bytes,
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries). Written
 * apart from the server's own signature code so a mistake there cannot hide here.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './server-process';

export const FIXTURE_DIR = path.join(ROOT, 'tests', 'fixtures', 'github');

/** The exact bytes of a fixture, e.g. `workflow_job.queued`. */
export function githubFixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURE_DIR, `${name}.json`));
}

export function githubSignature(secret: string, body: Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  /** X-GitHub-Event; defaults to the fixture name's first part. */
  event?: string;
  /** X-GitHub-Delivery; a fresh GUID by default. */
  delivery?: string;
  /** Signs with this secret; null sends no signature header. */
  secret: string | null;
  /** Replaces the signature header (tampering tests). */
  signature?: string;
}

export interface DeliveryReply {
  status: number;
  delivery: string;
  json: Record<string, unknown>;
}

export async function deliver(
  url: string,
  body: Uint8Array,
  options: Delivery & { event: string },
): Promise<DeliveryReply> {
  const delivery = options.delivery ?? randomUUID();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': options.event,
    'x-github-delivery': delivery,
  };
  const signature =
    options.signature ?? (options.secret === null ? undefined : githubSignature(options.secret, body));
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  const response = await fetch(`${url}/api/webhooks/github`, {
    method: 'POST',
    headers,
    // A copy typed Uint8Array<ArrayBuffer>, which is what fetch accepts as a body.
    body: new Uint8Array(body),
  });
  return { status: response.status, delivery, json: (await response.json()) as Record<string, unknown> };
}

/** Delivers a fixture as GitHub would: event from its name, signed with `secret`. */
export function deliverFixture(
  url: string,
  name: string,
  options: Omit<Delivery, 'event'> & { event?: string },
): Promise<DeliveryReply> {
  const event = options.event ?? name.split('.')[0] ?? name;
  return deliver(url, githubFixture(name), { ...options, event });
}
