/**
 * Refusals from the personal-field encryption layer. The codes are stable: the host maps them to words,
 * and a caller can tell a tampered value (FIELD_DECRYPT_FAILED) from a key it no longer holds.
 */
import { CodedError } from '../../common/coded-error';

export const FIELD_CRYPTO_ERROR_CODES = [
  /** A data-encryption key is not 32 bytes, or its id is not a short plain token. */
  'FIELD_KEY_INVALID',
  /** The envelope names a key id the keyring does not hold (rotated away, or a different terminal's). */
  'FIELD_KEY_UNKNOWN',
  /** The stored text is not a v1 envelope (wrong prefix, bad base64, too short). */
  'FIELD_ENVELOPE_INVALID',
  /** Authentication failed: the ciphertext, its tag, or its binding (field, member id) was changed. */
  'FIELD_DECRYPT_FAILED',
  /** The plaintext (phone, ID number) is not a value of that kind. */
  'FIELD_VALUE_INVALID',
  /** A search the blind index cannot answer (a prefix length that is not indexed). */
  'FIELD_QUERY_UNSUPPORTED',
] as const;

export type FieldCryptoErrorCode = (typeof FIELD_CRYPTO_ERROR_CODES)[number];

export class FieldCryptoError extends CodedError<FieldCryptoErrorCode> {
  override readonly name = 'FieldCryptoError';
}
