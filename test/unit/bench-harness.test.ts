import { describe, expect, it } from 'vitest';
import { median, quantile } from '../bench/harness';

describe('bench harness quantiles', () => {
  it('uses nearest rank, so p99 of 1..100 is 99 and the median of an even sample is the lower middle', () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(quantile(samples, 1)).toBe(100);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('answers NaN for an empty sample rather than inventing a figure', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});
