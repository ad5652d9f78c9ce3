import { afterAll, describe, expect, it } from 'vitest';
import { cashier, closeAll, codeOf, DEMO, manager, memberLedger, terminalId } from './support';

afterAll(closeAll);

const card = DEMO.cards.uid.id;
const base = { staffId: cashier, terminalId };

describe('freezing and unfreezing a card', () => {
  it('needs a manager; a frozen card refuses spending until it is unfrozen', () => {
    const { ledger, members } = memberLedger();
    expect(
      codeOf(() => members.freezeCard({ ...base, operationId: 'f-1', cardId: card, approvedBy: cashier })),
    ).toBe('APPROVER_NOT_MANAGER');
    expect(members.freezeCard({ ...base, operationId: 'f-1', cardId: card, approvedBy: manager }).state).toBe(
      'frozen',
    );
    expect(codeOf(() => ledger.spend({ ...base, operationId: 's-1', cardId: card, amountFen: 100 }))).toBe(
      'CARD_FROZEN',
    );
    expect(
      members.unfreezeCard({ ...base, operationId: 'u-1', cardId: card, approvedBy: manager }).state,
    ).toBe('active');
    expect(ledger.spend({ ...base, operationId: 's-2', cardId: card, amountFen: 100 }).amountFen).toBe(100);
  });

  it('only unfreezes a frozen card, and records the approving manager on the audit chain', () => {
    const { ledger, members } = memberLedger();
    members.reportCardLost({ ...base, operationId: 'l-1', cardId: card });
    expect(
      codeOf(() => members.unfreezeCard({ ...base, operationId: 'u-1', cardId: card, approvedBy: manager })),
    ).toBe('INPUT_INVALID');
    const other = DEMO.cards.mifare.id;
    members.freezeCard({ ...base, operationId: 'f-1', cardId: other, approvedBy: manager });
    const line = ledger.sqlite
      .prepare(`SELECT details FROM audit WHERE action = 'card.freeze' AND outcome = 'ok'`)
      .get() as { details: string };
    expect(JSON.parse(line.details)).toMatchObject({
      cardId: other,
      from: 'active',
      to: 'frozen',
      approvedBy: manager,
    });
    expect(ledger.verifyAuditChain().ok).toBe(true);
  });
});

describe('reporting a card lost', () => {
  it('blocks the card at once and sends the state change to HQ through the outbox', () => {
    const { ledger, members } = memberLedger();
    const before = ledger.outbox.stats().waiting;
    expect(members.reportCardLost({ ...base, operationId: 'l-1', cardId: card }).state).toBe('lost');
    expect(codeOf(() => ledger.spend({ ...base, operationId: 's-1', cardId: card, amountFen: 100 }))).toBe(
      'CARD_LOST',
    );
    const rows = ledger.outbox.pending(10_000);
    expect(ledger.outbox.stats().waiting).toBe(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ operationId: 'l-1', kind: 'card_state' });
  });
});

