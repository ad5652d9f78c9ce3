/**
 * The day-close (Z) report of one store and business day: what came in by tender, what happened by kind of
 * operation, the same per cashier, the drawer movements of the shifts, and the stored-value liability
 * rolled forward separately for principal and bonus and checked against the ledger's balance rows to the fen.
 *
 * Liability is what the store owes its members: the credits minus the debits of its cards' principal and
 * bonus accounts. The roll-forward explains a day's change from the journal (transfers); the ledger's
 * closing figure comes from the balance rows (the running totals the counter uses), less whatever later days
 * moved. The two are computed independently, so a balance row that does not match its transfers shows as a
 * difference; the report never adjusts one to the other.
 */
import { TENDERS } from '../../common/tenders';
import type { Ledger } from '../types';
import { emptyFigures, type Figures, figureQueries } from './figures';

/** Lines of the by-kind section, in print order. Kinds the report does not know print after them as-is. */
export const Z_LINES = [
  'top_up',
  'bonus_issued',
  'spend',
  'refund',
  'withdraw',
  'void',
  'card_fee',
  'expiry',
  'transfer',
] as const;

/** Drawer movements outside sales, recorded by the shifts module. */
export const DRAWER_KINDS = ['float', 'cash_in', 'cash_out', 'cash_drop', 'cash_over_short'] as const;

export interface KindLine {
  /** An operation kind, or bonus_issued for the bonus given with top-ups. */
  line: string;
  count: number;
  amountFen: number;
  /** For charges, refunds and voids: the part that moved principal and the part that moved bonus. */
  principalFen: number;
  bonusFen: number;
}

export interface TenderLine {
  tender: string;
  /** Operations that moved money in or out through this tender. */
  count: number;
  inFen: number;
  outFen: number;
  netFen: number;
}

export interface DrawerLine {
  kind: string;
  count: number;
  /** Signed: into the drawer is positive. */
  netFen: number;
}

export interface Section {
  byKind: KindLine[];
  byTender: TenderLine[];
  drawer: DrawerLine[];
  operationCount: number;
}

export interface CashierSection extends Section {
  staffId: string;
  name: string;
}

/** Each movement is signed as it changes the liability: + adds to what the store owes, − takes from it. */
export interface RollForward {
  openingFen: number;
  topUpsFen: number;
  bonusIssuedFen: number;
  chargesFen: number;
  refundsFen: number;
  withdrawalsFen: number;
  voidsFen: number;
  transfersFen: number;
  cardFeesFen: number;
  expiryFen: number;
  otherFen: number;
  /** opening + every movement above, by the journal. */
  closingFen: number;
  /** The same figure from the ledger's balance rows. */
  ledgerClosingFen: number;
  /** closing − ledger closing; anything but 0 is a broken ledger and is shown as found. */
  differenceFen: number;
}

export interface ShiftLine {
  shiftId: string;
  terminalId: string;
  cashierId: string;
  state: string;
  floatFen: number;
  expectedFen: number | null;
  countedFen: number | null;
  varianceFen: number | null;
  varianceReason: string | null;
  signedOffBy: string | null;
  /** The cashier signed their own count off: allowed only where the store lets a lone manager approve. */
  selfApproved: boolean;
}

/** A cash operation no shift will count: recorded on a terminal while no shift there was open. */
export interface OutsideShiftLine {
  operationId: string;
  kind: string;
  terminalId: string;
  staffId: string;
  at: number;
  /** Signed: into the drawer is positive. */
  netFen: number;
}

export interface ZReport {
  storeId: string;
  storeName: string;
  currency: string;
  businessDay: string;
  generatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  store: Section;
  byCashier: CashierSection[];
  shifts: ShiftLine[];
  liability: {
    principal: RollForward;
    bonus: RollForward;
    /** Where the opening came from: the previous closed day's stored closing, or the whole journal. */
    openingFrom: { kind: 'previous_close'; businessDay: string } | { kind: 'journal' };
  };
  /**
   * Top-ups, charges and refunds gross, voided and net (figures.ts): the same figures the reports screen and
   * its exports show for this day. Absent in reports stored before they were kept; the ledger fills them in.
   */
  figures?: Figures;
  /** True when both roll-forwards match the ledger to the fen. */
  balanced: boolean;
  /**
   * Cash the drawer took or paid outside every shift of its terminal (before one opened, after its count):
   * no count covers it, so the cash tender's net differs from the shifts' expected cash by exactly this.
   */
  outsideShifts: { operations: OutsideShiftLine[]; netFen: number };
}

