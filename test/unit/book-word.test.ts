/**
 * One word for one thing: in this product a *book* is the live, demo or training book a terminal runs
 * (docs/architecture.md). The ledger records operations, the member registry holds members, and an XLSX file is
 * a workbook; none of them is called a book. So an identifier or a file name in the product's code that
 * contains "book" must be one of the few below, each of which means the terminal's book.
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files';

const root = join(import.meta.dirname, '..', '..');
const PRODUCT = ['common', 'db', 'electron', 'hardware', 'sync', 'renderer/src'];

/** Identifiers that say "book" and mean the live, demo or training book, with why each one is needed. */
const BOOK_NAMES: Record<string, string> = {
  book: "createHost's option that asks for the demo book, and a value holding a book set up",
  BookMode: 'live, demo or training: the mode a book is fixed in when it is created',
  bookMode: "the contract's schema of a BookMode",
  BOOK_MODE_SETTING: 'the settings key a book keeps its mode under',
  isBookMode: 'whether a stored value is a BookMode',
  readBookMode: 'the mode of the book the host opened',
  openBook: 'the identity and mode of the book the host opened',
  bookNotSetUp: 'the BOOK_NOT_SET_UP refusal of a data directory with no book yet',
  setUpBook: "the contract's answer of a setup command: the book just set up",
  SetUpBook: 'the type of that answer',
  newLiveBook: 'that answer for a new live book, with its recovery code',
  createDemoBook: 'writes the demo café (or the training book) into an empty ledger',
  createLiveBook: "writes a new live store's book",
  buildBook: 'builds a book in a side file and moves it into place whole',
  placeBook: 'moves a whole book from its side file into place',
  removeBook: 'removes a half-built or replaced book file',
  checkBookInvariants: "the ledger's invariants on a restored book before it takes the place of one",
  bookIsEnrolled: "whether a restored book is a chain's till, which is never restored from a backup",
};

/** XLSX's own word (exceljs): a spreadsheet file, not a book of ours. */
const WORKBOOK_NAMES = ['workbook', 'Workbook', 'WorkbookWriter'];

/** File names that say "book" and hold the book's mode and how a book comes to be. */
const BOOK_FILES = ['book-mode.ts', 'books.ts'];

const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[\w$]/;
/** After one of these (or at the start), a slash opens a regular expression rather than dividing. */
const BEFORE_REGEX = new Set(['', ...'(,=:[!&|?;{}+-*%<>~^']);

/**
 * The identifiers of a TypeScript source: comments, string literals, template text and regular expressions
 * are skipped, so only names written in code are left (JSX text, rare here, is read as code). Throws when the
 * braces do not balance at the end, the sign of a file it read out of step.
 */
function identifiersOf(source: string, file = 'source'): string[] {
  const names: string[] = [];
  /** For each open template `${`, the brace depth its `}` closes at. */
  const templates: number[] = [];
  let depth = 0;
  let previous = '';
  let i = 0;
  const skipQuoted = (quote: string) => {
    i += 1;
    while (i < source.length && source[i] !== quote && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
    i += 1;
  };
  /** Template text up to its end (returns) or an `${` (enters code). */
  const skipTemplateText = () => {
    while (i < source.length) {
      if (source[i] === '\\') i += 2;
      else if (source[i] === '`') {
        i += 1;
        return;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        depth += 1;
        templates.push(depth);
        return;
      } else i += 1;
    }
  };
  while (i < source.length) {
    const char = source[i]!;
    const next = source[i + 1];
    if (char === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
    } else if (char === '"' || char === "'") {
      skipQuoted(char);
      previous = 'literal';
    } else if (char === '`') {
      i += 1;
      skipTemplateText();
      previous = 'literal';
    } else if (char === '/' && BEFORE_REGEX.has(previous) && previous !== '<' && next !== '>') {
      // (`</tag>` and `<Tag />` in JSX are not regular expressions.)
      let inClass = false;
      i += 1;
      while (i < source.length && source[i] !== '\n' && (inClass || source[i] !== '/')) {
        if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i += source[i] === '\\' ? 2 : 1;
      }
      i += 1;
      previous = 'literal';
    } else if (IDENTIFIER_START.test(char)) {
      const start = i;
      while (i < source.length && IDENTIFIER_PART.test(source[i]!)) i += 1;
      const name = source.slice(start, i);
      names.push(name);
      // After `return` or `typeof` a slash starts a regular expression, as after an operator.
      previous = name === 'return' || name === 'typeof' ? '' : 'name';
    } else if (char === '}' && templates.at(-1) === depth) {
      templates.pop();
      depth -= 1;
      i += 1;
      skipTemplateText();
      previous = 'literal';
    } else {
      if (char === '{') depth += 1;
      else if (char === '}') depth -= 1;
      if (!/\s/.test(char)) previous = /\d/.test(char) || char === ')' || char === ']' ? 'name' : char;
      i += 1;
    }
  }
  // A file read out of step (a slash taken for a regular expression, say) would hide names: say so instead.
  if (depth !== 0 || templates.length > 0)
    throw new Error(`${file}: braces out of step (${depth}) at the end`);
  return names;
}

describe('identifiersOf', () => {
  it('reads the names written in code, not those in comments, strings, templates or regular expressions', () => {
    const source = [
      '// a bookmark in a comment',
      "/* the book's */ const mode: BookMode = read('book.mode');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template, for the reader to read
      'const text = `a book ${ledger.bookCount({ n: `${memberBook}` })} books`;',
      'const pattern = /book/g, half = total / 2 / count;',
      'return /books?/.test(title) ? rows[0] / 2 : { workbook };',
      'const view = <Row key={bookKey} />, tail = <p>{total / 2}</p>;',
    ].join('\n');
    expect(identifiersOf(source).filter((name) => /book/i.test(name))).toEqual([
      'BookMode',
      'bookCount',
      'memberBook',
      'workbook',
      'bookKey',
    ]);
  });
});

describe('the word book in the product', () => {
  const files = PRODUCT.flatMap((dir) => sourceFiles(join(root, dir)));

  it('names only the live, demo or training book, and XLSX workbooks', () => {
    const allowed = new Set([...Object.keys(BOOK_NAMES), ...WORKBOOK_NAMES]);
    const strays = files.flatMap((file) =>
      [...new Set(identifiersOf(readFileSync(file, 'utf8'), relative(root, file)))]
        .filter((name) => /book/i.test(name) && !allowed.has(name))
        .map((name) => `${relative(root, file)}: ${name}`),
    );
    expect(strays).toEqual([]);
  });

  it('names no file after a book but the mode and how a book comes to be', () => {
    const strays = files
      .filter((file) => /book/i.test(basename(file)) && !BOOK_FILES.includes(basename(file)))
      .map((file) => relative(root, file));
    expect(strays).toEqual([]);
  });

  it('keeps no allowance that nothing uses any more', () => {
    const used = new Set(files.flatMap((file) => identifiersOf(readFileSync(file, 'utf8'), file)));
    expect(Object.keys(BOOK_NAMES).filter((name) => !used.has(name))).toEqual([]);
  });
});
