/**
 * Wire-level misbehaving clients for the hostile-input suite: raw TCP connections that stall
 * halfway through a request or a websocket upgrade, websockets that stop reading, and a raw
 * engine.io/socket.io session that sends arbitrary frames below the client library.
 */
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import WebSocket from 'ws';

export interface HalfOpen {
  kind: string;
  socket: TcpSocket;
  closedByServer: boolean;
}

/** Opens raw TCP connections that send a partial request or upgrade and then stall. */
export async function openHalfOpen(
  port: number,
  kind: 'partial-http' | 'partial-upgrade',
  count: number,
): Promise<HalfOpen[]> {
  const partial =
    kind === 'partial-http'
      ? [
          'POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"room":',
          'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
          'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"email":',
        ]
      : [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-',
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\x81\xfe',
          'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        ];
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<HalfOpen>((resolve, reject) => {
          const socket = tcpConnect(port, '127.0.0.1');
          const entry: HalfOpen = { kind, socket, closedByServer: false };
          socket.on('error', () => undefined);
          socket.on('close', () => (entry.closedByServer = true));
          socket.once('connect', () => {
            socket.write(Buffer.from(partial[i % partial.length] ?? '', 'latin1'));
            resolve(entry);
          });
          socket.once('error', reject);
        }),
    ),
  );
}

/** Engine.io websockets that open and then stop reading (no namespace connect, no pongs). */
export async function openStalledWebsockets(port: number, count: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
          ws.on('error', () => undefined);
          ws.once('open', () => {
            (ws as unknown as { _socket: TcpSocket })._socket.pause();
            resolve(ws);
          });
          ws.once('error', reject);
        }),
    ),
  );
}

/**
 * A raw socket.io session: connects to the default namespace with the token, then for each
 * frame sends it followed by a ping request as a probe. The outcome is whether the
 * connection survived the frame (the probe was answered) or the server closed it.
 */
export async function sendRawFrames(
  port: number,
  token: string,
  frames: Array<string | Buffer>,
  onOutcome: (index: number, outcome: 'survived' | 'closed' | 'refused-connect') => void,
): Promise<void> {
  let ws: WebSocket | null = null;
  let inbox: string[] = [];
  let closed = true;
  let probeId = 0;

  const waitFor = (predicate: () => boolean, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const check = (): void => {
        if (predicate()) resolve(true);
        else if (Date.now() > deadline) resolve(false);
        else setTimeout(check, 2);
      };
      check();
    });

  const open = async (): Promise<boolean> => {
    ws?.terminate();
    inbox = [];
    const socket = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    ws = socket;
    closed = false;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? '' : data.toString();
      // Engine.io heartbeats: answer so a long session is not timed out.
      if (text === '2') socket.send('3');
      else inbox.push(text);
    });
    socket.on('close', () => (closed = true));
    socket.on('error', () => (closed = true));
    if (!(await waitFor(() => inbox.some((m) => m.startsWith('0')) || closed, 5000))) return false;
    socket.send(`40${JSON.stringify({ token })}`);
    return waitFor(() => inbox.some((m) => m.startsWith('40') || m.startsWith('44')) || closed, 5000).then(
      () => !closed && inbox.some((m) => m.startsWith('40')),
    );
  };

  for (let index = 0; index < frames.length; index++) {
    if (closed && !(await open())) {
      onOutcome(index, 'refused-connect');
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const socket = ws as WebSocket | null;
    if (socket === null) continue;
    socket.send(frames[index] as string | Buffer);
    probeId += 1;
    const id = probeId;
    if (!closed) socket.send(`42${id}["ping",{}]`);
    await waitFor(() => closed || inbox.some((m) => m.startsWith(`43${id}[`)), 3000);
    onOutcome(index, closed ? 'closed' : 'survived');
  }
  (ws as WebSocket | null)?.terminate();
}
