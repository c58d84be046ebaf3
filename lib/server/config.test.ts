import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseEnv } from './config';

const messageOf = (env: Record<string, string>): string => {
  try {
    parseEnv(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

/** The `stats` section of a full config, with a throwaway data directory. */
const loadStats = (env: Record<string, string>) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-config-'));
  try {
    return loadConfig({ OPSROOM_DATA_DIR: dataDir, OPSROOM_SECRET: 's'.repeat(32), ...env }, []).stats;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

describe('config', () => {
  it('has the documented defaults', () => {
    const parsed = parseEnv({});
    expect(parsed).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      BATCH_MAX_EVENTS: 10,
      BATCH_MAX_WAIT_MS: 100,
      HISTORY_MAX_EVENTS: 10_000,
      LOG_LEVEL: 'info',
      OPSROOM_DATA_DIR: './data',
      OPSROOM_WS_COMPRESSION: 'off',
    });
  });

  it('names the bad variable in one line', () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['BATCH_MAX_EVENTS', '0'],
      ['BATCH_MAX_WAIT_MS', '-5'],
      ['DATABASE_URL', 'mysql://x'],
      ['REDIS_URL', 'localhost:6379'],
      ['LOG_LEVEL', 'loud'],
      ['OPSROOM_ALLOWED_ORIGINS', 'not an origin'],
      ['OPSROOM_GITHUB_PROJECTS', 'owner/repo'],
      ['OPSROOM_WS_COMPRESSION', 'yes'],
    ] as const) {
      const message = messageOf({ [name]: value });
      expect(message).toContain(`Invalid environment variable ${name}:`);
      expect(message).not.toContain('\n');
    }
  });

  it('hides secret values in the message', () => {
    expect(messageOf({ OPSROOM_SECRET: 'short' })).not.toContain('short');
  });

  it('requires the admin email and password together', () => {
    expect(messageOf({ OPSROOM_ADMIN_EMAIL: 'a@b.co' })).toContain('OPSROOM_ADMIN_PASSWORD');
  });

  it('parses origin lists and GitHub project maps', () => {
    const parsed = parseEnv({
      OPSROOM_ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080',
      OPSROOM_GITHUB_PROJECTS: 'acme/web=web,acme/api=backend',
    });
    expect(parsed.OPSROOM_ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(parsed.OPSROOM_GITHUB_PROJECTS).toEqual({ 'acme/web': 'web', 'acme/api': 'backend' });
  });

  it('has stats defaults and validates the stats variables', () => {
    expect(loadStats({})).toEqual({
      intervalMs: 5000,
      dockerSocket: '/var/run/docker.sock',
      project: 'opsroom',
    });
    expect(
      loadStats({
        OPSROOM_STATS_INTERVAL_MS: '500',
        OPSROOM_DOCKER_SOCKET: '/run/user/1000/docker.sock',
        OPSROOM_STATS_PROJECT: 'infra',
      }),
    ).toEqual({ intervalMs: 500, dockerSocket: '/run/user/1000/docker.sock', project: 'infra' });
    expect(messageOf({ OPSROOM_STATS_INTERVAL_MS: '100' })).toBe(
      'Invalid environment variable OPSROOM_STATS_INTERVAL_MS: must be at least 500 (got "100")',
    );
    expect(messageOf({ OPSROOM_DOCKER_SOCKET: 'docker.sock' })).toContain(
      'OPSROOM_DOCKER_SOCKET: must be an absolute path to a unix socket',
    );
    expect(messageOf({ OPSROOM_DOCKER_SOCKET: `/${'x'.repeat(107)}` })).toContain('OPSROOM_DOCKER_SOCKET');
    expect(messageOf({ OPSROOM_STATS_PROJECT: 'My Project' })).toBe(
      'Invalid environment variable OPSROOM_STATS_PROJECT: must match [a-z0-9][a-z0-9._-]{0,63} (got "My Project")',
    );
  });

  it('keeps GitHub repository keys lower-case and names a bad slug', () => {
    expect(parseEnv({ OPSROOM_GITHUB_PROJECTS: 'Acme/Web=web' }).OPSROOM_GITHUB_PROJECTS).toEqual({
      'acme/web': 'web',
    });
    expect(parseEnv({}).OPSROOM_GITHUB_PROJECTS).toEqual({});
    const message = messageOf({ OPSROOM_GITHUB_PROJECTS: 'acme/web=Web Site' });
    expect(message).toContain('Invalid environment variable OPSROOM_GITHUB_PROJECTS:');
    expect(message).toContain('slug');
    expect(messageOf({ GITHUB_WEBHOOK_SECRET: '' })).toContain('GITHUB_WEBHOOK_SECRET');
    expect(messageOf({ GITHUB_WEBHOOK_SECRET: '' })).not.toContain('(got ""');
  });
});
