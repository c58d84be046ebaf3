import { describe, expect, it } from 'vitest';
import { UsageError } from '../args';
import {
  DEFAULT_FLUSH_TIMEOUT_S,
  DEFAULT_MAX_PENDING,
  generateBuildId,
  parseRunArgs,
  streamForBuild,
} from './run-flags';

const env = { OPSROOM_TOKEN: 'tok', OPSROOM_URL: 'http://127.0.0.1:4000' };
const fixedId = () => '01jdexample';

function usageMessage(argv: string[], environment: Record<string, string> = env): string {
  try {
    parseRunArgs(argv, environment, fixedId);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('parseRunArgs', () => {
  it('takes the command verbatim after --, flags before it, url and token from the environment', () => {
    const flags = parseRunArgs(['--project', 'web', '--', 'make', '--jobs', '4', '--', 'x y'], env, fixedId);
    expect(flags).toMatchObject({
      project: 'web',
      buildId: '01jdexample',
      stream: 'build-01jdexample',
      url: 'http://127.0.0.1:4000',
      token: 'tok',
      flushTimeout: DEFAULT_FLUSH_TIMEOUT_S,
      maxPending: DEFAULT_MAX_PENDING,
      stderrLevel: 'error',
      quiet: false,
      command: ['make', '--jobs', '4', '--', 'x y'],
    });
  });

  it('lets flags override the environment and accepts every option', () => {
    const flags = parseRunArgs(
      [
        '--project=api',
        '--build',
        'CI-1234.5',
        '--stream',
        'deploy.log',
        '--url',
        'https://ops.example.com',
        '--token',
        'flag-token',
        '--flush-timeout',
        '2.5',
        '--max-pending',
        '50',
        '--stderr-level',
        'warn',
        '--quiet',
        '--',
        'true',
      ],
      env,
      fixedId,
    );
    expect(flags).toMatchObject({
      project: 'api',
      buildId: 'CI-1234.5',
      stream: 'deploy.log',
      url: 'https://ops.example.com',
      token: 'flag-token',
      flushTimeout: 2.5,
      maxPending: 50,
      stderrLevel: 'warn',
      quiet: true,
    });
  });

  it('derives a slug-safe stream from any build id', () => {
    expect(streamForBuild('CI:Run_42.A')).toBe('build-ci-run_42.a');
    expect(streamForBuild('x'.repeat(100))).toHaveLength(64);
    expect(generateBuildId()).toMatch(/^[0-9a-z]{26}$/);
    expect(generateBuildId()).not.toBe(generateBuildId());
  });

  it('refuses bad or missing arguments with a message naming the flag', () => {
    expect(usageMessage(['--', 'ls'])).toContain('--project is required');
    expect(usageMessage(['--project', 'Web!', '--', 'ls'])).toContain('--project must match');
    expect(usageMessage(['--project', 'web'])).toContain('the command to run goes after --');
    expect(usageMessage(['--project', 'web', '--'])).toContain('the command to run goes after --');
    expect(usageMessage(['--project', 'web', 'make'])).toContain('put the command after --');
    expect(usageMessage(['--project', 'web', '--', 'ls'], {})).toContain(
      '--token or OPSROOM_TOKEN is required',
    );
    expect(usageMessage(['--project', 'web', '--url', 'not a url', '--', 'ls'])).toContain('--url');
    expect(usageMessage(['--project', 'web', '--build', 'has space', '--', 'ls'])).toContain(
      '--build must be',
    );
    expect(usageMessage(['--project', 'web', '--stream', 'UPPER', '--', 'ls'])).toContain(
      '--stream must match',
    );
    expect(usageMessage(['--project', 'web', '--flush-timeout', 'soon', '--', 'ls'])).toContain(
      '--flush-timeout',
    );
    expect(usageMessage(['--project', 'web', '--max-pending', '1.5', '--', 'ls'])).toContain('--max-pending');
    expect(usageMessage(['--project', 'web', '--stderr-level', 'loud', '--', 'ls'])).toContain(
      '--stderr-level',
    );
    expect(usageMessage(['--project', 'web', '--shell', '--', 'ls'])).toContain("Unknown option '--shell'");
  });
});
