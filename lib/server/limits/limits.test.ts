import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv } from '../config';
import { createLimits } from './limits';

describe('limit configuration', () => {
  it('has the documented defaults', () => {
    expect(parseEnv({})).toMatchObject({
      OPSROOM_MAX_BODY_BYTES: 1024 * 1024,
      OPSROOM_MAX_PAYLOAD_BYTES: 64 * 1024,
      OPSROOM_MAX_SOCKET_MESSAGE_BYTES: 64 * 1024,
      OPSROOM_MAX_JSON_DEPTH: 32,
      OPSROOM_LOGIN_ATTEMPTS_PER_MIN: 10,
      OPSROOM_PUBLISH_RATE_PER_MIN: 120_000,
      OPSROOM_SOCKET_MESSAGES_PER_MIN: 100,
      OPSROOM_MAX_CONNECTIONS_PER_USER: 20,
      OPSROOM_MAX_CONNECTIONS: 10_000,
      OPSROOM_MAX_SUBSCRIPTIONS_PER_SOCKET: 200,
      OPSROOM_TRUST_PROXY: '0',
    });
  });

  it('names a bad limit variable in one line', () => {
    for (const [name, value] of [
      ['OPSROOM_LOGIN_ATTEMPTS_PER_MIN', '0'],
      ['OPSROOM_PUBLISH_RATE_PER_MIN', 'lots'],
      ['OPSROOM_SOCKET_MESSAGES_PER_MIN', '-1'],
      ['OPSROOM_MAX_CONNECTIONS', '1.5'],
      ['OPSROOM_MAX_JSON_DEPTH', '1000'],
      ['OPSROOM_TRUST_PROXY', 'yes'],
    ] as const) {
      expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
      expect(() => parseEnv({ [name]: value })).toThrow(`Invalid environment variable ${name}:`);
    }
  });

  it('builds limiters from the configured values', async () => {
    const config = loadConfig(
      {
        OPSROOM_DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/opsroom-limits-test`,
        OPSROOM_SECRET: 'x'.repeat(32),
        OPSROOM_PUBLISH_RATE_PER_MIN: '7',
        OPSROOM_MAX_CONNECTIONS_PER_USER: '1',
        OPSROOM_TRUST_PROXY: '1',
      },
      [],
    );
    expect(config.trustProxy).toBe(true);
    const limits = createLimits(config.limits);
    expect([limits.publish.points, limits.login.points, limits.socketMessages.points]).toEqual([7, 10, 100]);
    expect(limits.connections.admit('u').ok).toBe(true);
    expect(limits.connections.admit('u').ok).toBe(false);
  });
});
