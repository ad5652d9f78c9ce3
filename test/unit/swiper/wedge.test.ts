import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretTrackText } from '../../../hardware/swiper/interpret';
import { luhnValid } from '../../../hardware/swiper/payment';
import { dataAlphabet, formatTrack } from '../../../hardware/swiper/tracks';
import {
  attachWedge,
  looksLikePaymentCard,
  WedgeDetector,
  type WedgeKey,
} from '../../../renderer/src/wedge/index';

/** US-layout physical key for a character, as a browser reports it. */
function keyFor(char: string, timeStamp: number): WedgeKey {
  if (char === '\n') return { key: 'Enter', code: 'Enter', timeStamp, shiftKey: false };
  const shifted: Record<string, [string, string]> = {
    '%': ['Digit5', '5'],
    '^': ['Digit6', '6'],
    '?': ['Slash', '/'],
    ':': ['Semicolon', ';'],
    '+': ['Equal', '='],
    '&': ['Digit7', '7'],
    '#': ['Digit3', '3'],
    '!': ['Digit1', '1'],
    '"': ['Quote', "'"],
    $: ['Digit4', '4'],
    "'": ['Quote', "'"],
    '(': ['Digit9', '9'],
    ')': ['Digit0', '0'],
    '*': ['Digit8', '8'],
    '<': ['Comma', ','],
    '>': ['Period', '.'],
    '@': ['Digit2', '2'],
    _: ['Minus', '-'],
  };
  const plain: Record<string, string> = {
    ';': 'Semicolon',
    '=': 'Equal',
    '/': 'Slash',
    '-': 'Minus',
    ',': 'Comma',
    '.': 'Period',
    ' ': 'Space',
    '[': 'BracketLeft',
    ']': 'BracketRight',
    '\\': 'Backslash',
    "'": 'Quote',
  };
  if (shifted[char] && char !== "'") return { key: char, code: shifted[char][0], timeStamp, shiftKey: true };
  if (plain[char]) return { key: char, code: plain[char], timeStamp, shiftKey: false };
  if (/[0-9]/.test(char)) return { key: char, code: `Digit${char}`, timeStamp, shiftKey: false };
  if (/[A-Z]/.test(char)) return { key: char, code: `Key${char}`, timeStamp, shiftKey: true };
  if (/[a-z]/.test(char)) return { key: char, code: `Key${char.toUpperCase()}`, timeStamp, shiftKey: false };
  throw new Error(`no key for ${char}`);
}

/**
 * Plays keys through a detector the way attachWedge drives it (a timer polls at each deadline), and
 * returns what the focused field ends up holding and the swipes handed over.
 */
function play(keys: readonly WedgeKey[], detector = new WedgeDetector()) {
  let field = '';
  const swipes: string[] = [];
  const refused: string[] = [];
  let swallowed = 0;
  let entersReachingPage = 0;
  const apply = (decision: ReturnType<WedgeDetector['handle']>, key?: WedgeKey) => {
    for (const released of decision.release) {
      if (released.key.length === 1) field += released.key;
      if (released.key === 'Enter') entersReachingPage += 1;
    }
    if (key && !decision.swallow && key.key === 'Enter') entersReachingPage += 1;
    if (decision.swipe !== undefined) swipes.push(decision.swipe);
    if (decision.refused !== undefined) refused.push(decision.refused);
    if (key && !decision.swallow && key.key.length === 1) field += key.key;
    if (key && decision.swallow) swallowed += 1;
  };
  for (const key of keys) {
    const deadline = detector.deadline;
    if (deadline !== undefined && deadline <= key.timeStamp) apply(detector.poll(deadline));
    apply(detector.handle(key), key);
  }
  apply(detector.poll(Number.POSITIVE_INFINITY));
  return {
    field,
    swipes,
    swallowed,
    pending: detector.pending,
    ...(refused.length > 0 ? { refused } : {}),
    ...(entersReachingPage > 0 ? { entersReachingPage } : {}),
  };
}

