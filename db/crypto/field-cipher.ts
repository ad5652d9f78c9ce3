/**
 * AES-256-GCM for personal fields (member phone, ID number, name, birthday, notes). A stored value is a text envelope:
 *
 *   v1:<key id>:<base64 of iv(12) | tag(16) | ciphertext>
 *
 * The version and key id are readable so a rotation can find rows written with an old key without
 * decrypting them. The additional authenticated data binds the ciphertext to its version, key id, field
 * name and member id, so a value copied onto another member (or into another column) fails to decrypt
 * instead of showing someone else's phone number.
 */
import { createCipheriv, createDecipheriv, randomBytes as systemRandomBytes } from 'node:crypto';
import { FieldCryptoError } from './errors';
import { deriveSubkey, isKeyId, type Keyring, requireKey } from './keyring';

export const ENVELOPE_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FIELD_KEY_PURPOSE = 'member-card-pos/field-encryption/v1';
const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
/** Personal fields are short; a bound keeps a corrupted row from turning into a huge allocation. */
const MAX_PLAINTEXT_BYTES = 4096;

export type PersonalField = 'phone' | 'id_number' | 'name' | 'birthday' | 'notes';

export interface FieldBinding {
  /** Column name, e.g. "phone" or "id_number". */
  field: string;
  /** The member the value belongs to. */
  memberId: string;
}

export interface ParsedEnvelope {
  version: typeof ENVELOPE_VERSION;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export interface FieldCipher {
  encrypt(binding: FieldBinding, plaintext: string): string;
  decrypt(binding: FieldBinding, envelope: string): string;
  /** The key id an envelope was written with (without decrypting it). */
  keyIdOf(envelope: string): string;
  /** True when the envelope was written with a key other than the current one. */
  needsRotation(envelope: string): boolean;
  /** Decrypts with the envelope's key and encrypts again with the current one. */
  rotate(binding: FieldBinding, envelope: string): string;
}

export interface FieldCipherOptions {
  /** Source of IVs; the system CSPRNG unless a test needs a fixed vector. */
  randomBytes?: (size: number) => Uint8Array;
}

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${ENVELOPE_VERSION}:`);
}

export function parseEnvelope(envelope: string): ParsedEnvelope {
  if (typeof envelope !== 'string') {
    throw new FieldCryptoError('FIELD_ENVELOPE_INVALID', 'an encrypted field is a text envelope');
  }
  const parts = envelope.split(':');
  const [version, keyId, body] = parts;
  if (parts.length !== 3 || version !== ENVELOPE_VERSION) {
    throw new FieldCryptoError(
      'FIELD_ENVELOPE_INVALID',
      `an encrypted field starts with "${ENVELOPE_VERSION}:"`,
      {
        details: { prefix: envelope.slice(0, 3) },
      },
    );
  }
  if (!isKeyId(keyId)) {
    throw new FieldCryptoError('FIELD_ENVELOPE_INVALID', 'the envelope names no valid key id');
  }
  if (body === undefined || !BASE64_PATTERN.test(body) || body.length % 4 !== 0) {
    throw new FieldCryptoError('FIELD_ENVELOPE_INVALID', 'the envelope body is not base64');
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) {
    throw new FieldCryptoError(
      'FIELD_ENVELOPE_INVALID',
      'the envelope is too short to hold an iv and a tag',
      {
        details: { length: bytes.length },
      },
    );
  }
  return {
    version: ENVELOPE_VERSION,
    keyId,
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
}

/** The additional authenticated data: version, key id, field and member id, separated by U+001F. */
export function fieldAad(keyId: string, binding: FieldBinding): Buffer {
  return Buffer.from([ENVELOPE_VERSION, keyId, binding.field, binding.memberId].join('\u001f'), 'utf8');
}

function checkBinding(binding: FieldBinding): void {
  if (!FIELD_NAME_PATTERN.test(binding.field)) {
    throw new FieldCryptoError('FIELD_VALUE_INVALID', 'a field name is lower-case letters, digits and "_"', {
      details: { field: String(binding.field) },
    });
  }
  if (
    typeof binding.memberId !== 'string' ||
    binding.memberId.length === 0 ||
    binding.memberId.length > 200
  ) {
    throw new FieldCryptoError('FIELD_VALUE_INVALID', 'an encrypted field needs the id of its member', {
      details: { field: binding.field },
    });
  }
}

export function createFieldCipher(keyring: Keyring, options: FieldCipherOptions = {}): FieldCipher {
  const random = options.randomBytes ?? systemRandomBytes;
  const subkeys = new Map<string, Buffer>();
  const subkeyFor = (id: string): Buffer => {
    let subkey = subkeys.get(id);
    if (subkey === undefined) {
      subkey = deriveSubkey(requireKey(keyring, id), FIELD_KEY_PURPOSE);
      subkeys.set(id, subkey);
    }
    return subkey;
  };

  const encrypt = (binding: FieldBinding, plaintext: string): string => {
    checkBinding(binding);
    if (typeof plaintext !== 'string') {
      throw new FieldCryptoError('FIELD_VALUE_INVALID', `${binding.field} must be text`);
    }
    const data = Buffer.from(plaintext, 'utf8');
    if (data.length > MAX_PLAINTEXT_BYTES) {
      throw new FieldCryptoError(
        'FIELD_VALUE_INVALID',
        `${binding.field} is longer than ${MAX_PLAINTEXT_BYTES} bytes`,
      );
    }
    const keyId = keyring.currentId;
    const iv = Buffer.from(random(IV_BYTES));
    if (iv.length !== IV_BYTES)
      throw new FieldCryptoError('FIELD_KEY_INVALID', 'the iv source gave a wrong size');
    const cipher = createCipheriv('aes-256-gcm', subkeyFor(keyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(fieldAad(keyId, binding));
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${ENVELOPE_VERSION}:${keyId}:${Buffer.concat([iv, tag, ciphertext]).toString('base64')}`;
  };

  const decrypt = (binding: FieldBinding, envelope: string): string => {
    checkBinding(binding);
    const parsed = parseEnvelope(envelope);
    if (parsed.ciphertext.length > MAX_PLAINTEXT_BYTES) {
      throw new FieldCryptoError('FIELD_ENVELOPE_INVALID', 'the envelope is longer than any personal field');
    }
    const decipher = createDecipheriv('aes-256-gcm', subkeyFor(parsed.keyId), parsed.iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(fieldAad(parsed.keyId, binding));
    decipher.setAuthTag(parsed.tag);
    let data: Buffer;
    try {
      data = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
    } catch (cause) {
      throw new FieldCryptoError(
        'FIELD_DECRYPT_FAILED',
        `${binding.field} of member ${binding.memberId} does not authenticate: changed, or stored for another member`,
        { cause, details: { field: binding.field, memberId: binding.memberId, keyId: parsed.keyId } },
      );
    }
    return data.toString('utf8');
  };

  return {
    encrypt,
    decrypt,
    keyIdOf: (envelope) => parseEnvelope(envelope).keyId,
    needsRotation: (envelope) => parseEnvelope(envelope).keyId !== keyring.currentId,
    rotate: (binding, envelope) => encrypt(binding, decrypt(binding, envelope)),
  };
}
