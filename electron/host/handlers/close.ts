/**
 * Shifts, the day close and the manager's reports (see `contract/close.ts`). Permission checks
 * (`shift.operate`, `day.close`, `reports.read`) have already happened in `api.ts`; what is left here is whose
 * shift it is, the approving manager's PIN, and the translation between the contract and the shifts and
 * day-close modules. Their refusals are `CloseError`s, which cross as `{ code, message, details }`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TENDERS } from '../../../common/tenders';
import {
  analytics,
  exportOperationsCsv,
  exportOperationsXlsx,
  exportZReportXlsx,
  type Figure,
  type Ledger,
  type MemberNames,
  openBusinessDays,
  openRatings,
  openShifts,
  type Shift,
  type ZReport,
  zReportCsv,
  zReportRows,
} from '../../../db/index';
import { APPROVER_ROLES, type ShiftStatus, type StaffView } from '../../contract';
import { ApiError } from '../../errors';
import type { DayCloseReport, Tender, ZFigure, ZKindLine, ZRollForward } from '../../receipts/index';
import type { Handlers } from '../api';
import { approvalPolicy } from '../approvals';
import { hostAudit } from '../audit';
import type { Printing } from '../devices/printing';
import type { DeviceHub } from '../hub';
import type { Session } from '../session';
import { shiftSlipModel } from '../shift-slip';
import { staffOf } from './logged-in';

export type CloseHandlerNames =
  | 'shift.current'
  | 'shift.open'
  | 'shift.handover'
  | 'shift.cashMove'
  | 'shift.count'
  | 'shift.signOff'
  | 'shift.recent'
  | 'shift.printSlip'
  | 'day.status'
  | 'day.report'
  | 'day.close'
  | 'day.setApprovalPolicy'
  | 'day.printReport'
  | 'day.export'
  | 'reports.figures'
  | 'reports.members'
  | 'reports.analytics'
  | 'reports.ratings'
  | 'reports.exported';

export interface CloseHandlerDeps {
  ledger: Ledger;
  /** Members' names in clear for the reports' member sections. */
  names?: MemberNames;
  hub: DeviceHub;
  printing: Printing;
  identity: { storeId: string; terminalId: string };
  /** Clock, UTC epoch milliseconds. */
  now?: () => number;
}

const RECEIPT_TENDERS: readonly Tender[] = TENDERS;

const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** A count as the shifts module takes it: face value (fen) to pieces, absent faces left out. */
function pieces(count: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [face, n] of Object.entries(count)) if (n !== undefined) out[face] = n;
  return out;
}

/** How many signed-off shifts the reprint list offers. */
const RECENT_SHIFTS = 10;

/** The Z report as the day-close receipt template takes it. */
export function zReportModel(report: ZReport): DayCloseReport {
  const line = (name: string) => report.store.byKind.find((k) => k.line === name);
  const topUps = line('top_up');
  const charges = line('spend');
  const refunds = line('refund');
  const sum = (values: Array<number | null>) => values.reduce<number>((total, v) => total + (v ?? 0), 0);
  return {
    kind: 'day_close',
    operationId: `z-${report.storeId}-${report.businessDay}`,
    businessDay: report.businessDay,
    shifts: report.shifts.length,
    topUps: {
      count: topUps?.count ?? 0,
      amount: topUps?.amountFen ?? 0,
      bonus: line('bonus_issued')?.amountFen ?? 0,
    },
    charges: { count: charges?.count ?? 0, amount: charges?.amountFen ?? 0 },
    refunds: { count: refunds?.count ?? 0, amount: refunds?.amountFen ?? 0 },
    cardsIssued: line('card_issued')?.count ?? 0,
    tenders: receiptTenders(report.store.byTender),
    expectedCash: sum(report.shifts.map((s) => s.expectedFen)),
    countedCash: sum(report.shifts.map((s) => s.countedFen)),
    liability: { principal: report.liability.principal.closingFen, bonus: report.liability.bonus.closingFen },
    byKind: report.store.byKind.map(kindLineOf),
    cashiers: report.byCashier.map((c) => ({
      name: c.name,
      operations: c.operationCount,
      byKind: c.byKind.map(kindLineOf),
      tenders: receiptTenders(c.byTender),
    })),
    rollForward: { principal: rollOf(report.liability.principal), bonus: rollOf(report.liability.bonus) },
    // Reports stored before these facts were kept print without them.
    ...(report.outsideShifts === undefined
      ? {}
      : {
          outsideShifts: {
            count: report.outsideShifts.operations.length,
            net: report.outsideShifts.netFen,
          },
        }),
    ...(report.figures === undefined
      ? {}
      : {
          figures: {
            top_up: figureOf(report.figures.topUps),
            spend: figureOf(report.figures.charges),
            refund: figureOf(report.figures.refunds),
          },
        }),
    selfApprovedShifts: report.shifts.filter((s) => s.signedOffBy !== null && s.signedOffBy === s.cashierId)
      .length,
  };
}

