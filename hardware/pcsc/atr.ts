/**
 * ATR decoding: which kind of card sits on the reader. Contactless readers synthesise the ATR
 * (PC/SC Part 3): storage cards carry the PC/SC RID, a standard byte and a card-name word; ISO 14443-4
 * cards carry their ATS or ATQB as historical bytes. Contact cards send their own ATR.
 */
import { toHex } from './bytes';

export type CardType =
  | 'mifare-classic-1k'
  | 'mifare-classic-4k'
  | 'mifare-mini'
  | 'mifare-ultralight'
  | 'mifare-ultralight-c'
  | 'mifare-ultralight-ev1'
  | 'mifare-plus'
  | 'felica'
  | 'storage-other'
  | 'iso14443-4'
  | 'sle4442'
  | 'contact-cpu'
  | 'unknown';

export type Medium = 'contactless' | 'contact';

export interface AtrInfo {
  atr: string;
  cardType: CardType;
  medium: Medium | undefined;
  /** PC/SC Part 3 standard byte (SS) and card name (NN NN) when the ATR is a storage-card ATR. */
  standard?: number;
  cardName?: number;
  /** Human description for diagnostics screens. */
  description: string;
}

const PCSC_RID = [0xa0, 0x00, 0x00, 0x03, 0x06];

const CARD_NAMES: Record<number, [CardType, string]> = {
  1: ['mifare-classic-1k', 'MIFARE Classic 1K'],
  2: ['mifare-classic-4k', 'MIFARE Classic 4K'],
  3: ['mifare-ultralight', 'MIFARE Ultralight / NTAG21x'],
  38: ['mifare-mini', 'MIFARE Mini'],
  58: ['mifare-ultralight-c', 'MIFARE Ultralight C'],
  61: ['mifare-ultralight-ev1', 'MIFARE Ultralight EV1'],
  54: ['mifare-plus', 'MIFARE Plus SL1 2K'],
  55: ['mifare-plus', 'MIFARE Plus SL1 4K'],
  59: ['felica', 'FeliCa'],
};

/** The header of synchronous (2-wire / 3-wire bus) memory cards such as SLE4442/SLE5542. */
const SLE4442_HEADER = [0xa2, 0x13, 0x10, 0x91];

function indexOfSequence(haystack: Uint8Array, needle: readonly number[]): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    for (let offset = 0; offset < needle.length; offset += 1) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return start;
  }
  return -1;
}

/** TCK makes the XOR of T0..TCK zero (TS excluded). */
export function atrChecksumValid(atr: Uint8Array): boolean {
  let xor = 0;
  for (let index = 1; index < atr.length; index += 1) xor ^= atr[index]!;
  return xor === 0;
}

export function decodeAtr(atr: Uint8Array): AtrInfo {
  const hex = toHex(atr);
  const unknown: AtrInfo = { atr: hex, cardType: 'unknown', medium: undefined, description: 'unknown card' };
  if (atr.length < 2 || (atr[0] !== 0x3b && atr[0] !== 0x3f)) return unknown;

  if (indexOfSequence(atr, SLE4442_HEADER) >= 0) {
    return { atr: hex, cardType: 'sle4442', medium: 'contact', description: 'SLE4442-type memory card' };
  }

  // Contactless readers build `3B 8n 80 01 <n historical bytes> TCK`.
  const t0 = atr[1]!;
  const historicalCount = t0 & 0x0f;
  const contactless = (t0 & 0xf0) === 0x80 && atr[2] === 0x80 && atr[3] === 0x01;
  if (contactless) {
    if (atr.length !== 4 + historicalCount + 1 || !atrChecksumValid(atr)) return unknown;
    const historical = atr.subarray(4, 4 + historicalCount);
    const storage = historical[0] === 0x80 && historical[1] === 0x4f && historical.length >= 15;
    if (storage && PCSC_RID.every((value, index) => historical[3 + index] === value)) {
      const standard = historical[8]!;
      const cardName = (historical[9]! << 8) | historical[10]!;
      const known = CARD_NAMES[cardName];
      if (known) {
        return {
          atr: hex,
          cardType: known[0],
          medium: 'contactless',
          standard,
          cardName,
          description: known[1],
        };
      }
      return {
        atr: hex,
        cardType: 'storage-other',
        medium: 'contactless',
        standard,
        cardName,
        description: `contactless storage card (standard ${standard.toString(16)}, name ${cardName.toString(16)})`,
      };
    }
    return { atr: hex, cardType: 'iso14443-4', medium: 'contactless', description: 'ISO 14443-4 card' };
  }

  // Anything else with a plausible T0 is a contact smart card; member data on those is not supported.
  return { atr: hex, cardType: 'contact-cpu', medium: 'contact', description: 'contact smart card' };
}

/** Card types whose UID the reader returns with GET DATA. */
export function hasUid(cardType: CardType): boolean {
  return !['sle4442', 'contact-cpu', 'unknown'].includes(cardType);
}

export function isClassic(cardType: CardType): boolean {
  return cardType === 'mifare-classic-1k' || cardType === 'mifare-classic-4k' || cardType === 'mifare-mini';
}

export function isUltralight(cardType: CardType): boolean {
  return (
    cardType === 'mifare-ultralight' ||
    cardType === 'mifare-ultralight-c' ||
    cardType === 'mifare-ultralight-ev1'
  );
}

/** Builds a PC/SC Part 3 storage-card ATR, as a contactless reader reports it (used by the virtual card). */
export function storageCardAtr(standard: number, cardName: number): Buffer {
  const atr = Buffer.from([
    0x3b,
    0x8f,
    0x80,
    0x01,
    0x80,
    0x4f,
    0x0c,
    ...PCSC_RID,
    standard,
    cardName >> 8,
    cardName & 0xff,
    0,
    0,
    0,
    0,
    0,
  ]);
  let xor = 0;
  for (let index = 1; index < atr.length - 1; index += 1) xor ^= atr[index]!;
  atr[atr.length - 1] = xor;
  return atr;
}

/** Builds the ATR a contactless reader reports for an ISO 14443-4 card with these historical bytes. */
export function iso14443_4Atr(historical: Uint8Array): Buffer {
  if (historical.length > 15) throw new RangeError('at most 15 historical bytes');
  const atr = Buffer.from([0x3b, 0x80 | historical.length, 0x80, 0x01, ...historical, 0]);
  let xor = 0;
  for (let index = 1; index < atr.length - 1; index += 1) xor ^= atr[index]!;
  atr[atr.length - 1] = xor;
  return atr;
}
