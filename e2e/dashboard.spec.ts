/**
 * Issue #3 acceptance in real Chromium: live delivery to several tabs and users, presence
 * with tab counts and no flash on reload, and state from the snapshot at once.
 */
import { expect, test } from '@playwright/test';
import { adminToken, postEvents, range } from '../tests/helpers/api';
import { startOpsroom, type OpsroomProcess } from '../tests/helpers/server-process';
import { OPERATOR, createUser, signIn } from './fixtures';

let server: OpsroomProcess;
let token: string;

test.beforeAll(async () => {
  server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
  token = await adminToken(server.url);
  await createUser(server.url, OPERATOR);
});
test.afterAll(async () => server?.cleanup());

test('an event published over HTTP appears within 1 s in two tabs of one user and in another user’s browser', async ({
  browser,
}) => {
  const slug = 'e2e-live';
  await postEvents(server.url, token, {
    room: `project:${slug}`,
    type: 'service:status',
    payload: { service: 'api', status: 'running' },
  });
  const admin = await browser.newContext();
  const operator = await browser.newContext();
  const tab1 = await admin.newPage();
  await signIn(tab1, server.url, `/projects/${slug}`);
  const tab2 = await admin.newPage();
  await tab2.goto(`${server.url}/projects/${slug}`);
  const other = await operator.newPage();
  await signIn(other, server.url, `/projects/${slug}`, OPERATOR.email, OPERATOR.password);
  const pages = [tab1, tab2, other];
  for (const page of pages) await expect(page.locator('[data-service="api"]')).toContainText('running');

  const publishedAt = Date.now();
  await postEvents(server.url, token, {
    room: `project:${slug}`,
    type: 'service:status',
    payload: { service: 'api', status: 'degraded', message: 'p99 over budget' },
  });
  await Promise.all(
    pages.map((page) =>
      expect(page.locator('[data-service="api"]')).toContainText('degraded', { timeout: 1000 }),
    ),
  );
  const elapsed = Date.now() - publishedAt;
  console.log(`event visible in 3 pages after ${elapsed} ms`);
  expect(elapsed).toBeLessThan(1500);
  await admin.close();
  await operator.close();
});

test('presence shows both users with tab counts, follows a closed tab, and does not flash on reload', async ({
  browser,
}) => {
  const slug = 'e2e-presence';
  const admin = await browser.newContext();
  const operator = await browser.newContext();
  const tab1 = await admin.newPage();
  await signIn(tab1, server.url, `/projects/${slug}`);
  const tab2 = await admin.newPage();
  await tab2.goto(`${server.url}/projects/${slug}`);
  const watcher = await operator.newPage();
  await signIn(watcher, server.url, `/projects/${slug}`, OPERATOR.email, OPERATOR.password);

  const adminAvatar = watcher.locator('[data-testid="presence-member"][data-user="admin"]');
  await expect(adminAvatar).toHaveAttribute('data-connections', '2');
  await expect(
    watcher.locator(`[data-testid="presence-member"][data-user="${OPERATOR.name}"]`),
  ).toHaveAttribute('data-connections', '1');
  await expect(tab1.locator('[data-testid="presence-member"]')).toHaveCount(2);

  await tab2.close();
  await expect(adminAvatar).toHaveAttribute('data-connections', '1');

  // Record any moment the admin's avatar disappears from the operator's view during a reload.
  await watcher.evaluate(() => {
    const w = window as unknown as { __flashed: boolean };
    w.__flashed = false;
    const check = () => {
      if (!document.querySelector('[data-testid="presence-member"][data-user="admin"]')) w.__flashed = true;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await tab1.reload();
  await expect(tab1.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  await watcher.waitForTimeout(4000); // past the 3 s leave delay
  expect(await watcher.evaluate(() => (window as unknown as { __flashed: boolean }).__flashed)).toBe(false);
  await expect(adminAvatar).toHaveAttribute('data-connections', '1');
  await admin.close();
  await operator.close();
});

test('a tab opened after 50 builds ran shows their current state at once, from the snapshot', async ({
  browser,
}) => {
  const slug = 'e2e-builds';
  const events = range(1, 50).flatMap((n) => [
    {
      room: `project:${slug}`,
      type: 'build:progress',
      payload: { buildId: String(n), status: 'in-progress', progress: 50, step: 'test' },
    },
    {
      room: `project:${slug}`,
      type: 'build:progress',
      payload: {
        buildId: String(n),
        status: n % 10 === 0 ? 'failed' : 'complete',
        progress: 100,
        step: 'done',
      },
    },
  ]);
  for (let i = 0; i < events.length; i += 100)
    expect((await postEvents(server.url, token, { events: events.slice(i, i + 100) })).status).toBe(202);

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, `/projects/${slug}/builds`);
  await expect(page.getByTestId('build-row')).toHaveCount(50, { timeout: 2000 });
  await expect(page.locator('[data-testid="build-row"] [data-status="failed"]')).toHaveCount(5);
  await expect(page.locator('[data-testid="build-row"] [data-status="complete"]')).toHaveCount(45);
  await context.close();
});
