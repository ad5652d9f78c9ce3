/**
 * ISO/IEC 7811 / 7813 / 4909 track text: sentinels, field separators, character sets, lengths and the
 * optional LRC character some readers pass on.
 *
 * Readers hand us decoded characters, not bits, so parity is already checked by the reader; what is left
 * to check here is everything a partial or noisy read breaks: the start and end sentinels, characters
 * outside the track's set, a length the track cannot hold, and the LRC when it is present.
 */

export type TrackNumber = 1 | 2 | 3;

/** Why a track could not be used. Never carries the track text itself. */
export type TrackFault =
  | 'READER_ERROR' // the reader reported a failed read ("E" between the sentinels, or a non-zero status)
  | 'NO_START_SENTINEL'
  | 'NO_END_SENTINEL'
  | 'BAD_CHARACTER'
  | 'TOO_LONG'
  | 'BAD_LRC'
  | 'EMPTY';

export interface Track {
  readonly track: TrackNumber;
  /** The characters between the sentinels. */
  readonly data: string;
  /** `data` split at the track's field separator (`^` on track 1, `=` on tracks 2 and 3). */
  readonly fields: readonly string[];
}

export type TrackResult = { ok: true; value: Track } | { ok: false; track: TrackNumber; fault: TrackFault };

interface TrackSpec {
  /** Offset of the 6- or 4-bit character set in ASCII. */
  readonly base: number;
  /** Mask of the data bits, for the LRC. */
  readonly mask: number;
  readonly startSentinels: string;
  readonly separator: string;
  /** Maximum characters on the stripe including SS, ES and LRC. */
  readonly maxLength: number;
}

const END_SENTINEL = '?';

const SPECS: Record<TrackNumber, TrackSpec> = {
  // 6-bit characters 20h–5Fh; the SS is `%`.
  1: { base: 0x20, mask: 0x3f, startSentinels: '%', separator: '^', maxLength: 79 },
  // 4-bit characters 30h–3Fh; the SS is `;`.
  2: { base: 0x30, mask: 0x0f, startSentinels: ';', separator: '=', maxLength: 40 },
  // Track 3 shares track 2's character set. MagTek keyboard readers send `+` as the track-3 SS by default
  // (and `#` or `&` for AAMVA / 7-bit cards), so those are accepted as start sentinels too.
  3: { base: 0x30, mask: 0x0f, startSentinels: ';+#&', separator: '=', maxLength: 107 },
};

export function separatorOf(track: TrackNumber): string {
  return SPECS[track].separator;
}

export interface ParseTrackOptions {
  /**
   * `required` (keyboard readers): the text must be `SS data ES [LRC]`.
   * `optional` (vendor HID modes): a reader that strips sentinels is accepted, since its per-track decode
   * status already vouches for the read; when an SS is present, the ES must be too.
   */
  readonly sentinels?: 'required' | 'optional';
}

/** Parses the text of one track as the reader delivered it. */
export function parseTrack(track: TrackNumber, text: string, options: ParseTrackOptions = {}): TrackResult {
  const spec = SPECS[track];
  const fail = (fault: TrackFault): TrackResult => ({ ok: false, track, fault });
  if (text.length === 0) return fail('EMPTY');

  const first = text[0]!;
  const hasStart = spec.startSentinels.includes(first);
  if (!hasStart && options.sentinels !== 'optional') return fail('NO_START_SENTINEL');

  let data: string;
  let lrc: string | undefined;
  if (hasStart) {
    const end = text.indexOf(END_SENTINEL, 1);
    if (end < 0) return fail('NO_END_SENTINEL');
    data = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest.length > 1) return fail('BAD_CHARACTER');
    lrc = rest.length === 1 ? rest : undefined;
  } else {
    data = text;
  }

  // Readers report a failed track as a lone `E` between the sentinels (`%E?`, `;E?`, `+E?`).
  if (data === 'E') return fail('READER_ERROR');
  if (data.length === 0) return fail('EMPTY');
  if (data.length + 3 > spec.maxLength) return fail('TOO_LONG');

  for (let index = 0; index < data.length; index += 1) {
    const code = data.charCodeAt(index);
    if (!inCharacterSet(spec, code) || isSentinel(track, code)) return fail('BAD_CHARACTER');
  }

  if (lrc !== undefined) {
    const lrcCode = lrc.charCodeAt(0);
    if (!inCharacterSet(spec, lrcCode)) return fail('BAD_CHARACTER');
    if (lrcCode - spec.base !== computeLrc(track, data)) return fail('BAD_LRC');
  }

  return { ok: true, value: { track, data, fields: data.split(spec.separator) } };
}

