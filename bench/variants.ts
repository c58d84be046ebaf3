/**
 * The servers a scenario can compare. Adding one is an entry here (plus, for a new baseline,
 * a server in bench/baselines/ and a factory in bench/targets/).
 */
import { startPlainSocketIo, startRawWs } from './targets/baselines';
import { startOpsroomTarget } from './targets/opsroom';
import { startOpsroomClusterTarget } from './targets/opsroom-cluster';
import type { TargetFactory } from './targets/types';

export interface Variant {
  name: string;
  description: string;
  start: TargetFactory;
  env: Record<string, string>;
}

export interface BatchSettings {
  maxEvents: number;
  maxWaitMs: number;
}

export function variantCatalogue(batch: BatchSettings): Variant[] {
  const wait = String(batch.maxWaitMs);
  return [
    {
      name: 'opsroom-batched',
      description: `Opsroom hub, BATCH_MAX_EVENTS=${batch.maxEvents} BATCH_MAX_WAIT_MS=${wait}`,
      start: startOpsroomTarget,
      env: { BATCH_MAX_EVENTS: String(batch.maxEvents), BATCH_MAX_WAIT_MS: wait },
    },
    {
      name: 'opsroom-batch50',
      description: `Opsroom hub, BATCH_MAX_EVENTS=50 BATCH_MAX_WAIT_MS=${wait}`,
      start: startOpsroomTarget,
      env: { BATCH_MAX_EVENTS: '50', BATCH_MAX_WAIT_MS: wait },
    },
    {
      name: 'opsroom-deflate',
      description: `Opsroom hub as opsroom-batched, OPSROOM_WS_COMPRESSION=on (deflate frames >= 1 KiB)`,
      start: startOpsroomTarget,
      env: {
        BATCH_MAX_EVENTS: String(batch.maxEvents),
        BATCH_MAX_WAIT_MS: wait,
        OPSROOM_WS_COMPRESSION: 'on',
      },
    },
    {
      name: 'opsroom-unbatched',
      description: 'Opsroom hub, batching off (BATCH_MAX_EVENTS=1)',
      start: startOpsroomTarget,
      env: { BATCH_MAX_EVENTS: '1', BATCH_MAX_WAIT_MS: wait },
    },
    {
      name: 'opsroom-cluster',
      description: `two Opsroom instances + Redis + PostgreSQL: publish on A, subscribers on B (${batch.maxEvents} / ${wait} ms)`,
      start: startOpsroomClusterTarget,
      env: { BATCH_MAX_EVENTS: String(batch.maxEvents), BATCH_MAX_WAIT_MS: wait },
    },
    {
      name: 'plain-socketio',
      description: "plain Socket.IO server, one io.to(room).emit('event') per event",
      start: startPlainSocketIo,
      env: {},
    },
    {
      name: 'raw-ws-batched',
      description: `bare ws server, same batching (${batch.maxEvents} per frame / ${wait} ms), one encode per batch`,
      start: startRawWs,
      env: { BATCH_MAX_EVENTS: String(batch.maxEvents), BATCH_MAX_WAIT_MS: wait },
    },
  ];
}
