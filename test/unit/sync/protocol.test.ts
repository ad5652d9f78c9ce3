import { describe, expect, it } from 'vitest';
import {
  assertOfflineSpendAllowed,
  backoffDelay,
  checkHqUrl,
  checkOfflineSpend,
  DEFAULT_OFFLINE_CAPS,
  type OutboxRow,
  offlineExposure,
  PROTOCOL_VERSION,
  pushRequestSchema,
  readOperation,
  SyncError,
} from '../../../sync';

const topUp = {
  operation: { kind: 'top_up', amountFen: 10_000 },
  card: { id: 'card-1', cardNumber: '8800000000000002' },
  counterpartCard: null,
  transfers: [
    { debit: 'store:S1:cash', credit: 'card:card-1:principal', amount: 10_000, unit: 'fen' },
    { debit: 'store:S1:bonus_expense', credit: 'card:card-1:bonus', amount: 2_000, unit: 'fen' },
    { debit: 'store:S1:points_issued', credit: 'card:card-1:points', amount: 100, unit: 'points' },
  ],
};
const spend = {
  card: { id: 'card-1' },
  transfers: [{ debit: 'card:card-1:principal', credit: 'store:S2:revenue', amount: 3_000, unit: 'fen' }],
};

describe('wire format', () => {
  it('accepts a versioned push and refuses another version, fractional seq or an empty batch', () => {
    const operation = {
      seq: 1,
      operationId: 'op-1',
      terminalId: 'T1',
      storeId: 'S1',
      kind: 'spend',
      payload: {},
      createdAt: 1,
    };
    expect(
      pushRequestSchema.safeParse({ version: PROTOCOL_VERSION, terminalId: 'T1', operations: [operation] })
        .success,
    ).toBe(true);
    expect(
      pushRequestSchema.safeParse({ version: 2, terminalId: 'T1', operations: [operation] }).success,
    ).toBe(false);
    expect(
      pushRequestSchema.safeParse({ version: 1, terminalId: 'T1', operations: [{ ...operation, seq: 1.5 }] })
        .success,
    ).toBe(false);
    expect(pushRequestSchema.safeParse({ version: 1, terminalId: 'T1', operations: [] }).success).toBe(false);
  });
});

