import { describe, expect, it } from 'vitest';
import { serviceV8Flags } from '../../../src/cli/service-v8.js';

describe('serviceV8Flags', () => {
  it('sets the young generation growth factor, turns TurboFan off and optimizes for size when the operator chose none of them', () => {
    expect(serviceV8Flags(['--enable-source-maps'], '--max-old-space-size=256')).toEqual(['--semi-space-growth-factor=1', '--no-opt', '--optimize-for-size']);
  });

  it('leaves --optimize-for-size to the operator who gave it either way', () => {
    expect(serviceV8Flags(['--no-optimize-for-size'], '')).toEqual(['--semi-space-growth-factor=1', '--no-opt']);
    expect(serviceV8Flags([], '--optimize_for_size')).toEqual(['--semi-space-growth-factor=1', '--no-opt']);
  });

  it('leaves the young generation alone when the operator gave a semi-space flag on the command line or in NODE_OPTIONS', () => {
    expect(serviceV8Flags(['--max-semi-space-size=4'], '')).toEqual(['--no-opt', '--optimize-for-size']);
    expect(serviceV8Flags([], '--enable-source-maps --max_semi_space_size=8')).toEqual(['--no-opt', '--optimize-for-size']);
    expect(serviceV8Flags([], '--semi-space-growth-factor=2')).toEqual(['--no-opt', '--optimize-for-size']);
    expect(serviceV8Flags(['--min-semi-space-size=1'], '')).toEqual(['--no-opt', '--optimize-for-size']);
  });

  it('leaves the optimizing compiler alone when the operator chose (--opt, --no-opt, --jitless, --turbofan)', () => {
    for (const flag of ['--opt', '--no-opt', '--jitless', '--turbofan']) expect(serviceV8Flags([flag], '')).toEqual(['--semi-space-growth-factor=1', '--optimize-for-size']);
  });
});
