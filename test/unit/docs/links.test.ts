/**
 * The README and every page under docs/ link only to files that exist, and to headings those files have, so a
 * moved or renamed page breaks here and not for the reader who follows the link. The paths and the functions
 * they name in code spans exist too, so a file moved or a function renamed in the source is noticed in the docs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return path.endsWith('.md') ? [path] : [];
  });
}

const PAGES = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

/** Code blocks show text, not links or headings: a `#` or `[a](b)` inside one is neither. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** Code spans show text too; a heading keeps theirs, since GitHub makes its anchor from the words inside. */
function withoutCode(markdown: string): string {
  return withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped (letters of any script kept), spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(readFileSync(file, 'utf8')).split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading === null) continue;
    const base = headingAnchor(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link {
  page: string;
  target: string;
}

function relativeLinks(page: string): Link[] {
  const text = withoutCode(readFileSync(page, 'utf8'));
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => ({ page, target }));
}

/** What is wrong with a link, or null when it leads somewhere real. */
function brokenReason({ page, target }: Link): string | null {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? page : join(dirname(page), decodeURIComponent(path));
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined || anchor === '' || !file.endsWith('.md')) return null;
  return anchorsOf(file).has(decodeURIComponent(anchor)) ? null : `no heading #${anchor}`;
}

/** Code spans that name a path in the repository, such as `db/ledger.ts` or `test/e2e/counter.test.ts`. */
function repositoryPaths(page: string): string[] {
  const spans = [...withoutCodeBlocks(readFileSync(page, 'utf8')).matchAll(/`([^`\n]+)`/g)];
  return spans.flatMap((span) =>
    (span[1] ?? '')
      .split(/\s+/)
      .filter((word) =>
        /^(common|electron|renderer|hardware|db|sync|test|docs|scripts)\/[\w./-]+$/.test(word),
      ),
  );
}

/** Code spans that call a function or construct a class, such as `openLedger({ path })`: the name called. */
function calledNames(page: string): string[] {
  const spans = [...withoutCodeBlocks(readFileSync(page, 'utf8')).matchAll(/`([^`\n]+)`/g)];
  return spans.flatMap((span) => {
    const call = /^(?:new\s+)?([A-Za-z_$][\w$]*)\(/.exec(span[1] ?? '');
    return call === null ? [] : [call[1]!];
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'migrations') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every identifier in the source, so a renamed function named in the docs is noticed. */
const IDENTIFIERS = new Set(
  ['common', 'electron', 'renderer/src', 'hardware', 'db', 'sync', 'test', 'scripts']
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .flatMap((file) => readFileSync(file, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []),
);

describe('documentation links', () => {
  it('finds the README, the docs pages and what they name', () => {
    expect(PAGES.map((page) => relative(root, page))).toEqual(
      expect.arrayContaining(['README.md', 'docs/architecture.md']),
    );
    // A scan that found nothing would pass every check below.
    const ledger = join(root, 'docs', 'ledger.md');
    expect(calledNames(ledger)).toContain('openLedger');
    expect(repositoryPaths(ledger)).toContain('db/index.ts');
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(headingAnchor('4. Pair each device')).toBe('4-pair-each-device');
    expect(headingAnchor('Customer display (客显)')).toBe('customer-display-客显');
    expect(headingAnchor('Serving a chain of 10,000 stores')).toBe('serving-a-chain-of-10000-stores');
    expect(headingAnchor('`wallet.topUp`')).toBe('wallettopup');
  });

  it.each(PAGES.map((page) => [relative(root, page), page]))(
    '%s links only to files and headings that exist',
    (_name, page) => {
      const broken = relativeLinks(page)
        .map((link) => ({ link: link.target, reason: brokenReason(link) }))
        .filter((entry) => entry.reason !== null);
      expect(broken).toEqual([]);
    },
  );

  it.each(PAGES.map((page) => [relative(root, page), page]))(
    '%s calls only functions the source has',
    (_name, page) => {
      expect(calledNames(page).filter((name) => !IDENTIFIERS.has(name))).toEqual([]);
    },
  );

  it.each(PAGES.map((page) => [relative(root, page), page]))(
    '%s names only repository paths that exist',
    (_name, page) => {
      const missing = repositoryPaths(page).filter(
        (path) => !existsSync(join(root, path.replace(/\/$/, ''))),
      );
      expect(missing).toEqual([]);
    },
  );
});
