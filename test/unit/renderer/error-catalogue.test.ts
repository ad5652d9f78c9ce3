/**
 * Every error code the host, the ledger, the devices or the link to HQ can answer with has words in both
 * languages, so no one at the counter, in the back office or at the workbench reads "Not done (CODE)".
 * The codes are gathered from the source itself (`scripts/docs/error-codes.ts`, which the error reference in
 * docs/ is written from too): each published code list (`*_ERROR_CODES`), every `new …Error('CODE', …)` and
 * every `code: 'CODE'` refusal, so a new code without words fails here.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../renderer/src/i18n/messages';
import { COMMAND_LINE_ONLY, codesInSource } from '../../../scripts/docs/error-codes';

describe('the error catalogue', () => {
  const codes = codesInSource();

  it('finds the codes it is meant to find', () => {
    // A sample from each layer, so a broken scan cannot pass by finding nothing.
    for (const code of [
      'BALANCE_INSUFFICIENT',
      'CARD_REMOVED',
      'PRINTER_OPEN_FAILED',
      'SEQUENCE_GAP',
      'COMMAND_FORBIDDEN',
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
