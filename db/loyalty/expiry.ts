/**
 * Bonus expiry: a top-up's bonus whose rule gave it an expiry date lapses into the store's breakage (never
 * revenue) once that date has passed. Bonus is taken first-in, first-out: what a top-up's bonus still holds
 * is the card's bonus less what later top-ups granted and still hold, capped at what this top-up granted.
 * Each lapse is a ledger operation of kind `expiry` (operation id `expiry:<top-up id>`, so it happens at most
 * once, with its audit line and outbox row); a row in bonus_expiries records every top-up looked at, also
 * when nothing was left to take.
 */
import type { AuditWriter } from '../members';
import type { Ledger } from '../types';

export interface ExpiryLine {
  topUpOperationId: string;
  cardId: string;
  grantedFen: number;
  expiredFen: number;
  /** The ledger's expiry operation, or null when nothing was left of the bonus. */
  operationId: string | null;
}

export interface ExpiryRun {
  at: number;
  lines: ExpiryLine[];
  totalFen: number;
  /** Top-ups still waiting (more than the run's limit were due). */
  more: boolean;
}

interface DueRow {
  operation_id: string;
  card_id: string;
  bonus_fen: number;
  seq: number;
}

export const expiryOperationId = (topUpOperationId: string) => `expiry:${topUpOperationId}`;

export function bonusExpiry(ledger: Ledger, now: () => number, audit: AuditWriter) {
  const db = ledger.sqlite;
  const q = {
    due: db.prepare<[number, number], DueRow>(
      `SELECT a.operation_id, a.card_id, a.bonus_fen, o.seq
       FROM rule_applications a JOIN operations o ON o.id = a.operation_id
       WHERE a.bonus_expires_at IS NOT NULL AND a.bonus_expires_at <= ? AND a.bonus_fen > 0
         AND NOT EXISTS (SELECT 1 FROM bonus_expiries e WHERE e.top_up_operation_id = a.operation_id)
       ORDER BY a.bonus_expires_at, o.seq LIMIT ?`,
    ),
    // Bonus later top-ups on the card granted and still hold (not voided, not lapsed, not forfeited).
    laterHeld: db.prepare<[string, number], { held: number }>(
      `SELECT COALESCE(SUM(o.bonus_fen - COALESCE(e.expired_fen, 0)
                - COALESCE((SELECT SUM(f.bonus_fen) FROM operations f
                            WHERE f.target_operation_id = o.id AND f.kind = 'forfeit'), 0)), 0) AS held
       FROM operations o LEFT JOIN bonus_expiries e ON e.top_up_operation_id = o.id
       WHERE o.card_id = ? AND o.kind = 'top_up' AND o.seq > ? AND o.bonus_fen > 0
         AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = o.id AND v.kind = 'void')`,
    ),
    forfeited: db.prepare<[string], { fen: number }>(
      `SELECT COALESCE(SUM(bonus_fen), 0) AS fen FROM operations WHERE target_operation_id = ? AND kind = 'forfeit'`,
    ),
    record: db.prepare(
      'INSERT INTO bonus_expiries (top_up_operation_id, card_id, expired_fen, operation_id, at) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  /** What of this top-up's bonus is still on the card (FIFO). */
  function stillHeld(row: DueRow): number {
    const op = ledger.operation(row.operation_id);
    if (!op || op.voidedBy !== null) return 0;
    const card = ledger.card(row.card_id);
    if (!card || card.state === 'replaced' || card.state === 'closed') return 0;
    const granted = row.bonus_fen - (q.forfeited.get(row.operation_id)?.fen ?? 0);
    const later = q.laterHeld.get(row.card_id, row.seq)?.held ?? 0;
    const onCard = ledger.balance(row.card_id).bonusFen;
    return Math.max(0, Math.min(granted, onCard - Math.max(0, later)));
  }

  return {
    /**
     * Lapses every bonus due at `at` (default now), oldest first, each in its own transaction. `staffId`
     * and `terminalId` are who the operations are recorded under (the host uses the store's manager on duty
     * or its first administrator).
     */
    runBonusExpiry(input: { staffId: string; terminalId: string; at?: number; limit?: number }): ExpiryRun {
      const at = input.at ?? now();
      const limit = input.limit ?? 500;
      const due = q.due.all(at, limit + 1);
      const lines: ExpiryLine[] = [];
      for (const row of due.slice(0, limit)) {
        const line = audit.guarded('loyalty.bonus_expiry', input, () => {
          const amount = stillHeld(row);
          let operationId: string | null = null;
          if (amount > 0) {
            operationId = ledger.forfeitBonus({
              operationId: expiryOperationId(row.operation_id),
              kind: 'expiry',
              cardId: row.card_id,
              amountFen: amount,
              staffId: input.staffId,
              terminalId: input.terminalId,
              targetOperationId: row.operation_id,
              memo: 'bonus expired',
            }).operationId;
          }
          q.record.run(row.operation_id, row.card_id, amount, operationId, now());
          return {
            topUpOperationId: row.operation_id,
            cardId: row.card_id,
            grantedFen: row.bonus_fen,
            expiredFen: amount,
            operationId,
          };
        });
        lines.push(line);
      }
      return {
        at,
        lines,
        totalFen: lines.reduce((sum, l) => sum + l.expiredFen, 0),
        more: due.length > limit,
      };
    },
  };
}
