/**
 * Issue 6 acceptance, in the browser: after `opsroom run` of a command printing 20,000 lines,
 * the Logs page for that build's stream shows all 20,000, in order (loaded from history on
 * page open, since the run is over by then): the count, the first and the last line by
 * scrolling, and the whole view through its Download button.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { adminToken } from '../tests/helpers/api';
import { startCli } from '../tests/helpers/cli-process';
import { ROOT, startOpsroom, type OpsroomProcess } from '../tests/helpers/server-process';
import { signIn } from './fixtures';

const PROJECT = 'e2e-cli';
const LINES = 20_000;

let server: OpsroomProcess;
let token: string;

test.beforeAll(async () => {
  server = await startOpsroom();
  token = await adminToken(server.url);
});
test.afterAll(async () => server?.cleanup());

const numbered = Array.from(
  { length: LINES },
  (_, i) => `line ${String(i + 1).padStart(5, '0')} of ${LINES}`,
);

/** The view's Download button: every line, oldest first, as `<ts> <LEVEL> <text>`. */
async function downloadedTexts(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  const file = await download.path();
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^\S+ +\S+ +/, ''));
}

test('the Logs page shows every line of a 20,000-line run, in order', async ({ page }) => {
  test.setTimeout(180_000);
  const printer = path.join(ROOT, 'tests', 'fixtures', 'print-numbered-lines.mjs');
  const cli = startCli([
    'run',
    '--project',
    PROJECT,
    '--build',
    'e2e',
    '--quiet',
    '--url',
    server.url,
    '--token',
    token,
    '--',
    process.execPath,
    printer,
    String(LINES),
    '2000',
    '3',
    '2500',
  ]);
  expect(await cli.exited, cli.stderr()).toBe(3);

  await signIn(page, server.url, `/projects/${PROJECT}/logs?stream=build-e2e`);
  const count = page.getByTestId('log-count');
  await expect(count).toHaveAttribute('data-total', String(LINES), { timeout: 30_000 });
  await expect(count).toHaveText('20,000 lines');

  // Following: the newest line is at the bottom.
  await expect(page.getByTestId('log-line').last()).toContainText(`line 20000 of ${LINES}`);
  // Scrolling to the top reaches the first line.
  await page.getByTestId('log-scroll').evaluate((el) => (el.scrollTop = 0));
  await expect(page.getByTestId('log-line').first()).toContainText(`line 00001 of ${LINES}`);
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'false');
  // stderr lines carry the error level.
  await page.getByTestId('log-filter').fill('line 02500 ');
  await expect(count).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('log-line').first()).toHaveAttribute('data-level', 'error');
  await page.getByTestId('log-filter').fill('');

  expect(await downloadedTexts(page)).toEqual(numbered);
  await page.screenshot({ path: 'test-results/screenshots/logs-cli-run.png', fullPage: true });

  // The build card: failed with the exit code.
  await page.goto(`${server.url}/projects/${PROJECT}/builds`);
  await expect(page.getByText('exited with code 3').first()).toBeVisible();
});
