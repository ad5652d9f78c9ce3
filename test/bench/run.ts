/**
 * `npm run bench` runs every group; `npm run bench -- ledger printer` runs the named ones.
 * A group is a file `test/bench/<group>.bench.ts` whose default export takes an Emit.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Emit, emitterFor, progress } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.replace(/\.bench\.ts$/, ''))
  .sort();

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((group) => !available.includes(group));
if (unknown.length > 0) {
  progress(`unknown bench group(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const group of requested.length > 0 ? requested : available) {
  progress(`== bench ${group}`);
  const module = (await import(pathToFileURL(join(here, `${group}.bench.ts`)).href)) as {
    default: (emit: Emit) => Promise<void>;
  };
  try {
    await module.default(emitterFor(group));
  } catch (error) {
    failed = true;
    progress(
      `bench ${group} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}
process.exit(failed ? 1 : 0);
