import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './config';

const messageOf = (env: Record<string, string>): string => {
  try {
    parseEnv(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
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
});
