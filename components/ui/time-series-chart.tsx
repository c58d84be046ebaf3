'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  values: Array<number | null>;
}

/**
 * A small live line chart (uPlot: canvas, cheap to update). The chart is created once and
 * fed with setData, so a new sample costs a redraw, not a re-mount.
 */
export function TimeSeriesChart({
  times,
  series,
  height = 140,
  format = (v: number) => v.toFixed(1),
  label,
}: {
  times: number[];
  series: Series[];
  height?: number;
  format?: (value: number) => string;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const axis = {
      stroke: '#71717a',
      grid: { stroke: 'rgba(113,113,122,0.15)' },
      ticks: { stroke: 'rgba(113,113,122,0.3)' },
    };
    const plot = new uPlot(
      {
        width: element.clientWidth || 400,
        height,
        // A legend names several series; one series is named by the card around the chart.
        legend: { show: series.length > 1, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: 72, values: (_u, ticks) => ticks.map((t) => format(t)) }],
        series: [
          {},
          ...shape.split('|').map((entry) => {
            const [seriesLabel, color] = entry.split(':');
            return { label: seriesLabel, stroke: color, width: 1.5, points: { show: false } };
          }),
        ],
      },
      [[], ...shape.split('|').map(() => [])],
      element,
    );
    chart.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
    // format is treated as stable per chart; re-creating on every render would defeat the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    chart.current?.setData([times.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [times, series]);

  return <div ref={container} role="img" aria-label={label} className="w-full" />;
}