interface DayRow {
  seq: number;
  kind: string;
  store_id: string;
  staff_id: string;
  amount_fen: number;
  principal_fen: number;
  bonus_fen: number;
  amount: number | null;
  debit_kind: string | null;
  debit_store: string | null;
  credit_kind: string | null;
  credit_store: string | null;
}

const TENDER_ACCOUNTS: Record<string, string> = {
  cash_drawer: 'cash',
  clearing_wechat: 'wechat',
  clearing_alipay: 'alipay',
  clearing_unionpay: 'unionpay',
  clearing_bank_transfer: 'bank_transfer',
};

const TENDER_ORDER: readonly string[] = TENDERS;

type RollField = Exclude<
  keyof RollForward,
  'openingFen' | 'closingFen' | 'ledgerClosingFen' | 'differenceFen'
>;

function rollFieldOf(kind: string, account: 'card_principal' | 'card_bonus'): RollField {
  switch (kind) {
    case 'top_up':
      return account === 'card_principal' ? 'topUpsFen' : 'bonusIssuedFen';
    case 'spend':
      return 'chargesFen';
    case 'refund':
      return 'refundsFen';
    case 'withdraw':
      return 'withdrawalsFen';
    case 'void':
      return 'voidsFen';
    case 'transfer':
      return 'transfersFen';
    case 'card_fee':
      return 'cardFeesFen';
    case 'expiry':
    case 'expire':
      return 'expiryFen';
    default:
      return 'otherFen';
  }
}

function emptyRoll(): RollForward {
  return {
    openingFen: 0,
    topUpsFen: 0,
    bonusIssuedFen: 0,
    chargesFen: 0,
    refundsFen: 0,
    withdrawalsFen: 0,
    voidsFen: 0,
    transfersFen: 0,
    cardFeesFen: 0,
    expiryFen: 0,
    otherFen: 0,
    closingFen: 0,
    ledgerClosingFen: 0,
    differenceFen: 0,
  };
}

/** Accumulates one section (the store's or a cashier's) operation by operation. */
class SectionBuilder {
  private readonly kinds = new Map<string, KindLine>();
  private readonly tenders = new Map<string, TenderLine & { lastSeq: number }>();
  private readonly drawer = new Map<string, DrawerLine>();
  private count = 0;

  addOperation(row: DayRow): void {
    this.count += 1;
    if ((DRAWER_KINDS as readonly string[]).includes(row.kind)) return;
    if (row.kind === 'card_state') return;
    this.kindLine(row.kind, row.amount_fen, row.principal_fen, row.bonus_fen);
    if (row.kind === 'top_up' && row.bonus_fen > 0)
      this.kindLine('bonus_issued', row.bonus_fen, 0, row.bonus_fen);
  }

  addTransfer(row: DayRow): void {
    if (row.amount === null) return;
    const drawerKind = (DRAWER_KINDS as readonly string[]).includes(row.kind);
    if (drawerKind) {
      const line = this.drawer.get(row.kind) ?? { kind: row.kind, count: 0, netFen: 0 };
      if (row.debit_kind === 'cash_drawer') line.netFen += row.amount;
      if (row.credit_kind === 'cash_drawer') line.netFen -= row.amount;
      line.count += 1;
      this.drawer.set(row.kind, line);
      return;
    }
    const inTender = row.debit_kind ? TENDER_ACCOUNTS[row.debit_kind] : undefined;
    const outTender = row.credit_kind ? TENDER_ACCOUNTS[row.credit_kind] : undefined;
    for (const [tender, direction] of [
      [inTender, 'in'],
      [outTender, 'out'],
    ] as const) {
      if (tender === undefined) continue;
      const line = this.tenders.get(tender) ?? {
        tender,
        count: 0,
        inFen: 0,
        outFen: 0,
        netFen: 0,
        lastSeq: -1,
      };
      if (line.lastSeq !== row.seq) {
        line.count += 1;
        line.lastSeq = row.seq;
      }
      if (direction === 'in') line.inFen += row.amount;
      else line.outFen += row.amount;
      line.netFen = line.inFen - line.outFen;
      this.tenders.set(tender, line);
    }
  }

