/**
 * docs/reference/errors.md, written from the error catalogue: every code the source raises (gathered as the
 * catalogue test gathers them) and every code the renderer has words for, each with its Simplified Chinese and
 * English words as the screen shows them and the files that raise it.
 */
import { MESSAGES } from '../../renderer/src/i18n/messages';
import { COMMAND_LINE_ONLY, codesInSource, filesNaming, HOST_LAYERS } from './error-codes';

type MessageKey = keyof (typeof MESSAGES)['en'];

/** The renderer's words for a code, in one locale; empty when it has none. */
function wordsFor(locale: 'zh-CN' | 'en', code: string): string {
  return (MESSAGES[locale] as Record<string, string>)[`error.${code}`] ?? '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Codes the renderer has words for: raised by the screen itself, or carried by a device or HQ status. */
function codesWithWords(): string[] {
  return (Object.keys(MESSAGES.en) as MessageKey[])
    .map((key) => /^error\.([A-Z][A-Z0-9_]*)$/.exec(key)?.[1])
    .filter((code): code is string => code !== undefined);
}

/** Where a code is raised, folded to the top-level folders when it is raised in many files. */
function whereText(files: readonly string[]): string {
  if (files.length === 0) return 'words only';
  if (files.length <= 3) return files.map((file) => `\`${file}\``).join(', ');
  const folders = [...new Set(files.map((file) => file.split('/')[0]))];
  return `${files.length} files in ${folders.map((folder) => `\`${folder}/\``).join(', ')}`;
}

export function errorReference(): string {
  const raised = codesInSource();
  const codes = [...new Set([...raised.keys(), ...codesWithWords()])].sort();
  const named = filesNaming(
    codes.filter((code) => !raised.has(code)),
    [...HOST_LAYERS, 'renderer/src'],
  );
  const rows = codes.map((code) => {
    const files = raised.get(code) ?? named.get(code) ?? [];
    const zh = COMMAND_LINE_ONLY.has(code) ? '(HQ command line only)' : wordsFor('zh-CN', code);
    const en = COMMAND_LINE_ONLY.has(code) ? '(HQ command line only)' : wordsFor('en', code);
    return `| \`${code}\` | ${cell(zh)} | ${cell(en)} | ${whereText(files)} |`;
  });
  return `${[
    '# Error reference',
    '',
    '<!-- Written by `npm run docs` from the error catalogue. Change the words or the code, then run it again. -->',
    '',
    'Every refusal crosses the API as `{ code, message, details? }`. The `message` is for the log and for',
    'developers; the screen shows the words below for the code, in Simplified Chinese by default and in English on',
    "request (`renderer/src/i18n/`; a `{name}` is filled in from the refusal's `details`, amounts as ¥). A code",
    `without words would show the generic "${wordsFor('zh-CN', 'generic')}" / "${wordsFor('en', 'generic')}".`,
    '',
    'The codes are gathered from the source (`scripts/docs/error-codes.ts`): every `*_ERROR_CODES` list, every',
    "`new …Error('CODE', …)` and every `code: 'CODE'` in `electron/`, `db/`, `hardware/` and `sync/`, plus the",
    'codes the renderer has words for. *Where* names the files that raise the code (or, for a code raised in many,',
    'their folders); for a code no such pattern raises (a status a device reports, a code picked from a table,',
    'words the screen chooses itself) it names the files that quote it. Which',
    'commands refuse before running is in the [API reference](api.md#refusals-before-a-command-runs).',
    '',
    `${codes.length} codes.`,
    '',
    '| code | zh-CN | en | where |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n')}\n`;
}
