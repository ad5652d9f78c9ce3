import { describe, expect, it } from 'vitest';
import { PROFILES, pair, textColumns, wrap } from '../../../hardware/index';
import { center } from '../../../hardware/printer/escpos/layout';
import { encodeText, unknownTextMode } from '../../../hardware/printer/escpos/text';

const p58 = PROFILES['pos58-203'];
const hex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

function encode(text: string): string {
  const out: number[] = [];
  encodeText(text, p58, unknownTextMode(), out);
  return hex(out);
}

describe('text encoding for Chinese-firmware printers', () => {
  it('sends ASCII as is, without any mode switch', () => {
    expect(encode('Total 12.50')).toBe('54 6F 74 61 6C 20 31 32 2E 35 30');
  });

  it('enters Chinese mode (FS &) once before GB18030 bytes, and keeps ASCII inside the run', () => {
    expect(encode('会员 VIP')).toBe('1C 26 BB E1 D4 B1 20 56 49 50');
  });

  it('prints the fullwidth yen sign as A3 A4 in Chinese mode', () => {
    expect(encode('￥1.00')).toBe('1C 26 A3 A4 31 2E 30 30');
  });

  it('leaves Chinese mode (FS .) and selects the code table before single-byte Latin above 0x7F', () => {
    // é is 0x82 in PC437 (ESC t 0).
    expect(encode('Café')).toBe('43 61 66 1C 2E 1B 74 00 82');
  });

  it('switches back and forth only when the bytes need it', () => {
    expect(encode('中é中é')).toBe('1C 26 D6 D0 1C 2E 1B 74 00 82 1C 26 D6 D0 1C 2E 82');
  });

  it('takes the first table of the profile that has the character (€ in WPC1252, Ж in PC866)', () => {
    expect(encode('€')).toBe('1C 2E 1B 74 10 80');
    expect(encode('Ж')).toBe('1C 2E 1B 74 11 86');
  });

  it('sends four-byte GB18030 codes for characters outside GBK', () => {
    expect(encode('𠀀')).toBe('1C 26 95 32 82 36');
  });

  it('replaces control characters and private-use code points with ?', () => {
    expect(encode('a\u0007b\ue000')).toBe('61 3F 62 3F');
  });
});

describe('column counting', () => {
  it('counts Hanzi and fullwidth forms as two columns and Latin as one', () => {
    expect(textColumns('abc', p58)).toBe(3);
    expect(textColumns('会员卡', p58)).toBe(6);
    expect(textColumns('￥12.00', p58)).toBe(7);
    expect(textColumns('Crème', p58)).toBe(5);
    expect(textColumns('，', p58)).toBe(2);
  });
});

describe('layout at 32, 42 and 48 columns', () => {
  const widths = [
    ['pos58-203', 32],
    ['pos80-180', 42],
    ['pos80-203', 48],
  ] as const;

  it.each(widths)('%s is %i columns wide in Font A', (id, columns) => {
    expect(PROFILES[id].columnsFontA).toBe(columns);
  });

  it.each(widths)('puts "label … amount" exactly on the right edge at %s (%i columns)', (id, columns) => {
    const profile = PROFILES[id];
    const [line] = pair('充值金额 Top-up', '￥1,234.50', columns, profile);
    expect(textColumns(line!, profile)).toBe(columns);
    expect(line!.startsWith('充值金额 Top-up ')).toBe(true);
    expect(line!.endsWith(' ￥1,234.50')).toBe(true);
  });

  it.each(widths)('wraps mixed text without exceeding %s width and keeps every character', (id, columns) => {
    const profile = PROFILES[id];
    const text =
      '本店储值卡 Member card 仅限本人使用，Crème brûlée 与 latte 均可用储值支付，余额不可提现 thank you';
    const lines = wrap(text, columns, profile);
    for (const line of lines) expect(textColumns(line, profile)).toBeLessThanOrEqual(columns);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  });

  it('never splits a Latin word that fits on a line', () => {
    const lines = wrap('会员会员会员会员会员会员会员 Membership card', 32, p58);
    expect(lines).toEqual(['会员会员会员会员会员会员会员', 'Membership card']);
  });

  it('breaks CJK between characters, never inside one', () => {
    expect(wrap('一二三四五六七八九十', 7, p58)).toEqual(['一二三', '四五六', '七八九', '十']);
  });

  it('moves the amount to its own right-aligned line when label and amount do not fit', () => {
    const lines = pair('拿铁咖啡 Latte 大杯 加浓缩 燕麦奶', '￥1,234.50', 32, p58);
    expect(lines.at(-1)).toBe(`${' '.repeat(22)}￥1,234.50`);
    for (const line of lines) expect(textColumns(line, p58)).toBeLessThanOrEqual(32);
  });

  it('centres by columns, not by characters', () => {
    expect(center('会员', 10, p58)).toBe('   会员   ');
  });
});