function figureOf(figure: Figure): ZFigure {
  const tally = (t: Figure['gross']) => ({ count: t.count, amount: t.amountFen });
  return { gross: tally(figure.gross), voided: tally(figure.voided), net: tally(figure.net) };
}

function kindLineOf(k: ZReport['store']['byKind'][number]): ZKindLine {
  return { line: k.line, count: k.count, amount: k.amountFen, principal: k.principalFen, bonus: k.bonusFen };
}

function receiptTenders(lines: ZReport['store']['byTender']) {
  return lines
    .filter((t) => (RECEIPT_TENDERS as readonly string[]).includes(t.tender))
    .map((t) => ({ tender: t.tender as Tender, count: t.count, amount: t.netFen }));
}

function rollOf(r: ZReport['liability']['principal']): ZRollForward {
  return {
    opening: r.openingFen,
    topUps: r.topUpsFen,
    bonusIssued: r.bonusIssuedFen,
    charges: r.chargesFen,
    refunds: r.refundsFen,
    withdrawals: r.withdrawalsFen,
    voids: r.voidsFen,
    transfers: r.transfersFen,
    cardFees: r.cardFeesFen,
    expiry: r.expiryFen,
    other: r.otherFen,
    closing: r.closingFen,
    ledgerClosing: r.ledgerClosingFen,
    difference: r.differenceFen,
  };
}

