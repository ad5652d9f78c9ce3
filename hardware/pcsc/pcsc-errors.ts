/**
 * pcsclite reports PC/SC failures as Error messages like "SCardTransmit error: Card was removed.(0x80100069)".
 * This turns the return code into a DeviceError with a stable code.
 */
import { DeviceError } from '../errors';

const CODES: Record<number, [string, string]> = {
  2148532329: ['CARD_REMOVED', 'card was removed'],
  2148532270: ['CARD_REMOVED', 'no card in the reader'],
  2148532246: ['CARD_REMOVED', 'card stopped answering in the middle of a command'],
  2148532328: ['CARD_RESET', 'card was reset by another application'],
  2148532326: ['CARD_UNRESPONSIVE', 'card does not answer'],
  2148532327: ['CARD_UNPOWERED', 'card is not powered'],
  2148532239: ['CARD_PROTOCOL_MISMATCH', 'card does not speak the requested protocol'],
  2148532235: ['READER_BUSY', 'another application holds the card exclusively'],
  2148532233: ['READER_REMOVED', 'reader is gone'],
  2148532247: ['READER_REMOVED', 'reader is unavailable'],
  2148532253: ['PCSCD_UNAVAILABLE', 'pcscd not running'],
  2148532254: ['PCSCD_UNAVAILABLE', 'pcscd stopped'],
  2148532243: ['PCSCD_UNAVAILABLE', 'lost the connection to pcscd'],
  2148532227: ['CARD_REMOVED', 'card handle no longer valid'],
  2148532226: ['CANCELLED', 'cancelled'],
};

export function pcscReturnCode(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\(0x([0-9a-fA-F]{8})\)/.exec(message);
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

export function toDeviceError(error: unknown, reader: string | undefined, operation: string): DeviceError {
  if (error instanceof DeviceError) return error;
  const returnCode = pcscReturnCode(error);
  const known = returnCode === undefined ? undefined : CODES[returnCode];
  const details: Record<string, unknown> = { operation };
  if (reader !== undefined) details.reader = reader;
  if (returnCode !== undefined) details.returnCode = `0x${returnCode.toString(16)}`;
  if (known) return new DeviceError(known[0], known[1], { cause: error, details });
  return new DeviceError('PCSC_FAILED', `${operation} failed`, { cause: error, details });
}
