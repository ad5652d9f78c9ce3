/** Day close (日结): the Z report, the liability roll-forward, the day lock, receipts and exports. */

export {
  type Analytics,
  analytics,
  type BehaviourSegment,
  behaviourOf,
  type ChurnWarning,
  type Granularity,
  type MemberActivity,
  type TrendPoint,
  type ValueSegment,
  weekOf,
} from './analytics';
export { type BusinessDays, type BusinessDaysOptions, openBusinessDays } from './day-close';
export { businessDayFor, isDayClosed, lastClosedDay, nextDay, openDayFrom } from './day-lock';
export { CLOSE_ERROR_CODES, CloseError, type CloseErrorCode, isCloseError } from './errors';
export {
  csvField,
  type ExportProgress,
  exportOperationsCsv,
  exportOperationsXlsx,
  exportZReportXlsx,
  OPERATION_COLUMNS,
  type OperationsExport,
  Z_REPORT_COLUMNS,
  zReportCsv,
  zReportReceipt,
  zReportRows,
} from './export';
export type { Figure, Figures, Tally } from './figures';
export {
  type CashierSection,
  DRAWER_KINDS,
  type DrawerLine,
  type KindLine,
  type RollForward,
  type Section,
  type ShiftLine,
  type TenderLine,
  Z_LINES,
  type ZReport,
} from './z-report';
