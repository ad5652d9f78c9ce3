/**
 * Shared measuring tools for the benchmarks. Each figure is one JSON object on its own line on stdout;
 * progress and prose go to stderr so stdout stays machine-readable.
 */

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
}

export type Emit = (figure: Omit<Figure, 'bench'>) => void;

export function emitterFor(bench: string): Emit {
  return (figure) => {
    const line: Figure = { bench, ...figure, value: round(figure.value) };
    if (line.baseline !== undefined) line.baseline = round(line.baseline);
    if (line.ratio !== undefined) line.ratio = round(line.ratio);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

/**
 * A numeric option given on the command line as `--name=N` (`npm run bench -- hq --terminals=200`), or the
 * fallback. Options make a quick run smaller; the defaults are the sizes the figures are quoted at.
 */
export function benchOption(name: string, fallback: number): number {
  const given = benchText(name);
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name}=N needs a positive whole number`);
  return value;
}

/** A text option given as `--name=VALUE`, or undefined. */
export function benchText(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 10_000) / 10_000;
}

/** The q-quantile (0..1) of a sample, nearest-rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** Milliseconds from a high-resolution start mark. */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs fn `count` times and returns each run's duration in milliseconds. */
export function timeEach(count: number, fn: (index: number) => void): number[] {
  const samples: number[] = new Array(count);
  for (let index = 0; index < count; index += 1) {
    const start = process.hrtime.bigint();
    fn(index);
    samples[index] = since(start);
  }
  return samples;
}

export async function timeEachAsync(count: number, fn: (index: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = new Array(count);
  for (let index = 0; index < count; index += 1) {
    const start = process.hrtime.bigint();
    await fn(index);
    samples[index] = since(start);
  }
  return samples;
}
