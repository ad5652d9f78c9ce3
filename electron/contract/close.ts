/**
 * Shifts, the day close and the manager's reports. A cashier opens and closes the drawer of their own shift
 * and moves cash in and out with a reason; the closing count is blind (the expected figure comes back only
 * with the stored count); a manager's PIN signs the count off. A manager closes the business day, reads and
 * reprints its Z report, exports it, and reads the analytics.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { digits, entityId, epochMs, fen, operationId, positiveFen } from './schemas';

/** Face values in fen a count may hold, largest first (notes of ¥100 … ¥1, coins of ¥1 … 1 fen). */
export const DENOMINATIONS_FEN = [10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1] as const;

const businessDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD')
  .refine((day) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day;
  }, 'must be a real calendar day');

/** Pieces per face value, keyed by the face value in fen. */
export const cashCount = z.partialRecord(
  z.enum(DENOMINATIONS_FEN.map(String) as [string, ...string[]]),
  z.number().int().min(0).max(100_000),
);
export type CashCountView = z.infer<typeof cashCount>;

const approver = z.object({ staffNo: digits(3, 8), pin: digits(4, 8) }).strict();
const reason = z.string().trim().min(1).max(200);

export const shiftView = z.object({
  id: entityId,
  terminalId: z.string(),
  cashierId: z.string(),
  cashierName: z.string(),
  state: z.enum(['open', 'counted', 'closed']),
  openedAt: epochMs,
  floatFen: fen,
  floatCount: z.record(z.string(), z.number().int()),
  previousShiftId: z.string().nullable(),
  countedAt: epochMs.nullable(),
  countedFen: fen.nullable(),
  closingCount: z.record(z.string(), z.number().int()).nullable(),
  /** Null until the blind count is stored. */
  expectedFen: fen.nullable(),
  /** counted − expected: positive over, negative short. Null until counted. */
  varianceFen: fen.nullable(),
  varianceReason: z.string().nullable(),
  signedOffBy: z.string().nullable(),
  closedAt: epochMs.nullable(),
  handedOverFen: fen.nullable(),
});
export type ShiftView = z.infer<typeof shiftView>;

export const cashMovementView = z.object({
  operationId: z.string(),
  kind: z.enum(['float', 'cash_in', 'cash_out', 'cash_drop', 'cash_over_short']),
  amountFen: fen,
  reason: z.string(),
  staffId: z.string(),
  at: epochMs,
});
export type CashMovementView = z.infer<typeof cashMovementView>;

export const expectedCashView = z.object({
  floatFen: fen,
  topUpsFen: fen,
  withdrawalsFen: fen,
  voidsFen: fen,
  cashInFen: fen,
  cashOutFen: fen,
  otherFen: fen,
  expectedFen: fen,
});
export type ExpectedCashView = z.infer<typeof expectedCashView>;

export const shiftStatus = z.object({
  shift: shiftView.nullable(),
  movements: z.array(cashMovementView),
  /** Where the expected figure came from; only once the blind count is stored. */
  expected: expectedCashView.nullable(),
  /** A signed-off shift at this terminal whose drawer is waiting for the next cashier. */
  handover: z.object({ shiftId: z.string(), cashierName: z.string(), handedOverFen: fen }).nullable(),
});
export type ShiftStatus = z.infer<typeof shiftStatus>;

const kindLine = z.object({
  line: z.string(),
  count: z.number().int(),
  amountFen: fen,
  principalFen: fen,
  bonusFen: fen,
});
const tenderLine = z.object({
  tender: z.string(),
  count: z.number().int(),
  inFen: fen,
  outFen: fen,
  netFen: fen,
});
const drawerLine = z.object({ kind: z.string(), count: z.number().int(), netFen: fen });
const section = z.object({
  byKind: z.array(kindLine),
  byTender: z.array(tenderLine),
  drawer: z.array(drawerLine),
  operationCount: z.number().int(),
});
const rollForward = z.object({
  openingFen: fen,
  topUpsFen: fen,
  bonusIssuedFen: fen,
  chargesFen: fen,
  refundsFen: fen,
  withdrawalsFen: fen,
  voidsFen: fen,
  transfersFen: fen,
  cardFeesFen: fen,
  expiryFen: fen,
  otherFen: fen,
  closingFen: fen,
  ledgerClosingFen: fen,
  differenceFen: fen,
});

