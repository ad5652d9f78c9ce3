/**
 * Every error code the product can answer with, gathered from the source itself: each published code list
 * (`*_ERROR_CODES`), every `new …Error('CODE', …)` and every `code: 'CODE'` refusal. The error catalogue test
 * checks each has words in both languages, and `npm run docs` lists them in docs/reference/errors.md, so both
 * read the same list and a new code cannot reach one without the other.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The folders whose refusals reach a person through the host's API, the devices or the link to HQ. */
export const HOST_LAYERS = ['electron', 'db', 'hardware', 'sync'] as const;

/** Codes only the HQ command line prints, to an operator in a shell, never on a screen. */
export const COMMAND_LINE_ONLY: ReadonlySet<string> = new Set(['CLI_ARGUMENTS_INVALID', 'LIMIT_INVALID']);

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
const CODE_LIST = /export const [A-Z_]+_ERROR_CODES = \[([\s\S]*?)\] as const/g;

/** code → the files that raise it (paths from the repository root, in the order the scan met them). */
export function codesInSource(
  layers: readonly string[] = HOST_LAYERS,
  root: string = REPO_ROOT,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (code: string, file: string) => {
    const files = found.get(code) ?? [];
    if (!files.includes(file)) files.push(file);
    found.set(code, files);
  };
  for (const layer of layers) {
    for (const file of sourceFiles(join(root, layer)).sort()) {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      for (const pattern of PATTERNS) {
        for (const match of text.matchAll(pattern)) add(match[1]!, where);
      }
      for (const list of text.matchAll(CODE_LIST)) {
        for (const code of list[1]!.matchAll(new RegExp(CODE, 'g'))) add(code[1]!, where);
      }
    }
  }
  return found;
}

/**
 * The files that name each code in quotes (`'CODE'`, `'error.CODE'`), for codes the patterns above do not see
 * raised: a status a device reports, a code picked from a table, words the renderer chooses itself.
 * The renderer's word lists (`renderer/src/i18n/*messages.ts`) are left out: they name every code.
 */
export function filesNaming(
  codes: readonly string[],
  folders: readonly string[],
  root: string = REPO_ROOT,
): Map<string, string[]> {
  const texts = folders
    .flatMap((folder) => sourceFiles(join(root, folder)).sort())
    .filter((file) => !/^renderer\/src\/i18n\/.*messages\.ts$/.test(relative(root, file)))
    .map((file) => ({ where: relative(root, file), text: readFileSync(file, 'utf8') }));
  return new Map(
    codes.map((code) => {
      const quoted = new RegExp(`['"\`.]${code}['"\`]`);
      return [code, texts.filter(({ text }) => quoted.test(text)).map(({ where }) => where)];
    }),
  );
}
