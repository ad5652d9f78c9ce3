/**
 * HQ's database on PGlite, migrated, for tests: a copy of one made once and kept in the temp folder, keyed by
 * PGlite's version and the migrations. PGlite's own first start runs initdb in WebAssembly, which takes a
 * dozen seconds on a busy machine; loading the copy takes a fraction of that. The first process that needs the
 * copy makes it (another making it at the same time only wastes the work: the file appears whole, by rename).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_FOLDER, openHqDatabase } from '../../sync/hq';

const PGLITE_PACKAGE = fileURLToPath(
  new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
);

/** Every file under `dir`, sorted, with its bytes, into `hash`. */
function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      hashTree(hash, path);
      continue;
    }
    hash.update(name);
    hash.update(readFileSync(path));
  }
}

function templatePath(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(PGLITE_PACKAGE));
  hashTree(hash, MIGRATIONS_FOLDER);
  return join(tmpdir(), `pos-hq-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

async function makeTemplate(path: string): Promise<void> {
  const pglite = new PGlite();
  const database = await openHqDatabase({ pglite });
  const dump = await pglite.dumpDataDir('none');
  await database.close();
  await pglite.close();
  const partial = `${path}.${process.pid}.part`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path);
}

/**
 * What every PGlite this process starts can share: the compiled WebAssembly module, the bundle of files it
 * unpacks at start and the template's bytes. A test process that keeps its modules from file to file
 * (`npm test`) then compiles and reads them once, not once per HQ it starts: a third of each start's CPU.
 */
let shared:
  | { pgliteWasmModule: WebAssembly.Module; fsBundle: Blob; template: Blob; path: string }
  | undefined;

async function sharedParts(path: string) {
  if (shared?.path !== path) {
    const dist = fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/dist/', import.meta.url));
    shared = {
      pgliteWasmModule: await WebAssembly.compile(readFileSync(join(dist, 'pglite.wasm'))),
      fsBundle: new Blob([readFileSync(join(dist, 'pglite.data'))]),
      template: new Blob([readFileSync(path)]),
      path,
    };
  }
  return shared;
}

async function loadTemplate(path: string): Promise<PGlite> {
  const { pgliteWasmModule, fsBundle, template } = await sharedParts(path);
  const pglite = new PGlite({ loadDataDir: template, pgliteWasmModule, fsBundle });
  await pglite.waitReady;
  return pglite;
}

/** A PGlite in memory holding HQ's schema as the migrations leave it, nothing else. */
export async function migratedPglite(): Promise<PGlite> {
  const path = templatePath();
  if (!existsSync(path)) await makeTemplate(path);
  try {
    return await loadTemplate(path);
  } catch {
    // A copy that will not load (a disk that filled up while it was written) is made again.
    rmSync(path, { force: true });
    shared = undefined;
    await makeTemplate(path);
    return loadTemplate(path);
  }
}
