/**
 * A loopback TCP proxy standing in for a load balancer: clients connect to its port, it pipes
 * each connection to the current target. `switchTo` sends new connections elsewhere (failover);
 * `dropAll` cuts the live ones, as a balancer does when its backend dies. `loseNextAnswers`
 * lets requests reach the target but cuts the connection when its answer starts coming back:
 * the client cannot tell whether the request was carried out (what idempotent retries are for).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  switchTo: (targetPort: number) => void;
  dropAll: () => void;
  /** While down, live connections are cut and new ones closed at once (the target "is gone"). */
  setDown: (down: boolean) => void;
  /** The next `count` answers from the target are swallowed and their connections cut. */
  loseNextAnswers: (count: number) => void;
  /** Answers lost so far. */
  lostAnswers: () => number;
  close: () => Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  let down = false;
  let answersToLose = 0;
  let lost = 0;
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    // By hand rather than pipe(), so an answer can be swallowed before its first byte is sent.
    upstream.on('data', (chunk: Buffer) => {
      if (answersToLose > 0) {
        answersToLose -= 1;
        lost += 1;
        end();
        return;
      }
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const dropAll = (): void => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    switchTo: (port) => {
      target = port;
    },
    dropAll,
    setDown: (value) => {
      down = value;
      if (down) dropAll();
    },
    loseNextAnswers: (count) => {
      answersToLose = count;
    },
    lostAnswers: () => lost,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
