import { describe, expect, it } from 'vitest';
import { LEDGER_ERROR_CODES } from '../../../db';
import {
  errorKey,
  MESSAGES,
  translate,
  triesInWords,
  waitInWords,
} from '../../../renderer/src/i18n/messages';

describe('the counter words', () => {
  it('has every message in both languages', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES['zh-CN']).sort());
    for (const text of Object.values(MESSAGES.en)) expect(text.trim()).not.toBe('');
  });

  it('says what is there when the balance is short', () => {
    expect(translate('zh-CN', 'error.BALANCE_INSUFFICIENT', { available: '¥12.00' })).toContain('¥12.00');
    expect(translate('en', 'error.BALANCE_INSUFFICIENT', { available: '¥12.00' })).toContain('¥12.00');
  });

  it('has its own words for the refusals a cashier meets at the counter', () => {
    for (const code of ['BALANCE_INSUFFICIENT', 'CARD_FROZEN', 'CARD_LOST', 'CARD_UNKNOWN', 'STAFF_LOCKED']) {
      expect(LEDGER_ERROR_CODES).toContain(code);
      expect(errorKey(code)).toBe(`error.${code}`);
    }
  });

  it('falls back to a generic sentence that names the code', () => {
    expect(errorKey('SOMETHING_NEW')).toBe('error.generic');
    expect(translate('en', 'error.generic', { code: 'SOMETHING_NEW' })).toContain('SOMETHING_NEW');
  });

  it('says how many tries remain and how long to wait in words, in both languages', () => {
    expect(translate('zh-CN', 'error.APPROVER_PIN_WRONG', { tries: triesInWords('zh-CN', 2) })).toContain(
      '两次',
    );
    expect(translate('en', 'error.APPROVER_PIN_WRONG', { tries: triesInWords('en', 1) })).toContain(
      'one try left',
    );
    expect(translate('en', 'error.APPROVER_PAUSED', { wait: waitInWords('en', 30) })).toContain('30 seconds');
    expect(waitInWords('zh-CN', 900)).toBe('15 分钟');
    for (const code of [
      'APPROVER_PIN_WRONG',
      'APPROVER_PAUSED',
      'UNLOCK_NEEDS_ADMIN',
      'RECOVERY_CODE_WRONG',
      'RECOVERY_PAUSED',
      'RECOVERY_NOT_SET',
      'RECOVERY_NOT_ADMIN',
      'SWIPE_INCOMPLETE',
    ]) {
      expect(errorKey(code)).toBe(`error.${code}`);
    }
  });
});
