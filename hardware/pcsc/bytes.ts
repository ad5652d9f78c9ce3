/** Byte helpers shared by the PC/SC protocol code. Buffers are Node Buffers (Uint8Array subclasses). */

/** Upper-case hex without separators, the form UIDs and ATRs take in events and logs. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Parses hex with optional spaces or colons ("FF CA 00 00 00", "ffca000000"). */
export function fromHex(text: string): Buffer {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new TypeError(`not a hex byte string: "${text}"`);
  }
  return Buffer.from(clean, 'hex');
}

export function concat(...parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
}

export function byte(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`not a byte: ${value}`);
  return value;
}
