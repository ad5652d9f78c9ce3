/**
 * Property tests are reproducible: every fast-check run in the suite draws from one fixed seed unless FC_SEED
 * asks for another (a number) or for fresh cases (`random`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, seedFrom } from '../setup/fast-check';

describe('the seed of property tests', () => {
  it('is fixed unless FC_SEED is set', () => {
    expect(seedFrom(undefined)).toBe(DEFAULT_SEED);
    expect(seedFrom('')).toBe(DEFAULT_SEED);
    if (process.env.FC_SEED === undefined) expect(fc.readConfigureGlobal().seed).toBe(DEFAULT_SEED);
  });

  it('replays a given seed, or leaves fast-check to pick one for exploring', () => {
    expect(seedFrom('-1234')).toBe(-1234);
    expect(seedFrom('random')).toBeUndefined();
    expect(() => seedFrom('soon')).toThrow(/FC_SEED/);
  });

  it('gives the same cases on every run', () => {
    const draw = () => fc.sample(fc.integer(), { numRuns: 5, seed: fc.readConfigureGlobal().seed });
    if (process.env.FC_SEED !== 'random') expect(draw()).toEqual(draw());
  });
});
