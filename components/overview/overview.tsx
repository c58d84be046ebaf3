'use client';

import type { ProjectSummary } from '@/lib/shared/api-types';
import { useProjects } from '@/hooks/use-projects';
import { Card, SectionHeading } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { ActivityFeed } from './activity-feed';
import { ProjectCard } from './project-card';

export function Overview({ initialProjects }: { initialProjects: ProjectSummary[] }) {
  const projects = useProjects(initialProjects);
  const slugs = projects.map((p) => p.slug);
  if (projects.length === 0) {
    return (
      <EmptyState
        title="No projects yet"
        example={`${curlExample('project:web', 'service:status', { service: 'api', status: 'running' })}\n\n# or fill Opsroom with a simulated workload:\nnpm run demo`}
      >
        A project appears with its first event. Create a token with{' '}
        <code>npm run opsroom -- token create --name ci --project web --scope publish</code>, then publish:
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_380px]">
      <section aria-labelledby="projects-heading">
        <SectionHeading title="Projects" id="projects-heading">
          <span className="text-xs text-zinc-500">{projects.length} watched live</span>
        </SectionHeading>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {slugs.map((slug) => (
            <ProjectCard key={slug} slug={slug} />
          ))}
        </div>
      </section>
      <section aria-labelledby="activity-heading">
        <SectionHeading title="Activity" id="activity-heading" />
        <Card className="max-h-[70vh] overflow-y-auto p-3">
          <ActivityFeed slugs={slugs} />
        </Card>
      </section>
    </div>
  );
}
