/**
 * Printer status from `DLE EOT n` replies and `GS a` automatic status back (ASB) frames, in one shape.
 * A transport that cannot read back reports `{ known: false }`: unknown is never shown as "ok".
 */

export interface PrinterCondition {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  cutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
  /** Drawer kick connector pin 3; whether HIGH means open depends on the drawer. */
  drawerPin3High: boolean;
  feedButton: boolean;
}

export type PrinterStatus =
  | ({ known: true; online: boolean } & PrinterCondition)
  | { known: false; reason: 'NO_READ_BACK' | 'NO_REPLY' | 'DISCONNECTED' };

/** Why a printer cannot print now, most actionable first; `null` when it can. */
export type PrinterProblem =
  | 'DISCONNECTED'
  | 'COVER_OPEN'
  | 'PAPER_OUT'
  | 'CUTTER_ERROR'
  | 'PRINTER_ERROR'
  | 'OFFLINE';

export function problemOf(status: PrinterStatus): PrinterProblem | null {
  if (!status.known) return status.reason === 'NO_READ_BACK' ? null : 'DISCONNECTED';
  if (status.coverOpen) return 'COVER_OPEN';
  if (status.paperOut) return 'PAPER_OUT';
  if (status.cutterError) return 'CUTTER_ERROR';
  if (status.unrecoverableError) return 'PRINTER_ERROR';
  if (status.offline) return 'OFFLINE';
  return null;
}

/** A DLE EOT reply byte matches 0xx1xx10. */
export const isRealtimeReply = (byte: number): boolean => (byte & 0x93) === 0x12;
/** The first byte of an ASB frame matches 0xx1xx00, which tells it apart from a DLE EOT reply. */
export const isAsbHeader = (byte: number): boolean => (byte & 0x93) === 0x10;

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

/** Decodes the replies to DLE EOT 1, 2, 3 and 4 (in that order). */
export function decodeRealtime(
  printer: number,
  offlineCause: number,
  errorCause: number,
  paper: number,
): PrinterStatus {
  const offline = bit(printer, 3);
  return {
    known: true,
    online: !offline,
    offline,
    drawerPin3High: bit(printer, 2),
    feedButton: bit(printer, 6) || bit(offlineCause, 3),
    coverOpen: bit(offlineCause, 2),
    paperOut: bit(offlineCause, 5) || (paper & 0x60) === 0x60,
    paperNearEnd: (paper & 0x0c) === 0x0c,
    cutterError: bit(errorCause, 3),
    unrecoverableError: bit(errorCause, 5),
    autoRecoverableError: bit(errorCause, 6),
  };
}

/** Decodes a 4-byte ASB frame. */
export function decodeAsb(frame: ArrayLike<number>): PrinterStatus {
  const [b1 = 0, b2 = 0, b3 = 0] = [frame[0], frame[1], frame[2]];
  const offline = bit(b1, 3);
  return {
    known: true,
    online: !offline,
    offline,
    drawerPin3High: bit(b1, 2),
    coverOpen: bit(b1, 5),
    feedButton: bit(b1, 6),
    cutterError: bit(b2, 3),
    unrecoverableError: bit(b2, 5),
    autoRecoverableError: bit(b2, 6),
    paperNearEnd: (b3 & 0x03) === 0x03,
    paperOut: (b3 & 0x0c) === 0x0c,
  };
}

/** The reply a printer in `condition` gives to DLE EOT n (used by the virtual printer). */
export function realtimeReply(n: 1 | 2 | 3 | 4, c: PrinterCondition): number {
  const base = 0x12;
  switch (n) {
    case 1:
      return base | (c.drawerPin3High ? 0x04 : 0) | (c.offline ? 0x08 : 0) | (c.feedButton ? 0x40 : 0);
    case 2:
      return base | (c.coverOpen ? 0x04 : 0) | (c.paperOut ? 0x20 : 0) | (hasError(c) ? 0x40 : 0);
    case 3:
      return (
        base |
        (c.cutterError ? 0x08 : 0) |
        (c.unrecoverableError ? 0x20 : 0) |
        (c.autoRecoverableError ? 0x40 : 0)
      );
    case 4:
      return base | (c.paperNearEnd || c.paperOut ? 0x0c : 0) | (c.paperOut ? 0x60 : 0);
  }
}

/** The 4-byte ASB frame for `condition`. */
export function asbFrame(c: PrinterCondition): number[] {
  return [
    0x10 |
      (c.drawerPin3High ? 0x04 : 0) |
      (c.offline ? 0x08 : 0) |
      (c.coverOpen ? 0x20 : 0) |
      (c.feedButton ? 0x40 : 0),
    (c.cutterError ? 0x08 : 0) | (c.unrecoverableError ? 0x20 : 0) | (c.autoRecoverableError ? 0x40 : 0),
    (c.paperNearEnd || c.paperOut ? 0x03 : 0) | (c.paperOut ? 0x0c : 0),
    0x00,
  ];
}

function hasError(c: PrinterCondition): boolean {
  return c.cutterError || c.unrecoverableError || c.autoRecoverableError;
}

export const readyCondition = (): PrinterCondition => ({
  offline: false,
  coverOpen: false,
  paperOut: false,
  paperNearEnd: false,
  cutterError: false,
  unrecoverableError: false,
  autoRecoverableError: false,
  drawerPin3High: false,
  feedButton: false,
});