describe('replacing a card', () => {
  it('moves the whole principal, bonus and points to the new card and refuses the old one from then on', () => {
    const { ledger, members } = memberLedger();
    const held = ledger.balance(card);
    members.reportCardLost({ ...base, operationId: 'l-1', cardId: card });
    const result = members.replaceCard({
      ...base,
      operationId: 'r-1',
      oldCardId: card,
      newCard: { id: 'card-new', cardNumber: '8800000000000099', uid: '04AABBCCDDEEFF', medium: 'uid' },
      approvedBy: manager,
    });
    expect(result.moved).toEqual(held);
    expect(result.oldCard.state).toBe('replaced');
    expect(result.newCard).toMatchObject({ state: 'active', memberId: DEMO.members.uid.id });
    expect(ledger.balance('card-new')).toEqual(held);
    expect(ledger.balance(card)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(
      codeOf(() =>
        ledger.topUp({
          ...base,
          operationId: 't-1',
          cardId: card,
          amountFen: 100,
          tender: 'cash',
          bonusFen: 0,
          points: 0,
        }),
      ),
    ).toBe('CARD_REPLACED');
    expect(ledger.findCardByUid('04AABBCCDDEEFF')?.id).toBe('card-new');
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('returns the first result when the same replacement is sent again', () => {
    const { members } = memberLedger();
    const input = {
      ...base,
      operationId: 'r-1',
      oldCardId: card,
      newCard: { id: 'card-new', cardNumber: '8800000000000099', medium: 'keyed' as const },
      approvedBy: manager,
    };
    const first = members.replaceCard(input);
    expect(members.replaceCard(input)).toEqual(first);
  });

  it('needs a manager and leaves nothing behind when refused', () => {
    const { ledger, members } = memberLedger();
    const input = {
      ...base,
      operationId: 'r-1',
      oldCardId: card,
      newCard: { id: 'card-new', cardNumber: '8800000000000099', medium: 'keyed' as const },
    };
    expect(codeOf(() => members.replaceCard({ ...input, approvedBy: cashier }))).toBe('APPROVER_NOT_MANAGER');
    // A taken card number is refused by the ledger; the new card is not left half-made.
    expect(
      codeOf(() =>
        members.replaceCard({
          ...input,
          approvedBy: manager,
          newCard: { ...input.newCard, cardNumber: DEMO.cards.keyed.cardNumber },
        }),
      ),
    ).toBe('CARD_NUMBER_TAKEN');
    expect(ledger.card('card-new')).toBeUndefined();
    expect(ledger.card(card)?.state).toBe('active');
  });
});

describe('closing a card', () => {
  function cardWithMoney() {
    const setup = memberLedger();
    setup.ledger.issueCard({
      id: 'c-close',
      memberId: DEMO.members.keyed.id,
      cardNumber: '7700000000000001',
      medium: 'keyed',
    });
    setup.ledger.topUp({
      ...base,
      operationId: 't-1',
      cardId: 'c-close',
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 1_000,
      points: 0,
    });
    setup.ledger.spend({ ...base, operationId: 's-1', cardId: 'c-close', amountFen: 2_500 });
    return setup;
  }

  it('pays back the principal, forfeits the bonus, closes the card, and returns the slip arithmetic', () => {
    const { ledger, members } = cardWithMoney();
    const before = ledger.balance('c-close');
    const drawer = () =>
      ledger.operationsOf({ kinds: ['withdraw'] }).reduce((sum, o) => sum + o.amountFen, 0);
    const result = members.closeCard({
      ...base,
      operationId: 'x-1',
      cardId: 'c-close',
      tender: 'cash',
      approvedBy: manager,
    });
    expect(result.before).toEqual(before);
    expect(result.principalRefundedFen).toBe(before.principalFen);
    expect(result.bonusForfeitedFen).toBe(before.bonusFen);
    expect(result.principalRefundedFen + result.bonusForfeitedFen).toBe(
      before.principalFen + before.bonusFen,
    );
    expect(result.card.state).toBe('closed');
    expect(drawer()).toBe(before.principalFen);
    expect(ledger.balance('c-close')).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(ledger.checkInvariants().ok).toBe(true);
    expect(
      members.closeCard({
        ...base,
        operationId: 'x-1',
        cardId: 'c-close',
        tender: 'cash',
        approvedBy: manager,
      }),
    ).toMatchObject({
      principalRefundedFen: result.principalRefundedFen,
      bonusForfeitedFen: result.bonusForfeitedFen,
    });
  });

  it('needs a manager, and refuses while points remain, moving nothing', () => {
    const { ledger, members } = cardWithMoney();
    const before = ledger.balance('c-close');
    expect(
      codeOf(() =>
        members.closeCard({
          ...base,
          operationId: 'x-1',
          cardId: 'c-close',
          tender: 'cash',
          approvedBy: cashier,
        }),
      ),
    ).toBe('APPROVER_NOT_MANAGER');
    expect(
      codeOf(() =>
        members.closeCard({ ...base, operationId: 'x-2', cardId: card, tender: 'cash', approvedBy: manager }),
      ),
    ).toBe('CARD_HAS_POINTS');
    expect(ledger.balance('c-close')).toEqual(before);
    expect(ledger.card(card)?.state).toBe('active');
  });
});

describe('closing a card that still holds points', () => {
  /** The store's points account: where points are issued from and go back to (credits − debits). */
  const pointsAccount = (ledger: ReturnType<typeof memberLedger>['ledger']) =>
    (
      ledger.sqlite
        .prepare(
          `SELECT b.credits - b.debits AS held FROM balances b JOIN accounts a ON a.id = b.account_id
           WHERE a.code = ?`,
        )
        .get(`store:${DEMO.storeId}:points_issued`) as { held: number }
    ).held;

  it('refuses without the confirmation, naming the points, and forfeits them with it', () => {
    const { ledger, members } = memberLedger();
    const before = ledger.balance(card);
    expect(before.points).toBeGreaterThan(0);
    const storeBefore = pointsAccount(ledger);
    let refusal: unknown;
    try {
      members.closeCard({ ...base, operationId: 'xp-1', cardId: card, tender: 'cash', approvedBy: manager });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      code: 'CARD_HAS_POINTS',
      details: { cardId: card, points: before.points },
    });
    expect(ledger.balance(card)).toEqual(before);

    const result = members.closeCard({
      ...base,
      operationId: 'xp-2',
      cardId: card,
      tender: 'cash',
      approvedBy: manager,
      forfeitPoints: true,
    });
    expect(result.pointsForfeited).toBe(before.points);
    expect(result.operations.pointsForfeit).toBe('xp-2:p');
    expect(result.card.state).toBe('closed');
    expect(ledger.balance(card)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    // The points went back to the store's points account, point for point; no money account moved for them.
    expect(pointsAccount(ledger) - storeBefore).toBe(before.points);
    const forfeit = ledger.operation('xp-2:p');
    expect(forfeit).toMatchObject({
      kind: 'forfeit',
      points: -before.points,
      amountFen: 0,
      approvedBy: manager,
    });
    expect(ledger.checkInvariants().ok).toBe(true);

    const line = ledger.sqlite
      .prepare(
        `SELECT details FROM audit WHERE action = 'card.close' AND outcome = 'ok' AND operation_id = ?`,
      )
      .get('xp-2') as { details: string };
    expect(JSON.parse(line.details)).toMatchObject({
      cardId: card,
      approvedBy: manager,
      pointsForfeited: before.points,
    });
    expect(ledger.verifyAuditChain().ok).toBe(true);

    // A replay answers with the first result and forfeits nothing more.
    const again = members.closeCard({
      ...base,
      operationId: 'xp-2',
      cardId: card,
      tender: 'cash',
      approvedBy: manager,
      forfeitPoints: true,
    });
    expect(again.pointsForfeited).toBe(before.points);
    expect(pointsAccount(ledger) - storeBefore).toBe(before.points);
  });
});

describe('member passwords', () => {
  const member = DEMO.members.uid.id;

  it('are six digits, not a repeated digit or a run, and stored only as a hash', () => {
    const { ledger, members } = memberLedger();
    for (const bad of ['12345', '1234567', 'abcdef', '111111', '123456', '654321']) {
      expect(codeOf(() => members.setPassword({ ...base, memberId: member, password: bad }))).toBe(
        'PASSWORD_INVALID',
      );
    }
    members.setPassword({ ...base, memberId: member, password: '274913' });
    const stored = ledger.sqlite
      .prepare('SELECT password_hash FROM member_profiles WHERE member_id = ?')
      .get(member) as {
      password_hash: string;
    };
    expect(stored.password_hash.startsWith('scrypt$')).toBe(true);
    expect(stored.password_hash).not.toContain('274913');
    expect(() => members.verifyPassword({ memberId: member, password: '274913' })).not.toThrow();
  });

  it('lock after five wrong tries in a row, even for the right password, until a manager resets', () => {
    const { members } = memberLedger();
    members.setPassword({ ...base, memberId: member, password: '274913' });
    for (let i = 0; i < 4; i += 1) {
      expect(codeOf(() => members.verifyPassword({ memberId: member, password: '000001' }))).toBe(
        'PASSWORD_WRONG',
      );
    }
    expect(codeOf(() => members.verifyPassword({ memberId: member, password: '000001' }))).toBe(
      'PASSWORD_LOCKED',
    );
    expect(codeOf(() => members.verifyPassword({ memberId: member, password: '274913' }))).toBe(
      'PASSWORD_LOCKED',
    );
    expect(members.profile(member)?.passwordLocked).toBe(true);
    expect(
      codeOf(() =>
        members.resetPassword({ ...base, memberId: member, password: '582046', approvedBy: cashier }),
      ),
    ).toBe('APPROVER_NOT_MANAGER');
    members.resetPassword({ ...base, memberId: member, password: '582046', approvedBy: manager });
    expect(() => members.verifyPassword({ memberId: member, password: '582046' })).not.toThrow();
    expect(codeOf(() => members.verifyPassword({ memberId: member, password: '274913' }))).toBe(
      'PASSWORD_WRONG',
    );
  });

  it('a right password clears the count of earlier wrong ones', () => {
    const { members } = memberLedger();
    members.setPassword({ ...base, memberId: member, password: '274913' });
    for (let i = 0; i < 4; i += 1)
      codeOf(() => members.verifyPassword({ memberId: member, password: '000001' }));
    members.verifyPassword({ memberId: member, password: '274913' });
    for (let i = 0; i < 4; i += 1) {
      expect(codeOf(() => members.verifyPassword({ memberId: member, password: '000001' }))).toBe(
        'PASSWORD_WRONG',
      );
    }
  });
});
