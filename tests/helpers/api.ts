/** Small HTTP and socket helpers for tests that talk to a real server like any client. */
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '@/lib/shared/ack';
import type { Envelope } from '@/lib/shared/envelope';
import type {
  ClientToServerEvents,
  ReadyMessage,
  RoomSubscription,
  ServerToClientEvents,
} from '@/lib/shared/socket-events';
import { httpRequest } from './node-http';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server-process';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function login(url: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<string> {
  const response = await httpRequest('POST', `${url}/api/auth/login`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  const setCookie = response.headers['set-cookie'];
  const cookie = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0] ?? '';
}

export async function createToken(
  url: string,
  cookie: string,
  body: { name?: string; projects?: string[]; scopes?: string[] } = {},
): Promise<string> {
  const response = await httpRequest('POST', `${url}/api/tokens`, {
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: JSON.stringify({ name: 'test', projects: ['*'], scopes: ['publish', 'read'], ...body }),
  });
  if (response.status !== 201) throw new Error(`token create failed: ${response.status} ${response.text}`);
  return (JSON.parse(response.text) as { token: string }).token;
}

/** Logs in as the bootstrap admin and returns a publish+read token for every project. */
export async function adminToken(url: string): Promise<string> {
  return createToken(url, await login(url));
}

export interface PublishReply {
  accepted?: Array<{ id: string; room: string; seq: number }>;
  error?: { code: string; message: string; details?: unknown; retryAfterMs?: number };
}

export async function postEvents(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; json: PublishReply }> {
  const response = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: PublishReply = {};
  try {
    json = JSON.parse(text) as PublishReply;
  } catch {
    json = { error: { code: 'NOT_JSON', message: text.slice(0, 200) } };
  }
  return { status: response.status, json };
}

export function buildEvent(room: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    room,
    type: 'build:progress',
    payload: { buildId: `b${n % 7}`, status: 'in-progress', progress: n % 100, step: `step ${n}` },
    ...extra,
  };
}

export async function history(url: string, token: string, room: string, since = 0, limit = 1000) {
  const response = await fetch(
    `${url}/api/rooms/${encodeURIComponent(room)}/history?since=${since}&limit=${limit}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  return {
    status: response.status,
    json: (await response.json()) as { room: string; seq: number; events: Envelope[] },
  };
}

/** A raw protocol-level subscriber: records every `events` array exactly as received. */
export interface RawSubscriber {
  socket: TestSocket;
  ready: Promise<ReadyMessage>;
  batches: Envelope[][];
  received: () => Envelope[];
  subscribe: (rooms: Array<{ room: string; since?: number }>) => Promise<Ack<{ rooms: RoomSubscription[] }>>;
  waitFor: (predicate: () => boolean, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

export function rawSubscriber(
  url: string,
  token: string,
  options: { reconnection?: boolean } = {},
): RawSubscriber {
  const socket: TestSocket = io(url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  const batches: Envelope[][] = [];
  socket.on('events', (batch) => batches.push(batch));
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    ready,
    batches,
    received: () => batches.flat(),
    subscribe: (rooms) => socket.timeout(10_000).emitWithAck('subscribe', { rooms }),
    waitFor: (predicate, timeoutMs = 15_000) => waitFor(predicate, timeoutMs),
    close: () => socket.close(),
  };
}

export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs async jobs with bounded concurrency, results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index] as T, index);
      }
    }),
  );
  return results;
}

export const seqs = (events: Envelope[]): number[] => events.map((e) => e.seq);
export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
