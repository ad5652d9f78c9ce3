/**
 * A ledger written before its personal fields were encrypted (or by a tool without keys) is encrypted when the
 * member registry opens it with keys. Each page of a few hundred members is one transaction, so a large ledger
 * never holds the counter for long, and a pass cut short (a crash, a power cut) simply goes on at the next
 * open: a page only takes rows that still hold clear text, which also makes running it again harmless.
 * Then the outbox and notice lines written before encryption get the masked name the ledger now keeps.
 * The ledger's pragmas include secure_delete, so what the pass replaces is overwritten in the file too; what a
 * ledger freed before it had that pragma (an edited name left in a page's free space) is not, so a pass that
 * sealed anything ends with one VACUUM, which writes the file afresh, and a checkpoint that empties the WAL.
 * That is once per ledger, at the start that upgrades it; it costs about what a backup of the ledger costs.
 */
import type { Ledger } from '../types';
import type { PersonalFields } from './protect';

/** Setting: true once old outbox and notice lines carry masked names. */
const LINES_MASKED = 'members.linesMasked';
const PAGE = 500;

export function encryptClearRows(
  ledger: Ledger,
  personal: PersonalFields,
  pageSize = PAGE,
): { sealed: number; lines: number; compacted: boolean } {
  if (!personal.encrypted) return { sealed: 0, lines: 0, compacted: false };
  const db = ledger.sqlite;
  let sealed = 0;
  let after = '';
  for (;;) {
    const page = db.transaction(() => personal.sealPlainPage(after, pageSize)).immediate();
    sealed += page.sealed;
    if (page.last === null) break;
    after = page.last;
  }
  let lines = 0;
  const upgrading = sealed > 0 || ledger.settings.get<boolean>(LINES_MASKED) !== true;
  if (upgrading) {
    lines = db
      .transaction(() => {
        const masked = personal.maskOldLines();
        ledger.settings.set(LINES_MASKED, true);
        return masked;
      })
      .immediate();
  }
  // Not inside a caller's transaction (VACUUM cannot run there); the next open with keys does not repeat it,
  // so `compacted` tells a caller that wants the file rewritten whether it was.
  const compacted = (sealed > 0 || lines > 0) && !db.inTransaction;
  if (compacted) {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { sealed, lines, compacted };
}
