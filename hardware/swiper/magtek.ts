/**
 * MagTek's classic (non-encrypted) HID swipe report: 337 bytes, one per swipe.
 *
 * | offset | len | field |
 * | 0,1,2  | 1   | track 1/2/3 decode status (00 = OK) |
 * | 3,4,5  | 1   | track 1/2/3 data length |
 * | 6      | 1   | card encode type |
 * | 7      | 110 | track 1 data (ASCII, null-padded) |
 * | 117    | 110 | track 2 data |
 * | 227    | 110 | track 3 data |
 */
import type { RawSwipe, RawTrack } from './interpret';
import type { TrackNumber } from './tracks';

export const MAGTEK_REPORT_LENGTH = 337;
const FIELD_LENGTH = 110;
const DATA_OFFSETS: Record<TrackNumber, number> = { 1: 7, 2: 117, 3: 227 };

export const MAGTEK_ENCODE_TYPES = ['ISO/ABA', 'AAMVA', 'CADL', 'Blank', 'Other', 'Undetermined', 'None'];

export interface MagtekSwipe extends RawSwipe {
  readonly encodeType: number;
}

/**
 * Decodes one report. Returns undefined when the bytes cannot be a swipe report (wrong size, a length
 * beyond its field); a track with a non-zero decode status is a reader error; a track of length 0 with a
 * good status is absent (a blank track).
 */
export function decodeMagtekReport(report: Uint8Array): MagtekSwipe | undefined {
  let bytes = report;
  // A numbered report carries its report ID first.
  if (bytes.length === MAGTEK_REPORT_LENGTH + 1) bytes = bytes.subarray(1);
  if (bytes.length !== MAGTEK_REPORT_LENGTH) return undefined;
  const tracks: Partial<Record<TrackNumber, RawTrack>> = {};
  for (const number of [1, 2, 3] as const) {
    const status = bytes[number - 1]!;
    const length = bytes[number + 2]!;
    if (length > FIELD_LENGTH) return undefined;
    if (status !== 0) {
      tracks[number] = { readerError: true };
      continue;
    }
    if (length === 0) continue;
    const start = DATA_OFFSETS[number];
    let text = '';
    for (let index = start; index < start + length; index += 1) text += String.fromCharCode(bytes[index]!);
    tracks[number] = text;
  }
  return { tracks, encodeType: bytes[6]! };
}

export interface MagtekTrackInput {
  readonly text?: string;
  /** A non-zero decode status (the reader could not read the track). */
  readonly status?: number;
}

/** Builds the report a MagTek reader sends for a swipe (for the simulator and tests). */
export function encodeMagtekReport(
  tracks: Partial<Record<TrackNumber, MagtekTrackInput>>,
  encodeType = 0,
): Uint8Array {
  const out = new Uint8Array(MAGTEK_REPORT_LENGTH);
  for (const number of [1, 2, 3] as const) {
    const track = tracks[number];
    if (track === undefined) continue;
    const text = track.text ?? '';
    if (text.length > FIELD_LENGTH) throw new RangeError(`track ${number} is longer than ${FIELD_LENGTH}`);
    out[number - 1] = track.status ?? 0;
    out[number + 2] = text.length;
    for (let index = 0; index < text.length; index += 1) {
      out[DATA_OFFSETS[number] + index] = text.charCodeAt(index) & 0xff;
    }
  }
  out[6] = encodeType;
  return out;
}
