/**
 * Parent side of the load clients: one child process per core (by default), each holding an
 * equal share of the subscriber connections.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ChildMessage, ChildReply, Counts, ParentCommand, TargetEndpoint } from '../load/protocol';

const WORKER = path.join(__dirname, '..', 'load', 'client-worker.ts');

type ReplyOf<T extends ChildReply['type']> = Extract<ChildReply, { type: T }>;

class LoadChild {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: ChildReply) => void; reject: (error: Error) => void }
  >();

  constructor(readonly process: ChildProcess) {
    process.on('message', (raw) => {
      const message = raw as ChildMessage;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.reply.type === 'fatal') waiter.reject(new Error(`load client: ${message.reply.message}`));
      else waiter.resolve(message.reply);
    });
    process.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load client exited (${code})`));
      this.pending.clear();
    });
  }

  request<T extends ChildReply['type']>(command: ParentCommand, expect: T): Promise<ReplyOf<T>> {
    const id = this.nextId++;
    return new Promise<ReplyOf<T>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => {
          if (reply.type === expect) resolve(reply as ReplyOf<T>);
          else reject(new Error(`load client answered ${reply.type}, expected ${expect}`));
        },
        reject,
      });
      this.process.send({ id, command });
    });
  }
}

export interface PoolCounts extends Counts {
  perChild: number[];
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: string[];
}

function sumCounts(all: Counts[]): PoolCounts {
  const total: PoolCounts = {
    deliveries: 0,
    frames: 0,
    open: 0,
    disconnects: 0,
    disconnectReasons: {},
    wireBytes: 0,
    perChild: [],
  };
  for (const counts of all) {
    total.deliveries += counts.deliveries;
    total.frames += counts.frames;
    total.open += counts.open;
    total.disconnects += counts.disconnects;
    total.wireBytes += counts.wireBytes;
    total.perChild.push(counts.deliveries);
    for (const [reason, n] of Object.entries(counts.disconnectReasons)) {
      total.disconnectReasons[reason] = (total.disconnectReasons[reason] ?? 0) + n;
    }
  }
  return total;
}

export class LoadPool {
  private constructor(private readonly children: LoadChild[]) {}

  static async start(processes: number): Promise<LoadPool> {
    const children = Array.from({ length: Math.max(1, processes) }, () => {
      const child = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // Plenty of sockets per process; keep the heap from being the limit at 10k subscribers.
        env: {
          ...process.env,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=2048`.trim(),
        },
      });
      return new LoadChild(child);
    });
    // Wait until every child has booted (tsx compiles the worker), so that the first timed
    // command (e.g. time to connect) does not include process start-up.
    await Promise.all(children.map((child) => child.request({ cmd: 'count' }, 'count')));
    return new LoadPool(children);
  }

  get pids(): number[] {
    return this.children.map((child) => child.process.pid).filter((pid): pid is number => pid !== undefined);
  }

  async connect(
    endpoint: TargetEndpoint,
    subscribers: number,
    options: {
      sampleSockets: number;
      concurrency: number;
      countedType: string;
      timeoutMs: number;
      since?: number;
      deflate?: boolean;
    },
  ): Promise<ConnectResult> {
    const n = this.children.length;
    const replies = await Promise.all(
      this.children.map((child, index) => {
        const count = Math.floor(subscribers / n) + (index < subscribers % n ? 1 : 0);
        const sampleSockets =
          Math.floor(options.sampleSockets / n) + (index < options.sampleSockets % n ? 1 : 0);
        return child.request(
          {
            cmd: 'connect',
            endpoint,
            count,
            sampleSockets,
            concurrency: options.concurrency,
            countedType: options.countedType,
            timeoutMs: options.timeoutMs,
            ...(options.since === undefined ? {} : { since: options.since }),
            ...(options.deflate === undefined ? {} : { deflate: options.deflate }),
          },
          'connected',
        );
      }),
    );
    return {
      connected: replies.reduce((sum, reply) => sum + reply.connected, 0),
      failed: replies.reduce((sum, reply) => sum + reply.failed, 0),
      errors: replies.flatMap((reply) => reply.errors),
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.children.map((child) => child.request({ cmd: 'reset' }, 'reset')));
  }

  /** Cuts every connection at once (a network loss); the processes stay for the next connect. */
  async drop(): Promise<void> {
    await Promise.all(this.children.map((child) => child.request({ cmd: 'drop' }, 'dropped')));
  }

  async count(): Promise<PoolCounts> {
    return sumCounts(
      await Promise.all(this.children.map((child) => child.request({ cmd: 'count' }, 'count'))),
    );
  }

  async collect(): Promise<PoolCounts & { latenciesMs: Float64Array }> {
    const replies = await Promise.all(
      this.children.map((child) => child.request({ cmd: 'collect' }, 'collect')),
    );
    const latenciesMs = new Float64Array(replies.reduce((sum, reply) => sum + reply.latenciesMs.length, 0));
    let offset = 0;
    for (const reply of replies) {
      latenciesMs.set(reply.latenciesMs, offset);
      offset += reply.latenciesMs.length;
    }
    return { ...sumCounts(replies), latenciesMs };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.process.exitCode !== null || child.process.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 5000);
        try {
          await child.request({ cmd: 'close' }, 'closed');
        } catch {
          child.process.kill('SIGKILL');
        }
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
