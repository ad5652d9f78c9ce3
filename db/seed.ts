import { LedgerError } from './errors';
import type { Ledger } from './types';

/** Ids and credentials of the demo book, so tests and training mode can refer to them. */
export const DEMO = {
  storeId: 'store-demo-cafe',
  terminalId: 'terminal-demo-1',
  staff: {
    cashier: { id: 'staff-1001', code: '1001', pin: '123456' },
    manager: { id: 'staff-2001', code: '2001', pin: '888888' },
    technician: { id: 'staff-3001', code: '3001', pin: '666666' },
    admin: { id: 'staff-9001', code: '9001', pin: '999999' },
  },
  cards: {
    uid: { id: 'card-demo-uid', uid: '04A1B2C3D4E5F6', cardNumber: '8800000000000001' },
    mifare: { id: 'card-demo-mifare', cardNumber: '8800000000000002' },
    magstripe: { id: 'card-demo-magstripe', cardNumber: '6200000000000003' },
    keyed: { id: 'card-demo-keyed', cardNumber: '1000000000000004' },
  },
} as const;

export interface DemoSeed {
  storeId: string;
  terminalId: string;
}

export function seedDemo(_ledger: Ledger, _options: { now: number }): DemoSeed {
  throw new LedgerError('NOT_READY', 'the demo seed is being built');
}
