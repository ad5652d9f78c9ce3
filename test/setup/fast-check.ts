/**
 * Property tests run the same cases on every build: fast-check draws from a fixed seed unless FC_SEED says
 * otherwise (a number replays that seed; `random` explores fresh cases). fast-check names the seed and the
 * path in its failure message; a counterexample found that way is kept in its test as a fixed case.
 */
import fc from 'fast-check';

export const DEFAULT_SEED = 20_260_305;

export function seedFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return undefined;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not "${value}"`);
  return seed;
}

const seed = seedFrom(process.env.FC_SEED);
fc.configureGlobal({ ...fc.readConfigureGlobal(), ...(seed === undefined ? {} : { seed }) });