  private kindLine(line: string, amount: number, principal: number, bonus: number): void {
    const entry = this.kinds.get(line) ?? { line, count: 0, amountFen: 0, principalFen: 0, bonusFen: 0 };
    entry.count += 1;
    entry.amountFen += amount;
    entry.principalFen += principal;
    entry.bonusFen += bonus;
    this.kinds.set(line, entry);
  }

  build(): Section {
    const byKind: KindLine[] = [];
    for (const line of Z_LINES) {
      byKind.push(this.kinds.get(line) ?? { line, count: 0, amountFen: 0, principalFen: 0, bonusFen: 0 });
    }
    for (const [line, entry] of [...this.kinds].sort(([a], [b]) => a.localeCompare(b))) {
      if (!(Z_LINES as readonly string[]).includes(line)) byKind.push(entry);
    }
    const byTender: TenderLine[] = TENDER_ORDER.map((tender) => {
      const line = this.tenders.get(tender);
      return line
        ? { tender, count: line.count, inFen: line.inFen, outFen: line.outFen, netFen: line.netFen }
        : { tender, count: 0, inFen: 0, outFen: 0, netFen: 0 };
    });
    const drawer = DRAWER_KINDS.map((kind) => this.drawer.get(kind) ?? { kind, count: 0, netFen: 0 });
    return { byKind, byTender, drawer, operationCount: this.count };
  }
}

