/**
 * ID TECH's framed swipe format: `02 LenL LenH <card data> LRC CheckSum 03`, where LRC is the XOR and
 * CheckSum the 8-bit sum of the card data. The card data starts with the encode type, the track status
 * byte and the three track lengths, then the track text (clear, or masked when the reader encrypts).
 *
 * A frame may span several HID reports and reports are padded, so frames are assembled from a byte stream.
 */
import type { RawSwipe, RawTrack } from './interpret';
import type { TrackNumber } from './tracks';

const STX = 0x02;
const ETX = 0x03;
/** Encrypted-ISO flag in the encode type (UniMag documents 80h); the tracks are then masked. */
export const IDTECH_ENCRYPTED = 0x80;
/** Longest card data accepted: three tracks, encrypted blocks, hashes, KSN and serial fit well inside. */
const MAX_CARD_DATA = 1024;

export type IdtechFrame =
  | { readonly kind: 'swipe'; readonly swipe: RawSwipe; readonly encrypted: boolean }
  | { readonly kind: 'damaged' };

/**
 * Collects bytes into frames. Bytes before an STX are padding or noise and are skipped; a frame whose
 * length, LRC, checksum or ETX is wrong is reported as damaged and assembly resumes after its STX.
 */
export class IdtechFrameAssembler {
  private buffer = new Uint8Array(0);

  push(bytes: Uint8Array, onFrame: (frame: IdtechFrame) => void): void {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    this.buffer.fill(0);
    let start = 0;
    while (start < joined.length) {
      if (joined[start] !== STX) {
        start += 1;
        continue;
      }
      if (joined.length - start < 3) break;
      const length = joined[start + 1]! | (joined[start + 2]! << 8);
      if (length < 5 || length > MAX_CARD_DATA) {
        onFrame({ kind: 'damaged' });
        start += 1;
        continue;
      }
      const total = 3 + length + 3;
      if (joined.length - start < total) break;
      const frame = joined.subarray(start, start + total);
      onFrame(decodeFrame(frame, length));
      frame.fill(0);
      start += total;
    }
    this.buffer = joined.slice(start);
    joined.fill(0);
  }

  /** True while a frame has started but not finished. */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  reset(): void {
    this.buffer.fill(0);
    this.buffer = new Uint8Array(0);
  }
}

function decodeFrame(frame: Uint8Array, length: number): IdtechFrame {
  const data = frame.subarray(3, 3 + length);
  let lrc = 0;
  let sum = 0;
  for (const byte of data) {
    lrc ^= byte;
    sum = (sum + byte) & 0xff;
  }
  if (frame[3 + length] !== lrc || frame[4 + length] !== sum || frame[5 + length] !== ETX) {
    return { kind: 'damaged' };
  }
  const encodeType = data[0]!;
  const status = data[1]!;
  const lengths = [data[2]!, data[3]!, data[4]!];
  if (5 + lengths[0]! + lengths[1]! + lengths[2]! > length) return { kind: 'damaged' };
  const tracks: Partial<Record<TrackNumber, RawTrack>> = {};
  let offset = 5;
  for (const number of [1, 2, 3] as const) {
    const trackLength = lengths[number - 1]!;
    const decoded = (status & (1 << (number - 1))) !== 0;
    if (trackLength > 0) {
      let text = '';
      for (let index = offset; index < offset + trackLength; index += 1) {
        text += String.fromCharCode(data[index]!);
      }
      tracks[number] = decoded ? text : { readerError: true };
    } else if ((status & (1 << (number + 2))) !== 0) {
      // Sampling data without decoded data: the head saw a stripe it could not read.
      tracks[number] = { readerError: true };
    }
    offset += trackLength;
  }
  return { kind: 'swipe', swipe: { tracks }, encrypted: (encodeType & IDTECH_ENCRYPTED) !== 0 };
}

/** Builds the frame an ID TECH reader sends for clear tracks (for the simulator and tests). */
export function encodeIdtechFrame(
  tracks: Partial<Record<TrackNumber, string>>,
  options: { encodeType?: number; unreadable?: readonly TrackNumber[] } = {},
): Uint8Array {
  const texts = [tracks[1] ?? '', tracks[2] ?? '', tracks[3] ?? ''];
  const encodeType = options.encodeType ?? 0;
  // Sampling data present without decoded data is how the reader says it saw a track it could not read.
  let status = 0;
  for (const number of options.unreadable ?? []) status |= 1 << (number + 2);
  texts.forEach((text, index) => {
    if (text.length > 255) throw new RangeError(`track ${index + 1} is longer than 255`);
    if (text.length > 0) status |= 1 << index;
  });
  const body = texts.join('');
  const length = 5 + body.length;
  const frame = new Uint8Array(3 + length + 3);
  frame[0] = STX;
  frame[1] = length & 0xff;
  frame[2] = length >> 8;
  const data = frame.subarray(3, 3 + length);
  data[0] = encodeType;
  data[1] = status;
  data[2] = texts[0]!.length;
  data[3] = texts[1]!.length;
  data[4] = texts[2]!.length;
  for (let index = 0; index < body.length; index += 1) data[5 + index] = body.charCodeAt(index) & 0xff;
  let lrc = 0;
  let sum = 0;
  for (const byte of data) {
    lrc ^= byte;
    sum = (sum + byte) & 0xff;
  }
  frame[3 + length] = lrc;
  frame[4 + length] = sum;
  frame[5 + length] = ETX;
  return frame;
}

/** Splits a frame into HID reports of `size` bytes, zero-padding the last (as the reader does). */
export function toReports(bytes: Uint8Array, size: number): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    const report = new Uint8Array(size);
    report.set(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
    reports.push(report);
  }
  return reports;
}
