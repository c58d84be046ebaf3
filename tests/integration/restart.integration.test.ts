/**
 * Issue #2 acceptance: stop the server (SIGTERM, and separately SIGKILL) while events are
 * being published, start it again on the same database: every event that got a 202 reaches
 * a resuming client and seq continues without a gap.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, buildEvent, postEvents, range, rawSubscriber, seqs, waitFor } from '../helpers/api';
import { startOpsroom } from '../helpers/server-process';

/** Publishes one event at a time until stopped, retrying refused connections; records 202s. */
function startPublisher(url: string, token: string, room: string) {
  const accepted = new Map<string, number>();
  let running = true;
  let n = 0;
  const done = (async () => {
    while (running) {
      n += 1;
      const id = `evt-${n}`;
      // Retry the same id until it is accepted: idempotency makes the retry safe.
      while (running) {
        try {
          const response = await postEvents(url, token, buildEvent(room, n, { id }));
          if (response.status === 202) {
            accepted.set(id, response.json.accepted?.[0]?.seq ?? -1);
            break;
          }
        } catch {
          // Server down: try again shortly.
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  })();
  return {
    accepted,
    count: () => accepted.size,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  describe(`restart after ${signal}`, () => {
    it('delivers every accepted event to a resuming client, seq without gap', async () => {
      const room = 'project:restart';
      const first = await startOpsroom({ keepData: true });
      const token = await adminToken(first.url);
      const received: Envelope[] = [];

      const before = rawSubscriber(first.url, token);
      await before.ready;
      const shutdownReasons: string[] = [];
      before.socket.on('server:disconnect', (message) => shutdownReasons.push(message.reason));
      await before.subscribe([{ room }]);

      const publisher = startPublisher(first.url, token, room);
      await waitFor(() => publisher.count() >= 100, 20_000, '100 accepted events');
      const exitCode = await first.stop(signal);
      if (signal === 'SIGTERM') {
        expect(exitCode).toBe(0);
        expect(shutdownReasons).toEqual(['shutdown']);
      }
      received.push(...before.received());
      before.close();

      const second = await startOpsroom({ dataDir: first.dataDir, port: first.port });
      try {
        await waitFor(() => publisher.count() >= 200, 20_000, '100 more accepted events');
        const after = rawSubscriber(second.url, token);
        await after.ready;
        const lastSeq = received.at(-1)?.seq ?? 0;
        const reply = await after.subscribe([{ room, since: lastSeq }]);
        if (!reply.ok) throw new Error(reply.error.message);
        expect(reply.data.rooms[0]?.reset).toBe(false);
        received.push(...(reply.data.rooms[0]?.events ?? []));
        await publisher.stop();

        const maxAccepted = Math.max(...publisher.accepted.values());
        await waitFor(
          () => (after.received().at(-1)?.seq ?? received.at(-1)?.seq ?? 0) >= maxAccepted,
          15_000,
          'live events up to the last accepted seq',
        );
        for (const envelope of after.received())
          if (envelope.seq > (received.at(-1)?.seq ?? 0)) received.push(envelope);

        const all = seqs(received);
        expect(all).toEqual(range(1, all.length));
        const ids = new Set(received.map((e) => e.id));
        for (const [id] of publisher.accepted) expect(ids.has(id)).toBe(true);
        after.close();
      } finally {
        await publisher.stop();
        await second.cleanup();
      }
    });
  });
}
