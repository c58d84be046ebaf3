/**
 * Generators of malformed and abusive inputs for the hostile-input suite. Every generator
 * draws from a seeded PRNG, so a failing run can be replayed with the same inputs. None of
 * them ever produces a valid event: anything stored from them is a bug.
 */

/** mulberry32: small, fast, good enough to spread fuzz inputs; deterministic per seed. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (length: number): Buffer => {
    const buffer = Buffer.alloc(length);
    for (let i = 0; i < length; i++) buffer[i] = int(256);
    return buffer;
  };
  const text = (
    length: number,
    alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789{}[]":,\\ \n\t\u0000é€😀',
  ): string => Array.from({ length }, () => pick([...alphabet])).join('');
  return { next, int, pick, bytes, text };
}
export type Random = ReturnType<typeof createRandom>;

export interface HttpInput {
  kind: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send without the attacker's bearer token (auth fuzzing sets its own). */
  noAuth?: boolean;
}

/** The room the attack aims at: the well-behaved client publishes and listens there. */
export const TARGET_ROOM = 'project:target';

const validEvent = (n: number) => ({
  room: TARGET_ROOM,
  type: 'build:progress',
  payload: { buildId: `b${n}`, status: 'in-progress', progress: n % 100, step: `step ${n}` },
});

export const INVALID_ROOMS = [
  '',
  'project:',
  'project:UPPER',
  'project:a b',
  'project:../../etc/passwd',
  'project:-leading',
  `project:${'a'.repeat(65)}`,
  'projects:web',
  'project:web:extra',
  'logs:web',
  'logs:web:',
  'logs::stream',
  'user:',
  'system:x',
  'System',
  '__proto__',
  'constructor',
  'project:\u0000',
  'project:wéb',
  'project:web\n',
  ' project:web',
  'project:%2e%2e',
  '*',
  'project:*',
];

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];

