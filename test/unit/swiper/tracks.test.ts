import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeLrc,
  dataAlphabet,
  formatTrack,
  parseTrack,
  splitTracks,
} from '../../../hardware/swiper/tracks';

describe('ISO 7811/7813 track parsing', () => {
  it('reads track 1 between % and ?, split at ^', () => {
    const result = parseTrack(1, '%M6200123456^ZHANG/SAN^991?');
    expect(result).toEqual({
      ok: true,
      value: { track: 1, data: 'M6200123456^ZHANG/SAN^991', fields: ['M6200123456', 'ZHANG/SAN', '991'] },
    });
  });

  it('reads track 2 between ; and ?, split at =', () => {
    const result = parseTrack(2, ';6200123456=991?');
    expect(result.ok && result.value.fields).toEqual(['6200123456', '991']);
  });

  it('accepts the MagTek keyboard track-3 start sentinel +', () => {
    const result = parseTrack(3, '+0123=4567?');
    expect(result.ok && result.value.data).toBe('0123=4567');
  });

  it('reports a reader-flagged failure (E between the sentinels) as a reader error', () => {
    expect(parseTrack(1, '%E?')).toEqual({ ok: false, track: 1, fault: 'READER_ERROR' });
    expect(parseTrack(2, ';E?')).toEqual({ ok: false, track: 2, fault: 'READER_ERROR' });
    expect(parseTrack(3, '+E?')).toEqual({ ok: false, track: 3, fault: 'READER_ERROR' });
  });

  it('refuses a track without its end sentinel (a partial read)', () => {
    expect(parseTrack(2, ';6200123456=99')).toMatchObject({ ok: false, fault: 'NO_END_SENTINEL' });
  });

  it('refuses a track without its start sentinel when sentinels are required', () => {
    expect(parseTrack(2, '6200123456?')).toMatchObject({ ok: false, fault: 'NO_START_SENTINEL' });
  });

  it('accepts a vendor-mode track whose reader stripped the sentinels', () => {
    const result = parseTrack(2, '6200123456=991', { sentinels: 'optional' });
    expect(result.ok && result.value.fields).toEqual(['6200123456', '991']);
  });

  it('refuses characters outside the track character set', () => {
    expect(parseTrack(2, ';62001A3456?')).toMatchObject({ ok: false, fault: 'BAD_CHARACTER' });
    expect(parseTrack(1, '%Mabc^X?')).toMatchObject({ ok: false, fault: 'BAD_CHARACTER' });
    expect(parseTrack(2, ';6200;123?')).toMatchObject({ ok: false, fault: 'BAD_CHARACTER' });
  });

  it('refuses more characters than the stripe can hold (79 / 40 / 107 including SS, ES, LRC)', () => {
    expect(parseTrack(2, `;${'1'.repeat(37)}?`).ok).toBe(true);
    expect(parseTrack(2, `;${'1'.repeat(38)}?`)).toMatchObject({ ok: false, fault: 'TOO_LONG' });
    expect(parseTrack(1, `%${'A'.repeat(76)}?`).ok).toBe(true);
    expect(parseTrack(1, `%${'A'.repeat(77)}?`)).toMatchObject({ ok: false, fault: 'TOO_LONG' });
    expect(parseTrack(3, `;${'1'.repeat(104)}?`).ok).toBe(true);
    expect(parseTrack(3, `;${'1'.repeat(105)}?`)).toMatchObject({ ok: false, fault: 'TOO_LONG' });
  });

  it('checks the LRC when the reader passes it', () => {
    // Track 2 ";1234?": values B,1,2,3,4,F; B^1^2^3^4^F = 0, so the LRC character is "0".
    expect(computeLrc(2, '1234')).toBe(0);
    expect(formatTrack(2, '1234', { lrc: true })).toBe(';1234?0');
    // Track 1 "%A?": values 05,21,1F; 05^21^1F = 3B, so the LRC character is 3B + 20 = "[".
    expect(formatTrack(1, 'A', { lrc: true })).toBe('%A?[');
    const good = formatTrack(2, '6200123456=991', { lrc: true });
    expect(parseTrack(2, good).ok).toBe(true);
    const lrc = good.charCodeAt(good.length - 1);
    const bad = good.slice(0, -1) + String.fromCharCode(0x30 + (((lrc - 0x30) ^ 1) & 0x0f));
    expect(parseTrack(2, bad)).toMatchObject({ ok: false, fault: 'BAD_LRC' });
  });

  it('round-trips any valid track data, with or without LRC', () => {
    for (const track of [1, 2, 3] as const) {
      const max = track === 1 ? 76 : track === 2 ? 37 : 104;
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom(...dataAlphabet(track)), minLength: 2, maxLength: max }),
          fc.boolean(),
          (data, lrc) => {
            fc.pre(data !== 'E');
            const result = parseTrack(track, formatTrack(track, data, { lrc }));
            expect(result).toEqual({ ok: true, value: expect.objectContaining({ track, data }) });
          },
        ),
      );
    }
  });
});

describe('splitting keyboard text into tracks', () => {
  it('splits tracks separated by Enter, and tracks back to back', () => {
    expect(splitTracks('%M1^A^?\n;123=4?\n+55?\n').tracks).toEqual({ 1: '%M1^A^?', 2: ';123=4?', 3: '+55?' });
    expect(splitTracks('%M1^A^?;123=4?;55?').tracks).toEqual({ 1: '%M1^A^?', 2: ';123=4?', 3: ';55?' });
  });

  it('keeps a missing end sentinel visible to the parser', () => {
    expect(splitTracks(';12345\n').tracks[2]).toBe(';12345');
  });

  it('flags characters outside any track as stray', () => {
    expect(splitTracks('x;123?\n').stray).toBe(true);
    expect(splitTracks(';123?\n').stray).toBe(false);
  });

  it('takes the character after the end sentinel as the LRC only when the reader passes it', () => {
    const track = formatTrack(2, '62001234', { lrc: true });
    expect(splitTracks(`${track}\n`, true).tracks[2]).toBe(track);
  });
});
