/**
 * The arrows between the top-level folders point one way (docs/architecture.md): `common/` is the leaf
 * every layer may use and that uses nothing of ours; `db/` and `hardware/` use only `common/`; `sync/` uses
 * `common/` and the ledger's pure pieces it shares with HQ; the renderer sees the host only through its
 * contract; the host (`electron/`) joins the rest and never reaches into the renderer.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files';

const root = join(import.meta.dirname, '..', '..');

/** For each folder, the other folders (or files) its relative imports may reach. */
const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  db: ['common'],
  hardware: ['common'],
  sync: ['common', 'db/audit-hash.ts', 'db/outbox'],
  renderer: ['common', 'electron/contract'],
  electron: ['common', 'db', 'hardware', 'sync'],
};

const IMPORT = /(?:\bfrom\s+|\bimport\s+|\bimport\()'(\.{1,2}\/[^']+)'/g;

/** Every relative import that leaves its own top-level folder, as `file → target`. */
function crossings(top: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const file of sourceFiles(join(root, top))) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = relative(root, normalize(join(dirname(file), match[1]!)));
      if (target.split('/')[0] !== top) found.push({ file: relative(root, file), target });
    }
  }
  return found;
}

function allowed(top: string, target: string): boolean {
  return (ALLOWED[top] ?? []).some(
    (place) => target === place || target.startsWith(`${place}/`) || `${target}.ts` === place,
  );
}

describe('the layers', () => {
  for (const top of Object.keys(ALLOWED)) {
    it(`${top}/ imports only from ${ALLOWED[top]!.join(', ') || 'itself'}`, () => {
      const wrong = crossings(top)
        .filter(({ target }) => !allowed(top, target))
        .map(({ file, target }) => `${file} → ${target}`);
      expect(wrong).toEqual([]);
    });
  }

  it('leaves the ledger’s SQLite handle inside db/: the host asks db’s modules, it runs no SQL', () => {
    const reaching = ['electron', 'sync', 'hardware', 'renderer'].flatMap((top) =>
      sourceFiles(join(root, top))
        .filter((file) => /\.sqlite(?:\.|\)|,|;|\s*$)/m.test(readFileSync(file, 'utf8')))
        .map((file) => relative(root, file)),
    );
    expect(reaching).toEqual([]);
  });

  it('sees the imports it is meant to see', () => {
    // A scan that found nothing would pass every rule above.
    expect(crossings('db').some(({ target }) => target.startsWith('common/'))).toBe(true);
    expect(crossings('renderer').some(({ target }) => target.startsWith('electron/contract'))).toBe(true);
  });
});
