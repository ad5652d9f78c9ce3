import { describe, expect, it } from 'vitest';
import { MASK, redactLine, redactText } from '../../../hardware/diagnostics/index';

describe('log redaction', () => {
  it.each([
    ['track 1', 'swipe %B6222021234567890^ZHANG/SAN^2512101000000?', 'swipe [TRACK]'],
    ['track 2', 'raw ;6222021234567890=25121010000000000?', 'raw [TRACK]'],
    ['track 2 without end sentinel', 'partial ;6222021234567890=2512', 'partial [TRACK]'],
    ['a mobile number', '会员 13812345678 充值', `会员 ${MASK.phone} 充值`],
    ['a mobile number with +86 and spaces', 'tel +86 138 1234 5678.', `tel ${MASK.phone}.`],
    ['an 18-digit ID number ending in X', 'id=11010519491231002X,', `id=${MASK.id},`],
    ['an 18-digit ID number', '身份证 110105194912310021', `身份证 ${MASK.id}`],
    ['a 16-digit card number', 'card 6222021234567890 ok', `card ${MASK.card} ok`],
    ['a 19-digit card number', 'pan 6222021234567890123', `pan ${MASK.card}`],
    ['a 13-digit card number', 'no 8800000000001', `no ${MASK.card}`],
    ['a grouped card number', 'card 6222 0212 3456 7890 end', `card ${MASK.card} end`],
    ['a 7-byte UID', 'uid 04A22B1C5E8080 seen', `uid ${MASK.hex} seen`],
    ['a UID with colons', 'uid 04:a2:2b:1c:5e:80:80', `uid ${MASK.hex}`],
    ['a hex APDU dump', 'rx 0x9000ABCDEF12', `rx ${MASK.hex}`],
    ['a card number glued to a field name', 'cardNo6222021234567890;', `cardNo${MASK.card};`],
    ['an ID number after a colon', 'id:11010519491231002X', `id:${MASK.id}`],
    ['a UID whose digits look like a card number', 'uid 0400000000000000A1', `uid ${MASK.hex}`],
    ['an ATR', 'atr 3B8F8001804F0CA0000003060300010000000069', `atr ${MASK.hex}`],
    ['a decimal UID', 'em 0012345678 read', `em ${MASK.hex} read`],
  ])('masks %s', (_, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['a 4-byte UID', 'uid 04A22B1C'],
    ['amounts in fen', 'top-up 10000 bonus 2000'],
    ['a short number', 'reader 00 01'],
    ['an operation id', 'op 0190c3e4-1234-7abc-8def-0123456789ab applied'],
    ['a status word', 'sw 9000 6300'],
    ['plain words', 'printer online, paper ok'],
  ])('leaves %s alone', (_, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('keeps JSON log lines valid, with their time and pid, and masks values inside them', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1795333322705,
      pid: 4242,
      msg: 'card 6222021234567890 by 13812345678',
      card: { uid: '04A22B1C5E8080', number: 8800000000000001 },
      phone: '139-0000-1111',
      amount: 10000,
    });
    const out = JSON.parse(redactLine(line));
    expect(out).toEqual({
      level: 30,
      time: 1795333322705,
      pid: 4242,
      msg: `card ${MASK.card} by ${MASK.phone}`,
      card: { uid: MASK.redacted, number: MASK.card },
      phone: MASK.redacted,
      amount: 10000,
    });
  });

  it('treats a line that only looks like JSON as text', () => {
    expect(redactLine('{ not json 13812345678 }')).toBe(`{ not json ${MASK.phone} }`);
  });
});