export function zReportBuilder(ledger: Ledger) {
  const db = ledger.sqlite;
  const figures = figureQueries(db);
  const q = {
    store: db.prepare<[string], { id: string; name: string; currency: string }>(
      'SELECT id, name, currency FROM stores WHERE id = ?',
    ),
    // One pass over the day: each operation with its transfers and the kinds of the accounts they touch.
    day: db.prepare<[string], DayRow>(
      `SELECT o.seq, o.kind, o.store_id, o.staff_id, o.amount_fen, o.principal_fen, o.bonus_fen,
              t.amount, d.kind AS debit_kind, d.store_id AS debit_store,
              c.kind AS credit_kind, c.store_id AS credit_store
       FROM operations o
       LEFT JOIN transfers t ON t.operation_seq = o.seq
       LEFT JOIN accounts d ON d.id = t.debit_account_id
       LEFT JOIN accounts c ON c.id = t.credit_account_id
       WHERE o.business_day = ?
       ORDER BY o.seq, t.id`,
    ),
    staffNames: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM staff WHERE store_id = ?',
    ),
    previousClose: db.prepare<
      [string, string],
      { business_day: string; principal_closing_fen: number; bonus_closing_fen: number }
    >(
      `SELECT business_day, principal_closing_fen, bonus_closing_fen FROM day_closes
       WHERE store_id = ? AND business_day < ? ORDER BY business_day DESC LIMIT 1`,
    ),
    // Net change of the store's card liability from operations dated strictly between two days. CROSS JOIN
    // keeps the days' operations first: starting from the store's accounts would read every transfer ever.
    movedBetween: db.prepare<
      [{ store: string; after: string; before: string }],
      { kind: string; net: number }
    >(
      `SELECT kind, SUM(net) AS net FROM (
         SELECT a.kind AS kind, SUM(t.amount) AS net
         FROM operations o CROSS JOIN transfers t ON t.operation_seq = o.seq CROSS JOIN accounts a ON a.id = t.credit_account_id
         WHERE o.business_day > @after AND o.business_day < @before AND a.store_id = @store
           AND a.kind IN ('card_principal', 'card_bonus')
         GROUP BY a.kind
         UNION ALL
         SELECT a.kind AS kind, -SUM(t.amount) AS net
         FROM operations o CROSS JOIN transfers t ON t.operation_seq = o.seq CROSS JOIN accounts a ON a.id = t.debit_account_id
         WHERE o.business_day > @after AND o.business_day < @before AND a.store_id = @store
           AND a.kind IN ('card_principal', 'card_bonus')
         GROUP BY a.kind)
       GROUP BY kind`,
    ),
    balances: db.prepare<[string], { kind: string; held: number }>(
      `SELECT a.kind AS kind, SUM(b.credits - b.debits) AS held
       FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.store_id = ? AND a.kind IN ('card_principal', 'card_bonus')
       GROUP BY a.kind`,
    ),
    shifts: db.prepare<
      [string, string],
      {
        id: string;
        terminal_id: string;
        cashier_id: string;
        state: string;
        float_fen: number;
        expected_fen: number | null;
        counted_fen: number | null;
        variance_fen: number | null;
        variance_reason: string | null;
        signed_off_by: string | null;
        opened_at: number;
      }
    >(
      `SELECT DISTINCT s.* FROM shifts s JOIN shift_cash_movements m ON m.shift_id = s.id
       JOIN operations o ON o.id = m.operation_id
       WHERE s.store_id = ? AND o.business_day = ? ORDER BY s.opened_at, s.id`,
    ),
    // A shift covers what its terminal recorded from its opening to its count (see the shifts module's expected
    // cash); an open shift covers everything since it opened, and will count it.
    outsideShifts: db.prepare<
      [{ store: string; day: string }],
      { id: string; kind: string; terminal_id: string; staff_id: string; created_at: number; net: number }
    >(
      `SELECT o.id, o.kind, o.terminal_id, o.staff_id, o.created_at,
              SUM(CASE WHEN t.debit_account_id = a.id THEN t.amount ELSE 0 END)
            - SUM(CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE 0 END) AS net
       FROM operations o
       JOIN transfers t ON t.operation_seq = o.seq
       JOIN accounts a ON a.code = 'store:' || @store || ':cash_drawer'
       WHERE o.business_day = @day AND o.store_id = @store
         AND (t.debit_account_id = a.id OR t.credit_account_id = a.id)
         AND o.kind NOT IN (${DRAWER_KINDS.map((kind) => `'${kind}'`).join(', ')})
         AND NOT EXISTS (
           SELECT 1 FROM shifts s WHERE s.terminal_id = o.terminal_id AND s.opened_at <= o.created_at
             AND (s.counted_at IS NULL OR o.created_at <= s.counted_at))
       GROUP BY o.seq
       ORDER BY o.seq`,
    ),
  };

  function movedBetween(storeId: string, after: string, before: string) {
    const moved = { principal: 0, bonus: 0 };
    for (const row of q.movedBetween.all({ store: storeId, after, before })) {
      if (row.kind === 'card_principal') moved.principal = row.net;
      else if (row.kind === 'card_bonus') moved.bonus = row.net;
    }
    return moved;
  }

  /** Computes the report from the ledger as it stands; closing the day stores it. */
  return function buildZReport(storeId: string, businessDay: string, generatedAt: number): ZReport {
    const store = q.store.get(storeId);
    if (!store) throw new Error(`no such store ${storeId}`);
    const names = new Map(q.staffNames.all(storeId).map((s) => [s.id, s.name]));
    const storeSection = new SectionBuilder();
    const cashiers = new Map<string, SectionBuilder>();
    const roll = { principal: emptyRoll(), bonus: emptyRoll() };
    let lastSeq = -1;
    for (const row of q.day.iterate(businessDay)) {
      if (row.store_id === storeId) {
        let cashier = cashiers.get(row.staff_id);
        if (cashier === undefined) {
          cashier = new SectionBuilder();
          cashiers.set(row.staff_id, cashier);
        }
        if (row.seq !== lastSeq) {
          storeSection.addOperation(row);
          cashier.addOperation(row);
        }
        storeSection.addTransfer(row);
        cashier.addTransfer(row);
      }
      lastSeq = row.seq;
      if (row.amount === null) continue;
      // Liability moves on this store's cards, whichever store's counter moved them.
      for (const [accountKind, accountStore, sign] of [
        [row.credit_kind, row.credit_store, 1],
        [row.debit_kind, row.debit_store, -1],
      ] as const) {
        if (accountStore !== storeId) continue;
        if (accountKind !== 'card_principal' && accountKind !== 'card_bonus') continue;
        const target = accountKind === 'card_principal' ? roll.principal : roll.bonus;
        target[rollFieldOf(row.kind, accountKind)] += sign * row.amount;
      }
    }

    const previous = q.previousClose.get(storeId, businessDay);
    const opening = previous
      ? { principal: previous.principal_closing_fen, bonus: previous.bonus_closing_fen }
      : { principal: 0, bonus: 0 };
    const gap = movedBetween(storeId, previous?.business_day ?? '', businessDay);
    opening.principal += gap.principal;
    opening.bonus += gap.bonus;
    const held = { principal: 0, bonus: 0 };
    for (const row of q.balances.all(storeId)) {
      if (row.kind === 'card_principal') held.principal = row.held;
      else if (row.kind === 'card_bonus') held.bonus = row.held;
    }
    const later = movedBetween(storeId, businessDay, '9999-12-31');
    for (const part of ['principal', 'bonus'] as const) {
      const r = roll[part];
      r.openingFen = opening[part];
      r.closingFen =
        r.openingFen +
        r.topUpsFen +
        r.bonusIssuedFen +
        r.chargesFen +
        r.refundsFen +
        r.withdrawalsFen +
        r.voidsFen +
        r.transfersFen +
        r.cardFeesFen +
        r.expiryFen +
        r.otherFen;
      r.ledgerClosingFen = held[part] - later[part];
      r.differenceFen = r.closingFen - r.ledgerClosingFen;
    }

    const byCashier: CashierSection[] = [...cashiers]
      .map(([staffId, builder]) => ({ staffId, name: names.get(staffId) ?? staffId, ...builder.build() }))
      .sort((a, b) => a.staffId.localeCompare(b.staffId));
    const shifts: ShiftLine[] = q.shifts.all(storeId, businessDay).map((s) => ({
      shiftId: s.id,
      terminalId: s.terminal_id,
      cashierId: s.cashier_id,
      state: s.state,
      floatFen: s.float_fen,
      expectedFen: s.expected_fen,
      countedFen: s.counted_fen,
      varianceFen: s.variance_fen,
      varianceReason: s.variance_reason,
      signedOffBy: s.signed_off_by,
      selfApproved: s.signed_off_by !== null && s.signed_off_by === s.cashier_id,
    }));
    const outside: OutsideShiftLine[] = q.outsideShifts
      .all({ store: storeId, day: businessDay })
      .map((o) => ({
        operationId: o.id,
        kind: o.kind,
        terminalId: o.terminal_id,
        staffId: o.staff_id,
        at: o.created_at,
        netFen: o.net,
      }));
    return {
      storeId,
      storeName: store.name,
      currency: store.currency,
      businessDay,
      generatedAt,
      closedAt: null,
      closedBy: null,
      store: storeSection.build(),
      byCashier,
      shifts,
      liability: {
        principal: roll.principal,
        bonus: roll.bonus,
        openingFrom: previous
          ? { kind: 'previous_close', businessDay: previous.business_day }
          : { kind: 'journal' },
      },
      figures: figures.days(storeId, businessDay, businessDay).get(businessDay) ?? emptyFigures(),
      balanced: roll.principal.differenceFen === 0 && roll.bonus.differenceFen === 0,
      outsideShifts: { operations: outside, netFen: outside.reduce((sum, o) => sum + o.netFen, 0) },
    };
  };
}
