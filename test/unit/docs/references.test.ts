/**
 * The API and error references in docs/reference are written by `npm run docs` from the contract and the
 * error catalogue; the committed pages must be exactly what it writes now, so they never go stale. They name
 * every command, event and error code, and the refusals the API reference says the boundary makes are the ones
 * the boundary's code raises.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../electron/contract/commands';
import { events } from '../../../electron/contract/events';
import { MESSAGES } from '../../../renderer/src/i18n/messages';
import { apiReference, BOUNDARY_REFUSALS } from '../../../scripts/docs/api-reference';
import { COMMAND_LINE_ONLY, codesInSource, REPO_ROOT } from '../../../scripts/docs/error-codes';
import { errorReference } from '../../../scripts/docs/error-reference';
import { REFERENCES } from '../../../scripts/docs/references';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

describe('the generated references', () => {
  it.each(REFERENCES.map((reference) => [reference.path, reference]))(
    '%s is what `npm run docs` writes now',
    (path, { write }) => {
      const committed = existsSync(join(REPO_ROOT, path)) ? read(path) : '(missing)';
      expect(committed, `${path} is out of date: run \`npm run docs\` and commit the result`).toBe(write());
    },
  );

  it('gives every command of the contract and every event a section of the API reference', () => {
    const page = apiReference();
    for (const name of [...Object.keys(commands), ...Object.keys(events)]) {
      expect(page, name).toContain(`### \`${name}\`\n`);
    }
  });

  it('says who may call each command, from the contract’s permission', () => {
    const page = apiReference();
    expect(page).toContain('### `wallet.topUp`');
    expect(page).toMatch(/### `wallet\.topUp`[\s\S]*?cashier, manager, admin \(permission `wallet\.topUp`\)/);
    expect(page).toMatch(/### `session\.login`[\s\S]*?anyone, without logging in/);
    expect(page).toMatch(/### `cardFormat\.setChain`[\s\S]*?\*\*Who may call it:\*\* admin \(permission/);
  });

  it('lists the boundary refusals that electron/host/api.ts raises, and no other', () => {
    const boundary = read('electron/host/api.ts');
    for (const { code } of BOUNDARY_REFUSALS) {
      expect(boundary.includes(`'${code}'`), `${code} in api.ts`).toBe(true);
    }
  });

  it('lists every error code with its Simplified Chinese and English words', () => {
    const page = errorReference();
    for (const code of codesInSource().keys()) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      if (COMMAND_LINE_ONLY.has(code)) continue;
      const zh = (MESSAGES['zh-CN'] as Record<string, string>)[`error.${code}`]!;
      const en = (MESSAGES.en as Record<string, string>)[`error.${code}`]!;
      expect(row).toContain(zh.replace(/\|/g, '\\|'));
      expect(row).toContain(en.replace(/\|/g, '\\|'));
    }
  });
});
