/** The ledger's self-checks: the double-entry invariants and the audit log's hash chain. */
import type { Unit } from './vocabulary';

export interface InvariantProblem {
  rule:
    | 'UNITS_UNBALANCED'
    | 'BALANCE_MISMATCH'
    | 'NEGATIVE_MEMBER_ACCOUNT'
    | 'TRANSFER_UNIT_MISMATCH'
    | 'TRANSFER_AMOUNT_INVALID'
    | 'BALANCE_MISSING';
  message: string;
  accountId?: number;
  accountCode?: string;
  unit?: Unit;
  expected?: number;
  actual?: number;
}

export interface InvariantReport {
  ok: boolean;
  problems: InvariantProblem[];
}

export interface AuditChainReport {
  ok: boolean;
  /** Audit lines read (up to the first break). */
  lines: number;
  /** Id of the first line whose hash does not follow, or null. */
  brokenAt: number | null;
  message: string | null;
}
