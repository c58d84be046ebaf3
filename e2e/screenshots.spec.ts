/**
 * Screenshots of every page in light and dark themes, with a realistic workload from
 * `npm run demo`, saved under test-results/screenshots/ for a human to look at.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { adminToken } from '../tests/helpers/api';
import { ROOT, startOpsroom, type OpsroomProcess } from '../tests/helpers/server-process';
import { signIn } from './fixtures';

let server: OpsroomProcess;
let project: string;

test.beforeAll(async () => {
  server = await startOpsroom();
  const token = await adminToken(server.url);
  // Async, not spawnSync: a blocked event loop lets the server drop our keep-alive connection.
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'cli/demo.ts',
      '--url',
      server.url,
      '--token',
      token,
      '--duration',
      '8',
      '--speed',
      '4',
      '--seed',
      '7',
    ],
    { cwd: ROOT, timeout: 60_000 },
  );
  const projects = (await (
    await fetch(`${server.url}/api/projects`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    projects: Array<{ slug: string }>;
  };
  project = projects.projects.find((p) => p.slug.startsWith('demo-'))?.slug ?? 'opsroom';
});
test.afterAll(async () => server?.cleanup());

const PAGES = [
  '',
  '/builds',
  '/deploys',
  '/logs',
  '/runners',
  '/queries',
  '/containers',
  '/benchmarks',
  '/events',
];

for (const theme of ['light', 'dark'] as const) {
  test(`every page renders in the ${theme} theme`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'opsroom_theme', value: theme, url: server.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, server.url, '/');
    await expect(page.getByTestId('project-card').first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/overview-${theme}.png`, fullPage: true });
    for (const section of PAGES) {
      await page.goto(`${server.url}/projects/${project}${section}`);
      await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
      await page.waitForTimeout(500);
      await page.screenshot({
        path: `test-results/screenshots/project${section.replace('/', '-') || '-services'}-${theme}.png`,
        fullPage: true,
      });
    }
    await page.goto(`${server.url}/admin/connections`);
    await expect(page.getByTestId('stat-clients')).toBeVisible();
    await page.waitForTimeout(2500);
    await page.screenshot({
      path: `test-results/screenshots/admin-connections-${theme}.png`,
      fullPage: true,
    });
    await page.goto(`${server.url}/admin/audit`);
    await expect(page.getByTestId('audit-table')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/admin-audit-${theme}.png`, fullPage: true });
    await page.goto(`${server.url}/login`);
    await page.screenshot({ path: `test-results/screenshots/login-${theme}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}