function typed(text: string, gaps: (index: number) => number, start = 1000): WedgeKey[] {
  const keys: WedgeKey[] = [];
  let time = start;
  for (let index = 0; index < text.length; index += 1) {
    keys.push(keyFor(text[index]!, time));
    time += gaps(index);
  }
  return keys;
}

const swipeText = '%M6200123456^ZHANG/SAN^?\n;6200123456=991?\n';

describe('keyboard-wedge swipe detection', () => {
  it('recognises a swipe burst, swallows every key of it and hands over the tracks', () => {
    const result = play(typed(swipeText, () => 2));
    expect(result).toEqual({
      field: '',
      swipes: ['%M6200123456^ZHANG/SAN^?\n;6200123456=991?'],
      swallowed: swipeText.length,
      pending: false,
    });
  });

  it('ignores the Shift key events a swiper sends around shifted characters', () => {
    const keys: WedgeKey[] = [];
    let time = 0;
    for (const char of ';6200123456=991?\n') {
      const key = keyFor(char, time);
      if (key.shiftKey) keys.push({ key: 'Shift', code: 'ShiftLeft', timeStamp: time - 1, shiftKey: true });
      keys.push(key);
      time += 3;
    }
    expect(play(keys).swipes).toEqual([';6200123456=991?']);
  });

  it('completes the swipe as soon as a key that cannot continue it arrives, and lets that key through', () => {
    const keys = [...typed(';6200123456=991?\n', () => 2), keyFor('x', 1000 + 17 * 2 + 5)];
    expect(play(keys)).toMatchObject({ field: 'x', swipes: [';6200123456=991?'] });
  });

  it('reads characters from the physical keys, so a French layout cannot garble the track', () => {
    // A non-US OS layout turns the swiper's ";" key into "m" and its "?" into "!"; the physical codes stay.
    const keys = typed(';6200123456?\n', () => 2).map((key) =>
      key.code === 'Semicolon' ? { ...key, key: 'm' } : key.code === 'Slash' ? { ...key, key: '!' } : key,
    );
    expect(play(keys).swipes).toEqual([';6200123456?']);
  });

  it('falls back to the typed character when no Shift state is given', () => {
    const keys = typed(';6200123456?\n', () => 2).map(({ shiftKey: _shift, ...key }) => key);
    expect(play(keys).swipes).toEqual([';6200123456?']);
  });

  it('never takes human typing (gaps of 30 ms or more) for a swipe, and gives every key back in order', () => {
    for (const gap of [30, 40, 50, 120]) {
      expect(play(typed(swipeText, () => gap))).toMatchObject({
        field: swipeText.replace(/\n/g, ''),
        swipes: [],
      });
    }
  });

  it('never holds keys that do not start with a start sentinel, however fast', () => {
    expect(play(typed('6200123456=991?\n', () => 1))).toMatchObject({
      field: '6200123456=991?',
      swipes: [],
      swallowed: 0,
    });
  });

  it('drops a burst broken by a key no swiper types, lets that key act, and says so', () => {
    const keys = [...typed(';62001', () => 2), { key: 'Backspace', code: 'Backspace', timeStamp: 1011 }];
    const detector = new WedgeDetector();
    for (const key of keys.slice(0, -1)) expect(detector.handle(key).swallow).toBe(true);
    const decision = detector.handle(keys.at(-1)!);
    expect(decision.swallow).toBe(false);
    expect(decision.release).toEqual([]);
    expect(decision.refused).toBe('SWIPE_INCOMPLETE');
  });

  it('drops a burst that ends without an end sentinel, and never lets its Enter through', () => {
    const keys = typed(';62001234\n', () => 2);
    const detector = new WedgeDetector();
    const decisions = keys.map((key) => detector.handle(key));
    expect(decisions.every((decision) => decision.swallow)).toBe(true);
    expect(decisions.at(-1)).toMatchObject({ release: [], refused: 'SWIPE_INCOMPLETE' });
    expect(play(typed(';6200123456', () => 2))).toMatchObject({
      field: '',
      swipes: [],
      refused: ['SWIPE_INCOMPLETE'],
    });
  });

  it('never holds "+" (a counter key) unless configured to, yet accepts it as a later track\'s sentinel', () => {
    expect(play(typed('+1234=5?\n', () => 2))).toMatchObject({ field: '+1234=5?', swipes: [], swallowed: 0 });
    expect(
      play(
        typed('+1234=5?\n', () => 2),
        new WedgeDetector({ startSentinels: '%;+' }),
      ).swipes,
    ).toEqual(['+1234=5?']);
    expect(play(typed(';6200123456?\n+1234=5?\n', () => 2)).swipes).toEqual([';6200123456?\n+1234=5?']);
  });

  it('gives back a sentinel pressed together with a lower-case key (two keys rolled by a hand)', () => {
    expect(play(typed(';a', () => 8))).toMatchObject({ field: ';a', swipes: [] });
  });

  it('drops a too-short burst of track characters rather than typing it', () => {
    expect(play(typed(';1?\n', () => 2))).toMatchObject({
      field: '',
      swipes: [],
      refused: ['SWIPE_INCOMPLETE'],
    });
  });

  it('(property) human typing at any pace of 30 ms or more reaches the field unchanged', () => {
    const chars = fc.constantFrom(...'%;+?^=/abcXYZ0123456789 .,-'.split(''));
    fc.assert(
      fc.property(
        fc.array(chars, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 30, max: 400 }), { minLength: 40, maxLength: 40 }),
        (text, gaps) => {
          const result = play(typed(text.join(''), (index) => gaps[index]!));
          expect(result.swipes).toEqual([]);
          expect(result.field).toBe(text.join(''));
        },
      ),
    );
  });

  it('(property) any swipe burst with gaps under 30 ms is recognised whole', () => {
    const track = (number: 1 | 2) =>
      fc
        .string({ unit: fc.constantFrom(...dataAlphabet(number)), minLength: 4, maxLength: 30 })
        .map((data) => formatTrack(number, data));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(track(1), track(2)), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 29 }),
        (tracks, gap) => {
          const text = `${tracks.join('\n')}\n`;
          const expected = looksLikePaymentCard(text)
            ? { field: '', swipes: [], refused: ['CARD_IS_PAYMENT_CARD'] }
            : { field: '', swipes: [tracks.join('\n')] };
          expect(play(typed(text, () => gap))).toMatchObject(expected);
        },
      ),
    );
  });
});

