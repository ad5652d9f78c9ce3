import { LedgerError } from './errors';
import type { Ledger, OpenLedgerOptions } from './types';

export function openLedger(_options: OpenLedgerOptions): Ledger {
  throw new LedgerError('NOT_READY', 'the ledger is being built');
}