function inCharacterSet(spec: TrackSpec, code: number): boolean {
  return code >= spec.base && code <= spec.base + spec.mask;
}

/** Sentinel characters may not appear inside the data: a second SS or an early ES means a garbled read. */
function isSentinel(track: TrackNumber, code: number): boolean {
  if (track === 1) return code === 0x25 || code === 0x3f; // % ?
  return code === 0x3b || code === 0x3f; // ; ?
}

/**
 * The LRC over SS, data and ES: each data-bit column has even parity, i.e. the XOR of the character
 * values (ASCII minus the set's base). A non-ISO start sentinel (`+`, `#`, `&`) is the reader's own
 * substitution for `;`, so the stripe's `;` is what the LRC covers.
 */
export function computeLrc(track: TrackNumber, data: string): number {
  const spec = SPECS[track];
  const ss = track === 1 ? '%' : ';';
  let lrc = (ss.charCodeAt(0) - spec.base) & spec.mask;
  for (let index = 0; index < data.length; index += 1) {
    lrc ^= (data.charCodeAt(index) - spec.base) & spec.mask;
  }
  lrc ^= (END_SENTINEL.charCodeAt(0) - spec.base) & spec.mask;
  return lrc;
}

/** The whole track as a reader would send it: `SS data ES`, plus the LRC character when asked. */
export function formatTrack(track: TrackNumber, data: string, options: { lrc?: boolean; ss?: string } = {}) {
  const spec = SPECS[track];
  const ss = options.ss ?? spec.startSentinels[0]!;
  const lrc = options.lrc ? String.fromCharCode(spec.base + computeLrc(track, data)) : '';
  return `${ss}${data}${END_SENTINEL}${lrc}`;
}

/** Characters that may appear in the data of a track (for generators and simulators). */
export function dataAlphabet(track: TrackNumber): string {
  const spec = SPECS[track];
  let out = '';
  for (let code = spec.base; code <= spec.base + spec.mask; code += 1) {
    if (!isSentinel(track, code)) out += String.fromCharCode(code);
  }
  return out;
}

export interface SplitTracks {
  /** Raw text of each track found, keyed by track number. */
  readonly tracks: Partial<Record<TrackNumber, string>>;
  /** Text that belongs to no track (characters outside any track, or a track repeated). */
  readonly stray: boolean;
}

/**
 * Splits the text a keyboard reader typed for one swipe (tracks back to back, optionally separated by
 * Enter, which the caller has already turned into `\n`) into per-track text. `%` opens track 1; `;` opens
 * track 2, or track 3 once track 2 has been seen; `+`, `#` and `&` open track 3. A track runs to its end
 * sentinel, plus one LRC character when the reader is configured to pass it (`withLrc`): an LRC can be any
 * character of the set, sentinels included, so it cannot be recognised by its value.
 */
export function splitTracks(text: string, withLrc = false): SplitTracks {
  const tracks: Partial<Record<TrackNumber, string>> = {};
  let stray = false;
  let index = 0;
  while (index < text.length) {
    const ch = text[index]!;
    if (ch === '\n' || ch === '\r') {
      index += 1;
      continue;
    }
    let track: TrackNumber | undefined;
    if (ch === '%') track = 1;
    else if (ch === ';') track = tracks[2] === undefined ? 2 : 3;
    else if (ch === '+' || ch === '#' || ch === '&') track = 3;
    if (track === undefined || tracks[track] !== undefined) {
      stray = true;
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && text[end] !== END_SENTINEL && text[end] !== '\n' && text[end] !== '\r') {
      end += 1;
    }
    if (end < text.length && text[end] === END_SENTINEL) {
      end += 1;
      if (withLrc && end < text.length && text[end] !== '\n' && text[end] !== '\r') end += 1;
    }
    tracks[track] = text.slice(index, end);
    index = end;
  }
  return { tracks, stray };
}
