/** What every console page shares: the language and the signed-in user, error words, a table. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { HqRefusal } from './api';
import { type Lang, type MessageKey, translate, wordFor } from './i18n';

export interface Principal {
  username: string;
  role: 'chain_admin' | 'finance' | 'support';
}

export interface ConsoleContext {
  lang: Lang;
  user: Principal;
}

export const Console = createContext<ConsoleContext>({
  lang: 'zh-CN',
  user: { username: '', role: 'support' },
});

export function useConsole() {
  const context = useContext(Console);
  const t = useCallback(
    (key: MessageKey, values?: Record<string, string | number>) => translate(context.lang, key, values),
    [context.lang],
  );
  const word = useCallback(
    (prefix: 'kind' | 'state' | 'role' | 'basis', value: string) => wordFor(context.lang, prefix, value),
    [context.lang],
  );
  return { ...context, t, word };
}

/** An error in the console's words, with HQ's code beside it (and HQ's own message when the code is new). */
export function ErrorNote({ error }: { error: unknown }) {
  const { lang } = useConsole();
  if (error === null || error === undefined) return null;
  const code = error instanceof HqRefusal ? error.code : 'ERROR';
  const words = wordFor(lang, 'error', code);
  const text = words === code && error instanceof Error ? error.message : words;
  return (
    <p className="error" role="alert" data-code={code}>
      {text} <span className="code">({code})</span>
    </p>
  );
}

/** Loads `load()` now and whenever `reload` is called; keeps the last error to show. */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on.
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
      },
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return { data, error, reload: () => setRound((n) => n + 1) };
}

/** Runs a change, remembering its error (shown by the caller) and whether it is under way. */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/**
 * A table named for what it lists (its accessible name, usually the words of the heading above it), with one
 * row per entry. With nothing to list it says so in a row of its own, so the named table is always there.
 */
export function Table({
  name,
  head,
  rows,
}: {
  name: string;
  head: ReactNode[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  const { t } = useConsole();
  return (
    <table aria-label={name}>
      <thead>
        <tr>
          {head.map((cell, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a header's place is its identity.
            <th key={index}>{cell}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td className="empty" colSpan={head.length}>
              {t('none')}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a cell's place is its identity.
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