describe('bank cards at the wedge', () => {
  const pan = '4111111111111111';

  it('swallows a bank card swipe and hands over only the refusal, never its tracks', () => {
    const text = `%B${pan}^DOE/JOHN^2512101000?\n;${pan}=2512101000?\n`;
    const result = play(typed(text, () => 2));
    expect(result).toEqual({
      field: '',
      swipes: [],
      swallowed: text.length,
      pending: false,
      refused: ['CARD_IS_PAYMENT_CARD'],
    });
    expect(JSON.stringify(result)).not.toContain(pan);
  });

  /**
   * A bank card's track typed at a swiper's pace with one pause somewhere in it, long enough to break the
   * burst (a busy page, a slow hand): wherever it falls, no digit of the card reaches the field, no Enter
   * reaches the page, nothing is handed over as a swipe, and the cashier is told.
   */
  for (const [name, text] of [
    ['track 2', `;${pan}=25121010000000000?\n`],
    ['track 2 without its end sentinel', `;${pan}=25121010000000000\n`],
    ['tracks 1 and 2', `%B${pan}^DOE/JOHN^2512101000?\n;${pan}=2512101000?\n`],
  ] as const) {
    it(`drops ${name} broken by a pause at any position, and says so`, () => {
      for (const pause of [31, 80, 400, 900]) {
        for (let position = 1; position < text.length; position += 1) {
          const keys = typed(text, (index) => (index === position - 1 ? pause : 3));
          const result = play(keys);
          const context = `pause ${pause} ms before character ${position}`;
          expect(result.swipes, context).toEqual([]);
          expect(result.field.replace(/^[;%]/, ''), context).toBe('');
          expect(result.refused?.length ?? 0, context).toBeGreaterThan(0);
          expect(result.pending, context).toBe(false);
          expect(result.entersReachingPage, context).toBeUndefined();
        }
      }
    });
  }

  it('drops a bank track broken by a pause twice, and tells the cashier it was a bank card', () => {
    const text = `;${pan}=2512101000?\n`;
    const keys = typed(text, (index) => (index === 4 || index === 12 ? 200 : 3));
    const result = play(keys);
    expect(result).toMatchObject({ field: '', swipes: [] });
    expect(result.refused).toContain('CARD_IS_PAYMENT_CARD');
  });

  it('agrees with the host driver on what is a bank card (property)', () => {
    const digits = (min: number, max: number) =>
      fc
        .array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max })
        .map((list) => list.join(''));
    /** Makes the last digit the Luhn check digit. */
    const withCheckDigit = (body: string) => {
      for (let digit = 0; digit <= 9; digit += 1) {
        const candidate = body + digit;
        if (luhnValid(candidate)) return candidate;
      }
      return `${body}0`;
    };
    const number = fc.oneof(digits(6, 19), digits(11, 18).map(withCheckDigit));
    const track2 = fc
      .tuple(
        number,
        fc.oneof(
          fc.constant(''),
          digits(1, 12).map((tail) => `=${tail}`),
          digits(3, 8).map((tail) => `==${tail}`),
        ),
      )
      .map(([value, tail]) => `;${value}${tail}?`);
    const track1 = fc
      .tuple(
        fc.constantFrom('B', 'M', 'A'),
        number,
        fc.oneof(fc.constant('^DOE/J^'), fc.constant('^DOE/J^2512101')),
      )
      .map(([format, value, tail]) => `%${format}${value}${tail}?`);
    let bankCards = 0;
    fc.assert(
      fc.property(fc.option(track1, { nil: undefined }), track2, (t1, t2) => {
        const text = [t1, t2].filter((track) => track !== undefined).join('\n');
        const host = interpretTrackText(text, { rule: { track: 2, field: 0 } });
        const hostRefuses = host.kind === 'refused' && host.code === 'CARD_IS_PAYMENT_CARD';
        expect(looksLikePaymentCard(text)).toBe(hostRefuses);
        if (hostRefuses) bankCards += 1;
      }),
      { numRuns: 500 },
    );
    // The generator makes both kinds in fair numbers.
    expect(bankCards).toBeGreaterThan(50);
    expect(bankCards).toBeLessThan(450);
  });
});

