/**
 * One-bit images as the printer takes them: rows of bytes, most significant bit leftmost, 1 = black.
 */
import { DeviceError } from '../errors';

export interface MonoImage {
  readonly width: number;
  readonly height: number;
  /** `bytesPerRow(width)` × `height` bytes. */
  readonly data: Uint8Array;
}

export const bytesPerRow = (width: number): number => Math.ceil(width / 8);

/** Builds an image from a pixel predicate; used for logos drawn in code and for tests. */
export function monoImage(
  width: number,
  height: number,
  isBlack: (x: number, y: number) => boolean,
): MonoImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new DeviceError('IMAGE_SIZE_INVALID', 'an image needs a positive integer width and height', {
      details: { width, height },
    });
  }
  const stride = bytesPerRow(width);
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (isBlack(x, y)) data[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data };
}

/** Thresholds 8-bit greyscale pixels (0 black … 255 white), row-major, at mid grey. */
export function fromGreyscale(width: number, height: number, grey: Uint8Array, threshold = 128): MonoImage {
  if (grey.length !== width * height) {
    throw new DeviceError('IMAGE_SIZE_INVALID', 'pixel count does not match width × height', {
      details: { width, height, length: grey.length },
    });
  }
  return monoImage(width, height, (x, y) => grey[y * width + x]! < threshold);
}

export function pixel(image: MonoImage, x: number, y: number): boolean {
  const stride = bytesPerRow(image.width);
  return ((image.data[y * stride + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}
