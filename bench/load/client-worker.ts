/**
 * A load-client child process: opens many subscriber connections to one target and counts
 * what arrives. It must stay cheap so the server, not the client, is what gets measured:
 * most connections only count occurrences of the counted type in each raw frame (a native
 * Buffer search, no decoding); a few sampled connections decode frames and time envelopes
 * from the publish time in their payload (`payload.t`, epoch ms with sub-ms precision).
 *
 * Socket.IO is spoken by hand over `ws` (engine.io protocol 4, websocket transport only):
 * `0{...}` open, `40{auth}` connect, `42[name, data]` events, `42N[...]`/`43N[...]` acks,
 * `2`/`3` ping/pong, `41` disconnect, `44{...}` connect error.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { ChildMessage, ChildReply, ConnectCommand, Counts, ParentMessage } from './protocol';

const nowEpochMs = (): number => performance.timeOrigin + performance.now();

const CHAR_0 = 0x30;
const CHAR_1 = 0x31;
const CHAR_2 = 0x32;
const CHAR_4 = 0x34;

let marker = Buffer.from('"type":"bench:tick"');
let countedType = 'bench:tick';

let deliveries = 0;
let frames = 0;
let open = 0;
let disconnects = 0;
let disconnectReasons: Record<string, number> = {};
let latencies: number[] = [];
let sockets: WebSocket[] = [];
/** The TCP sockets under the WebSockets, for bytes on the wire (bytesRead survives close). */
let tcpSockets: Socket[] = [];
let wireBytesAtReset = 0;

function wireBytesTotal(): number {
  let total = 0;
  for (const tcp of tcpSockets) total += tcp.bytesRead;
  return total;
}

function countMarkers(data: Buffer): number {
  let n = 0;
  let at = data.indexOf(marker);
  while (at !== -1) {
    n += 1;
    at = data.indexOf(marker, at + marker.length);
  }
  return n;
}

function recordLatencies(envelopes: unknown, receivedAt: number): void {
  const list = Array.isArray(envelopes) ? (envelopes as unknown[]) : [envelopes];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const envelope = item as { type?: unknown; payload?: { t?: unknown } };
    if (envelope.type !== countedType) continue;
    const t = envelope.payload?.t;
    if (typeof t === 'number') latencies.push(receivedAt - t);
  }
}

function noteDisconnect(reason: string): void {
  disconnects += 1;
  disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
}

/** One subscriber connection; resolves once subscribed, rejects on any handshake failure. */
function connectOne(command: ConnectCommand, sampled: boolean): Promise<void> {
  const { endpoint } = command;
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(endpoint.url, { perMessageDeflate: command.deflate === true });
    sockets.push(ws);
    ws.on('upgrade', (response) => tcpSockets.push(response.socket as Socket));
    let subscribed = false;
    let settled = false;
    let serverReason: string | null = null;
    const timer = setTimeout(() => fail(new Error('handshake timeout')), command.timeoutMs);

    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    }
    function succeed(): void {
      if (settled) return;
      settled = true;
      subscribed = true;
      open += 1;
      clearTimeout(timer);
      resolve();
    }

    ws.on('error', (error) => fail(error));
    ws.on('close', (code) => {
      if (!subscribed) {
        fail(new Error(`closed during handshake (code ${code})`));
        return;
      }
      subscribed = false;
      open -= 1;
      noteDisconnect(serverReason ?? `close ${code}`);
    });

    if (endpoint.wire === 'ws') {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', room: endpoint.room })));
      ws.on('message', (data: Buffer) => {
        if (subscribed) {
          const receivedAt = sampled ? nowEpochMs() : 0;
          const n = countMarkers(data);
          if (n === 0) return;
          deliveries += n;
          frames += 1;
          if (sampled) recordLatencies(JSON.parse(data.toString('utf8')), receivedAt);
          return;
        }
        const message = JSON.parse(data.toString('utf8')) as { type?: string; error?: string };
        if (message.type === 'subscribed') succeed();
        else fail(new Error(`subscribe refused: ${data.toString('utf8').slice(0, 200)}`));
      });
      return;
    }

    // Socket.IO over engine.io 4.
    ws.on('message', (data: Buffer) => {
      const first = data[0];
      if (first === CHAR_2 && data.length === 1) {
        ws.send('3'); // engine.io ping -> pong; the server closes connections that miss it
        return;
      }
      if (subscribed) {
        if (first !== CHAR_4) return;
        const second = data[1];
        if (second === CHAR_2) {
          const receivedAt = sampled ? nowEpochMs() : 0;
          const n = countMarkers(data);
          if (n > 0) {
            deliveries += n;
            frames += 1;
            if (sampled) {
              const [, payload] = JSON.parse(data.toString('utf8', 2)) as [string, unknown];
              recordLatencies(payload, receivedAt);
            }
          } else if (data.includes('"server:disconnect"')) {
            const [, message] = JSON.parse(data.toString('utf8', 2)) as [string, { reason?: string }];
            serverReason = message.reason ?? 'server:disconnect';
          }
        } else if (second === CHAR_1) {
          serverReason ??= 'io server disconnect';
        }
        return;
      }
      const text = data.toString('utf8');
      if (first === CHAR_0) {
        // engine.io open packet: connect to the default namespace with the auth payload
        ws.send(endpoint.token === undefined ? '40' : `40${JSON.stringify({ token: endpoint.token })}`);
      } else if (text.startsWith('40')) {
        // connected; subscribing waits for `ready`, as a real client does
      } else if (text.startsWith('44')) {
        fail(new Error(`connect_error ${text.slice(2, 300)}`));
      } else if (text.startsWith('42')) {
        const [name] = JSON.parse(text.slice(2)) as [string, unknown];
        if (name === 'ready') {
          const room =
            command.since === undefined
              ? { room: endpoint.room }
              : { room: endpoint.room, since: command.since };
          ws.send(`420${JSON.stringify(['subscribe', { rooms: [room] }])}`);
        }
      } else if (text.startsWith('430')) {
        const [reply] = JSON.parse(text.slice(3)) as [{ ok?: boolean; error?: unknown }];
        // Resuming: the reply carries the missed events; they count like live ones.
        if (reply.ok === true && command.since !== undefined) deliveries += countMarkers(data);
        if (reply.ok === true) succeed();
        else fail(new Error(`subscribe refused: ${JSON.stringify(reply.error ?? reply).slice(0, 200)}`));
      } else if (text.startsWith('41')) {
        fail(new Error('disconnected by the server during the handshake'));
      }
    });
  });
}

