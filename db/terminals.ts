/** The terminals (tills) a ledger knows, each in one store; the first one created is the ledger's own. */
import { type Context, guarded, requireText } from './context';
import { LedgerError } from './errors';
import { type TerminalRow, toTerminal } from './rows';
import type { Stores } from './stores';
import type { Terminal } from './types';

export function terminalsModule(ctx: Context, stores: Stores) {
  const { db } = ctx;
  const q = {
    terminal: db.prepare<[string], TerminalRow>('SELECT * FROM terminals WHERE id = ?'),
    insertTerminal: db.prepare('INSERT INTO terminals (id, store_id, name, created_at) VALUES (?, ?, ?, ?)'),
    firstTerminal: db.prepare<[], { id: string }>('SELECT id FROM terminals ORDER BY created_at, id LIMIT 1'),
  };

  function terminalRow(terminalId: unknown): TerminalRow {
    const row = typeof terminalId === 'string' ? q.terminal.get(terminalId) : undefined;
    if (!row) throw new LedgerError('TERMINAL_UNKNOWN', 'no such terminal', { details: { terminalId } });
    return row;
  }

  return {
    terminalRow,

    /**
     * A ledger belongs to one terminal: the first one created in it. Changes made without naming a terminal
     * (set-up scripts, imports) are sent to HQ under it.
     */
    homeTerminal(): string {
      const row = q.firstTerminal.get();
      if (!row)
        throw new LedgerError('TERMINAL_UNKNOWN', 'this ledger has no terminal yet; create one first');
      return row.id;
    },

    createTerminal(input: { id: string; storeId: string; name: string }): Terminal {
      return guarded(ctx, 'terminal.create', {}, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        stores.storeRow(input.storeId);
        if (q.terminal.get(id))
          throw new LedgerError('ID_TAKEN', 'a terminal with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertTerminal.run(id, input.storeId, name, at);
        ctx.audit({ at, action: 'terminal.create', outcome: 'ok', terminalId: id });
        return toTerminal(terminalRow(id));
      });
    },

    terminal(terminalId: string): Terminal | undefined {
      const row = q.terminal.get(terminalId);
      return row ? toTerminal(row) : undefined;
    },
  };
}

export type Terminals = ReturnType<typeof terminalsModule>;
