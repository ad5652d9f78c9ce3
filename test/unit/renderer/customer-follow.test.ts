import { describe, expect, it } from 'vitest';
import { customerShow } from '../../../renderer/src/customer/follow-counter';

const base = { cardId: 'card-1', draftFen: undefined, result: null, amountText: '' } as const;

describe('what the counter shows the customer', () => {
  it('the amount typed, the total at the confirmation, the change once cash covers it, then done', () => {
    expect(customerShow({ ...base, phase: 'member', amountText: '30.5' })).toEqual({
      phase: 'amount',
      amountFen: 3_050,
      cardId: 'card-1',
    });
    expect(customerShow({ ...base, phase: 'topUp', draftFen: 10_000, cashReceived: '' })).toMatchObject({
      phase: 'total',
      amountFen: 10_000,
    });
    // Short cash is still the total; enough cash shows paid and change.
    expect(customerShow({ ...base, phase: 'topUp', draftFen: 10_000, cashReceived: '50' })).toMatchObject({
      phase: 'total',
    });
    expect(customerShow({ ...base, phase: 'topUp', draftFen: 10_000, cashReceived: '200' })).toEqual({
      phase: 'change',
      amountFen: 20_000,
      changeFen: 10_000,
      cardId: 'card-1',
    });
    // The operation goes along at done, so that the host can offer a charge to the customer to rate.
    expect(
      customerShow({
        ...base,
        phase: 'result',
        result: { amountFen: 10_000, operationId: '01JCUSTOMERFOLLOW000000001' },
      }),
    ).toMatchObject({ phase: 'done', amountFen: 10_000, operationId: '01JCUSTOMERFOLLOW000000001' });
    expect(customerShow({ ...base, phase: 'waiting', cardId: undefined })).toEqual({ phase: 'idle' });
  });
});
