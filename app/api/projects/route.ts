import { OpsroomError } from '@/lib/shared/errors';
import { canListProjects, visibleProjects } from '@/lib/server/auth/access';
import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  const principal = await requirePrincipal(runtime, request);
  if (!canListProjects(principal))
    throw new OpsroomError('FORBIDDEN', 'This API token lacks the read scope.');
  const projects = await runtime.store.listProjects();
  const visible = new Set(
    visibleProjects(
      principal,
      projects.map((p) => p.slug),
    ),
  );
  return json({ projects: projects.filter((p) => visible.has(p.slug)) });
});
