/**
 * Where a store's member number sits on its cards. Stores order cards from different printers, so the
 * track, field, prefix and length are configuration, checked once when the swiper is set up.
 */
import { DeviceError } from '../errors';
import type { Track, TrackNumber } from './tracks';

export interface MemberNumberRule {
  /** The track that carries the member number. */
  readonly track: TrackNumber;
  /** 0-based field index after splitting at the track's separator (`^` on track 1, `=` on 2 and 3). */
  readonly field: number;
  /** The number must start with this (e.g. the store's issuer digits). */
  readonly prefix?: string;
  /** Remove the prefix from the number handed on. */
  readonly stripPrefix?: boolean;
  /** Exact length of the field, or an inclusive range. */
  readonly length?: number | { readonly min: number; readonly max: number };
}

/** The most common layout: the whole of track 2's first field, 6 to 19 characters. */
export const DEFAULT_MEMBER_RULE: MemberNumberRule = { track: 2, field: 0, length: { min: 6, max: 19 } };

export function checkMemberRule(rule: MemberNumberRule): MemberNumberRule {
  const problems: string[] = [];
  if (rule.track !== 1 && rule.track !== 2 && rule.track !== 3) problems.push('track must be 1, 2 or 3');
  if (!Number.isSafeInteger(rule.field) || rule.field < 0) problems.push('field must be an integer ≥ 0');
  if (typeof rule.length === 'number' && (!Number.isSafeInteger(rule.length) || rule.length < 1)) {
    problems.push('length must be a positive integer');
  }
  if (typeof rule.length === 'object') {
    const { min, max } = rule.length;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 1 || max < min) {
      problems.push('length range must satisfy 1 ≤ min ≤ max');
    }
  }
  if (rule.stripPrefix && !rule.prefix) problems.push('stripPrefix needs a prefix');
  if (problems.length > 0) {
    throw new DeviceError('SWIPER_CONFIG_INVALID', `Member number rule is invalid: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return rule;
}

/** The member number the rule finds on the track, or undefined when this is not one of the store's cards. */
export function memberNumberFrom(rule: MemberNumberRule, track: Track): string | undefined {
  if (track.track !== rule.track) return undefined;
  const value = track.fields[rule.field];
  if (value === undefined || value.length === 0) return undefined;
  if (typeof rule.length === 'number' && value.length !== rule.length) return undefined;
  if (typeof rule.length === 'object' && (value.length < rule.length.min || value.length > rule.length.max)) {
    return undefined;
  }
  if (rule.prefix !== undefined && !value.startsWith(rule.prefix)) return undefined;
  const number = rule.stripPrefix && rule.prefix ? value.slice(rule.prefix.length) : value;
  return number.length > 0 ? number : undefined;
}

/**
 * The track as it may be shown or logged: every character of the data masked except the member number's
 * last four, sentinels and separators kept so the layout stays recognisable.
 */
export function maskTrack(rule: MemberNumberRule, track: Track): string {
  const separator = track.track === 1 ? '^' : '=';
  const masked = track.fields.map((field, index) => {
    const keep = index === rule.field ? Math.min(4, Math.floor(field.length / 2)) : 0;
    return '*'.repeat(field.length - keep) + field.slice(field.length - keep);
  });
  const ss = track.track === 1 ? '%' : ';';
  return `${ss}${masked.join(separator)}?`;
}
