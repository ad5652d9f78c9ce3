/**
 * The activation screen's own checks agree with the member registry's: a resident ID number's check character
 * and birth date, mainland mobile numbers, and which member passwords are too easy to guess.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMemberError, parseResidentId, residentIdCheckCharacter } from '../../../db';
import { MEMBER_ERROR_CODES } from '../../../db/members/errors';
import { errorKey } from '../../../renderer/src/i18n/messages';
import { checkResidentId, isAcceptablePassword, isMobile } from '../../../renderer/src/members/identity';

const today = Date.UTC(2026, 11, 2);

describe('the activation screen checks', () => {
  it('accepts exactly the ID numbers the member registry accepts', () => {
    const first17 = fc
      .tuple(
        fc.integer({ min: 110000, max: 659999 }),
        fc.date({ min: new Date('1890-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([area, born, order]) => {
        const day = born.toISOString().slice(0, 10).replaceAll('-', '');
        return `${area}${day}${String(order).padStart(3, '0')}`;
      });
    const last = fc.constantFrom(...'0123456789X');
    fc.assert(
      fc.property(first17, last, fc.boolean(), (digits, guess, useRight) => {
        const number = `${digits}${useRight ? residentIdCheckCharacter(digits) : guess}`;
        let registryAccepts = true;
        try {
          parseResidentId(number, today);
        } catch (error) {
          expect(isMemberError(error, 'ID_NUMBER_INVALID')).toBe(true);
          registryAccepts = false;
        }
        expect(checkResidentId(number, today) === 'ok').toBe(registryAccepts);
      }),
      { numRuns: 500 },
    );
  });

  it('says which part of an ID number is wrong', () => {
    expect(checkResidentId('')).toBe('empty');
    expect(checkResidentId('11010519491231002X', today)).toBe('ok');
    expect(checkResidentId('11010519491231002x', today)).toBe('ok');
    expect(checkResidentId('110105194912310021', today)).toBe('checkDigit');
    expect(checkResidentId('1101051949123100', today)).toBe('format');
    const feb30 = '11010519490230002';
    expect(checkResidentId(`${feb30}${residentIdCheckCharacter(feb30)}`, today)).toBe('birthDate');
  });

  it('takes mainland mobile numbers as typed', () => {
    expect(isMobile('139 1234 5678')).toBe(true);
    expect(isMobile('+86 139-1234-5678')).toBe(true);
    expect(isMobile('12912345678')).toBe(false);
    expect(isMobile('1391234567')).toBe(false);
  });

  it('refuses member passwords that are one digit repeated or a straight run', () => {
    for (const weak of ['000000', '777777', '123456', '345678', '987654', '12345', 'abcdef'])
      expect(isAcceptablePassword(weak)).toBe(false);
    for (const fine of ['246813', '975312', '135790', '102938'])
      expect(isAcceptablePassword(fine)).toBe(true);
  });

  it('has words for the member registry refusals a cashier meets on the member screens', () => {
    const met = [
      'NAME_INVALID',
      'PHONE_INVALID',
      'PHONE_TAKEN',
      'ID_NUMBER_INVALID',
      'ID_NUMBER_TAKEN',
      'BIRTHDAY_MISMATCH',
      'CONSENT_REQUIRED',
      'MEMBER_DELETED',
      'MEMBER_HAS_BALANCE',
      'CARD_HAS_POINTS',
      'PASSWORD_INVALID',
      'PASSWORD_WRONG',
      'PASSWORD_LOCKED',
      'APPROVAL_REQUIRED',
    ] as const;
    for (const code of met) {
      expect(MEMBER_ERROR_CODES).toContain(code);
      expect(errorKey(code), code).toBe(`error.${code}`);
    }
  });
});
