import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN } from '@/lib/shared/rooms';
import { projectForRepository, slugFromRepositoryName } from './project-map';

describe('GitHub project map', () => {
  it('uses the configured slug for a mapped repository, whatever the case', () => {
    const projects = { 'acme/web-frontend': 'web' };
    expect(projectForRepository({ name: 'Web-Frontend', fullName: 'Acme/Web-Frontend' }, projects)).toBe(
      'web',
    );
    expect(projectForRepository({ name: 'api', fullName: 'acme/api' }, projects)).toBe('api');
  });

  it('makes any repository name into a valid slug', () => {
    expect(slugFromRepositoryName('Hello-World')).toBe('hello-world');
    expect(slugFromRepositoryName('my_repo.js')).toBe('my_repo.js');
    expect(slugFromRepositoryName('.github')).toBe('github');
    expect(slugFromRepositoryName('--Weird  Name!!')).toBe('weird-name-');
    expect(slugFromRepositoryName('x'.repeat(100))).toHaveLength(64);
    expect(slugFromRepositoryName('___')).toBe('github');
    for (const name of ['Hello-World', '.github', '--Weird  Name!!', 'x'.repeat(100), '___', 'ÄÖÜ']) {
      expect(slugFromRepositoryName(name)).toMatch(SLUG_PATTERN);
    }
  });
});