async function connectAll(command: ConnectCommand): Promise<ChildReply> {
  marker = Buffer.from(`"type":${JSON.stringify(command.countedType)}`);
  countedType = command.countedType;
  const every =
    command.sampleSockets > 0 ? Math.max(1, Math.floor(command.count / command.sampleSockets)) : 0;
  let next = 0;
  let connected = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  const lane = async (): Promise<void> => {
    while (next < command.count) {
      const index = next;
      next += 1;
      const sampled = every > 0 && index % every === 0 && index / every < command.sampleSockets;
      try {
        await connectOne(command, sampled);
        connected += 1;
      } catch (error) {
        failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, command.concurrency) }, lane));
  return {
    type: 'connected',
    connected,
    failed,
    errors: [...errors].slice(0, 5).map(([message, n]) => `${n}x ${message}`),
  };
}

function counts(): Counts {
  return {
    deliveries,
    frames,
    open,
    disconnects,
    disconnectReasons: { ...disconnectReasons },
    wireBytes: wireBytesTotal() - wireBytesAtReset,
  };
}

async function handle(message: ParentMessage): Promise<ChildReply> {
  const { command } = message;
  switch (command.cmd) {
    case 'connect':
      return connectAll(command);
    case 'reset':
      deliveries = 0;
      frames = 0;
      latencies = [];
      wireBytesAtReset = wireBytesTotal();
      return { type: 'reset' };
    case 'count':
      return { type: 'count', ...counts() };
    case 'collect':
      return { type: 'collect', ...counts(), latenciesMs: latencies };
    case 'drop': {
      // Counted as disconnects by the close handlers; forget them and the counters.
      const closed = sockets
        .filter((ws) => ws.readyState !== WebSocket.CLOSED)
        .map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      for (const ws of sockets) ws.terminate();
      await Promise.all(closed);
      sockets = [];
      tcpSockets = [];
      wireBytesAtReset = 0;
      deliveries = 0;
      frames = 0;
      open = 0;
      disconnects = 0;
      disconnectReasons = {};
      return { type: 'dropped' };
    }
    case 'close':
      for (const ws of sockets) ws.terminate();
      return { type: 'closed' };
  }
}

function reply(id: number, answer: ChildReply, after?: () => void): void {
  const out: ChildMessage = { id, reply: answer };
  process.send?.(out, undefined, undefined, () => after?.());
}

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  handle(message).then(
    (answer) => reply(message.id, answer, answer.type === 'closed' ? () => process.exit(0) : undefined),
    (error: unknown) => reply(message.id, { type: 'fatal', message: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