describe('attachWedge', () => {
  class Key extends Event {
    constructor(
      type: string,
      readonly key: string,
      readonly code: string,
      readonly shiftKey: boolean,
      readonly stamp: number,
    ) {
      super(type, { cancelable: true });
    }
    override get timeStamp() {
      return this.stamp;
    }
    readonly isComposing = false;
    readonly repeat = false;
  }

  it('swallows a swipe in the capture phase, types released keys back, and can be detached', async () => {
    const target = new EventTarget();
    const reached: string[] = [];
    const swipes: string[] = [];
    let replayed = '';
    let clock = 0;
    const detach = attachWedge(target, (tracks) => swipes.push(tracks), {
      replay: (key, origin) => {
        expect(origin).toBe(target);
        replayed += key.key;
      },
      now: () => clock,
    });
    // A page handler registered later (in the DOM: any handler below the window's capture phase).
    target.addEventListener('keydown', (event) => reached.push((event as Key).key));
    const press = (key: WedgeKey) => {
      clock = key.timeStamp;
      const down = new Key('keydown', key.key, key.code, key.shiftKey ?? false, key.timeStamp);
      target.dispatchEvent(down);
      target.dispatchEvent(new Key('keyup', key.key, key.code, key.shiftKey ?? false, key.timeStamp));
      return down.defaultPrevented;
    };

    const prevented = typed(';6200123456?\n', () => 2, 0).map(press);
    expect(prevented.every(Boolean)).toBe(true);
    expect(reached).toEqual([]);
    clock = 100;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(swipes).toEqual([';6200123456?']);

    // A person typing ";" alone: held briefly, then given back to the field.
    press(keyFor(';', 200));
    clock = 300;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(replayed).toBe(';');

    detach();
    expect(press(keyFor(';', 400))).toBe(false);
    expect(reached).toEqual([';']);
  });
});