export function closeHandlers(deps: CloseHandlerDeps): Pick<Handlers, CloseHandlerNames> {
  const { ledger, identity } = deps;
  const now = deps.now ?? Date.now;
  const shifts = openShifts(ledger, { now });
  const days = openBusinessDays(ledger, { now });
  const stats = analytics(ledger, deps.names === undefined ? {} : { names: deps.names });
  const ratings = openRatings(ledger);
  const audit = hostAudit(ledger, identity.terminalId, now);
  const approvals = approvalPolicy(ledger);
  const staffName = (staffId: string) => ledger.staff(staffId)?.name ?? staffId;

  const status = (shift: Shift | undefined, expected: ShiftStatus['expected'] = null): ShiftStatus => {
    const handover = shift === undefined ? shifts.pendingHandover(identity.terminalId) : undefined;
    return {
      shift: shift === undefined ? null : { ...shift, cashierName: staffName(shift.cashierId) },
      movements: shift === undefined ? [] : shifts.cashMovements(shift.id),
      expected,
      handover:
        handover === undefined
          ? null
          : {
              shiftId: handover.shiftId,
              cashierName: staffName(handover.cashierId),
              handedOverFen: handover.handedOverFen,
            },
    };
  };

  /** The terminal's shift, refused unless it is the caller's own (managers may act on any). */
  const ownShift = (session: Session): Shift => {
    const staff = staffOf(session);
    const shift = shifts.currentShift(identity.terminalId);
    if (shift === undefined) {
      throw new ApiError('SHIFT_NOT_OPEN', 'No shift is open on this terminal', {
        details: { terminalId: identity.terminalId },
      });
    }
    if (shift.cashierId !== staff.id && !APPROVER_ROLES.includes(staff.role)) {
      throw new ApiError('SHIFT_NOT_YOURS', 'This shift belongs to another cashier', {
        details: { shiftId: shift.id },
      });
    }
    return shift;
  };

  /** Renders a signed-off shift's slip and queues it; the job id makes a repeated request print once. */
  const printSlip = (shift: Shift, jobId: string, printedBy: string, reprint: boolean) => {
    const expected = shifts.expectedCash(shift.id);
    if (expected === undefined) {
      throw new ApiError('SHIFT_NOT_CLOSED', 'The shift has not been counted', {
        details: { shiftId: shift.id, state: shift.state },
      });
    }
    const model = shiftSlipModel(shift, expected, {
      cashier: staffName(shift.cashierId),
      approver: shift.signedOffBy === null ? '' : staffName(shift.signedOffBy),
    });
    const store = ledger.store(identity.storeId);
    const { bytes, text } = deps.printing.render(model, {
      storeName: store?.name ?? identity.storeId,
      terminalId: shift.terminalId,
      cashier: printedBy,
      at: reprint ? now() : (shift.closedAt ?? now()),
      ...(store?.timeZone === undefined ? {} : { timeZone: store.timeZone }),
      language: 'zh-CN',
      ...(reprint ? { reprint: true } : {}),
    });
    deps.printing.print(jobId, 'shift_report', bytes);
    return { jobId, text };
  };

  /** A cashier reprints their own shifts only; managers any shift of this store. */
  const mayReadShift = (staff: StaffView, shift: Shift) =>
    shift.storeId === identity.storeId &&
    (shift.cashierId === staff.id || APPROVER_ROLES.includes(staff.role));

  /** A counted shift shows where its expected figure came from; an open one never does (the count is blind). */
  const withExpected = (shift: Shift): ShiftStatus => {
    if (shift.state !== 'counted') return status(shift);
    return status(shift, shifts.expectedCash(shift.id) ?? null);
  };

  const reportOf = (businessDay: string) => {
    const closed = days.isDayClosed(identity.storeId, businessDay);
    const report = closed
      ? days.storedZReport(identity.storeId, businessDay)
      : days.zReport(identity.storeId, businessDay);
    return { closed, report, staffNames: namesIn(report), timeZone: storeTimeZone() };
  };

  const pageInput = ({ fromDay, toDay }: { fromDay?: string | undefined; toDay?: string | undefined }) => ({
    storeId: identity.storeId,
    at: now(),
    ...(fromDay === undefined ? {} : { fromDay }),
    ...(toDay === undefined ? {} : { toDay }),
  });

  // A member never charged has no last visit (the report says 0 and Infinity days): JSON and the screen say none.
  const membersView = (page: ReturnType<typeof stats.membersPage>) => {
    const finite = (value: number) => (Number.isFinite(value) ? value : null);
    return {
      ...page,
      top: page.top.map((m) => ({
        ...m,
        lastVisitAt: m.visits === 0 ? null : finite(m.lastVisitAt),
        recencyDays: m.visits === 0 ? null : finite(m.recencyDays),
      })),
    };
  };

  const storeTimeZone = () => ledger.store(identity.storeId)?.timeZone ?? 'UTC';

  const namesIn = (report: ZReport): Record<string, string> => {
    const ids = new Set<string>();
    for (const s of report.shifts) {
      ids.add(s.cashierId);
      if (s.signedOffBy !== null) ids.add(s.signedOffBy);
    }
    for (const c of report.byCashier) ids.add(c.staffId);
    if (report.closedBy !== null) ids.add(report.closedBy);
    return Object.fromEntries([...ids].map((id) => [id, staffName(id)]));
  };

  return {
    'shift.current': () => {
      const shift = shifts.currentShift(identity.terminalId);
      return shift === undefined ? status(undefined) : withExpected(shift);
    },
    'shift.open': ({ shiftId, operationId, floatCount }, { session }) => {
      const staff = staffOf(session);
      // A repeated tap after the shift opened answers with that shift.
      const existing = shifts.shift(shiftId);
      if (existing !== undefined && existing.cashierId === staff.id) return status(existing);
      const shift = shifts.open({
        shiftId,
        operationId,
        terminalId: identity.terminalId,
        cashierId: staff.id,
        floatCount: pieces(floatCount),
      });
      return status(shift);
    },
    'shift.handover': ({ shiftId, fromShiftId, floatCount }, { session }) => {
      const staff = staffOf(session);
      const existing = shifts.shift(shiftId);
      if (existing !== undefined && existing.cashierId === staff.id) return status(existing);
      const shift = shifts.handover({
        shiftId,
        fromShiftId,
        cashierId: staff.id,
        floatCount: pieces(floatCount),
      });
      return status(shift);
    },
    'shift.cashMove': ({ operationId, direction, amountFen, reason }, { session }) => {
      const staff = staffOf(session);
      const shift = ownShift(session);
      const input = { operationId, shiftId: shift.id, amountFen, reason, staffId: staff.id };
      if (direction === 'in') shifts.cashIn(input);
      else shifts.cashOut(input);
      return status(shifts.shift(shift.id));
    },
    'shift.count': ({ count }, { session }) => {
      const staff = staffOf(session);
      const shift = ownShift(session);
      const counted = shifts.count({ shiftId: shift.id, count: pieces(count), staffId: staff.id });
      const { expected, ...stored } = counted;
      return status(stored, expected);
    },
    'shift.signOff': (input, { session }) => {
      staffOf(session);
      const shift = ownShift(session);
      const approver = ledger.authenticateApprover({
        code: input.approver.staffNo,
        pin: input.approver.pin,
        terminalId: identity.terminalId,
      });
      if (!APPROVER_ROLES.includes(approver.role)) {
        throw new ApiError('APPROVER_NOT_MANAGER', 'A manager signs a shift off', {
          details: { approverRole: approver.role },
        });
      }
      // The flag is the stored fact itself (signed off by the shift's own cashier); the slip and Z report read it.
      approvals.requireSecondPerson({
        approverId: approver.id,
        actorId: shift.cashierId,
        what: 'shift count',
      });
      const closed = shifts.signOff({
        shiftId: shift.id,
        managerId: approver.id,
        varianceReason: input.varianceReason ?? null,
        handOverFen: input.handOverFen,
        dropOperationId: input.dropOperationId,
        overShortOperationId: input.overShortOperationId,
      });
      // The slip is queued after the commit, like every receipt: a printer fault never undoes the sign-off,
      // and the queue keeps the job until the printer takes it.
      printSlip(closed, `shift-slip-${closed.id}`, session.staff?.name ?? '', false);
      // The drawer is closed: the answer shows the signed-off shift, and the handover it left, if any.
      return {
        ...status(undefined),
        shift: { ...closed, cashierName: staffName(closed.cashierId) },
        movements: shifts.cashMovements(closed.id),
      };
    },

    'shift.recent': (_input, { session }) => {
      const staff = staffOf(session);
      return shifts
        .recentClosed(identity.terminalId, RECENT_SHIFTS)
        .filter((shift) => mayReadShift(staff, shift))
        .map((shift) => ({
          shiftId: shift.id,
          cashierName: staffName(shift.cashierId),
          openedAt: shift.openedAt,
          closedAt: shift.closedAt ?? shift.openedAt,
          countedFen: shift.countedFen ?? 0,
          varianceFen: shift.varianceFen ?? 0,
        }));
    },
    'shift.printSlip': ({ printId, shiftId }, { session }) => {
      const staff = staffOf(session);
      const shift = shifts.shift(shiftId);
      // Another cashier's shift answers like a missing one: its figures are not theirs to read.
      if (shift === undefined || !mayReadShift(staff, shift)) {
        throw new ApiError('SHIFT_UNKNOWN', 'No such shift', { details: { shiftId } });
      }
      return printSlip(shift, `shift-slip-${printId}`, staff.name, true);
    },

    'day.status': () => {
      const openDay = days.businessDayFor(identity.storeId, now());
      const unclosed = shifts.unclosedInStore(identity.storeId);
      return {
        openDay,
        loneManagerAllowed: approvals.loneManagerAllowed(),
        closedDays: days.closedDays(identity.storeId, 60),
        unclosedShifts: unclosed.map((s) => ({
          shiftId: s.id,
          terminalId: s.terminalId,
          state: s.state,
          cashierName: staffName(s.cashierId),
        })),
      };
    },
    'day.report': ({ businessDay }) => reportOf(businessDay),
    'day.setApprovalPolicy': ({ loneManagerAllowed }, { session }) => {
      const staff = staffOf(session);
      const before = approvals.loneManagerAllowed();
      approvals.setLoneManagerAllowed(loneManagerAllowed);
      if (before !== loneManagerAllowed) {
        audit.record({
          action: 'settings.changed',
          staffId: staff.id,
          details: { setting: 'approvals.loneManager', from: before, to: loneManagerAllowed },
        });
      }
      return { loneManagerAllowed };
    },
    'day.close': ({ businessDay }, { session }) => {
      const staff = staffOf(session);
      const report = days.closeDay({ storeId: identity.storeId, businessDay, managerId: staff.id });
      return { closed: true, report, staffNames: namesIn(report), timeZone: storeTimeZone() };
    },
    'day.printReport': ({ printId, businessDay }, { session }) => {
      const { closed, report } = reportOf(businessDay);
      const store = ledger.store(identity.storeId);
      const { bytes, text } = deps.printing.render(zReportModel(report), {
        storeName: store?.name ?? report.storeName,
        terminalId: identity.terminalId,
        cashier: session.staff?.name ?? '',
        at: report.closedAt ?? now(),
        ...(store?.timeZone === undefined ? {} : { timeZone: store.timeZone }),
        language: 'zh-CN',
        // Every print of a closed day after the close itself is a copy of the stored report.
        ...(closed ? { reprint: true } : {}),
      });
      const jobId = `z-report-${printId}`;
      deps.printing.print(jobId, closed ? 'z_report' : 'x_report', bytes);
      return { jobId, text };
    },
    'day.export': async ({ exportId, businessDay, content, format }) => {
      const dir = mkdtempSync(join(tmpdir(), 'pos-export-'));
      const kind = content === 'z_report' ? 'z-report' : 'operations';
      const fileName = `${kind}-${identity.storeId}-${businessDay}.${format}`;
      const path = join(dir, fileName);
      const progress = (rows: number, total: number) =>
        deps.hub.emit('export.progress', { exportId, rows, total });
      try {
        let rows: number;
        if (content === 'z_report') {
          const { report } = reportOf(businessDay);
          rows = zReportRows(report).length;
          progress(0, rows);
          if (format === 'csv') {
            const csv = zReportCsv(report);
            progress(rows, rows);
            return {
              fileName,
              mimeType: MIME.csv,
              base64: Buffer.from(csv, 'utf8').toString('base64'),
              rows,
            };
          }
          await exportZReportXlsx(report, path);
        } else {
          const input = {
            storeId: identity.storeId,
            fromDay: businessDay,
            toDay: businessDay,
            path,
            onProgress: (p: { rows: number; total: number }) => progress(p.rows, p.total),
          };
          const done =
            format === 'csv'
              ? await exportOperationsCsv(ledger, input)
              : await exportOperationsXlsx(ledger, input);
          rows = done.rows;
        }
        progress(rows, rows);
        statSync(path);
        return { fileName, mimeType: MIME[format], base64: readFileSync(path).toString('base64'), rows };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },

    'reports.figures': (range) => stats.figuresPage(pageInput(range)),
    'reports.members': (range) => membersView(stats.membersPage(pageInput(range))),
    'reports.analytics': (range) => {
      const input = pageInput(range);
      return { ...stats.figuresPage(input), ...membersView(stats.membersPage(input)) };
    },
    'reports.ratings': (range) => {
      const { fromDay, toDay } = stats.rangeOf(pageInput(range));
      return ratings.report(identity.storeId, fromDay, toDay);
    },
    // The screen writes a report's CSV itself; this is how that export still reaches the audit log.
    'reports.exported': ({ report, rows }, { session }) => {
      audit.record({
        action: 'data.export',
        staffId: session.staff?.id,
        details: { kind: 'report', report, format: 'csv', rows },
      });
      return { recorded: true as const };
    },
  };
}
