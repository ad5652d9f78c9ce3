import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SimulatedSwiper,
  type SwipeErrorEvent,
  type SwipeEvent,
  Swiper,
} from '../../../hardware/swiper/index';
import { interpretTrackText } from '../../../hardware/swiper/interpret';
import { DEFAULT_MEMBER_RULE } from '../../../hardware/swiper/member-rule';
import { dataAlphabet, formatTrack } from '../../../hardware/swiper/tracks';

const memberNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 19 })
  .map((digits) => digits.join(''));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a partial read is never a member', () => {
  it('(property) a keyboard swipe cut short anywhere is "swipe again", in every reader style', async () => {
    await fc.assert(
      fc.asyncProperty(
        memberNumber,
        fc.constantFrom('press-release', 'packed', 'rollover' as const),
        fc.nat(),
        async (number, style, cutAt) => {
          const device = new SimulatedSwiper({ mode: 'keyboard', keyboardStyle: style });
          const swiper = new Swiper({
            id: 'p',
            selector: { vendorId: 0x0801 },
            mode: 'keyboard',
            backend: device,
          });
          const swipes: SwipeEvent[] = [];
          const errors: SwipeErrorEvent[] = [];
          swiper.on('swipe', (event) => swipes.push(event));
          swiper.on('swipe.error', (event) => errors.push(event));
          swiper.start();
          const reports = device.reportsFor({ track2: number });
          // Everything before the Enter key's report: the swiper lost contact before the end.
          const enterAt = reports.findIndex((report) => report[2] === 0x28 || report[3] === 0x28);
          const cut = cutAt % enterAt;
          for (const report of reports.slice(0, cut + 1)) device.send(report);
          await vi.advanceTimersByTimeAsync(1100);
          swiper.stop();
          expect(swipes).toEqual([]);
          expect(errors.map((error) => error.code)).toEqual(['SWIPE_UNREADABLE']);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('(property) track text truncated before its end sentinel is "swipe again"', () => {
    fc.assert(
      fc.property(memberNumber, fc.nat(), (number, cutAt) => {
        const text = `;${number}=991?`;
        const cut = text.slice(0, 1 + (cutAt % (text.length - 1)));
        expect(interpretTrackText(`${cut}\n`, { rule: DEFAULT_MEMBER_RULE })).toEqual({
          kind: 'refused',
          code: 'SWIPE_UNREADABLE',
        });
      }),
    );
  });

  it('(property) with the LRC passed on, any one changed character is caught', () => {
    fc.assert(
      fc.property(
        memberNumber,
        fc.nat(),
        fc.constantFrom(...dataAlphabet(2)),
        (number, position, replacement) => {
          const track = formatTrack(2, number, { lrc: true });
          // Change one character between the sentinels, or the LRC itself.
          const candidates = [...Array(track.length).keys()].filter(
            (index) => index > 0 && track[index] !== '?',
          );
          const at = candidates[position % candidates.length]!;
          fc.pre(track[at] !== replacement);
          const damaged = track.slice(0, at) + replacement + track.slice(at + 1);
          const outcome = interpretTrackText(`${damaged}\n`, { rule: DEFAULT_MEMBER_RULE, passesLrc: true });
          expect(outcome.kind).toBe('refused');
        },
      ),
    );
  });

  it('(property) arbitrary text never throws and never yields a number it does not contain', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const outcome = interpretTrackText(text, { rule: DEFAULT_MEMBER_RULE });
        if (outcome.kind === 'member') expect(text).toContain(`;${outcome.memberNumber}`);
      }),
      { numRuns: 2000 },
    );
  });
});
