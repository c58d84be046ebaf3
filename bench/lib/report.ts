/** Plain-text tables for the terminal and JSON result files under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clkTck } from './proc-stats';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
}

export function formatTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)),
  );
  const pad = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'left' ? text.padEnd(width) : text.padStart(width);
  };
  const lines = [
    columns.map((column, i) => pad(column.header, i)).join('  '),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map((line) => line.map((cell, i) => pad(cell, i)).join('  ')),
  ];
  return lines.join('\n');
}

/** Fixed-point number for a table cell; '-' for NaN/undefined. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    clkTck: clkTck(),
  };
}

/** Writes bench/results/<scenario>-<timestamp>.json (or into `dir`) and returns the path. */
export function writeResults(
  scenario: string,
  data: unknown,
  dir = path.join(__dirname, '..', 'results'),
): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${scenario}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Progress lines go to stderr so stdout carries only the results table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** `1` for a single run, `med/3` for the median of three (round 0 holds the medians). */
export const runLabel = (r: { round: number }, rounds: number): string =>
  r.round === 0 ? `med/${rounds}` : String(r.round);

/** A failed run's error for the table and JSON: the first lines of its message, never a stack. */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').slice(0, 6).join(' | ') : String(error);
}
