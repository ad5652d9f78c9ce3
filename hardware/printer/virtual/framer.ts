/**
 * Splits an ESC/POS byte stream into frames (one command, a run of text bytes, or a line feed), across
 * chunk boundaries. It knows every command's length, so parameter and image bytes are never mistaken for
 * commands; that is also how a real printer can answer `DLE EOT` at once while the rest waits in its buffer.
 */

export type Frame =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'lf' }
  | { kind: 'realtime'; n: number }
  | { kind: 'command'; prefix: 'ESC' | 'GS' | 'FS'; code: number; args: Uint8Array; data?: Uint8Array }
  | { kind: 'unknown'; byte: number };

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/** Fixed parameter counts after `ESC x`. */
const ESC_ARGS: Record<number, number> = {
  64: 0, // @ init
  33: 1, // ! print mode
  69: 1, // E bold
  45: 1, // - underline
  77: 1, // M font
  97: 1, // a align
  116: 1, // t code table
  82: 1, // R international set
  51: 1, // 3 line spacing
  50: 0, // 2 default line spacing
  100: 1, // d feed lines
  74: 1, // J feed dots
  112: 3, // p drawer pulse
};

const GS_SIMPLE_ARGS: Record<number, number> = {
  33: 1, // ! size
  66: 1, // B reverse
  104: 1, // h barcode height
  119: 1, // w barcode width
  72: 1, // H HRI position
  97: 1, // a ASB
};

const NEED_MORE = -1;

export class EscPosFramer {
  private pending: Uint8Array = new Uint8Array(0);

  /** Frames completed by `chunk`; an incomplete command stays buffered for the next chunk. */
  push(chunk: Uint8Array): Frame[] {
    const buffer = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const frames: Frame[] = [];
    let at = 0;
    while (at < buffer.length) {
      const used = frameAt(buffer, at, frames);
      if (used === NEED_MORE) break;
      at += used;
    }
    this.pending = buffer.slice(at);
    return frames;
  }

  /** Bytes of a command still waiting for the rest of its parameters. */
  get buffered(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function isTextByte(byte: number): boolean {
  return byte >= 0x20 && byte !== 0x7f;
}

/** Parses one frame at `at`; returns the bytes consumed or NEED_MORE. */
function frameAt(buf: Uint8Array, at: number, frames: Frame[]): number {
  const byte = buf[at]!;
  const have = buf.length - at;
  if (isTextByte(byte)) {
    let end = at + 1;
    while (end < buf.length && isTextByte(buf[end]!)) end += 1;
    frames.push({ kind: 'text', bytes: buf.slice(at, end) });
    return end - at;
  }
  if (byte === 0x0a) {
    frames.push({ kind: 'lf' });
    return 1;
  }
  if (byte === 0x0d) return 1; // CR: the printer ignores it when auto line feed is off
  if (byte === 0x00) return 1; // NUL: padding, ignored
  if (byte === DLE) {
    if (have < 3) return NEED_MORE;
    if (buf[at + 1] === 0x04) {
      frames.push({ kind: 'realtime', n: buf[at + 2]! });
      return 3;
    }
    frames.push({ kind: 'unknown', byte });
    return 1;
  }
  if (byte === ESC || byte === GS || byte === FS) {
    if (have < 2) return NEED_MORE;
    const code = buf[at + 1]!;
    const prefix = byte === ESC ? 'ESC' : byte === GS ? 'GS' : 'FS';
    const fixed = byte === ESC ? ESC_ARGS[code] : byte === GS ? GS_SIMPLE_ARGS[code] : FS_ARGS(code);
    if (fixed !== undefined) {
      if (have < 2 + fixed) return NEED_MORE;
      frames.push({ kind: 'command', prefix, code, args: buf.slice(at + 2, at + 2 + fixed) });
      return 2 + fixed;
    }
    if (byte === GS) return gsVariable(buf, at, code, frames);
  }
  frames.push({ kind: 'unknown', byte });
  return 1;
}

function FS_ARGS(code: number): number | undefined {
  return code === 0x26 || code === 0x2e ? 0 : undefined;
}

function gsVariable(buf: Uint8Array, at: number, code: number, frames: Frame[]): number {
  const have = buf.length - at;
  const command = (args: Uint8Array, data: Uint8Array | undefined, used: number): number => {
    frames.push({ kind: 'command', prefix: 'GS', code, args, ...(data ? { data } : {}) });
    return used;
  };
  switch (code) {
    case 0x56: {
      // GS V m [n]
      if (have < 3) return NEED_MORE;
      const m = buf[at + 2]!;
      const extra = m === 0x41 || m === 0x42 ? 1 : 0;
      if (have < 3 + extra) return NEED_MORE;
      return command(buf.slice(at + 2, at + 3 + extra), undefined, 3 + extra);
    }
    case 0x6b: {
      // GS k m: function A (m ≤ 6) is NUL-terminated, function B has a length byte
      if (have < 3) return NEED_MORE;
      const m = buf[at + 2]!;
      if (m <= 6) {
        const end = buf.indexOf(0, at + 3);
        if (end < 0) return NEED_MORE;
        return command(buf.slice(at + 2, at + 3), buf.slice(at + 3, end), end + 1 - at);
      }
      if (have < 4) return NEED_MORE;
      const n = buf[at + 3]!;
      if (have < 4 + n) return NEED_MORE;
      return command(buf.slice(at + 2, at + 4), buf.slice(at + 4, at + 4 + n), 4 + n);
    }
    case 0x28: {
      // GS ( k pL pH cn fn …
      if (have < 5) return NEED_MORE;
      const length = buf[at + 3]! + buf[at + 4]! * 256;
      if (have < 5 + length) return NEED_MORE;
      return command(buf.slice(at + 2, at + 5), buf.slice(at + 5, at + 5 + length), 5 + length);
    }
    case 0x76: {
      // GS v 0 m xL xH yL yH d…
      if (have < 8) return NEED_MORE;
      const x = buf[at + 4]! + buf[at + 5]! * 256;
      const y = buf[at + 6]! + buf[at + 7]! * 256;
      if (have < 8 + x * y) return NEED_MORE;
      return command(buf.slice(at + 2, at + 8), buf.slice(at + 8, at + 8 + x * y), 8 + x * y);
    }
    default:
      frames.push({ kind: 'unknown', byte: GS });
      return 1;
  }
}
