import { describe, expect, it } from 'vitest';
import {
  checkBirthday,
  maskIdNumber,
  maskPhone,
  normalizeMobile,
  normalizeName,
  parseResidentId,
  residentIdCheckCharacter,
} from '../../../db/members/index';

const TODAY = Date.UTC(2026, 2, 2);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded: ${String(error)}`;
  }
  throw new Error('expected a refusal');
}

describe('mobile numbers', () => {
  it('accepts 11 digits starting 13 to 19 and strips spaces, dashes and the country code', () => {
    expect(normalizeMobile('13812345678')).toBe('13812345678');
    expect(normalizeMobile('138 1234 5678')).toBe('13812345678');
    expect(normalizeMobile('+86 199-1234-5678')).toBe('19912345678');
    expect(normalizeMobile('008615012345678')).toBe('15012345678');
  });

  it('refuses other lengths, a second digit below 3, letters and non-text', () => {
    for (const bad of ['1381234567', '138123456789', '12812345678', '23812345678', '1381234567a', '']) {
      expect(codeOf(() => normalizeMobile(bad))).toBe('PHONE_INVALID');
    }
    expect(codeOf(() => normalizeMobile(13812345678))).toBe('PHONE_INVALID');
  });
});

describe('resident ID numbers (GB 11643)', () => {
  it('computes the check character from the weighted sum of the first 17 digits', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });

  it('accepts a number whose check character matches, upper-casing x, and reads the birth date', () => {
    expect(parseResidentId('11010519491231002x', TODAY)).toEqual({
      number: '11010519491231002X',
      birthday: '1949-12-31',
    });
  });

  it('refuses a wrong check digit, a wrong length, and a birth date that cannot be', () => {
    expect(codeOf(() => parseResidentId('110105194912310021', TODAY))).toBe('ID_NUMBER_INVALID');
    expect(codeOf(() => parseResidentId('1101051949123100', TODAY))).toBe('ID_NUMBER_INVALID');
    // 1990-02-30 does not exist; the check character is right for those digits.
    const feb30 = `11010519900230123`;
    expect(codeOf(() => parseResidentId(feb30 + residentIdCheckCharacter(feb30), TODAY))).toBe(
      'ID_NUMBER_INVALID',
    );
    // Born in 2030: after today.
    const future = `11010520300101123`;
    expect(codeOf(() => parseResidentId(future + residentIdCheckCharacter(future), TODAY))).toBe(
      'ID_NUMBER_INVALID',
    );
    // Born in 1850: before 1900.
    const old = `11010518500101123`;
    expect(codeOf(() => parseResidentId(old + residentIdCheckCharacter(old), TODAY))).toBe(
      'ID_NUMBER_INVALID',
    );
  });
});

describe('birthdays', () => {
  it('are real calendar dates written YYYY-MM-DD, not in the future', () => {
    expect(checkBirthday('2000-02-29', TODAY)).toBe('2000-02-29');
    expect(codeOf(() => checkBirthday('1999-02-29', TODAY))).toBe('BIRTHDAY_INVALID');
    expect(codeOf(() => checkBirthday('2026/01/01', TODAY))).toBe('BIRTHDAY_INVALID');
    expect(codeOf(() => checkBirthday('2027-01-01', TODAY))).toBe('BIRTHDAY_INVALID');
  });
});

describe('names', () => {
  it('are NFKC-normalised with spaces collapsed, 1 to 50 characters', () => {
    expect(normalizeName('  陈　静 ')).toBe('陈 静');
    expect(normalizeName('ＡＢＣ')).toBe('ABC');
    expect(codeOf(() => normalizeName('   '))).toBe('NAME_INVALID');
    expect(codeOf(() => normalizeName('长'.repeat(51)))).toBe('NAME_INVALID');
  });
});

describe('masking', () => {
  it('shows a phone as its first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });

  it('shows an ID number as its first three and last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
  });
});
