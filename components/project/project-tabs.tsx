import { NavLink } from '@/components/shell/nav-link';

export const PROJECT_SECTIONS = [
  { path: '', label: 'Services' },
  { path: '/builds', label: 'Builds' },
  { path: '/deploys', label: 'Deploys' },
  { path: '/logs', label: 'Logs' },
  { path: '/runners', label: 'Runners & workflows' },
  { path: '/queries', label: 'Queries' },
  { path: '/containers', label: 'Containers' },
  { path: '/benchmarks', label: 'Benchmarks' },
  { path: '/events', label: 'Events' },
] as const;

export function ProjectTabs({ slug }: { slug: string }) {
  return (
    <nav aria-label="Project sections" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
      {PROJECT_SECTIONS.map((section) => (
        <NavLink key={section.path} href={`/projects/${slug}${section.path}`} exact={section.path === ''}>
          {section.label}
        </NavLink>
      ))}
    </nav>
  );
}
