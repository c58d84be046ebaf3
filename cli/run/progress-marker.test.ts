import { describe, expect, it } from 'vitest';
import { parseProgressMarker } from './progress-marker';

describe('parseProgressMarker', () => {
  it('reads percent, optional step counter and step text', () => {
    expect(parseProgressMarker('::opsroom::progress 40 Compiling assets')).toEqual({
      kind: 'progress',
      marker: { progress: 40, step: 'Compiling assets' },
    });
    expect(parseProgressMarker('::opsroom::progress 75%')).toEqual({
      kind: 'progress',
      marker: { progress: 75 },
    });
    expect(parseProgressMarker('::opsroom::progress 12.5 2/5 Running tests  \r')).toEqual({
      kind: 'progress',
      marker: { progress: 12.5, currentStep: 2, totalSteps: 5, step: 'Running tests' },
    });
    expect(parseProgressMarker('::opsroom::progress\t100\t5/5')).toEqual({
      kind: 'progress',
      marker: { progress: 100, currentStep: 5, totalSteps: 5 },
    });
    expect(parseProgressMarker('::opsroom::progress 0 2/5steps are text')).toEqual({
      kind: 'progress',
      marker: { progress: 0, step: '2/5steps are text' },
    });
  });

  it('ignores ordinary lines, including ones that merely mention the marker', () => {
    expect(parseProgressMarker('Compiling 40%')).toEqual({ kind: 'none' });
    expect(parseProgressMarker('  ::opsroom::progress 40')).toEqual({ kind: 'none' });
    expect(parseProgressMarker('::opsroom::progressbar 40')).toEqual({ kind: 'none' });
    expect(parseProgressMarker('')).toEqual({ kind: 'none' });
  });

  it('reports a malformed marker with the reason', () => {
    expect(parseProgressMarker('::opsroom::progress')).toEqual({
      kind: 'invalid',
      reason: 'the percent is missing',
    });
    expect(parseProgressMarker('::opsroom::progress 140 Too far')).toEqual({
      kind: 'invalid',
      reason: 'percent must be a number from 0 to 100',
    });
    expect(parseProgressMarker('::opsroom::progress -5')).toMatchObject({ kind: 'invalid' });
    expect(parseProgressMarker('::opsroom::progress half done')).toEqual({
      kind: 'invalid',
      reason: 'percent must be a number from 0 to 100',
    });
    expect(parseProgressMarker('::opsroom::progress 50 6/5 Overshoot')).toEqual({
      kind: 'invalid',
      reason: 'current step must not exceed the total',
    });
    expect(parseProgressMarker('::opsroom::progress 50 0/0')).toEqual({
      kind: 'invalid',
      reason: 'total steps must be at least 1',
    });
  });

  it('cuts a step text to the 256 characters build:progress allows', () => {
    const result = parseProgressMarker(`::opsroom::progress 1 ${'s'.repeat(300)}`);
    expect(result.kind === 'progress' && result.marker.step?.length).toBe(256);
  });
});
