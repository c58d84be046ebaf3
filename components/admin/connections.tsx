'use client';

import { TableHead } from '@/components/ui/table-head';
import { useMemo } from 'react';
import { useSystemStats, type SystemStats } from '@/hooks/use-system-stats';
import { formatBytes } from '@/components/containers/containers-section';
import { Card, SectionHeading } from '@/components/ui/card';
import { TimeSeriesChart } from '@/components/ui/time-series-chart';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card className="p-4">
      <p className="text-xs text-zinc-500 uppercase">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
    </Card>
  );
}

/** Admin → Connections: who is connected where, live from the `system` room. */
export function Connections({ initial }: { initial: SystemStats }) {
  const { latest, series } = useSystemStats(initial);
  const rooms = Object.entries(latest.clientsPerRoom).sort(([, a], [, b]) => b - a);
  const times = useMemo(() => series.map((s) => s.t), [series]);
  const clientsSeries = useMemo(
    () => [{ label: 'Clients', color: '#6366f1', values: series.map((s) => s.clients) }],
    [series],
  );
  const rateSeries = useMemo(
    () => [{ label: 'Events/s', color: '#10b981', values: series.map((s) => s.eventsPerSec) }],
    [series],
  );
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Clients" value={String(latest.totalClients)} testId="stat-clients" />
        <Stat label="Rooms" value={String(latest.totalRooms)} testId="stat-rooms" />
        <Stat label="Events/s" value={latest.eventsPerSec.toFixed(1)} testId="stat-rate" />
        <Stat label="Instances" value={String(latest.instances.length)} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="p-4">
          <SectionHeading title="Clients" />
          <TimeSeriesChart
            times={times}
            series={clientsSeries}
            label="Connected clients over time"
            format={(v) => v.toFixed(0)}
          />
        </Card>
        <Card className="p-4">
          <SectionHeading title="Events per second" />
          <TimeSeriesChart times={times} series={rateSeries} label="Events per second over time" />
        </Card>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="rooms-table">
            <caption className="px-4 pt-3 text-left text-xs font-semibold text-zinc-500 uppercase">
              Clients per room
            </caption>
            <TableHead columns={['Room', { label: 'Clients', align: 'right' }]} />
            <tbody>
              {rooms.map(([room, count]) => (
                <tr key={room} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-4 py-1.5 font-mono">{room}</td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="px-4 pt-3 text-left text-xs font-semibold text-zinc-500 uppercase">
              Instances
            </caption>
            <TableHead columns={['Instance', { label: 'Clients', align: 'right' }, 'Started']} />
            <tbody>
              {latest.instances.map((instance) => (
                <tr key={instance.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-4 py-1.5 font-mono">{instance.id}</td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{instance.clients}</td>
                  <td className="px-4 py-1.5 text-zinc-500">
                    {new Date(instance.startedAt).toLocaleString()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {latest.rssBytes !== undefined && (
            <p className="px-4 pb-3 text-xs text-zinc-500">
              Server memory (RSS): {formatBytes(latest.rssBytes)}
            </p>
          )}
        </Card>
      </div>
    </div>
  );
}
