/**
 * Every error code the host, the ledger, the devices or the link to HQ can answer with, gathered from the
 * source itself: each published code list (`*_ERROR_CODES`), every `new …Error('CODE', …)` and every
 * `code: 'CODE'` refusal. The error catalogue's tests read the codes from here, so a new code is checked the
 * moment it is written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const LAYERS = ['electron', 'db', 'hardware', 'sync'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'migrations') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const CODE = "'([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*)'";
const PATTERNS = [
  new RegExp(`new [A-Z][A-Za-z]*Error\\(\\s*${CODE}`, 'g'),
  new RegExp(`\\bcode: ${CODE}`, 'g'),
];

/** code → the files that raise it (relative to the repository's root) */
export function codesInSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (code: string, file: string) => {
    const files = found.get(code) ?? [];
    if (!files.includes(file)) files.push(file);
    found.set(code, files);
  };
  for (const layer of LAYERS) {
    for (const file of sourceFiles(join(root, layer))) {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      for (const pattern of PATTERNS) {
        for (const match of text.matchAll(pattern)) add(match[1]!, where);
      }
      for (const list of text.matchAll(/export const [A-Z_]+_ERROR_CODES = \[([\s\S]*?)\] as const/g)) {
        for (const code of list[1]!.matchAll(new RegExp(CODE, 'g'))) add(code[1]!, where);
      }
    }
  }
  return found;
}
