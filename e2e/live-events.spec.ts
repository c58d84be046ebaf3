/**
 * Issue #2: the whole path in a real browser. Log in, watch a room, and see events
 * published over HTTP appear live, including after the connection drops and returns.
 */
import { expect, test } from '@playwright/test';
import { adminToken, buildEvent, postEvents, range } from '../tests/helpers/api';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startOpsroom,
  type OpsroomProcess,
} from '../tests/helpers/server-process';

let server: OpsroomProcess;
let token: string;

test.beforeAll(async () => {
  server = await startOpsroom();
  token = await adminToken(server.url);
});
test.afterAll(async () => server?.cleanup());

test('log in, watch a room, and see HTTP-published events live and after a reconnect', async ({
  page,
  context,
}) => {
  // Every dashboard route needs a session: the Events page sends us to log in first.
  await page.goto(`${server.url}/projects/other/events`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/projects\/other\/events/);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  // Switch rooms from the room field.
  await page.getByLabel('Room').fill('project:e2e');
  await page.getByRole('button', { name: 'Watch' }).click();
  await expect(page.getByText('No events in project:e2e yet.')).toBeVisible();

  const published = await postEvents(server.url, token, buildEvent('project:e2e', 1));
  expect(published.status).toBe(202);
  const rows = page.getByTestId('event-table').locator('tbody tr');
  await expect(rows).toHaveCount(1, { timeout: 2000 });
  await expect(rows.first()).toContainText('build:progress');

  // Drop the network, publish meanwhile, come back: the missed events arrive, none twice.
  await context.setOffline(true);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', /reconnecting|offline/, {
    timeout: 30_000,
  });
  const missed = await postEvents(server.url, token, {
    events: range(2, 21).map((n) => buildEvent('project:e2e', n)),
  });
  expect(missed.status).toBe(202);
  await context.setOffline(false);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
    timeout: 30_000,
  });
  await expect(rows).toHaveCount(21);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
  expect(shown).toEqual(range(1, 21).reverse());
  await page.screenshot({ path: 'test-results/screenshots/live-events.png', fullPage: true });
});
