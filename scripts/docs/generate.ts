/**
 * `npm run docs`: writes the generated references, docs/reference/api.md from the command contract and
 * docs/reference/errors.md from the error catalogue. test/unit/docs/references.test.ts fails while the
 * committed pages differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REFERENCES } from './references';

for (const { path, write } of REFERENCES) {
  const file = join(import.meta.dirname, '..', '..', path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, write());
  process.stdout.write(`wrote ${path}\n`);
}
