/**
 * Soak runs: a long loop (thousands of taps, thousands of operations under kills) finds leaks and rare
 * interleavings, but costs minutes. `npm test` runs each such loop short; `npm run soak` (POS_SOAK=1) runs
 * the files that import this module at full length.
 */
export const SOAK = process.env.POS_SOAK === '1';

/** How many times a soak loop goes round: `full` under `npm run soak`, `short` in the everyday suite. */
export function soakCount(full: number, short: number): number {
  return SOAK ? full : short;
}
