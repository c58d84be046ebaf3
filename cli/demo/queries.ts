/**
 * Saved database queries that re-run now and then (db:query:result, one state per saved
 * query): order counts, slow endpoints, connections, signups. Sometimes one fails with a
 * timeout or a lock error, as real ones do.
 */
import { round, seconds, type ProjectContext, type Scenario } from './context';
import type { Rng } from './random';

interface SavedQuery {
  queryId: string;
  columns: string[];
  rows: (rng: Rng) => unknown[][];
  /** Typical duration in ms. */
  ms: [number, number];
}

const QUERIES: SavedQuery[] = [
  {
    queryId: 'orders-by-status',
    columns: ['status', 'orders', 'revenue_eur'],
    ms: [4, 40],
    rows: (rng) =>
      ['paid', 'pending', 'refunded', 'failed'].map((status, i) => {
        const orders = Math.round(rng.float(10, 600) / (i + 1));
        return [status, orders, round(orders * rng.float(25, 80), 2)];
      }),
  },
  {
    queryId: 'slowest-endpoints',
    columns: ['route', 'p95_ms', 'calls_1h'],
    ms: [20, 180],
    rows: (rng) =>
      ['POST /api/checkout', 'GET /api/orders', 'GET /api/products', 'POST /api/cart/items']
        .map((route) => [route, rng.int(30, 900), rng.int(200, 40000)])
        .sort((a, b) => Number(b[1]) - Number(a[1])),
  },
  {
    queryId: 'active-connections',
    columns: ['state', 'count'],
    ms: [1, 8],
    rows: (rng) => [
      ['active', rng.int(2, 20)],
      ['idle', rng.int(10, 40)],
      ['idle in transaction', rng.int(0, 3)],
    ],
  },
  {
    queryId: 'signups-last-6h',
    columns: ['hour', 'signups'],
    ms: [8, 60],
    rows: (rng) => Array.from({ length: 6 }, (_, i) => [`-${6 - i}h`, rng.int(3, 90)]),
  },
];

const ERRORS = [
  'canceling statement due to statement timeout',
  'could not obtain lock on relation "orders"',
  'terminating connection due to administrator command',
];

export function startQueries(ctx: ProjectContext): Scenario {
  const rng = ctx.rng.fork('queries');
  const runQuery = (query: SavedQuery): void => {
    if (rng.chance(0.12)) {
      const error = rng.pick(ERRORS);
      ctx.emit('db:query:result', {
        queryId: query.queryId,
        status: 'error',
        durationMs: error.includes('timeout') ? 5000 : round(rng.float(2, 300)),
        error,
      });
      return;
    }
    const rows = query.rows(rng);
    ctx.emit('db:query:result', {
      queryId: query.queryId,
      status: 'ok',
      durationMs: round(rng.float(...query.ms)),
      rowCount: rows.length,
      columns: query.columns,
      rows,
    });
  };
  // Each saved query runs once early on, then one of them every little while.
  QUERIES.forEach((query, i) =>
    ctx.scheduler.after(seconds(1 + i * rng.float(0.5, 2)), () => runQuery(query)),
  );
  const cancel = ctx.scheduler.repeat(
    () => seconds(rng.float(6, 15)),
    () => runQuery(rng.pick(QUERIES)),
  );
  return { stop: cancel };
}
