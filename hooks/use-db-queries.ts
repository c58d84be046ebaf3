'use client';

import type { Envelope } from '@/lib/shared/envelope';
import type { DbQueryResultPayload } from '@/lib/shared/events';
import { useProject } from './use-project';

/** Recent query results, newest first (bounded). */
export function useDbQueries(project: string): {
  queries: Array<Envelope<DbQueryResultPayload>>;
  loaded: boolean;
} {
  const queries = useProject(project, (s) => s.queries);
  const loaded = useProject(project, (s) => s.loaded);
  return { queries, loaded };
}
