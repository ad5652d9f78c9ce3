/**
 * Turns the tracks of one swipe into either a member number or a refusal. The order of the checks is the
 * policy: a payment card is refused before anything else looks at it; a read that is partial anywhere the
 * member number could come from is "swipe again"; a clean read that does not fit the store's rule is "not a
 * member card". A wrong member is never produced from a damaged read.
 */

import { type MemberNumberRule, maskTrack, memberNumberFrom } from './member-rule';
import { isPaymentTrack } from './payment';
import { parseTrack, splitTracks, type TrackNumber, type TrackResult } from './tracks';

export type SwipeErrorCode = 'SWIPE_UNREADABLE' | 'CARD_IS_PAYMENT_CARD' | 'CARD_NOT_MEMBER_CARD';

export type SwipeOutcome =
  | { readonly kind: 'member'; readonly memberNumber: string; readonly maskedTrack: string }
  | { readonly kind: 'refused'; readonly code: SwipeErrorCode };

/** What the reader delivered for one track: its text, or its own report that the track failed. */
export type RawTrack = string | { readonly readerError: true };

export interface RawSwipe {
  readonly tracks: Partial<Record<TrackNumber, RawTrack>>;
  /** Characters that belonged to no track: noise or a garbled sentinel. */
  readonly stray?: boolean;
}

export interface InterpretOptions {
  readonly rule: MemberNumberRule;
  readonly sentinels: 'required' | 'optional';
}

const TRACK_NUMBERS: readonly TrackNumber[] = [1, 2, 3];

export function interpretSwipe(swipe: RawSwipe, options: InterpretOptions): SwipeOutcome {
  const results: Partial<Record<TrackNumber, TrackResult>> = {};
  let anyFailed = swipe.stray === true;
  let anyPresent = false;

  for (const number of TRACK_NUMBERS) {
    const raw = swipe.tracks[number];
    if (raw === undefined) continue;
    anyPresent = true;
    if (typeof raw !== 'string') {
      results[number] = { ok: false, track: number, fault: 'READER_ERROR' };
      anyFailed = true;
      continue;
    }
    // A damaged track 1 that still shows format code B is a bank card's: refuse it rather than ask for
    // another swipe that would put the same card through again.
    if (number === 1 && /^%?B\d/.test(raw)) return { kind: 'refused', code: 'CARD_IS_PAYMENT_CARD' };
    const result = parseTrack(number, raw, { sentinels: options.sentinels });
    results[number] = result;
    if (!result.ok) anyFailed = true;
    else if (isPaymentTrack(result.value)) return { kind: 'refused', code: 'CARD_IS_PAYMENT_CARD' };
  }

  if (!anyPresent) return { kind: 'refused', code: 'SWIPE_UNREADABLE' };
  const memberTrack = results[options.rule.track];
  if (memberTrack === undefined) {
    return { kind: 'refused', code: anyFailed ? 'SWIPE_UNREADABLE' : 'CARD_NOT_MEMBER_CARD' };
  }
  if (!memberTrack.ok || swipe.stray) return { kind: 'refused', code: 'SWIPE_UNREADABLE' };
  const memberNumber = memberNumberFrom(options.rule, memberTrack.value);
  if (memberNumber === undefined) return { kind: 'refused', code: 'CARD_NOT_MEMBER_CARD' };
  return { kind: 'member', memberNumber, maskedTrack: maskTrack(options.rule, memberTrack.value) };
}

/**
 * Interprets the raw text of a keyboard-wedge swipe (as the renderer's wedge detector hands it over:
 * tracks back to back or separated by `\n`).
 */
export function interpretTrackText(
  text: string,
  options: { readonly rule: MemberNumberRule; readonly passesLrc?: boolean },
): SwipeOutcome {
  const split = splitTracks(text, options.passesLrc === true);
  return interpretSwipe(
    { tracks: split.tracks, stray: split.stray },
    { rule: options.rule, sentinels: 'required' },
  );
}
