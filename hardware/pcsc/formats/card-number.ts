/**
 * Card numbers are decimal strings of 1–16 digits, stored on the card as 8 bytes of packed BCD padded
 * with F nibbles (readable in a raw dump, and the usual form in Chinese stored-value systems).
 */
import { DeviceError } from '../../errors';

export const CARD_NUMBER_BYTES = 8;

export function assertCardNumber(cardNumber: string): void {
  if (!/^[0-9]{1,16}$/.test(cardNumber)) {
    throw new DeviceError('CARD_NUMBER_INVALID', 'a card number is 1 to 16 decimal digits', {
      details: { cardNumber },
    });
  }
}

export function encodeCardNumber(cardNumber: string): Buffer {
  assertCardNumber(cardNumber);
  const nibbles = cardNumber.padEnd(CARD_NUMBER_BYTES * 2, 'F');
  return Buffer.from(nibbles, 'hex');
}

/** Undefined when the bytes are not packed BCD digits followed only by F padding. */
export function decodeCardNumber(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('hex').toUpperCase();
  const match = /^([0-9]{1,16})F*$/.exec(text);
  return match?.[1];
}