function nestedJson(depth: number, random: Random): string {
  const open = random.next() < 0.5 ? '{"a":' : '[';
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** One malformed or abusive HTTP request of the given kind. */
export function httpInput(kind: string, random: Random, n: number): HttpInput {
  const post = (body: string | Buffer, extra: Partial<HttpInput> = {}): HttpInput => ({
    kind,
    method: 'POST',
    path: '/api/events',
    body,
    headers: { 'content-type': 'application/json' },
    ...extra,
  });
  switch (kind) {
    case 'random-bytes':
      return post(random.next() < 0.5 ? random.bytes(random.int(2000)) : random.text(1 + random.int(500)));
    case 'truncated-json': {
      const full = JSON.stringify(
        random.next() < 0.3 ? { events: [validEvent(n), validEvent(n + 1)] } : validEvent(n),
      );
      return post(full.slice(0, 1 + random.int(full.length - 1)));
    }
    case 'wrong-types': {
      const base: Record<string, unknown> = validEvent(n);
      const field = random.pick(['room', 'type', 'payload', 'id', 'events', 'top']);
      const wrong = random.pick<unknown>([
        42,
        -1,
        1e308,
        true,
        null,
        [],
        [1, 2],
        {},
        'str',
        { a: 1 },
        [[[]]],
      ]);
      if (field === 'top') return post(JSON.stringify(wrong));
      if (field === 'events')
        return post(
          JSON.stringify({ events: random.pick([wrong, [], [wrong], Array(101).fill(validEvent(n))]) }),
        );
      if (field === 'payload' && wrong !== null && typeof wrong === 'object' && !Array.isArray(wrong)) {
        // A plain object payload would be valid for a custom type: make the type invalid too.
        return post(JSON.stringify({ ...base, type: 'build:progress', payload: wrong }));
      }
      // A string id would be a valid id: ids get a number instead.
      return post(
        JSON.stringify({ ...base, [field]: field === 'id' && typeof wrong === 'string' ? 42 : wrong }),
      );
    }
    case 'huge-strings': {
      // Over the 64 KiB payload limit, so even a huge key in a custom payload is refused.
      const size = 70_000 + random.int(200_000);
      const field = random.pick(['room', 'type', 'id', 'payload', 'key']);
      const huge = 'x'.repeat(size);
      if (field === 'payload')
        return post(JSON.stringify({ room: TARGET_ROOM, type: 'x:y', payload: { blob: huge } }));
      if (field === 'key') return post(`{"room":"${TARGET_ROOM}","type":"x:y","payload":{"${huge}":1}}`);
      return post(JSON.stringify({ ...validEvent(n), [field]: field === 'room' ? `project:${huge}` : huge }));
    }
    case 'oversized-body':
      return post(JSON.stringify({ ...validEvent(n), pad: 'x'.repeat(1024 * 1024 + random.int(100_000)) }));
    case 'deep-nesting': {
      const depth = 33 + random.int(random.next() < 0.8 ? 200 : 150_000);
      const shape = random.int(3);
      if (shape === 0)
        return post(`{"room":"${TARGET_ROOM}","type":"x:y","payload":{"d":${nestedJson(depth, random)}}}`);
      if (shape === 1) return post(nestedJson(Math.min(depth, 400_000), random));
      return post(`{"events":[${nestedJson(depth, random)}]}`);
    }
    case 'invalid-rooms':
      return post(JSON.stringify({ ...validEvent(n), room: random.pick(INVALID_ROOMS) }));
    case 'prototype-pollution': {
      const key = random.pick(POLLUTION_KEYS);
      const inner = `{"${key}":{"polluted":true,"isAdmin":true}}`;
      const where = random.int(5);
      if (where === 0) return post(`{"room":"${TARGET_ROOM}","type":"x:y","payload":${inner}}`);
      if (where === 1) return post(`{"room":"${TARGET_ROOM}","type":"x:y","payload":{"a":{"b":[${inner}]}}}`);
      if (where === 2)
        return post(`{"room":"${TARGET_ROOM}","type":"x:y","payload":{},"${key}":{"room":"system"}}`);
      if (where === 3)
        return post(
          `{"events":[${JSON.stringify(validEvent(n))},{"room":"${TARGET_ROOM}","type":"x:y","payload":${inner}}]}`,
        );
      return post(
        `{"room":"${TARGET_ROOM}","type":"build:progress","payload":{"buildId":"b","status":"queued","progress":1,"step":"s","${key}":{"x":1}}}`,
      );
    }
    case 'catalogue-violations':
      return post(
        JSON.stringify(
          random.pick<unknown>([
            {
              room: TARGET_ROOM,
              type: 'build:progress',
              payload: { buildId: 'b', status: 'done', progress: 500, step: 's' },
            },
            { room: TARGET_ROOM, type: 'service:status', payload: { service: 'api', status: 'exploded' } },
            { room: TARGET_ROOM, type: 'logs:stream', payload: { stream: 'Bad Stream', lines: [] } },
            {
              room: 'logs:target:a',
              type: 'logs:stream',
              payload: { stream: 'b', lines: [{ ts: 'x', text: 'y' }] },
            },
            { room: 'logs:target:a', type: 'build:progress', payload: validEvent(n).payload },
            { room: TARGET_ROOM, type: 'Not A Type', payload: {} },
            {
              room: TARGET_ROOM,
              type: random.pick(['x', ':', 'a:', ':b', 'A:b', 'a:b:', 'a b:c', 'a:b\n']),
              payload: {},
            },
            { room: TARGET_ROOM, type: 'docker:stats', payload: { container: 'c', cpuPercent: 'lots' } },
            {
              room: TARGET_ROOM,
              type: 'x:y',
              payload: { n: 1 },
              id: random.pick(['', 'x'.repeat(300), 'bad id\u0000']),
            },
          ]),
        ),
      );
    case 'bad-auth': {
      const authorization = random.pick([
        undefined,
        'Bearer ',
        'Bearer opsr_nope',
        `Bearer ${'A'.repeat(8000)}`,
        'Basic YWRtaW46YWRtaW4=',
        'bearer',
        `Bearer ${random.text(40, 'abcdef0123456789_')}`,
      ]);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;
      if (random.next() < 0.3)
        headers.cookie = `opsroom_session=${random.text(60, 'abcdefABCDEF0123456789.-_')}`;
      return post(JSON.stringify(validEvent(n)), { headers, noAuth: true });
    }
    case 'bad-requests': {
      const bad = random.int(6);
      if (bad === 0)
        return { kind, method: random.pick(['GET', 'PUT', 'DELETE', 'PATCH']), path: '/api/events' };
      if (bad === 1) {
        const room = encodeURIComponent(random.pick(INVALID_ROOMS)) || '%ZZ';
        return {
          kind,
          method: 'GET',
          path: `/api/rooms/${room}/history?since=${random.pick(['-1', 'abc', '1e99', ''])}&limit=${random.pick(['0', '-5', '1000000', 'NaN'])}`,
        };
      }
      if (bad === 2)
        return {
          kind,
          method: 'GET',
          path: `/api/rooms/${random.pick(['%ZZ', '%00', '..%2F..%2F', 'project%3AUPPER'])}/snapshot?since=x`,
        };
      if (bad === 3) {
        const type = random.pick([
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
        ]);
        return post(`room=${TARGET_ROOM}&type=x:y&payload=1`, { headers: { 'content-type': type } });
      }
      if (bad === 4)
        return post(random.bytes(200), {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        });
      return {
        kind,
        method: 'GET',
        path: random.pick([
          '/api/../../etc/passwd',
          '/api/%00',
          '/api/users',
          '/api/tokens',
          '/metrics',
          `/api/${random.text(20, 'abc%/.')}`,
        ]),
      };
    }
    default:
      throw new Error(`unknown http kind ${kind}`);
  }
}

export interface SocketInput {
  kind: string;
  event: string;
  args: unknown[];
  /** Expect an acknowledgement (false: the packet is sent without a callback). */
  ack: boolean;
}

/** Parsed from JSON so "__proto__" is an own key, as it would be off the wire. */
const polluted = (key: string): Record<string, unknown> =>
  JSON.parse(`{"room":"${TARGET_ROOM}","type":"x:y","payload":{"${key}":{"polluted":true}}}`) as Record<
    string,
    unknown
  >;

/** One malformed or abusive Socket.IO message of the given kind. */
export function socketInput(kind: string, random: Random, n: number): SocketInput {
  const garbage = (): unknown =>
    random.pick<unknown>([
      undefined,
      null,
      0,
      -1,
      'x',
      '',
      true,
      [],
      {},
      [1, [2, [3]]],
      { rooms: 'x' },
      random.text(50),
      1e308,
    ]);
  switch (kind) {
    case 'unknown-events':
      return {
        kind,
        event: random.pick([
          'hello',
          'events',
          'ready',
          'presence',
          'server:disconnect',
          '__proto__',
          'constructor',
          'toString',
          'hasOwnProperty',
          'x'.repeat(1000),
          random.text(20),
        ]),
        args: [garbage()],
        ack: random.next() < 0.5,
      };
    case 'subscribe-garbage':
      return {
        kind,
        event: 'subscribe',
        args: [
          random.pick<unknown>([
            garbage(),
            { rooms: [] },
            { rooms: [{ room: random.pick(INVALID_ROOMS) }] },
            { rooms: [{ room: TARGET_ROOM, since: random.pick<unknown>([-1, 1.5, 'x', 1e308, null]) }] },
            { rooms: Array.from({ length: 51 + random.int(50) }, (_, i) => ({ room: `project:r${i}` })) },
            { rooms: [{ room: TARGET_ROOM, extra: 1 }] },
            { rooms: [{ room: 'system' }, { room: 'user:someone-else' }] },
            JSON.parse('{"rooms":[{"room":"project:target"}],"__proto__":{"polluted":true}}'),
          ]),
        ],
        ack: true,
      };
    case 'publish-garbage': {
      const key = random.pick(POLLUTION_KEYS);
      let deep: unknown = 1;
      for (let i = 0; i < 33 + random.int(300); i++) deep = random.next() < 0.5 ? [deep] : { d: deep };
      return {
        kind,
        event: 'publish',
        args: [
          random.pick<unknown>([
            garbage(),
            polluted(key),
            { room: random.pick(INVALID_ROOMS), type: 'x:y', payload: {} },
            { room: TARGET_ROOM, type: 'x:y', payload: deep },
            { room: TARGET_ROOM, type: 'build:progress', payload: { progress: 'x' } },
            { room: TARGET_ROOM, type: 42, payload: {} },
            { room: TARGET_ROOM, type: 'x:y', payload: [1, 2] },
            { room: `project:${'x'.repeat(20_000 + random.int(20_000))}`, type: 'x:y', payload: {} },
            { room: TARGET_ROOM, type: `x:${'y'.repeat(20_000 + random.int(20_000))}`, payload: {} },
            { events: [validEvent(n)] },
          ]),
        ],
        ack: true,
      };
    }
    case 'presence-garbage':
      return {
        kind,
        event: 'presence:get',
        args: [
          random.pick<unknown>([
            garbage(),
            { room: random.pick(INVALID_ROOMS) },
            { room: 'system' },
            { room: 'x'.repeat(300) },
          ]),
        ],
        ack: true,
      };
    case 'no-ack':
      // Valid-looking requests without a callback: the server must drop them, not act.
      return {
        kind,
        event: random.pick(['publish', 'subscribe', 'ping']),
        args: [validEvent(n)],
        ack: false,
      };
    case 'extra-args':
      // Not ping: it ignores its argument, so garbage there is a fine request.
      return {
        kind,
        event: random.pick(['publish', 'subscribe', 'presence:get', 'unsubscribe']),
        args: [garbage(), garbage(), garbage()],
        ack: true,
      };
    case 'binary':
      return {
        kind,
        event: random.pick(['publish', 'subscribe', 'ping', 'presence:get']),
        args: [
          random.pick<unknown>([
            random.bytes(1 + random.int(1000)),
            { room: TARGET_ROOM, type: 'x:y', payload: { data: random.bytes(16) } },
            { room: TARGET_ROOM, type: 'x:y', payload: random.bytes(8) },
            { rooms: [{ room: random.bytes(4) }] },
            new Uint8Array(random.int(64)).buffer,
          ]),
        ],
        ack: true,
      };
    default:
      throw new Error(`unknown socket kind ${kind}`);
  }
}

/** Raw engine.io/socket.io frames for a websocket that skips the client library. */
export function rawFrame(random: Random, token: string): { kind: string; frame: string | Buffer } {
  const kind = random.pick([
    'random-text',
    'random-binary',
    'bad-engine-type',
    'bad-socket-packet',
    'truncated-event',
    'unknown-namespace',
    'bogus-attachments',
    'deep-packet',
    'stray-ack',
  ]);
  switch (kind) {
    case 'random-text':
      return { kind, frame: random.text(1 + random.int(300)) };
    case 'random-binary':
      return { kind, frame: random.bytes(1 + random.int(300)) };
    case 'bad-engine-type':
      return { kind, frame: random.pick(['7', '9abc', '', '5', '6garbage', '1', '0{}', '3probe']) };
    case 'bad-socket-packet':
      return {
        kind,
        frame: `4${random.pick(['9', '7[]', '2', '2{}', '2"x"', '3', '5', '6', '0/x', '2[1]', '2[null]', '2[{}]', '21a["ping",{}]'])}`,
      };
    case 'truncated-event': {
      const full = `42${JSON.stringify(['publish', validEvent(1)])}`;
      return { kind, frame: full.slice(0, 3 + random.int(full.length - 4)) };
    }
    case 'unknown-namespace':
      return {
        kind,
        frame: random.pick([
          '40/admin,',
          `40/admin,${JSON.stringify({ token })}`,
          '42/admin,["ping",{}]',
          '41/x,',
        ]),
      };
    case 'bogus-attachments':
      return {
        kind,
        frame: random.pick([
          '451-["publish",{"_placeholder":true,"num":0}]',
          '451-["publish",{"_placeholder":true,"num":99}]',
          '45999999-["ping",{}]',
          '45-1-["ping",{}]',
          '451-["ping",{"_placeholder":true,"num":"__proto__"}]',
        ]),
      };
    case 'deep-packet': {
      const depth = 1000 + random.int(20_000);
      return { kind, frame: `420["ping",${'['.repeat(depth)}${']'.repeat(depth)}]` };
    }
    default:
      return { kind: 'stray-ack', frame: `43${random.int(1000)}[{"ok":true}]` };
  }
}
