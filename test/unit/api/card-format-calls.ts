/**
 * Well-formed and malformed calls of the member-card format commands, for the contract test. The saved
 * changes only take effect at a restart, so the contract test's own host keeps reading cards as it started.
 */
import type { CardFormatCommandName } from '../../../electron/contract/names';

export function cardFormatCalls() {
  const valid: Record<CardFormatCommandName, () => unknown> = {
    'cardFormat.get': () => ({}),
    'cardFormat.set': () => ({ sector: 2, purse: true }),
    'cardFormat.setChain': () => ({ chainId: 0x0c0ffef, confirmForeignCards: true }),
    'cardFormat.keyedEntry': () => ({}),
    'cardFormat.setKeyedEntry': () => ({ magstripe: 'approval' }),
  };

  const malformed: Record<CardFormatCommandName, unknown[]> = {
    'cardFormat.get': [],
    'cardFormat.set': [
      {},
      { sector: 0 },
      { sector: 16 },
      { sector: 1.5 },
      { sector: '2' },
      { purse: 'yes' },
      { chainId: 7 },
    ],
    'cardFormat.setChain': [
      {},
      { chainId: 7 },
      { chainId: 0, confirmForeignCards: true },
      { chainId: 0x1_0000_0000, confirmForeignCards: true },
      { chainId: -1, confirmForeignCards: true },
      { chainId: 7, confirmForeignCards: 'yes' },
      { chainId: 7, confirmForeignCards: true, sector: 2 },
    ],
    'cardFormat.keyedEntry': [],
    'cardFormat.setKeyedEntry': [{}, { secured: 'allowed' }, { keyed: 'maybe' }, { ultralight: 'allowed' }],
  };

  return { valid, malformed };
}