const tally = z.object({ count: z.number().int(), amountFen: fen, bonusFen: fen });
const figure = z.object({ gross: tally, voided: tally, net: tally });
/** Gross, voided (on the day the void was recorded) and net: the one definition every report shows. */
export const figuresView = z.object({ topUps: figure, charges: figure, refunds: figure });
export type FiguresView = z.infer<typeof figuresView>;

export const zReportView = z.object({
  storeId: z.string(),
  storeName: z.string(),
  currency: z.string(),
  businessDay: z.string(),
  generatedAt: epochMs,
  closedAt: epochMs.nullable(),
  closedBy: z.string().nullable(),
  store: section,
  byCashier: z.array(section.extend({ staffId: z.string(), name: z.string() })),
  shifts: z.array(
    z.object({
      shiftId: z.string(),
      terminalId: z.string(),
      cashierId: z.string(),
      state: z.string(),
      floatFen: fen,
      expectedFen: fen.nullable(),
      countedFen: fen.nullable(),
      varianceFen: fen.nullable(),
      varianceReason: z.string().nullable(),
      signedOffBy: z.string().nullable(),
      /** Signed off by the shift's own cashier (a lone manager); absent in reports stored before the flag. */
      selfApproved: z.boolean().optional(),
    }),
  ),
  liability: z.object({
    principal: rollForward,
    bonus: rollForward,
    openingFrom: z.union([
      z.object({ kind: z.literal('previous_close'), businessDay: z.string() }),
      z.object({ kind: z.literal('journal') }),
    ]),
  }),
  figures: figuresView.optional(),
  balanced: z.boolean(),
  /** Cash no shift counts (recorded while no shift was open on its terminal); absent in older stored reports. */
  outsideShifts: z
    .object({
      operations: z.array(
        z.object({
          operationId: z.string(),
          kind: z.string(),
          terminalId: z.string(),
          staffId: z.string(),
          at: epochMs,
          netFen: fen,
        }),
      ),
      netFen: fen,
    })
    .optional(),
});
export type ZReportView = z.infer<typeof zReportView>;

const trendPoint = z.object({
  period: z.string(),
  figures: figuresView,
  /** The net figures (gross − voided), as in `figures`. */
  topUpCount: z.number().int(),
  topUpFen: fen,
  bonusFen: fen,
  chargeCount: z.number().int(),
  chargeFen: fen,
});
const memberActivity = z.object({
  memberId: z.string(),
  name: z.string(),
  visits: z.number().int(),
  chargeFen: fen,
  topUpFen: fen,
  /** Null for a member who has not been charged yet. */
  lastVisitAt: epochMs.nullable(),
  recencyDays: z.number().nullable(),
  rhythmDays: z.number().nullable(),
  value: z.enum(['high', 'middle', 'low']),
  behaviour: z.enum(['active', 'potential', 'lapsing', 'lost']),
});

/** The figures of a range: what the reports screen draws first. */
export const reportFiguresView = z.object({
  /** The store's open business day. */
  asOf: z.string(),
  /** The range the totals, trends, busy hours and bonus cost cover (business days, inclusive). */
  fromDay: z.string(),
  toDay: z.string(),
  /** The store's time zone: the screen writes times in it, as the paper does. */
  timeZone: z.string(),
  totals: figuresView,
  daily: z.array(trendPoint),
  weekly: z.array(trendPoint),
  monthly: z.array(trendPoint),
  busyHours: z.object({ weekdays: z.array(z.string()), counts: z.array(z.array(z.number().int())) }),
  bonusCost: z.array(
    z.object({ ruleId: z.string(), name: z.string(), topUps: z.number().int(), bonusFen: fen }),
  ),
});
export type ReportFiguresView = z.infer<typeof reportFiguresView>;

/** The member sections: top members over the range; segments and churn over the year to today; tiers now. */
export const reportMembersView = z.object({
  asOf: z.string(),
  segments: z.object({
    value: z.object({ high: z.number().int(), middle: z.number().int(), low: z.number().int() }),
    behaviour: z.object({
      active: z.number().int(),
      potential: z.number().int(),
      lapsing: z.number().int(),
      lost: z.number().int(),
    }),
  }),
  churn: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      lastVisitAt: epochMs,
      rhythmDays: z.number(),
      recencyDays: z.number(),
      overdueRatio: z.number(),
    }),
  ),
  top: z.array(memberActivity),
  tiers: z.array(z.object({ tierId: z.string().nullable(), name: z.string(), members: z.number().int() })),
});
export type ReportMembersView = z.infer<typeof reportMembersView>;

