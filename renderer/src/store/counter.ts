/**
 * The counter's flow: waiting for a card → member → top-up or charge → result → waiting. Operation ids are
 * made here, when the cashier opens a confirmation, so a double tap or a resend carries the same id and the
 * ledger applies it once.
 */
import { ulid } from 'ulid';
import { create } from 'zustand';
import type {
  CardView,
  OperationLine,
  OperationResult,
  ReceiptPrint,
  Tender,
  TopUpQuote,
} from '../../../electron/contract/index';
import { tenderOfPayCode } from '../../../electron/contract/pay-code';
import { asFailure, call, PosFailure } from '../api/client';
import { parseYuan, pressAmountKey } from '../money';
import { chargedFen, chargeExtras } from './charge-points';

export type Phase =
  | 'waiting'
  | 'loading'
  | 'member'
  | 'topUp'
  | 'charge'
  | 'void'
  | 'refund'
  | 'withdraw'
  | 'result';

/** Steps with a confirmation open: a card tapped meanwhile must not swap the member. */
const CONFIRMING: readonly Phase[] = ['topUp', 'charge', 'void', 'refund', 'withdraw'];

export interface Draft {
  operationId: string;
  amountFen: number;
  tender: Tender;
  reference: string;
  /** Cash the member handed over, as typed, for the change due; never sent. */
  cashReceived: string;
  /** Split payment: the tender that pays what the card cannot, once the cashier chose one. */
  restTender: Tender | null;
  /** Typed by the member on a charge when they have set a password; kept only until the charge is done. */
  memberPassword: string;
  /** The promotion quote shown before confirming; sent back so the ledger applies exactly that. */
  bonus: (TopUpQuote & { rule: string }) | null;
  /**
   * A manager's approval for a card whose number was typed, once the host asked for one
   * (KEYED_ENTRY_NEEDS_APPROVAL); null until then. The PIN is kept only until the charge is sent.
   */
  keyedApproval: KeyedApprovalDraft | null;
}

export interface KeyedApprovalDraft {
  staffNo: string;
  pin: string;
  reason: string;
}

interface CounterState {
  phase: Phase;
  card: CardView | null;
  recent: OperationLine[];
  amountText: string;
  draft: Draft | null;
  /** The charge a refund is being asked for. */
  refundTarget: OperationLine | null;
  submitting: boolean;
  result: OperationResult | null;
  /** The result's receipt: printing, printed, or not printed and why (kept current by `print.status`). */
  receipt: ReceiptPrint | null;
  /** A reprint asked for and not refused. */
  reprinted: boolean;
  /** The wallet whose payment code the scanner just read, for the dialog to say so. */
  scanned: Tender | null;
  error: PosFailure | null;
  lookup(query: { uid: string } | { cardNumber: string }): Promise<void>;
  /** A card the devices could not accept (a bank card swiped, a foreign card tapped): say why. */
  refuse(code: string): void;
  pressKey(key: string): void;
  backspace(): void;
  clearAmount(): void;
  clearError(): void;
  startTopUp(): Promise<void>;
  startCharge(): void;
  startVoid(): void;
  startRefund(line: OperationLine): void;
  /** 提现 of the amount typed. */
  startWithdraw(): void;
  confirmRefund(amountFen: number, approver: { staffNo: string; pin: string }): Promise<void>;
  confirmWithdraw(approver: { staffNo: string; pin: string }): Promise<void>;
  setTender(tender: Tender): void;
  setReference(reference: string): void;
  setCashReceived(text: string): void;
  /**
   * A payment code read by the scanner: on a top-up it picks WeChat Pay or Alipay by the code's prefix and
   * becomes the reference; on a charge larger than the balance it pays the rest.
   */
  scanPayCode(code: string): void;
  /** Split payment: the rest of a charge by this tender (null: the card alone). */
  setRestTender(tender: Tender | null): void;
  setMemberPassword(password: string): void;
  setKeyedApproval(change: Partial<KeyedApprovalDraft>): void;
  confirm(): Promise<void>;
  confirmVoid(approver: { staffNo: string; pin: string }): Promise<void>;
  /** A `print.status` event: follows the result's receipt. */
  receiptChanged(status: ReceiptPrint): void;
  /** Prints an operation's receipt again (the result's, unless another is named), marked 重打. */
  reprint(operationId?: string): Promise<void>;
  back(): void;
  reset(): void;
}

