/**
 * Field-level encryption for personal data: AES-256-GCM envelopes, a keyed blind index for searching
 * them, and the keyring (with rotation) both are built on.
 */
export {
  type BlindIndex,
  type BlindSearch,
  blindToken,
  createBlindIndex,
  type IndexTerm,
  type IndexTermKind,
  NAME_PREFIX_MAX,
  PHONE_PREFIX_LENGTHS,
} from './blind-index';
export { FIELD_CRYPTO_ERROR_CODES, FieldCryptoError, type FieldCryptoErrorCode } from './errors';
export {
  createFieldCipher,
  ENVELOPE_VERSION,
  type FieldBinding,
  type FieldCipher,
  type FieldCipherOptions,
  fieldAad,
  isEnvelope,
  type ParsedEnvelope,
  type PersonalField,
  parseEnvelope,
} from './field-cipher';
export {
  createKeyring,
  DATA_KEY_BYTES,
  type DataKey,
  deriveSubkey,
  isKeyId,
  type Keyring,
  requireKey,
  type SwitchableKeyring,
  switchableKeyring,
} from './keyring';
export { foldName, nameGrams, normalizeIdNumber, normalizePhone } from './normalize';
