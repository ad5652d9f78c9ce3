import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBlindIndex,
  createFieldCipher,
  createKeyring,
  deriveSubkey,
  type FieldCryptoError,
  NAME_PREFIX_MAX,
  normalizePhone,
  parseEnvelope,
} from '../../../db/crypto';

// Vectors computed independently with Python's `cryptography` (AESGCM, HKDF) and `hmac` (the name terms with
// `hmac` alone, HKDF written out from RFC 5869).
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const FIXED_IV = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const MEMBER = 'member-demo-1';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as FieldCryptoError).code;
  }
  return undefined;
}

describe('field encryption envelope', () => {
  const keyring = createKeyring([{ id: 'k1', key: KEY }]);
  const fixed = createFieldCipher(keyring, { randomBytes: () => FIXED_IV });

  it('derives separate HKDF-SHA256 subkeys for field encryption and the blind index', () => {
    expect(deriveSubkey(KEY, 'member-card-pos/field-encryption/v1').toString('hex')).toBe(
      '9cc34d34fed28af7298f6623997ae97b64c0e5e25f6af8eb57f0e09b993f3520',
    );
    expect(deriveSubkey(KEY, 'member-card-pos/blind-index/v1').toString('hex')).toBe(
      '37d91d72448e3f65d26f1b479bb980192867c0964c42e4106369853d9de8ed04',
    );
  });

  it('writes v1:<key id>:base64(iv|tag|ciphertext) with the field and member id as AAD (known vectors)', () => {
    expect(fixed.encrypt({ field: 'phone', memberId: MEMBER }, '13800000001')).toBe(
      'v1:k1:oKGio6SlpqeoqaqrzVh2x7yTWvpYPgI4mMv/haMZ2umkV6h/09f1',
    );
    expect(fixed.encrypt({ field: 'id_number', memberId: MEMBER }, '11010519491231002X')).toBe(
      'v1:k1:oKGio6Slpqeoqaqr/e8vd51IFxV2R2oKxLcoV6Mb0uikUql21971ic0mGgGQxQ==',
    );
  });

  it('reads the vectors back', () => {
    const cipher = createFieldCipher(keyring);
    expect(
      cipher.decrypt(
        { field: 'phone', memberId: MEMBER },
        'v1:k1:oKGio6SlpqeoqaqrzVh2x7yTWvpYPgI4mMv/haMZ2umkV6h/09f1',
      ),
    ).toBe('13800000001');
  });

  it('uses a fresh random iv for every value, so equal phones do not give equal ciphertexts', () => {
    const cipher = createFieldCipher(keyring);
    const a = cipher.encrypt({ field: 'phone', memberId: MEMBER }, '13800000001');
    const b = cipher.encrypt({ field: 'phone', memberId: MEMBER }, '13800000001');
    expect(a).not.toBe(b);
    expect(parseEnvelope(a).iv.equals(parseEnvelope(b).iv)).toBe(false);
  });

  it('round-trips any text, Chinese included', () => {
    const cipher = createFieldCipher(keyring);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (text, memberId) => {
          const binding = { field: 'phone', memberId };
          expect(cipher.decrypt(binding, cipher.encrypt(binding, text))).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a value moved to another member or another field (FIELD_DECRYPT_FAILED)', () => {
    const cipher = createFieldCipher(keyring);
    const envelope = cipher.encrypt({ field: 'phone', memberId: MEMBER }, '13800000001');
    expect(codeOf(() => cipher.decrypt({ field: 'phone', memberId: 'member-demo-2' }, envelope))).toBe(
      'FIELD_DECRYPT_FAILED',
    );
    expect(codeOf(() => cipher.decrypt({ field: 'id_number', memberId: MEMBER }, envelope))).toBe(
      'FIELD_DECRYPT_FAILED',
    );
  });

  it('detects a flipped bit anywhere in iv, tag or ciphertext', () => {
    const cipher = createFieldCipher(keyring);
    const binding = { field: 'phone', memberId: MEMBER };
    const envelope = cipher.encrypt(binding, '13800000001');
    const body = Buffer.from(envelope.slice('v1:k1:'.length), 'base64');
    for (let byte = 0; byte < body.length; byte += 1) {
      for (const bit of [0x01, 0x80]) {
        const changed = Buffer.from(body);
        changed[byte]! ^= bit;
        const tampered = `v1:k1:${changed.toString('base64')}`;
        expect(codeOf(() => cipher.decrypt(binding, tampered))).toBe('FIELD_DECRYPT_FAILED');
      }
    }
  });

  it('detects a truncated ciphertext and refuses a malformed envelope with FIELD_ENVELOPE_INVALID', () => {
    const cipher = createFieldCipher(keyring);
    const binding = { field: 'phone', memberId: MEMBER };
    const body = Buffer.from(cipher.encrypt(binding, '13800000001').slice(6), 'base64');
    expect(codeOf(() => cipher.decrypt(binding, `v1:k1:${body.subarray(0, -1).toString('base64')}`))).toBe(
      'FIELD_DECRYPT_FAILED',
    );
    for (const bad of [
      '13800000001',
      'v2:k1:AAAA',
      'v1:k1',
      'v1:k 1:AAAA',
      'v1:k1:not*base64',
      'v1:k1:AAAA',
      '',
    ]) {
      expect(codeOf(() => cipher.decrypt(binding, bad))).toBe('FIELD_ENVELOPE_INVALID');
    }
  });

  it('refuses an envelope whose key id was swapped for another held key', () => {
    const two = createKeyring([
      { id: 'k1', key: KEY },
      { id: 'k2', key: new Uint8Array(32).fill(7) },
    ]);
    const cipher = createFieldCipher(two);
    const binding = { field: 'phone', memberId: MEMBER };
    const envelope = cipher.encrypt(binding, '13800000001');
    expect(envelope.startsWith('v1:k2:')).toBe(true);
    expect(codeOf(() => cipher.decrypt(binding, envelope.replace('v1:k2:', 'v1:k1:')))).toBe(
      'FIELD_DECRYPT_FAILED',
    );
  });
});

describe('key rotation', () => {
  const oldKey = { id: 'k1', key: KEY };
  const newKey = { id: 'k2', key: new Uint8Array(32).fill(0x42) };
  const binding = { field: 'phone', memberId: MEMBER };

  it('keeps values written with an old key readable and re-encrypts them under the current key', () => {
    const before = createFieldCipher(createKeyring([oldKey]));
    const stored = before.encrypt(binding, '13800000001');
    const after = createFieldCipher(createKeyring([oldKey, newKey]));
    expect(after.keyIdOf(stored)).toBe('k1');
    expect(after.needsRotation(stored)).toBe(true);
    expect(after.decrypt(binding, stored)).toBe('13800000001');
    const rotated = after.rotate(binding, stored);
    expect(after.keyIdOf(rotated)).toBe('k2');
    expect(after.needsRotation(rotated)).toBe(false);
    expect(after.decrypt(binding, rotated)).toBe('13800000001');
  });

  it('names the missing key (FIELD_KEY_UNKNOWN) once an old key is dropped', () => {
    const stored = createFieldCipher(createKeyring([oldKey])).encrypt(binding, '13800000001');
    const onlyNew = createFieldCipher(createKeyring([newKey]));
    expect(codeOf(() => onlyNew.decrypt(binding, stored))).toBe('FIELD_KEY_UNKNOWN');
  });

  it('refuses keys of the wrong size, bad ids, duplicates and an unknown current id', () => {
    expect(codeOf(() => createKeyring([{ id: 'k1', key: new Uint8Array(16) }]))).toBe('FIELD_KEY_INVALID');
    expect(codeOf(() => createKeyring([{ id: 'k:1', key: KEY }]))).toBe('FIELD_KEY_INVALID');
    expect(codeOf(() => createKeyring([oldKey, oldKey]))).toBe('FIELD_KEY_INVALID');
    expect(codeOf(() => createKeyring([oldKey], 'k9'))).toBe('FIELD_KEY_UNKNOWN');
    expect(codeOf(() => createKeyring([]))).toBe('FIELD_KEY_INVALID');
  });
});

describe('blind index', () => {
  const index = createBlindIndex(createKeyring([{ id: 'k1', key: KEY }]));

  it('indexes a phone number whole and by its first 3 and 7 digits (known vectors)', () => {
    expect(index.phoneTerms('13800000001')).toEqual([
      { kind: 'exact', token: '512S6lImUh1Sx4QKHV3HDw' },
      { kind: 'prefix3', token: 'hj8Xu7EzAGfosTn_D_gKYw' },
      { kind: 'prefix7', token: 'JtWmJCgzyCTbm3HyYvO5BQ' },
    ]);
    expect(index.idNumberTerm('110105194912310 02x')).toEqual({
      kind: 'exact',
      token: 'llDFSBmq3anOvfHy37F3OQ',
    });
  });

  it('finds the same terms for the same number however it was typed', () => {
    const stored = index.phoneTerms('13800000001');
    for (const typed of ['138 0000 0001', '138-0000-0001', '+86 138 0000 0001', '008613800000001']) {
      expect(index.phoneTerms(typed)).toEqual(stored);
    }
    expect(index.phoneSearch('138')).toEqual({ kind: 'prefix3', tokens: [stored[1]!.token] });
    expect(index.phoneSearch('138 0000')).toEqual({ kind: 'prefix7', tokens: [stored[2]!.token] });
    expect(index.phoneSearch('138-0000-0001')).toEqual({ kind: 'exact', tokens: [stored[0]!.token] });
  });

  it('gives different tokens for different numbers, prefixes and fields', () => {
    const a = index.phoneTerms('13800000001').map((t) => t.token);
    const b = index.phoneTerms('13900000001').map((t) => t.token);
    expect(new Set([...a, ...b]).size).toBe(6);
    expect(index.phoneTerms('13912345678')[2]!.token).not.toBe(index.phoneTerms('13912340000')[0]!.token);
  });

  it('does not index a prefix as long as the number itself', () => {
    expect(index.phoneTerms('1380000').map((t) => t.kind)).toEqual(['exact', 'prefix3']);
  });

  it('searches under every held key, so rows not yet re-indexed after a rotation are found', () => {
    const rotated = createBlindIndex(
      createKeyring([
        { id: 'k1', key: KEY },
        { id: 'k2', key: new Uint8Array(32).fill(9) },
      ]),
    );
    const search = rotated.phoneSearch('13800000001');
    expect(search.tokens).toHaveLength(2);
    expect(search.tokens).toContain('512S6lImUh1Sx4QKHV3HDw');
    expect(search.tokens).toContain(rotated.phoneTerms('13800000001')[0]!.token);
    expect(rotated.keyId).toBe('k2');
  });

  it('indexes a name by its first characters and by each one- and two-character piece (known vectors)', () => {
    expect(index.nameTerms('欧阳娜娜')).toEqual([
      { kind: 'prefix', token: '5dIdmxV_B8pDvPYbmG1HBQ' },
      { kind: 'prefix', token: 'Yjv3CRqFA018oz80aO-Y0Q' },
      { kind: 'prefix', token: 'MhafsuteT6FPRn6r90luzQ' },
      { kind: 'prefix', token: 'cIZjI80GIEt5OSbp_ZbFWQ' },
      { kind: 'gram', token: 'Ui78Qb9XJOsQwlpWGP5AAw' },
      { kind: 'gram', token: 'nyQGdXTVRCOh-sTsVouZ-g' },
      { kind: 'gram', token: 'saZe57-utzywxJKmF-2Fxg' },
      { kind: 'gram', token: '3V2oBWLz4f6nQ6CpoVlaEg' },
      { kind: 'gram', token: 'k4koZn1VVMdkww6P-sPKCA' },
      { kind: 'gram', token: '3JzQhfg2VyZ8zxDJkp3mIw' },
    ]);
    // The surname finds it by prefix, the given name by a piece.
    expect(index.namePrefixSearch('欧阳')).toEqual({ kind: 'prefix', tokens: ['Yjv3CRqFA018oz80aO-Y0Q'] });
    expect(index.nameGramSearch('娜娜')).toEqual({ kind: 'gram', tokens: ['3JzQhfg2VyZ8zxDJkp3mIw'] });
  });

  it('folds width, case and spaces of a name, and indexes at most NAME_PREFIX_MAX characters of prefix', () => {
    expect(index.nameTerms('ＷＡＮＧ  Li')).toEqual(index.nameTerms('wang li'));
    expect(index.namePrefixSearch(' Wang ')).toEqual(index.namePrefixSearch('wang'));
    const prefixes = index.nameTerms('Alexander Hamilton').filter((term) => term.kind === 'prefix');
    expect(prefixes).toHaveLength(NAME_PREFIX_MAX);
    // A longer typed prefix is looked up by its first NAME_PREFIX_MAX characters (and confirmed by the registry).
    expect(index.namePrefixSearch('Alexander H').tokens).toEqual([prefixes.at(-1)!.token]);
    // A name's pieces and its prefixes are different terms, and neither meets a phone's.
    const tokens = [...index.nameTerms('王'), ...index.phoneTerms('13800000001')].map((term) => term.token);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('refuses prefixes it does not index and values that are not phone numbers', () => {
    expect(codeOf(() => index.phoneSearch('1380'))).toBe('FIELD_QUERY_UNSUPPORTED');
    expect(codeOf(() => index.phoneSearch("138' OR 1=1 --"))).toBe('FIELD_QUERY_UNSUPPORTED');
    expect(codeOf(() => index.phoneTerms('call me'))).toBe('FIELD_VALUE_INVALID');
    expect(codeOf(() => normalizePhone('12'))).toBe('FIELD_VALUE_INVALID');
    expect(codeOf(() => index.idNumberTerm('11-01'))).toBe('FIELD_VALUE_INVALID');
  });
});
