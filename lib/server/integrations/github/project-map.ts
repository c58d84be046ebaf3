/**
 * Which Opsroom project a repository's events go to: OPSROOM_GITHUB_PROJECTS
 * (`owner/repo=slug`, keys lower-case) first, otherwise the repository name made into a slug.
 */
import { SLUG_PATTERN } from '@/lib/shared/rooms';

/** Used when a repository name has no character a slug can keep (cannot happen on GitHub). */
const FALLBACK_SLUG = 'github';

/** `Hello-World` -> `hello-world`; anything outside [a-z0-9._-] becomes `-`, cut to 64. */
export function slugFromRepositoryName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return SLUG_PATTERN.test(slug) ? slug : FALLBACK_SLUG;
}

export function projectForRepository(
  repository: { name: string; fullName: string },
  projects: Readonly<Record<string, string>>,
): string {
  return projects[repository.fullName.toLowerCase()] ?? slugFromRepositoryName(repository.name);
}
