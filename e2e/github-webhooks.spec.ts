/**
 * Issue #6 (GitHub part) in real Chromium: GitHub's example workflow_job deliveries, signed
 * as GitHub signs them, drive the Runners page live: the run appears, its runner turns busy
 * with the job, then idle, and the finished job shows its steps and conclusion, reachable by
 * keyboard; the workflow_run examples move a run from queued to completed with its conclusion.
 * A forged or tampered delivery changes nothing on the page.
 */
import { expect, test } from '@playwright/test';
import { deliver, deliverFixture, githubFixture, githubSignature } from '../tests/helpers/github-webhooks';
import { startOpsroom, type OpsroomProcess } from '../tests/helpers/server-process';
import { signIn } from './fixtures';

const SECRET = 'e2e-webhook-secret';
let server: OpsroomProcess;

test.beforeAll(async () => {
  server = await startOpsroom({ env: { GITHUB_WEBHOOK_SECRET: SECRET, OPSROOM_SELF_REPORT: 'off' } });
});
test.afterAll(async () => server?.cleanup());

test('replayed workflow_job deliveries show the runner busy then idle and the run with its jobs, steps and conclusion', async ({
  page,
}) => {
  // Codertocat/Hello-World, the examples' repository, lands in project `hello-world`.
  await signIn(page, server.url, '/projects/hello-world/runners');
  await expect(page.getByText('No runners or workflow runs yet')).toBeVisible();

  const forged = await deliverFixture(server.url, 'workflow_job.in_progress', { secret: 'wrong-secret' });
  expect(forged.status).toBe(401);

  expect((await deliverFixture(server.url, 'workflow_job.queued', { secret: SECRET })).status).toBe(202);
  const run = page.getByRole('article', { name: 'CodeQL' });
  await expect(run).toBeVisible();
  await expect(run.locator('[data-job="289782451"]')).toHaveAttribute('data-status', 'queued');
  await expect(page.getByText('No runners reported yet')).toBeVisible();

  expect((await deliverFixture(server.url, 'workflow_job.in_progress', { secret: SECRET })).status).toBe(202);
  const runner = page.locator('[data-runner="GitHub Actions 5"]');
  await expect(runner).toHaveAttribute('data-status', 'busy');
  await expect(runner.getByTestId('current-job')).toContainText('CodeQL');
  await expect(runner.getByTestId('current-job')).toContainText('Codertocat/Hello-World');
  await expect(runner).toContainText('ubuntu-latest');
  // A running job is shown open, with the step it is on.
  await expect(page.getByRole('list', { name: 'Steps of Analyze (javascript)' })).toContainText('Set up job');
  await expect(run).toContainText('in progress');

  expect(
    (await deliverFixture(server.url, 'workflow_job.completed.success', { secret: SECRET })).status,
  ).toBe(202);
  await expect(runner).toHaveAttribute('data-status', 'idle');
  await expect(runner.getByTestId('current-job')).toHaveCount(0);
  await expect(run).toHaveAttribute('data-status', 'completed');
  await expect(run.getByTestId('run-conclusion')).toHaveText(/Conclusion:\s*success/);
  const job = run.locator('[data-job="289782451"]');
  await expect(job).toHaveAttribute('data-outcome', 'success');
  await expect(job).toContainText('8/8 steps');
  await expect(job).toContainText('on GitHub Actions 5');

  // The finished job folds away; Enter on its summary opens the steps.
  const steps = page.getByRole('list', { name: 'Steps of linters' });
  await expect(steps).toBeHidden();
  await job.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(steps).toBeVisible();
  await expect(steps.getByRole('listitem')).toHaveCount(8);
  await expect(steps.locator('[data-step="Run Rubocop"]')).toHaveAttribute('data-outcome', 'success');

  // The same state comes back from the snapshot after a reload.
  await page.reload();
  await expect(page.locator('[data-runner="GitHub Actions 5"]')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByRole('article', { name: 'CodeQL' }).getByTestId('run-conclusion')).toContainText(
    'success',
  );
});

test('replayed workflow_run deliveries show the run queued, then completed with its conclusion', async ({
  page,
}) => {
  // octo-org/octo-repo, the workflow_run examples' repository, lands in project `octo-repo`.
  await signIn(page, server.url, '/projects/octo-repo/runners');
  await expect(page.getByText('No runners or workflow runs yet')).toBeVisible();

  // Signed as GitHub signed the original, then edited on the way: refused, nothing shown.
  const original = githubFixture('workflow_run.completed');
  const tampered = Buffer.from(original.toString('utf8').replace('"success"', '"failure"'));
  expect(tampered.equals(original)).toBe(false);
  const forged = await deliver(server.url, tampered, {
    event: 'workflow_run',
    secret: SECRET,
    signature: githubSignature(SECRET, original),
  });
  expect(forged.status).toBe(401);

  expect((await deliverFixture(server.url, 'workflow_run.requested', { secret: SECRET })).status).toBe(202);
  const run = page.getByRole('article', { name: 'test' });
  await expect(run).toHaveAttribute('data-status', 'queued');
  await expect(run.getByTestId('run-conclusion')).toHaveCount(0);

  expect((await deliverFixture(server.url, 'workflow_run.completed', { secret: SECRET })).status).toBe(202);
  await expect(run).toHaveAttribute('data-status', 'completed');
  await expect(run.getByTestId('run-conclusion')).toHaveText(/Conclusion:\s*success/);
  await expect(page.getByText('No runners or workflow runs yet')).toHaveCount(0);
  await expect(run.getByRole('link', { name: /Open on GitHub/ })).toHaveAttribute(
    'href',
    'https://github.com/octo-org/octo-repo/actions/runs/289782451',
  );
});
