// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"fetch": {"disableSameOriginPolicy": true}}}
/**
 * The React hooks under StrictMode, with the real realtime client and a real server: the
 * snapshot renders at once, live events update, one server subscription per room however
 * many hooks and double effects, and unmount unsubscribes.
 */
import { StrictMode, type ReactNode } from 'react';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { RealtimeProvider } from '@/components/providers/realtime-provider';
import { adminToken, history, login, postEvents, range } from '@/tests/helpers/api';
import { httpRequest } from '@/tests/helpers/node-http';
import { startOpsroom, type OpsroomProcess } from '@/tests/helpers/server-process';
import { useBenchmarkRuns } from './use-benchmark-runs';
import { useBuildProgress } from './use-build-progress';
import { useDeployProgress } from './use-deploy-progress';
import { useDockerStats } from './use-docker-stats';
import { useNotifications } from './use-notifications';
import { useRunnerStatus } from './use-runner-status';
import { useServiceStatus } from './use-service-status';
import { useWebSocket } from './use-web-socket';
import { useWorkflowRuns } from './use-workflow-runs';

let server: OpsroomProcess;
let token: string;
let cookie: string;

beforeAll(async () => {
  server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
  token = await adminToken(server.url);
  cookie = await login(server.url);
});
afterEach(cleanup);
afterAll(async () => server?.cleanup());

const fetchHistory = async (room: string, since: number, limit: number): Promise<Envelope[]> =>
  (await history(server.url, token, room, since, limit)).json.events;

function wrapper({ children }: { children: ReactNode }) {
  return (
    <StrictMode>
      <RealtimeProvider url={server.url} token={token} fetchHistory={fetchHistory}>
        {children}
      </RealtimeProvider>
    </StrictMode>
  );
}

async function subscribersOf(room: string): Promise<number> {
  const response = await httpRequest('GET', `${server.url}/api/ws/stats`, { headers: { cookie } });
  const stats = JSON.parse(response.text) as { clientsPerRoom: Record<string, number> };
  return stats.clientsPerRoom[room] ?? 0;
}

/** Renders a probe that calls the hooks and exposes their latest values. */
function probe<T>(useValue: () => T): { current: () => T; unmount: () => void } {
  const box: { value?: T } = {};
  function Probe() {
    box.value = useValue();
    return null;
  }
  const { unmount } = render(<Probe />, { wrapper });
  return { current: () => box.value as T, unmount };
}

describe('hooks (StrictMode, real client and server)', () => {
  it('render the snapshot at once, follow live events, share one subscription, and unsubscribe on unmount', async () => {
    const room = 'project:hooks';
    await postEvents(server.url, token, {
      events: [
        { room, type: 'service:status', payload: { service: 'api', status: 'running' } },
        {
          room,
          type: 'build:progress',
          payload: { buildId: '1', status: 'in-progress', progress: 20, step: 'install' },
        },
        {
          room,
          type: 'build:progress',
          payload: { buildId: '1', status: 'in-progress', progress: 60, step: 'test' },
        },
        {
          room,
          type: 'deploy:progress',
          payload: {
            deployId: 'd1',
            environment: 'staging',
            status: 'complete',
            progress: 100,
            step: 'done',
          },
        },
        {
          room,
          type: 'runner:status',
          payload: {
            runnerId: 'r1',
            name: 'linux-1',
            status: 'busy',
            labels: ['linux'],
            currentJob: { jobId: 'j', workflow: 'CI', repo: 'acme/web' },
          },
        },
        {
          room,
          type: 'workflow:update',
          payload: { runId: 9, workflow: 'CI', repo: 'acme/web', status: 'in_progress' },
        },
      ],
    });
    const hooks = probe(() => ({
      socket: useWebSocket(),
      services: useServiceStatus('hooks'),
      api: useServiceStatus('hooks', 'api'),
      build: useBuildProgress('hooks', '1'),
      deploys: useDeployProgress('hooks'),
      runners: useRunnerStatus('hooks'),
      runs: useWorkflowRuns('hooks'),
    }));

    await waitFor(() => expect(hooks.current().build.progress).toBe(60), { timeout: 5000 });
    const value = hooks.current();
    expect(value.socket.status).toBe('connected');
    expect(value.services.services.map((s) => s.latest.payload.service)).toEqual(['api']);
    expect(value.api.service?.latest.payload.status).toBe('running');
    expect(value.build.isBuilding).toBe(true);
    expect(value.deploys.byEnvironment.map((e) => e.environment)).toEqual(['staging']);
    expect(value.runners.runners[0]?.payload.currentJob?.repo).toBe('acme/web');
    expect(value.runs.runs[0]?.payload.runId).toBe('9');
    // Backfill gives the build its earlier steps.
    await waitFor(() =>
      expect(hooks.current().build.history.map((s) => s.step)).toEqual(['install', 'test']),
    );
    // Seven hooks, StrictMode double effects: one server subscription.
    await waitFor(async () => expect(await subscribersOf(room)).toBe(1));

    await postEvents(server.url, token, {
      room,
      type: 'build:progress',
      payload: { buildId: '1', status: 'failed', progress: 80, step: 'test', message: '3 tests failed' },
    });
    await waitFor(() => expect(hooks.current().build.isFailed).toBe(true));
    expect(hooks.current().build.history.at(-1)).toMatchObject({ step: 'test', status: 'failed' });
    act(() => hooks.current().build.reset());
    expect(hooks.current().build.build).toBeNull();

    hooks.unmount();
    await waitFor(async () => expect(await subscribersOf(room)).toBe(0), { timeout: 5000 });
  });

  it('keep container series bounded and surface live notifications as toasts', async () => {
    const room = 'project:hooks-stats';
    const hooks = probe(() => ({
      docker: useDockerStats('hooks-stats'),
      benchmarks: useBenchmarkRuns('hooks-stats'),
      notifications: useNotifications(),
    }));
    await waitFor(() => expect(hooks.current().docker.loaded).toBe(true), { timeout: 5000 });
    const samples = range(1, 400).map((n) => ({
      room,
      type: 'docker:stats',
      payload: { container: 'db', cpuPercent: n % 100, memUsage: n, memLimit: 1000 },
    }));
    for (let i = 0; i < samples.length; i += 100)
      await postEvents(server.url, token, { events: samples.slice(i, i + 100) });
    await postEvents(server.url, token, {
      events: [
        { room, type: 'run:started', payload: { runId: 'r1', suite: 'api' } },
        {
          room,
          type: 'regression:detected',
          payload: {
            runId: 'r1',
            test: 'GET /',
            metric: 'p99',
            baseline: 10,
            current: 14,
            changePercent: 40,
            severity: 'high',
          },
        },
        {
          room,
          type: 'notification',
          payload: { level: 'error', title: 'Deploy failed', body: 'production' },
        },
      ],
    });
    await waitFor(
      () =>
        expect(hooks.current().notifications.toasts.map((t) => t.payload.title)).toEqual(['Deploy failed']),
      { timeout: 5000 },
    );
    const db = hooks.current().docker.containers[0];
    expect(db?.series.length).toBe(300);
    expect(db?.latest.payload.memUsage).toBe(400);
    expect(hooks.current().benchmarks.regressions[0]?.payload.severity).toBe('high');
    expect(hooks.current().benchmarks.runs[0]?.status).toBe('started');
    hooks.unmount();
  });
});
