import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactLine, redactText } from '../../../hardware/diagnostics/index';

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const hex = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'0123456789ABCDEFabcdef'), { minLength: min, maxLength: max })
    .map((a) => a.join(''));

const pan = digits(13, 19);
const phone = fc
  .tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9, 9), fc.constantFrom('', '+86 ', '86-'))
  .map(([head, tail, country]) => `${country}${head}${tail}`);
const idNumber = fc.tuple(digits(17, 17), fc.constantFrom('0', '7', 'X', 'x')).map(([a, b]) => `${a}${b}`);
const uid = hex(9, 20);
const track1 = fc
  .tuple(pan, fc.stringMatching(/^[A-Z]{2,10}\/[A-Z]{2,10}$/), digits(4, 20))
  .map(([p, name, rest]) => `%B${p}^${name}^${rest}?`);
const track2 = fc.tuple(pan, digits(4, 20)).map(([p, rest]) => `;${p}=${rest}?`);

/** Text around a secret, anything at all, kept apart from it by the separators real logs use. */
const context = fc.string({ unit: 'grapheme', maxLength: 30 });
const separator = fc.constantFrom(' ', ': ', '=', ', ', '"', '(', ')', '\t', ' | ');

const planted = (secret: fc.Arbitrary<string>) =>
  fc.tuple(context, separator, secret, separator, context).map(([a, s1, x, s2, b]) => ({
    secret: x,
    line: `${a}${s1}${x}${s2}${b}`,
  }));

/** The digits that identify the holder must be gone; a masked tag may stand where they were. */
const core = (secret: string) => secret.replace(/^(\+?86[- ]?)/, '');

describe('redaction, for any text around the secret', () => {
  it.each([
    ['card numbers', pan],
    ['mobile numbers', phone],
    ['ID numbers', idNumber],
    ['hex UIDs', uid],
    ['track 1 data', track1],
    ['track 2 data', track2],
  ])('never lets %s through', (_, secret) => {
    fc.assert(
      fc.property(planted(secret), ({ secret: value, line }) => {
        const out = redactText(line);
        expect(out.toLowerCase()).not.toContain(core(value).toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('never lets them through inside JSON log lines either, which stay valid JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(pan, phone, idNumber, uid, track1, track2),
        context,
        fc.constantFrom('msg', 'detail', 'note'),
        (secret, text, key) => {
          const line = JSON.stringify({ level: 30, time: 1_795_333_322_705, [key]: `${text} ${secret} ` });
          const out = redactLine(line);
          expect(() => JSON.parse(out)).not.toThrow();
          expect(out.toLowerCase()).not.toContain(core(secret).toLowerCase());
          expect(JSON.parse(out).time).toBe(1_795_333_322_705);
        },
      ),
      { numRuns: 300 },
    );
  });
});