describe('reading operations for the chain ledger', () => {
  it('counts principal and bonus credits to the card as stored value, never points', () => {
    const reading = readOperation('top_up', topUp);
    expect(reading).toMatchObject({ ok: true, cardId: 'card-1', cardDelta: 12_000 });
  });

  it('counts a debit of the card as a negative movement', () => {
    expect(readOperation('spend', spend)).toMatchObject({
      ok: true,
      cardDelta: -3_000,
      movements: [{ cardId: 'card-1', delta: -3_000 }],
    });
  });

  it('moves both cards of a card-to-card transfer and leaves it out of settlement', () => {
    const reading = readOperation('transfer', {
      card: { id: 'A' },
      counterpartCard: { id: 'B' },
      transfers: [{ debit: 'card:A:principal', credit: 'card:B:principal', amount: 500, unit: 'fen' }],
    });
    expect(reading).toMatchObject({
      ok: true,
      cardDelta: 0,
      movements: [
        { cardId: 'A', delta: -500 },
        { cardId: 'B', delta: 500 },
      ],
    });
  });

  it('takes lapsed or forfeited bonus off the chain balance without counting it in settlement', () => {
    for (const kind of ['expiry', 'forfeit']) {
      expect(
        readOperation(kind, {
          card: { id: 'card-1' },
          transfers: [{ debit: 'card:card-1:bonus', credit: 'store:S1:breakage', amount: 800, unit: 'fen' }],
        }),
      ).toMatchObject({ ok: true, cardDelta: 0, movements: [{ cardId: 'card-1', delta: -800 }] });
    }
    expect(
      readOperation('points_redeem', {
        card: { id: 'card-1' },
        transfers: [
          { debit: 'card:card-1:points', credit: 'store:S1:points_issued', amount: 50, unit: 'points' },
        ],
      }),
    ).toMatchObject({ ok: true, cardDelta: 0, movements: [] });
  });

  it('reads card issue and card state changes', () => {
    expect(readOperation('card_issued', { card: { id: 'C9', state: 'active' } })).toMatchObject({
      ok: true,
      issuedCardId: 'C9',
    });
    expect(
      readOperation('card_state', { card: { id: 'C9' }, operation: { cardState: 'lost' }, transfers: [] }),
    ).toMatchObject({
      ok: true,
      stateChange: { cardId: 'C9', state: 'lost' },
    });
  });

  it('rejects unknown kinds, fractional amounts and money operations without a card', () => {
    expect(readOperation('teleport', {})).toMatchObject({ ok: false, code: 'UNKNOWN_KIND' });
    expect(
      readOperation('spend', {
        card: { id: 'c' },
        transfers: [{ debit: 'card:c:principal', credit: 'x', amount: 1.5, unit: 'fen' }],
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_OPERATION' });
    expect(readOperation('spend', { transfers: [] })).toMatchObject({ ok: false, code: 'INVALID_OPERATION' });
    expect(readOperation('spend', null)).toMatchObject({ ok: false, code: 'INVALID_OPERATION' });
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap with full jitter', () => {
    const policy = { baseMs: 100, capMs: 5_000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(30, policy, () => 0.999)).toBe(4_995);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('transport rule', () => {
  it('allows plain HTTP only to loopback and HTTPS anywhere', () => {
    expect(checkHqUrl('http://127.0.0.1:8780').host).toBe('127.0.0.1:8780');
    expect(checkHqUrl('http://localhost:8780').hostname).toBe('localhost');
    expect(checkHqUrl('https://hq.example.com').protocol).toBe('https:');
    expect(() => checkHqUrl('http://hq.example.com')).toThrowError(
      expect.objectContaining({ code: 'TRANSPORT_INSECURE' }),
    );
    expect(() => checkHqUrl('not a url')).toThrowError(expect.objectContaining({ code: 'HQ_URL_INVALID' }));
  });
});

describe('offline-spend guard', () => {
  const caps = { perCardFen: 10_000, perTerminalFen: 30_000, maxAgeMs: 3_600_000 };
  const base = {
    caps,
    amountFen: 1_000,
    cardOfflineFen: 0,
    terminalOfflineFen: 0,
    lastContactAt: 0,
    now: 1_000,
  };

  it('allows a charge inside every cap', () => {
    expect(checkOfflineSpend(base)).toEqual({ allowed: true });
    expect(checkOfflineSpend({ ...base, cardOfflineFen: 9_000 })).toEqual({ allowed: true });
  });

  it('refuses above the per-card cap, the per-terminal cap, or after too long offline', () => {
    expect(checkOfflineSpend({ ...base, cardOfflineFen: 9_001 })).toMatchObject({
      code: 'OFFLINE_LIMIT_REACHED',
      reason: 'card_cap',
    });
    expect(checkOfflineSpend({ ...base, terminalOfflineFen: 29_500 })).toMatchObject({
      reason: 'terminal_cap',
    });
    expect(checkOfflineSpend({ ...base, now: 3_600_001 })).toMatchObject({ reason: 'too_long_offline' });
    expect(checkOfflineSpend({ ...base, lastContactAt: null })).toMatchObject({ reason: 'too_long_offline' });
  });

  it('throws OFFLINE_LIMIT_REACHED in its throwing form and OFFLINE_AMOUNT_INVALID for non-integer fen', () => {
    expect(() => assertOfflineSpendAllowed({ ...base, amountFen: 10_001 })).toThrowError(
      expect.objectContaining({ code: 'OFFLINE_LIMIT_REACHED' }),
    );
    expect(() => checkOfflineSpend({ ...base, amountFen: 0.5 })).toThrow(SyncError);
  });

  it('counts unacknowledged stored-value spends per card and per terminal', () => {
    const row = (seq: number, kind: string, payload: unknown): OutboxRow => ({
      seq,
      operationId: `op-${seq}`,
      terminalId: 'T1',
      storeId: 'S1',
      kind,
      payload,
      createdAt: seq,
      sentAt: null,
    });
    const exposure = offlineExposure([
      row(1, 'top_up', topUp),
      row(2, 'spend', spend),
      row(3, 'spend', spend),
    ]);
    expect(exposure.total).toBe(6_000);
    expect(exposure.byCard.get('card-1')).toBe(6_000);
    expect(DEFAULT_OFFLINE_CAPS.perCardFen).toBeGreaterThan(0);
  });
});
