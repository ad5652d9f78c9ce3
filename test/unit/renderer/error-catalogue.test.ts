/**
 * Every error code the host, the ledger, the devices or the link to HQ can answer with has words in both
 * languages, so no one at the counter, in the back office or at the workbench reads "Not done (CODE)".
 * The codes are gathered from the source itself: each published code list (`*_ERROR_CODES`), every
 * `new …Error('CODE', …)` and every `code: 'CODE'` refusal, so a new code without words fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../renderer/src/i18n/messages';

const root = join(import.meta.dirname, '..', '..', '..');
const LAYERS = ['electron', 'db', 'hardware', 'sync'];

/** Codes only the HQ command line prints, to an operator in a shell, never on a screen. */
const COMMAND_LINE_ONLY = new Set(['USAGE', 'INVALID_LIMIT']);

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

/** code → the files that raise it */
function codesInSource(): Map<string, string[]> {
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

describe('the error catalogue', () => {
  const codes = codesInSource();

  it('finds the codes it is meant to find', () => {
    // A sample from each layer, so a broken scan cannot pass by finding nothing.
    for (const code of [
      'INSUFFICIENT_BALANCE',
      'CARD_REMOVED',
      'PRINTER_OPEN_FAILED',
      'SEQUENCE_GAP',
      'FORBIDDEN',
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(200);
  });

  it('has words in Simplified Chinese and English for every code a person can see', () => {
    const missing = [...codes.entries()]
      .filter(([code]) => !COMMAND_LINE_ONLY.has(code))
      .filter(([code]) => {
        const key = `error.${code}` as keyof (typeof MESSAGES)['en'];
        return !(MESSAGES['zh-CN'][key]?.trim() && MESSAGES.en[key]?.trim());
      })
      .map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(missing, `codes without words:\n${missing.join('\n')}`).toEqual([]);
  });

  it('keeps the command-line-only exceptions honest: each is raised, and only by the HQ command line', () => {
    for (const code of COMMAND_LINE_ONLY) {
      const files = codes.get(code) ?? [];
      expect(files.length, code).toBeGreaterThan(0);
      for (const file of files) expect(file).toMatch(/^sync\/hq\/(cli|main)\.ts$/);
    }
  });
});
