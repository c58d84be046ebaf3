'use client';

import { useMemo } from 'react';
import { useDockerStats } from '@/hooks/use-docker-stats';
import type { ContainerEntry } from '@/lib/stores/project-state';
import { Card } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { TimeSeriesChart } from '@/components/ui/time-series-chart';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Network counters are cumulative; the chart shows bytes per second between samples. */
function rates(values: Array<number | null>, times: number[]): Array<number | null> {
  return values.map((value, i) => {
    const prev = values[i - 1];
    const dt = ((times[i] ?? 0) - (times[i - 1] ?? 0)) / 1000;
    if (i === 0 || value === null || prev === null || prev === undefined || dt <= 0) return null;
    return Math.max(0, (value - prev) / dt);
  });
}

function ContainerCard({ entry }: { entry: ContainerEntry }) {
  const p = entry.latest.payload;
  const times = useMemo(() => entry.series.map((s) => s.t), [entry.series]);
  const cpu = useMemo(
    () => [{ label: 'CPU %', color: '#6366f1', values: entry.series.map((s) => s.cpuPercent) }],
    [entry.series],
  );
  const memory = useMemo(
    () => [{ label: 'Memory', color: '#10b981', values: entry.series.map((s) => s.memUsage) }],
    [entry.series],
  );
  const network = useMemo(
    () => [
      {
        label: 'Rx/s',
        color: '#0ea5e9',
        values: rates(
          entry.series.map((s) => s.netRx),
          times,
        ),
      },
      {
        label: 'Tx/s',
        color: '#f59e0b',
        values: rates(
          entry.series.map((s) => s.netTx),
          times,
        ),
      },
    ],
    [entry.series, times],
  );
  const memPercent = p.memLimit > 0 ? (p.memUsage / p.memLimit) * 100 : 0;
  return (
    <Card className="flex flex-col gap-2 p-4" data-testid="container-card" data-container={p.container}>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h3 className="font-semibold">{p.container}</h3>
        <span className="text-sm tabular-nums">CPU {p.cpuPercent.toFixed(1)}%</span>
        <span className="text-sm tabular-nums">
          Mem {formatBytes(p.memUsage)} / {formatBytes(p.memLimit)} ({memPercent.toFixed(0)}%)
        </span>
        {p.pids !== undefined && <span className="text-sm text-zinc-500 tabular-nums">{p.pids} pids</span>}
      </div>
      <TimeSeriesChart
        times={times}
        series={cpu}
        label={`${p.container} CPU percent over time`}
        format={(v) => `${v.toFixed(0)}%`}
      />
      <TimeSeriesChart
        times={times}
        series={memory}
        label={`${p.container} memory over time`}
        format={formatBytes}
      />
      {p.netRx !== undefined && (
        <TimeSeriesChart
          times={times}
          series={network}
          label={`${p.container} network over time`}
          format={(v) => `${formatBytes(v)}/s`}
        />
      )}
    </Card>
  );
}

export function ContainersSection({ project }: { project: string }) {
  const { containers, loaded } = useDockerStats(project);
  if (loaded && containers.length === 0) {
    return (
      <EmptyState
        title="No container stats yet"
        example={curlExample(`project:${project}`, 'docker:stats', {
          container: 'api',
          cpuPercent: 12.5,
          memUsage: 268435456,
          memLimit: 1073741824,
        })}
      >
        Charts appear when <code>docker:stats</code> samples arrive:
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {containers.map((entry) => (
        <ContainerCard key={entry.latest.payload.container} entry={entry} />
      ))}
    </div>
  );
}
