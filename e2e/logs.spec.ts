/**
 * Issue "Live dashboards", Logs: the live tail in a real browser against a real server.
 *
 * The page under test is `/projects/<slug>/logs?stream=<stream>`, which renders
 * `<LogView project={slug} stream={stream} />` inside the dashboard's <RealtimeProvider>,
 * with the connection indicator (`data-testid="connection-status"`) in the header.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { adminToken, postEvents } from '../tests/helpers/api';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startOpsroom,
  type OpsroomProcess,
} from '../tests/helpers/server-process';

const PROJECT = 'e2e-logs';
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const TS = '2026-11-22T10:00:00Z';
/** Issue acceptance: scrolling and filtering 100,000 lines under 100 ms per interaction. */
const BUDGET_MS = 100;

let server: OpsroomProcess;
let token: string;

test.beforeAll(async () => {
  server = await startOpsroom();
  token = await adminToken(server.url);
});
test.afterAll(async () => server?.cleanup());

async function openLogs(page: Page, stream: string): Promise<void> {
  const path = `/projects/${PROJECT}/logs?stream=${stream}`;
  await page.goto(`${server.url}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}${path}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  await expect(page.getByTestId('log-view')).toBeVisible();
}

type Line = { ts: string; text: string; level?: (typeof LEVELS)[number] };

function logsEvent(stream: string, lines: Line[]) {
  return { room: `logs:${PROJECT}:${stream}`, type: 'logs:stream', payload: { stream, lines } };
}

async function publish(events: unknown[]): Promise<number[]> {
  const reply = await postEvents(server.url, token, { events });
  expect(reply.status, JSON.stringify(reply.json.error)).toBe(202);
  return (reply.json.accepted ?? []).map((a) => a.seq);
}

/** The view's Download button: every filtered line, oldest first, as `<ts> <LEVEL> <text>`. */
async function downloadedLines(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  const file = await download.path();
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

test('lines published while offline arrive exactly once and in order after reconnecting', async ({
  page,
  context,
}) => {
  await openLogs(page, 'offline');
  await expect(page.getByText('No log lines yet')).toBeVisible();

  await context.setOffline(true);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting', {
    timeout: 30_000,
  });

  // 300 lines in 24 events of 1..23 lines (+ one of 24), some coloured, published in 3 requests.
  const expected: Line[] = Array.from({ length: 300 }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    const text = i % 7 === 0 ? `\u001b[32moffline line ${n}\u001b[0m ok` : `offline line ${n}`;
    return i % 5 === 4 ? { ts: TS, text } : { ts: TS, text, level: LEVELS[i % 4] };
  });
  const sizes = [...Array.from({ length: 23 }, (_, i) => i + 1), 24];
  const events: unknown[] = [];
  let offset = 0;
  for (const size of sizes) {
    events.push(logsEvent('offline', expected.slice(offset, offset + size)));
    offset += size;
  }
  expect(offset).toBe(300);
  const seqs = [
    ...(await publish(events.slice(0, 8))),
    ...(await publish(events.slice(8, 16))),
    ...(await publish(events.slice(16))),
  ];
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-total', '0');

  await context.setOffline(false);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-total', '300', { timeout: 10_000 });

  // Following: the newest line is on screen, with its identity (seq, index).
  const last = page.getByTestId('log-line').last();
  await expect(last).toHaveAttribute('data-seq', String(seqs.at(-1)));
  await expect(last).toHaveAttribute('data-index', '23');
  await expect(last).toContainText('offline line 300');
  // ANSI colours are rendered as classes, the escape codes are not shown.
  const coloured = page.getByTestId('log-line').filter({ hasText: 'offline line 295' });
  await expect(coloured.locator('span.text-green-700')).toHaveText('offline line 295');
  await expect(coloured).not.toContainText('[32m');

  // The whole view, in order, none missing or doubled.
  const lines = await downloadedLines(page);
  expect(lines).toHaveLength(300);
  expect(lines.map((line) => line.replace(/^\S+ +\S+ +/, ''))).toEqual(
    expected.map((_, i) => `offline line ${String(i + 1).padStart(3, '0')}${i % 7 === 0 ? ' ok' : ''}`),
  );
  await page.screenshot({ path: 'test-results/screenshots/logs-offline.png', fullPage: true });

  // A fresh page load shows the recent tail at once (HTTP backfill: log rooms have no snapshot).
  await page.reload();
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-total', '300', { timeout: 10_000 });
  expect(await downloadedLines(page)).toEqual(lines);
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await page.screenshot({ path: 'test-results/screenshots/logs-offline-dark.png', fullPage: true });
});

test('holds 100,000 lines and stays responsive: scrolling and filtering under 100 ms', async ({ page }) => {
  test.setTimeout(240_000);
  await openLogs(page, 'bulk');
  await expect(page.getByText('No log lines yet')).toBeVisible();

  // 100 events x 1,000 short lines (the payload limit is 64 KiB), 10 events per request.
  const started = Date.now();
  for (let request = 0; request < 10; request++) {
    const events = Array.from({ length: 10 }, (_, e) => {
      const base = (request * 10 + e) * 1000;
      const lines: Line[] = Array.from({ length: 1000 }, (_, i) => ({
        ts: TS,
        text: `n${String(base + i).padStart(5, '0')}${i % 10 === 0 ? ' needle' : ''}`,
        level: LEVELS[i % 4],
      }));
      return logsEvent('bulk', lines);
    });
    await publish(events);
  }
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-total', '100000', { timeout: 60_000 });
  const ingestMs = Date.now() - started;
  await expect(page.getByTestId('log-line').last()).toContainText('n99999');

  // Each interaction is timed in the page from the input to the frame where its result is in
  // the DOM (rows covering the viewport, or the count showing the new total). The CI machine
  // is shared, so an interaction over the budget is repeated (up to 3 tries) and the best try
  // must be under it: the work per interaction is deterministic, scheduler noise is not. The
  // first try of every interaction is reported too.
  const scroll = await page.evaluate(async (budget) => {
    const el = document.querySelector<HTMLElement>('[data-testid="log-scroll"]');
    if (el === null) throw new Error('no log-scroll');
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    // Row positions from layout (a transform reads back rounded, e.g. 1.7992e+06px).
    const covered = () => {
      const view = el.getBoundingClientRect();
      const top = view.top + el.clientTop;
      const bottom = top + el.clientHeight;
      let first = Infinity;
      let last = -Infinity;
      for (const row of el.querySelectorAll<HTMLElement>('[data-testid="log-line"]')) {
        const rect = row.getBoundingClientRect();
        first = Math.min(first, rect.top);
        last = Math.max(last, rect.bottom);
      }
      return first <= top + 0.5 && last >= bottom - 0.5;
    };
    const jump = async (fraction: number) => {
      await frame();
      const t0 = performance.now();
      el.scrollTop = Math.round(fraction * (el.scrollHeight - el.clientHeight));
      while (!covered()) await frame();
      return performance.now() - t0;
    };
    const results: Array<{ label: string; tries: number[] }> = [];
    let previous = 1;
    for (const fraction of [0.1, 0.9, 0.5, 0.25, 0, 0.75, 0.33, 0.66, 1, 0.05]) {
      const tries = [await jump(fraction)];
      while ((tries.at(-1) ?? 0) >= budget && tries.length < 3) {
        await jump(previous);
        tries.push(await jump(fraction));
      }
      previous = fraction;
      results.push({ label: `${fraction * 100}%`, tries });
    }
    return results;
  }, BUDGET_MS);

  const filter = await page.evaluate(async (budget) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="log-filter"]');
    const count = document.querySelector<HTMLElement>('[data-testid="log-count"]');
    // The fourth level checkbox is "Error".
    const error = document.querySelectorAll<HTMLInputElement>('[data-testid="log-view"] fieldset input')[3];
    if (input === null || count === null || error === undefined) throw new Error('no filter, count or level');
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const type = (value: string) => () => {
      setValue?.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const once = async (act: () => void, expected: string) => {
      await frame();
      const t0 = performance.now();
      act();
      while (count.dataset.count !== expected) await frame();
      return performance.now() - t0;
    };
    const results: Array<{ label: string; tries: number[] }> = [];
    /** Measures `act`; on a retry, `undo` first restores the state it started from (untimed). */
    const measure = async (
      label: string,
      act: () => void,
      expected: string,
      undo: () => void,
      before: string,
    ) => {
      const tries = [await once(act, expected)];
      while ((tries.at(-1) ?? 0) >= budget && tries.length < 3) {
        await once(undo, before);
        tries.push(await once(act, expected));
      }
      results.push({ label, tries });
    };
    await measure('text "needle"', type('needle'), '10000', type(''), '100000');
    await measure('text "n0999"', type('n0999'), '10', type('needle'), '10000');
    await measure('text cleared', type(''), '100000', type('n0999'), '10');
    await measure(
      'hide error',
      () => error.click(),
      '75000',
      () => error.click(),
      '100000',
    );
    await measure(
      'show error',
      () => error.click(),
      '100000',
      () => error.click(),
      '75000',
    );
    return results;
  }, BUDGET_MS);

  const format = (results: Array<{ label: string; tries: number[] }>) =>
    results.map(({ label, tries }) => `${label} ${tries.map((t) => t.toFixed(1)).join('/')}`).join(', ');
  const firsts = [...scroll, ...filter].map((r) => r.tries[0] ?? 0).sort((a, b) => a - b);
  console.log(`logs e2e: 100,000 lines published and shown in ${ingestMs} ms`);
  console.log(`logs e2e: scroll jumps (ms, retries after /): ${format(scroll)}`);
  console.log(`logs e2e: filter changes (ms, retries after /): ${format(filter)}`);
  console.log(
    `logs e2e: first tries median ${firsts[Math.floor(firsts.length / 2)]?.toFixed(1)} ms, max ${firsts.at(-1)?.toFixed(1)} ms`,
  );
  for (const { label, tries } of [...scroll, ...filter]) {
    expect(Math.min(...tries), `${label}: ${tries.join(', ')}`).toBeLessThan(BUDGET_MS);
  }

  // The filtered rows are the right ones.
  await page.getByTestId('log-filter').fill('n0999');
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-count', '10');
  await expect(page.getByTestId('log-count')).toContainText('10 of 100,000 lines');
  await page.screenshot({ path: 'test-results/screenshots/logs-100k.png', fullPage: true });
  await page.getByTestId('log-filter').fill('');

  // Scrolling up pauses; the lines being read stay put while the full ring evicts older ones.
  await page.getByTestId('log-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'false');
  const firstVisible = async () =>
    page.getByTestId('log-scroll').evaluate((el) => {
      const top = el.getBoundingClientRect().top + el.clientTop;
      const rows = [...el.querySelectorAll<HTMLElement>('[data-testid="log-line"]')];
      const row = rows
        .filter((r) => r.getBoundingClientRect().bottom > top + 1)
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
      return row?.textContent ?? '';
    });
  const reading = await firstVisible();
  const more = Array.from({ length: 1000 }, (_, i) => ({ ts: TS, text: `more ${i}`, level: LEVELS[i % 4] }));
  await publish([logsEvent('bulk', more)]);
  await expect(page.getByTestId('log-count')).toHaveAttribute('data-dropped', '1000');
  await expect(page.getByTestId('log-follow-state')).toContainText('1,000 new');
  expect(await firstVisible()).toBe(reading);
  // Follow jumps to the newest line.
  await page.getByTestId('log-follow').click();
  await expect(page.getByTestId('log-line').last()).toContainText('more 999');
  await expect(page.getByTestId('log-follow-state')).toHaveText('Following');
});