const initial = {
  phase: 'waiting' as Phase,
  card: null,
  recent: [],
  amountText: '',
  draft: null,
  refundTarget: null,
  submitting: false,
  result: null,
  receipt: null,
  reprinted: false,
  scanned: null,
  error: null,
};

/**
 * The last `print.status` seen per job. The event for a receipt can arrive before the command that queued
 * it has answered (a ready printer prints at once); the answer then must not wind its state back.
 */
const seenPrintStatus = new Map<string, ReceiptPrint>();
const latest = (receipt: ReceiptPrint | undefined): ReceiptPrint | null =>
  receipt === undefined ? null : (seenPrintStatus.get(receipt.jobId) ?? receipt);

/** The counter once an operation is answered: its result, its receipt, the card's new balance. */
function resultState(result: OperationResult, card: CardView): Partial<CounterState> {
  return {
    phase: 'result',
    result,
    receipt: latest(result.receipt),
    reprinted: false,
    submitting: false,
    card: { ...card, balance: result.balance },
  };
}

/** A new confirmation's draft; its operation id is made now, so a resend carries the same id. */
const newDraft = (amountFen: number): Draft => ({
  operationId: ulid(),
  amountFen,
  tender: 'cash',
  reference: '',
  cashReceived: '',
  restTender: null,
  memberPassword: '',
  bonus: null,
  keyedApproval: null,
});

/**
 * The rest of a split charge: what the card cannot pay (after the tier discount and points the quote shows),
 * by the tender the cashier chose, with its reference (a scanned payment code, a slip number) unless cash.
 */
function splitRest(draft: Draft, card: CardView) {
  if (draft.restTender === null) return {};
  const pays = chargedFen(draft);
  const amountFen = pays - card.balance.totalFen;
  if (amountFen <= 0) return {};
  const reference = draft.reference.trim();
  return {
    rest: {
      tender: draft.restTender,
      amountFen,
      ...(draft.restTender === 'cash' || reference === '' ? {} : { reference }),
    },
  };
}

/** Each lookup gets a number; an answer to an older lookup (a card tapped then another) is dropped. */
let lookupSequence = 0;

