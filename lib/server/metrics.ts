/** Prometheus metrics (GET /metrics), on a registry of their own so tests can make many. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'opsroom_process_' });
  return {
    registry,
    connections: new Gauge({
      name: 'opsroom_connections',
      help: 'Open Socket.IO connections',
      registers: [registry],
    }),
    rooms: new Gauge({
      name: 'opsroom_rooms',
      help: 'Rooms with at least one subscriber',
      registers: [registry],
    }),
    eventsIn: new Counter({
      name: 'opsroom_events_in_total',
      help: 'Events stored (duplicates excluded)',
      labelNames: ['via'] as const,
      registers: [registry],
    }),
    eventsOut: new Counter({
      name: 'opsroom_events_out_total',
      help: 'Event deliveries to sockets (events x local subscribers)',
      registers: [registry],
    }),
    batches: new Counter({
      name: 'opsroom_batches_total',
      help: 'events arrays emitted to rooms',
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'opsroom_batch_size',
      help: 'Events per emitted batch',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers: [registry],
    }),
    publishToEmit: new Histogram({
      name: 'opsroom_publish_to_emit_seconds',
      help: 'Time from durable store to emit',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    evictions: new Counter({
      name: 'opsroom_evictions_total',
      help: 'Sockets the server disconnected, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'opsroom_rejected_total',
      help: 'Requests and messages refused, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
  };
}
