import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('keyed queue', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      queue.run('run-1', task('a')),
      queue.run('run-1', task('b')),
      queue.run('run-2', task('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log.indexOf('a end')).toBeLessThan(log.indexOf('b start'));
    expect(log.indexOf('c start')).toBeLessThan(log.indexOf('a end'));
    await tick();
    expect(queue.size()).toBe(0);
  });

  it('keeps going after a failed task, which fails only its own caller', async () => {
    const queue = createKeyedQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('store down')));
    const next = queue.run('k', () => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('store down');
    await expect(next).resolves.toBe('ok');
    await tick();
    expect(queue.size()).toBe(0);
  });
});