export const useCounter = create<CounterState>((set, get) => {
  const loadRecent = async (cardId: string) => {
    try {
      const recent = await call('card.recentOperations', { cardId, limit: 5 });
      if (get().card?.card.id === cardId) set({ recent });
    } catch {
      // The list is a convenience; the member panel stands without it.
    }
  };

  const canTransact = () => get().card?.card.state === 'active';

  /** Sends a confirmed operation once; its answer becomes the result, a refusal stays on the dialog. */
  const submit = async (card: CardView, send: () => Promise<OperationResult>) => {
    set({ submitting: true, error: null });
    try {
      set(resultState(await send(), card));
    } catch (error) {
      set({ submitting: false, error: asFailure(error) });
    }
  };

  return {
    ...initial,

    async lookup(query) {
      const { phase, submitting } = get();
      // A card tapped while an operation is being confirmed must not swap the member under the cashier.
      if (submitting || CONFIRMING.includes(phase)) return;
      lookupSequence += 1;
      const mine = lookupSequence;
      // The screen stays as it is until the answer (usually a few milliseconds): going through a "loading"
      // screen would paint twice for every tap. A first card shows the loading words on the waiting screen.
      if (phase === 'waiting') set({ phase: 'loading', error: null });
      try {
        const card = await call('card.lookup', query);
        if (mine !== lookupSequence) return;
        set({ ...initial, card, phase: 'member' });
        void loadRecent(card.card.id);
      } catch (error) {
        if (mine !== lookupSequence) return;
        set({ ...initial, error: asFailure(error) });
      }
    },

    refuse(code) {
      const { phase, submitting } = get();
      if (submitting || CONFIRMING.includes(phase)) return;
      lookupSequence += 1;
      set({ ...initial, error: new PosFailure({ code, message: code }) });
    },

    pressKey(key) {
      if (get().phase !== 'member') return;
      set({ amountText: pressAmountKey(get().amountText, key), error: null });
    },
    backspace() {
      if (get().phase !== 'member') return;
      set({ amountText: get().amountText.slice(0, -1) });
    },
    clearAmount() {
      set({ amountText: '', error: null });
    },
    clearError() {
      set({ error: null });
    },

    async startTopUp() {
      const { card, amountText } = get();
      const amountFen = parseYuan(amountText);
      if (card === null || amountFen === null || !canTransact()) return;
      const draft = newDraft(amountFen);
      set({ phase: 'topUp', draft, error: null, scanned: null });
      try {
        const preview = await call('wallet.previewTopUp', { cardId: card.card.id, amountFen });
        if (get().draft?.operationId === draft.operationId) {
          const { ruleId, ruleVersion, bonusFen, points, rule } = preview;
          set({
            draft: { ...draft, ...get().draft, bonus: { ruleId, ruleVersion, bonusFen, points, rule } },
          });
        }
      } catch (error) {
        set({ error: asFailure(error) });
      }
    },
    startCharge() {
      const { card, amountText } = get();
      const amountFen = parseYuan(amountText);
      if (card === null || amountFen === null || !canTransact()) return;
      set({ phase: 'charge', draft: newDraft(amountFen), error: null, scanned: null });
    },
    startVoid() {
      if (get().card === null || get().recent.length === 0) return;
      set({ phase: 'void', draft: newDraft(0), error: null });
    },
    startRefund(line) {
      if (get().card === null || line.kind !== 'spend' || line.voided) return;
      set({ phase: 'refund', refundTarget: line, draft: newDraft(0), error: null });
    },
    startWithdraw() {
      const amountFen = parseYuan(get().amountText);
      if (get().card === null || amountFen === null || !canTransact()) return;
      set({ phase: 'withdraw', draft: newDraft(amountFen), error: null });
    },
    async confirmRefund(amountFen, approver) {
      const { phase, draft, card, refundTarget, submitting } = get();
      if (submitting || phase !== 'refund' || draft === null || card === null || refundTarget === null)
        return;
      await submit(card, () =>
        call('wallet.refund', {
          operationId: draft.operationId,
          cardId: card.card.id,
          originalOperationId: refundTarget.operationId,
          amountFen,
          approver,
        }),
      );
    },
    async confirmWithdraw(approver) {
      const { phase, draft, card, submitting } = get();
      if (submitting || phase !== 'withdraw' || draft === null || card === null) return;
      await submit(card, () =>
        call('wallet.withdraw', {
          operationId: draft.operationId,
          cardId: card.card.id,
          amountFen: draft.amountFen,
          tender: 'cash',
          approver,
        }),
      );
    },
    setTender(tender) {
      const draft = get().draft;
      if (draft !== null) set({ draft: { ...draft, tender } });
    },
    setReference(reference) {
      const draft = get().draft;
      if (draft !== null) set({ draft: { ...draft, reference } });
    },
    setCashReceived(cashReceived) {
      const draft = get().draft;
      if (draft !== null) set({ draft: { ...draft, cashReceived } });
    },
    scanPayCode(code) {
      const { draft, phase, card } = get();
      if (draft === null || card === null) return;
      const tender = tenderOfPayCode(code);
      if (tender === null) {
        set({ error: new PosFailure({ code: 'PAYMENT_CODE_INVALID', message: 'not a payment code' }) });
      } else if (phase === 'topUp') {
        set({ draft: { ...draft, tender, reference: code }, error: null, scanned: tender });
      } else if (phase === 'charge' && chargedFen(draft) > card.balance.totalFen) {
        set({ draft: { ...draft, restTender: tender, reference: code }, error: null, scanned: tender });
      }
    },
    setRestTender(restTender) {
      const draft = get().draft;
      if (draft !== null) set({ draft: { ...draft, restTender, reference: '', cashReceived: '' } });
    },
    setMemberPassword(memberPassword) {
      const draft = get().draft;
      if (draft !== null) set({ draft: { ...draft, memberPassword } });
    },
    setKeyedApproval(change) {
      const draft = get().draft;
      if (draft?.keyedApproval)
        set({ draft: { ...draft, keyedApproval: { ...draft.keyedApproval, ...change } } });
    },

    async confirm() {
      const { phase, draft, card, submitting } = get();
      if (submitting || draft === null || card === null) return;
      if (phase !== 'topUp' && phase !== 'charge') return;
      set({ submitting: true, error: null });
      try {
        const result =
          phase === 'topUp'
            ? await call('wallet.topUp', {
                operationId: draft.operationId,
                cardId: card.card.id,
                amountFen: draft.amountFen,
                tender: draft.tender,
                ...(draft.tender === 'cash' ? {} : { reference: draft.reference.trim() }),
                ...(draft.bonus === null
                  ? {}
                  : {
                      quote: {
                        ruleId: draft.bonus.ruleId,
                        ruleVersion: draft.bonus.ruleVersion,
                        bonusFen: draft.bonus.bonusFen,
                        points: draft.bonus.points,
                      },
                    }),
              })
            : await call('wallet.charge', {
                operationId: draft.operationId,
                cardId: card.card.id,
                amountFen: draft.amountFen,
                ...(card.member.hasPassword ? { memberPassword: draft.memberPassword } : {}),
                ...(draft.keyedApproval === null
                  ? {}
                  : {
                      keyedApproval: {
                        staffNo: draft.keyedApproval.staffNo,
                        pin: draft.keyedApproval.pin,
                        reason: draft.keyedApproval.reason.trim(),
                      },
                    }),
                ...chargeExtras(draft.operationId),
                ...splitRest(draft, card),
              });
        set(resultState(result, card));
      } catch (error) {
        // A wrong password or PIN is typed again from scratch, never edited. A typed card number the host
        // will not charge alone opens the manager's approval.
        const current = get().draft;
        const failure = asFailure(error);
        const approval =
          current?.keyedApproval ??
          (failure.code === 'KEYED_ENTRY_NEEDS_APPROVAL' ? { staffNo: '', pin: '', reason: '' } : null);
        set({
          submitting: false,
          error: failure,
          draft:
            current === null
              ? null
              : {
                  ...current,
                  memberPassword: '',
                  keyedApproval: approval === null ? null : { ...approval, pin: '' },
                },
        });
      }
    },

    async confirmVoid(approver) {
      const { phase, draft, card, recent, submitting } = get();
      const target = recent.find((line) => line.kind !== 'void' && !line.voided);
      if (submitting || phase !== 'void' || draft === null || card === null || target === undefined) return;
      await submit(card, () =>
        call('wallet.void', {
          operationId: draft.operationId,
          cardId: card.card.id,
          targetOperationId: target.operationId,
          approver,
        }),
      );
    },

    receiptChanged(status) {
      seenPrintStatus.set(status.jobId, status);
      if (seenPrintStatus.size > 50) seenPrintStatus.delete(seenPrintStatus.keys().next().value as string);
      if (status.jobId === get().receipt?.jobId) set({ receipt: status });
    },
    async reprint(operationId) {
      const target = operationId ?? get().result?.operationId;
      if (target === undefined) return;
      try {
        const { receipt } = await call('receipt.reprint', { operationId: target, requestId: ulid() });
        // The result's receipt is now the copy: its progress is what the cashier watches.
        if (target === get().result?.operationId)
          set({ receipt: latest(receipt), reprinted: true, error: null });
        else set({ reprinted: true, error: null });
      } catch (error) {
        set({ error: asFailure(error) });
      }
    },

    back() {
      const { phase, submitting } = get();
      if (submitting) return;
      if (CONFIRMING.includes(phase)) {
        set({ phase: 'member', draft: null, refundTarget: null, error: null });
      } else if (phase === 'result') {
        get().reset();
      } else if (phase === 'member') {
        if (get().amountText !== '') set({ amountText: '', error: null });
        else get().reset();
      } else {
        set({ error: null });
      }
    },
    reset() {
      lookupSequence += 1;
      set({ ...initial });
    },
  };
});
