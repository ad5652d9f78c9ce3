/**
 * Recognises payment (bank) cards so they can be refused as member cards. PCI DSS 3.3.1.1 forbids keeping
 * their track data after authorisation, and a member terminal never authorises, so their tracks must not go
 * anywhere: callers drop them as soon as this says "payment".
 */
import { luhnValid } from '../../common/luhn';
import type { Track } from './tracks';

export { luhnValid };

/**
 * Track 1 format code B is reserved for financial cards (`%B` PAN `^` NAME `^` …). Any track 1 that starts
 * with `B` and carries a field separator is treated as one, whether or not its PAN passes Luhn.
 */
function isFormatBTrack1(track: Track): boolean {
  return track.track === 1 && track.data.startsWith('B') && track.fields.length >= 2;
}

/**
 * A Luhn-valid PAN (12–19 digits) followed by a field separator and a service code: `PAN=YYMMSSS…` on
 * tracks 2/3, `PAN^NAME^YYMMSSS…` on track 1, with the expiry replaced by a separator when absent.
 */
function hasPanWithServiceCode(track: Track): boolean {
  const pan = track.track === 1 ? (track.fields[0] ?? '').replace(/^[A-Z]/, '') : (track.fields[0] ?? '');
  if (pan.length < 12 || pan.length > 19 || !luhnValid(pan)) return false;
  const after = track.track === 1 ? track.fields[2] : track.fields[1];
  if (after === undefined) return false;
  // YYMM + 3-digit service code, or an absent expiry (a separator, which split() turned into an empty
  // field before it) followed by the service code.
  if (/^\d{7}/.test(after)) return true;
  const afterAbsentExpiry = track.track === 1 ? track.fields[3] : track.fields[2];
  return after === '' && afterAbsentExpiry !== undefined && /^\d{3}/.test(afterAbsentExpiry);
}

export function isPaymentTrack(track: Track): boolean {
  return isFormatBTrack1(track) || hasPanWithServiceCode(track);
}
