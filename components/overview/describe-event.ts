/** One human line per event for feeds: "build 142 → test (60%)". */
import type { Envelope } from '@/lib/shared/envelope';

const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

export function describeEvent(event: Envelope): { subject: string; status: string | null; detail: string } {
  const p = event.payload;
  switch (event.type) {
    case 'service:status':
      return { subject: `service ${str(p.service)}`, status: str(p.status), detail: str(p.message) };
    case 'build:progress':
      return {
        subject: `build ${str(p.buildId)}`,
        status: str(p.status),
        detail: `${str(p.step)} · ${str(p.progress)}%`,
      };
    case 'deploy:progress':
      return {
        subject: `deploy ${str(p.deployId)} → ${str(p.environment)}`,
        status: str(p.status),
        detail: `${str(p.step)} · ${str(p.progress)}%`,
      };
    case 'runner:status':
      return { subject: `runner ${str(p.name)}`, status: str(p.status), detail: '' };
    case 'workflow:update':
      return {
        subject: `${str(p.workflow)} (${str(p.repo)})`,
        status: str(p.conclusion) || str(p.status),
        detail: `run ${str(p.runId)}`,
      };
    case 'scale':
      return {
        subject: `pool ${str(p.pool)}`,
        status: null,
        detail: `scaled ${str(p.direction)} ${str(p.from)} → ${str(p.to)}`,
      };
    case 'db:query:result':
      return { subject: `query ${str(p.queryId)}`, status: str(p.status), detail: `${str(p.durationMs)} ms` };
    case 'regression:detected':
      return {
        subject: `regression in ${str(p.test)}`,
        status: str(p.severity),
        detail: `${str(p.metric)} ${Number(p.changePercent) > 0 ? '+' : ''}${str(p.changePercent)}%`,
      };
    case 'notification':
      return { subject: str(p.title), status: str(p.level), detail: str(p.body) };
    case 'run:started':
    case 'run:progress':
    case 'run:complete':
    case 'run:failed':
      return {
        subject: `benchmark ${str(p.suite)}`,
        status: event.type.slice(4),
        detail: p.progress !== undefined ? `${str(p.progress)}%` : '',
      };
    default:
      return { subject: event.type, status: null, detail: JSON.stringify(p).slice(0, 80) };
  }
}
