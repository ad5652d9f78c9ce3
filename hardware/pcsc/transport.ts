/**
 * The seam between the reader manager and whatever carries APDUs: pcscd through pcsclite in a store,
 * or the virtual card in-process where no pcscd exists (training mode, the counter's simulator, tests).
 */
import type { EventEmitter } from 'node:events';

export type TransportState = 'starting' | 'ready' | 'unavailable' | 'stopped';

export interface TransportStatus {
  state: TransportState;
  /** Why the transport is unavailable ("pcscd not running"), for the diagnostics screen. */
  message?: string;
  /** Milliseconds until the next attempt when unavailable. */
  retryInMs?: number;
}

export interface ReaderState {
  /** A card is in the field and answered (not mute). */
  present: boolean;
  atr?: Buffer;
}

export interface TransportEvents {
  status: [TransportStatus];
  'reader.added': [string];
  'reader.removed': [string];
  'reader.state': [string, ReaderState];
}

export interface CardConnection {
  readonly reader: string;
  /** Sends a C-APDU; rejects with DeviceError `CARD_TIMEOUT` after `timeoutMs`. */
  transmit(apdu: Uint8Array, timeoutMs: number): Promise<Buffer>;
  /** SCardControl (e.g. the CCID escape for reader LEDs). */
  control(controlCode: number, data: Uint8Array, timeoutMs: number): Promise<Buffer>;
  /** Resets the card and connects again (a MIFARE card halts after a failed authentication). */
  reselect(timeoutMs: number): Promise<void>;
  /** Leaves the card powered for the next connection. Never throws. */
  disconnect(): Promise<void>;
}

export interface CardTransport {
  readonly events: EventEmitter<TransportEvents>;
  readonly kind: 'pcsclite' | 'in-process';
  status(): TransportStatus;
  readers(): string[];
  start(): void;
  stop(): Promise<void>;
  /** Connects in shared mode; rejects with a DeviceError when the card or reader is gone. */
  connect(reader: string, timeoutMs: number): Promise<CardConnection>;
}

/** CCID escape control code as libccid defines it on Linux (SCARD_CTL_CODE(3500)). */
export const IOCTL_CCID_ESCAPE = 0x42000000 + 3500;