export const analyticsView = reportFiguresView.extend(reportMembersView.shape);
export type AnalyticsView = z.infer<typeof analyticsView>;

const ratingGroup = {
  count: z.number().int().nonnegative(),
  /** Mean stars, two decimals; 0 with no ratings. */
  average: z.number(),
  /** Ratings of 1 or 2 stars. */
  low: z.number().int().nonnegative(),
};

/** Customers' ratings of visits whose business day is in the range: per week, per cashier, and the low ones. */
export const ratingsView = z.object({
  fromDay: z.string(),
  toDay: z.string(),
  all: z.object(ratingGroup),
  /** By the Monday of each ISO week, oldest first. */
  weeks: z.array(z.object({ week: z.string(), ...ratingGroup })),
  staff: z.array(z.object({ staffId: z.string(), staffName: z.string(), ...ratingGroup })),
  low: z.array(
    z.object({
      operationId: z.string(),
      businessDay: z.string(),
      visitAt: epochMs,
      staffId: z.string(),
      staffName: z.string(),
      stars: z.number().int().min(1).max(5),
      comment: z.string().nullable(),
      source: z.enum(['receipt', 'screen']),
    }),
  ),
});
export type RatingsView = z.infer<typeof ratingsView>;

export const EXPORT_CONTENTS = ['z_report', 'operations'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

const none = z.object({}).strict();

/** The longest range the reports read at once: a little over three years of daily points. */
export const MAX_RANGE_DAYS = 1_100;

/** A range of business days, both ends optional (the host's default is this month to today). */
const reportRange = z
  .object({ fromDay: businessDay.optional(), toDay: businessDay.optional() })
  .strict()
  .refine(
    (range) => range.fromDay === undefined || range.toDay === undefined || range.fromDay <= range.toDay,
    { message: 'fromDay must not be after toDay', path: ['fromDay'] },
  )
  .refine(
    (range) =>
      range.fromDay === undefined ||
      range.toDay === undefined ||
      Date.parse(range.toDay) - Date.parse(range.fromDay) <= MAX_RANGE_DAYS * 86_400_000,
    { message: `a range spans at most ${MAX_RANGE_DAYS} days`, path: ['toDay'] },
  );

export const closeCommands = {
  'shift.current': {
    summary:
      "This terminal's shift that is not closed yet, its cash movements, and a drawer waiting for handover",
    access: 'shift.operate',
    input: none,
    output: shiftStatus,
  },
  'shift.open': {
    summary: 'Open a shift on this terminal with a float counted by denomination',
    access: 'shift.operate',
    input: z.object({ shiftId: operationId, operationId, floatCount: cashCount }).strict(),
    output: shiftStatus,
  },
  'shift.handover': {
    summary: "Take over the drawer a signed-off shift left behind, counting it as this shift's float",
    access: 'shift.operate',
    input: z.object({ shiftId: operationId, fromShiftId: entityId, floatCount: cashCount }).strict(),
    output: shiftStatus,
  },
  'shift.cashMove': {
    summary: 'Put cash into the drawer or take it out, with a reason',
    access: 'shift.operate',
    input: z
      .object({ operationId, direction: z.enum(['in', 'out']), amountFen: positiveFen, reason })
      .strict(),
    output: shiftStatus,
  },
  'shift.count': {
    summary: 'The blind closing count; the expected figure and the variance come back only with it',
    access: 'shift.operate',
    input: z.object({ count: cashCount }).strict(),
    output: shiftStatus,
  },
  'shift.signOff': {
    summary:
      "A manager's PIN signs the counted shift off (a variance needs a reason); the rest goes to the safe, and the shift slip is queued on the receipt printer",
    access: 'shift.operate',
    input: z
      .object({
        dropOperationId: operationId,
        overShortOperationId: operationId,
        varianceReason: reason.optional(),
        handOverFen: fen.refine((value) => value >= 0, 'must be ≥ 0').default(0),
        approver,
      })
      .strict(),
    output: shiftStatus,
  },
  'shift.recent': {
    summary:
      "This terminal's last signed-off shifts, newest first, for reprinting their slips (a cashier sees their own)",
    access: 'shift.operate',
    input: none,
    output: z.array(
      z.object({
        shiftId: z.string(),
        cashierName: z.string(),
        openedAt: epochMs,
        closedAt: epochMs,
        countedFen: fen,
        varianceFen: fen,
      }),
    ),
  },
  'shift.printSlip': {
    summary:
      "Reprint a signed-off shift's slip (the first print is queued at sign-off); a cashier reprints their own",
    access: 'shift.operate',
    input: z.object({ printId: operationId, shiftId: entityId }).strict(),
    output: z.object({ jobId: z.string(), text: z.string() }),
  },
  'day.status': {
    summary: 'The open business day, the closed days, and the shifts not yet signed off',
    access: 'day.close',
    input: none,
    output: z.object({
      openDay: z.string(),
      /** The store lets a manager approve their own shift count or void (flagged on the slip and Z report). */
      loneManagerAllowed: z.boolean(),
      closedDays: z.array(z.object({ businessDay: z.string(), closedAt: epochMs, closedBy: z.string() })),
      unclosedShifts: z.array(
        z.object({ shiftId: z.string(), terminalId: z.string(), state: z.string(), cashierName: z.string() }),
      ),
    }),
  },
  'day.report': {
    summary: "A day's Z report: the stored one for a closed day, an X report for a day still open",
    access: 'day.close',
    input: z.object({ businessDay }).strict(),
    output: z.object({
      closed: z.boolean(),
      report: zReportView,
      staffNames: z.record(z.string(), z.string()),
      /** The store's time zone: the screen writes times in it, as the paper does. */
      timeZone: z.string(),
    }),
  },
  'day.close': {
    summary: 'Close the business day: every shift signed off; the Z report is stored and the day locked',
    access: 'day.close',
    input: z.object({ businessDay }).strict(),
    output: z.object({
      closed: z.boolean(),
      report: zReportView,
      staffNames: z.record(z.string(), z.string()),
      /** The store's time zone: the screen writes times in it, as the paper does. */
      timeZone: z.string(),
    }),
  },
  'day.setApprovalPolicy': {
    summary:
      "Whether a lone manager may approve their own shift count or void (flagged on the shift slip and the Z report); otherwise a second person's PIN is needed",
    access: 'day.close',
    input: z.object({ loneManagerAllowed: z.boolean() }).strict(),
    output: z.object({ loneManagerAllowed: z.boolean() }),
  },
  'day.printReport': {
    summary: "Print (or reprint) a day's Z report on the receipt printer",
    access: 'day.close',
    input: z.object({ printId: operationId, businessDay }).strict(),
    output: z.object({ jobId: z.string(), text: z.string() }),
  },
  'day.export': {
    summary: "Export a day's Z report or its operations as CSV or XLSX; progress arrives as export.progress",
    access: 'day.close',
    input: z
      .object({
        exportId: operationId,
        businessDay,
        content: z.enum(EXPORT_CONTENTS),
        format: z.enum(EXPORT_FORMATS),
      })
      .strict(),
    output: z.object({
      fileName: z.string(),
      mimeType: z.string(),
      /** The file's bytes, base64. */
      base64: z.string(),
      rows: z.number().int(),
    }),
  },
  'reports.figures': {
    summary:
      'For a range of business days (default this month to today): totals gross, voided and net, trends by day, week and month, busy hours and bonus cost per rule',
    access: 'reports.read',
    input: reportRange,
    output: reportFiguresView,
  },
  'reports.members': {
    summary:
      "Top members over a range of business days (default this month); as of the range's end, value and behaviour segments and churn warnings over the year up to it, and the tiers of the members registered by then",
    access: 'reports.read',
    input: reportRange,
    output: reportMembersView,
  },
  'reports.analytics': {
    summary: 'Both of the above in one answer: the figures of a range and the member sections',
    access: 'reports.read',
    input: reportRange,
    output: analyticsView,
  },
  'reports.ratings': {
    summary:
      "Customers' ratings of visits in a range of business days (default this month): count and average per week and per cashier, and the 1- and 2-star ones to follow up",
    access: 'reports.read',
    input: reportRange,
    output: ratingsView,
  },
  'reports.exported': {
    summary:
      "Records that a report's table was downloaded as CSV (the screen builds the file), for the audit log",
    access: 'reports.read',
    input: z
      .object({
        /** The report's id on the screen, e.g. `trends` or `busy-hours`. */
        report: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
        rows: z.number().int().nonnegative().max(10_000_000),
      })
      .strict(),
    output: z.object({ recorded: z.literal(true) }),
  },
} satisfies Record<string, CommandDefinition>;

export const CLOSE_COMMAND_NAMES = Object.keys(closeCommands) as Array<keyof typeof closeCommands>;
