/**
 * Random operation sequences against the real ledger (in memory, from the seeded demo image). After every
 * step: the invariants hold, no member account is negative, a refused request changed nothing, and an
 * accepted one moved the card exactly as its rule says.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Balance,
  DEMO,
  LEDGER_ERROR_CODES,
  type Ledger,
  LedgerError,
  openLedger,
  type Tender,
} from '../../../db/index';
import { splitRefund, splitSpend } from '../../../db/money';
import { soakCount } from '../../support/soak';
import { clock, closeAll, demoLedger } from './support';

let image: Buffer;

beforeAll(() => {
  const { ledger } = demoLedger();
  // Two more cards of the first member, so card-to-card transfers have somewhere to go.
  for (const n of [1, 2]) {
    ledger.issueCard({
      id: `card-extra-${n}`,
      memberId: DEMO.members.uid.id,
      cardNumber: `88000000000100${n}`,
      medium: 'mifare',
    });
  }
  image = ledger.sqlite.serialize();
});
afterAll(closeAll);

const CARDS = [
  DEMO.cards.uid.id,
  DEMO.cards.mifare.id,
  DEMO.cards.magstripe.id,
  DEMO.cards.keyed.id,
  'card-extra-1',
  'card-extra-2',
];
const cashier = DEMO.staff.cashier.id;
const manager = DEMO.staff.manager.id;
const terminalId = DEMO.terminalId;

type Command =
  | { t: 'topUp'; card: number; amount: number; bonus: number; points: number; tender: Tender }
  | { t: 'spend'; card: number; amount: number }
  | { t: 'refund'; pick: number; amount: number }
  | { t: 'withdraw'; card: number; amount: number }
  | { t: 'void'; pick: number }
  | { t: 'transfer'; from: number; to: number }
  | { t: 'state'; card: number; state: 'active' | 'frozen' | 'lost' | 'closed' }
  | { t: 'replay'; pick: number };

const card = fc.integer({ min: 0, max: CARDS.length - 1 });
const amount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 80_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 0.5, 5_000_000, 5_000_001) },
);
const pick = fc.nat(1000);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('topUp' as const),
      card,
      amount,
      bonus: fc.integer({ min: 0, max: 20_000 }),
      points: fc.integer({ min: 0, max: 1_000 }),
      tender: fc.constantFrom<Tender>('cash', 'wechat', 'alipay', 'unionpay', 'bank_transfer'),
    }),
  },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('spend' as const), card, amount }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('refund' as const), pick, amount }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const), card, amount }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('void' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('transfer' as const), from: card, to: card }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('state' as const),
      card,
      state: fc.constantFrom('active', 'frozen', 'lost', 'closed'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), pick }) },
);

function counts(ledger: Ledger) {
  return ledger.sqlite
    .prepare(
      `SELECT (SELECT COUNT(*) FROM operations) AS operations, (SELECT COUNT(*) FROM transfers) AS transfers,
              (SELECT COUNT(*) FROM outbox) AS outbox`,
    )
    .get();
}

function balances(ledger: Ledger): Balance[] {
  return CARDS.map((id) => ledger.balance(id));
}

/** Runs one sequence; returns nothing, asserts at every step. */
function runSequence(commands: Command[]): void {
  const ledger = openLedger({ path: ':memory:', image, now: clock().now, checkpointIntervalMs: 0 });
  try {
    const accepted: Array<{ id: string; kind: string; replay: () => unknown }> = [];
    const spends: string[] = [];
    commands.forEach((cmd, step) => {
      const id = `op-${step}`;
      const before = { counts: counts(ledger), balances: balances(ledger) };
      let call: () => unknown;
      let check: (result: { cardId: string; balanceAfter: Balance }) => void = () => {};
      switch (cmd.t) {
        case 'topUp': {
          const input = {
            operationId: id,
            cardId: CARDS[cmd.card]!,
            amountFen: cmd.amount,
            bonusFen: cmd.bonus,
            points: cmd.points,
            tender: cmd.tender,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.topUp(input);
          check = (r) => {
            const old = before.balances[cmd.card]!;
            expect(r.balanceAfter).toEqual({
              principalFen: old.principalFen + cmd.amount,
              bonusFen: old.bonusFen + cmd.bonus,
              points: old.points + cmd.points,
            });
          };
          break;
        }
        case 'spend': {
          const input = {
            operationId: id,
            cardId: CARDS[cmd.card]!,
            amountFen: cmd.amount,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.spend(input);
          check = (r) => {
            const old = before.balances[cmd.card]!;
            const split = splitSpend(cmd.amount, old.principalFen, old.bonusFen, 'principal_first');
            expect(r.balanceAfter).toEqual({
              principalFen: old.principalFen - split.principalFen,
              bonusFen: old.bonusFen - split.bonusFen,
              points: old.points,
            });
            spends.push(id);
          };
          break;
        }
        case 'refund': {
          const original = spends.length > 0 ? spends[cmd.pick % spends.length]! : 'op-none';
          const input = {
            operationId: id,
            originalOperationId: original,
            amountFen: cmd.amount,
            approvedBy: manager,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.refund(input);
          check = (r) => {
            const spend = ledger.operation(original)!;
            const index = CARDS.indexOf(r.cardId);
            const old = before.balances[index]!;
            const refundsBefore = ledger
              .operationsOf({ kinds: ['refund'] })
              .filter((o) => o.targetOperationId === original && o.operationId !== id);
            const voided = new Set(ledger.operationsOf({ kinds: ['void'] }).map((o) => o.targetOperationId));
            const live = refundsBefore.filter((o) => !voided.has(o.operationId));
            const split = splitRefund(cmd.amount, spend, {
              amountFen: live.reduce((sum, o) => sum + o.amountFen, 0),
              bonusFen: live.reduce((sum, o) => sum + o.bonusFen, 0),
            });
            expect(r.balanceAfter.principalFen).toBe(old.principalFen + split.principalFen);
            expect(r.balanceAfter.bonusFen).toBe(old.bonusFen + split.bonusFen);
          };
          break;
        }
        case 'withdraw': {
          const input = {
            operationId: id,
            cardId: CARDS[cmd.card]!,
            amountFen: cmd.amount,
            tender: 'cash' as const,
            approvedBy: manager,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.withdraw(input);
          check = (r) => {
            const old = before.balances[cmd.card]!;
            expect(r.balanceAfter).toEqual({ ...old, principalFen: old.principalFen - cmd.amount });
          };
          break;
        }
        case 'void': {
          const target = accepted.length > 0 ? accepted[cmd.pick % accepted.length]!.id : 'op-none';
          const input = {
            operationId: id,
            targetOperationId: target,
            approvedBy: manager,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.voidOperation(input);
          break;
        }
        case 'transfer': {
          const input = {
            operationId: id,
            fromCardId: CARDS[cmd.from]!,
            toCardId: CARDS[cmd.to]!,
            approvedBy: manager,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.transferCard(input);
          check = (r) => {
            const sum = (a: Balance, b: Balance) => ({
              principalFen: a.principalFen + b.principalFen,
              bonusFen: a.bonusFen + b.bonusFen,
              points: a.points + b.points,
            });
            expect(r.balanceAfter).toEqual(sum(before.balances[cmd.from]!, before.balances[cmd.to]!));
            expect(ledger.balance(CARDS[cmd.from]!)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
          };
          break;
        }
        case 'state': {
          const input = {
            operationId: id,
            cardId: CARDS[cmd.card]!,
            state: cmd.state,
            staffId: cashier,
            terminalId,
          };
          call = () => ledger.setCardState(input);
          break;
        }
        case 'replay': {
          if (accepted.length === 0) return;
          const first = accepted[cmd.pick % accepted.length]!;
          const replayed = first.replay() as { replayed?: boolean };
          if (first.kind !== 'card_state') expect(replayed.replayed).toBe(true);
          expect(counts(ledger)).toEqual(before.counts);
          expect(balances(ledger)).toEqual(before.balances);
          return;
        }
      }
      let result: unknown;
      try {
        result = call();
      } catch (error) {
        // A refusal is always a coded LedgerError and leaves the ledger exactly as it was.
        expect(error).toBeInstanceOf(LedgerError);
        expect(LEDGER_ERROR_CODES).toContain((error as LedgerError).code);
        expect((error as LedgerError).code).not.toBe('STORAGE_FAILED');
        expect(counts(ledger)).toEqual(before.counts);
        expect(balances(ledger)).toEqual(before.balances);
        return;
      }
      const after = counts(ledger) as { operations: number; outbox: number };
      const was = before.counts as { operations: number; outbox: number };
      expect([after.operations, after.outbox]).toEqual([was.operations + 1, was.outbox + 1]);
      if (cmd.t !== 'state') {
        const r = result as { cardId: string; balanceAfter: Balance; replayed: boolean };
        expect(r.replayed).toBe(false);
        expect(ledger.balance(r.cardId)).toEqual(r.balanceAfter);
        check(r);
      }
      accepted.push({ id, kind: cmd.t === 'state' ? 'card_state' : cmd.t, replay: call });
      const report = ledger.checkInvariants();
      expect(report.problems).toEqual([]);
      for (const b of balances(ledger)) {
        expect(b.principalFen).toBeGreaterThanOrEqual(0);
        expect(b.bonusFen).toBeGreaterThanOrEqual(0);
        expect(b.points).toBeGreaterThanOrEqual(0);
      }
    });
  } finally {
    ledger.close();
  }
}

describe('random operation sequences', () => {
  it('keep the invariants after every step, refuse cleanly, and move cards exactly by the rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        // A thousand runs in one synchronous stretch can outlast the test runner's 60 s wait for its own
        // messages on a busy machine: each run first lets the event loop turn.
        await new Promise((resolve) => setImmediate(resolve));
        runSequence(commands);
      }),
      // 300 sequences (about 3,800 operations) in `npm test`; `npm run soak` runs 3,000.
      { numRuns: soakCount(3_000, 300) },
    );
    // Seconds on an idle machine; the margin is for a busy CI runner.
  }, 120_000);
});

describe('split arithmetic', () => {
  const policy = fc.constantFrom('principal_first' as const, 'bonus_first' as const, 'proportional' as const);
  it('a spend split is whole fen, sums to the amount, and never takes more than an account holds', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.nat(10_000_000),
        fc.nat(20_000_000),
        policy,
        (principal, bonus, wanted, p) => {
          const amount = Math.min(wanted, principal + bonus);
          const split = splitSpend(amount, principal, bonus, p);
          expect(Number.isSafeInteger(split.principalFen) && Number.isSafeInteger(split.bonusFen)).toBe(true);
          expect(split.principalFen + split.bonusFen).toBe(amount);
          expect(split.principalFen).toBeGreaterThanOrEqual(0);
          expect(split.bonusFen).toBeGreaterThanOrEqual(0);
          expect(split.principalFen).toBeLessThanOrEqual(principal);
          expect(split.bonusFen).toBeLessThanOrEqual(bonus);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('refunding a spend in any number of parts gives back exactly what it took from each account', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        (principal, bonus, cuts) => {
          fc.pre(principal + bonus > 0);
          const total = principal + bonus;
          const bounds = [...new Set(cuts.map((c) => c % total))].filter((c) => c > 0).sort((a, b) => a - b);
          const parts = [...bounds, total].map((end, i, all) => end - (i === 0 ? 0 : all[i - 1]!));
          let refunded = { amountFen: 0, bonusFen: 0 };
          let principalBack = 0;
          for (const part of parts) {
            const split = splitRefund(part, { principalFen: principal, bonusFen: bonus }, refunded);
            expect(split.principalFen + split.bonusFen).toBe(part);
            expect(split.principalFen).toBeGreaterThanOrEqual(0);
            expect(split.bonusFen).toBeGreaterThanOrEqual(0);
            refunded = { amountFen: refunded.amountFen + part, bonusFen: refunded.bonusFen + split.bonusFen };
            principalBack += split.principalFen;
          }
          expect({ principalBack, bonusBack: refunded.bonusFen }).toEqual({
            principalBack: principal,
            bonusBack: bonus,
          });
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
