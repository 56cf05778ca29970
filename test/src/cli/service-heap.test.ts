import { describe, expect, it } from 'vitest';
import { keepYoungGenerationSmall } from '../../../src/cli/service-heap.js';

describe('keepYoungGenerationSmall', () => {
  it('leaves the young generation alone when the operator gave a semi-space flag on the command line or in NODE_OPTIONS', () => {
    expect(keepYoungGenerationSmall(['--max-semi-space-size=4'], '')).toBe(false);
    expect(keepYoungGenerationSmall([], '--enable-source-maps --max_semi_space_size=8')).toBe(false);
    expect(keepYoungGenerationSmall([], '--semi-space-growth-factor=2')).toBe(false);
    expect(keepYoungGenerationSmall(['--min-semi-space-size=1'], '')).toBe(false);
  });

  it('sets the growth factor when no flag about the young generation was given', () => {
    expect(keepYoungGenerationSmall(['--enable-source-maps'], '--max-old-space-size=256')).toBe(true);
  });
});
