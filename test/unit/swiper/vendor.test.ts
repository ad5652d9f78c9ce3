import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeIdtechFrame,
  type IdtechFrame,
  IdtechFrameAssembler,
  toReports,
} from '../../../hardware/swiper/idtech';
import {
  decodeMagtekReport,
  encodeMagtekReport,
  MAGTEK_REPORT_LENGTH,
} from '../../../hardware/swiper/magtek';
import { dataAlphabet, formatTrack } from '../../../hardware/swiper/tracks';

describe('MagTek 337-byte swipe report', () => {
  it('lays out statuses, lengths, encode type and the three 110-byte track fields', () => {
    const report = encodeMagtekReport(
      { 1: { text: '%M1^A^?' }, 2: { status: 0x02 }, 3: { text: ';12?' } },
      0,
    );
    expect(report.length).toBe(337);
    expect([...report.subarray(0, 7)]).toEqual([0x00, 0x02, 0x00, 7, 0, 4, 0]);
    expect(Buffer.from(report.subarray(7, 14)).toString('latin1')).toBe('%M1^A^?');
    expect(report[14]).toBe(0);
    expect(report[117]).toBe(0);
    expect(Buffer.from(report.subarray(227, 231)).toString('latin1')).toBe(';12?');
  });

  it('decodes a report: a bad status is a reader error, a zero length is an absent track', () => {
    const report = new Uint8Array(337);
    report.set([0x00, 0x05, 0x00, 0x04, 0x00, 0x00, 0x00]);
    report.set(Buffer.from(';99?', 'latin1'), 7);
    expect(decodeMagtekReport(report)).toEqual({
      tracks: { 1: ';99?', 2: { readerError: true } },
      encodeType: 0,
    });
  });

  it('refuses reports of another size or with a length beyond its field', () => {
    expect(decodeMagtekReport(new Uint8Array(336))).toBeUndefined();
    const report = new Uint8Array(337);
    report[3] = 111;
    expect(decodeMagtekReport(report)).toBeUndefined();
    const numbered = new Uint8Array(MAGTEK_REPORT_LENGTH + 1);
    expect(decodeMagtekReport(numbered)).toEqual({ tracks: {}, encodeType: 0 });
  });

  it('round-trips any three tracks (property)', () => {
    const track = (number: 1 | 2 | 3, max: number) =>
      fc.option(
        fc
          .string({ unit: fc.constantFrom(...dataAlphabet(number)), minLength: 1, maxLength: max })
          .map((data) => formatTrack(number, data)),
        { nil: undefined },
      );
    fc.assert(
      fc.property(track(1, 76), track(2, 37), track(3, 104), (t1, t2, t3) => {
        const input = { 1: t1, 2: t2, 3: t3 };
        const report = encodeMagtekReport({
          ...(t1 ? { 1: { text: t1 } } : {}),
          ...(t2 ? { 2: { text: t2 } } : {}),
          ...(t3 ? { 3: { text: t3 } } : {}),
        });
        const decoded = decodeMagtekReport(report);
        for (const number of [1, 2, 3] as const) expect(decoded?.tracks[number]).toBe(input[number]);
      }),
    );
  });
});

describe('ID TECH framed format', () => {
  const collect = (assembler: IdtechFrameAssembler, reports: Uint8Array[]) => {
    const frames: IdtechFrame[] = [];
    for (const report of reports) assembler.push(report, (frame) => frames.push(frame));
    return frames;
  };

  it('frames card data as STX, length (LE), data, LRC (XOR), checksum (sum), ETX', () => {
    const frame = encodeIdtechFrame({ 2: ';12?' });
    // data = 00 (ISO) 02 (track 2 decoded) 00 04 00 ';12?'
    const data = [0x00, 0x02, 0x00, 0x04, 0x00, 0x3b, 0x31, 0x32, 0x3f];
    const lrc = data.reduce((a, b) => a ^ b, 0);
    const sum = data.reduce((a, b) => (a + b) & 0xff, 0);
    expect([...frame]).toEqual([0x02, 0x09, 0x00, ...data, lrc, sum, 0x03]);
  });

  it('assembles a frame cut across padded reports and skips the padding', () => {
    const frame = encodeIdtechFrame({ 1: '%M6200123456^ZHANG/SAN^?', 2: ';6200123456=991?' });
    const frames = collect(new IdtechFrameAssembler(), toReports(frame, 8));
    expect(frames).toEqual([
      {
        kind: 'swipe',
        encrypted: false,
        swipe: { tracks: { 1: '%M6200123456^ZHANG/SAN^?', 2: ';6200123456=991?' } },
      },
    ]);
  });

  it('reports a frame with a wrong LRC, checksum or ETX as damaged and recovers for the next', () => {
    const good = encodeIdtechFrame({ 2: ';1234?' });
    for (const offset of [good.length - 3, good.length - 2, good.length - 1]) {
      const bad = good.slice();
      bad[offset]! ^= 0x40;
      const assembler = new IdtechFrameAssembler();
      const frames = collect(assembler, [bad, good.slice()]);
      expect(frames[0]).toEqual({ kind: 'damaged' });
      expect(frames.at(-1)).toMatchObject({ kind: 'swipe', swipe: { tracks: { 2: ';1234?' } } });
    }
  });

  it('marks a track seen by the head but not decoded as a reader error', () => {
    const frame = encodeIdtechFrame({ 1: '%M1^A^?' }, { unreadable: [2] });
    expect(collect(new IdtechFrameAssembler(), [frame])).toEqual([
      { kind: 'swipe', encrypted: false, swipe: { tracks: { 1: '%M1^A^?', 2: { readerError: true } } } },
    ]);
  });

  it('flags encrypted frames', () => {
    const frame = encodeIdtechFrame({ 2: ';4111********1111=2512?' }, { encodeType: 0x80 });
    expect(collect(new IdtechFrameAssembler(), [frame])[0]).toMatchObject({ kind: 'swipe', encrypted: true });
  });

  it('round-trips any tracks through any report size (property)', () => {
    const track = (number: 1 | 2 | 3) =>
      fc.option(
        fc
          .string({ unit: fc.constantFrom(...dataAlphabet(number)), minLength: 1, maxLength: 37 })
          .map((data) => formatTrack(number, data)),
        { nil: undefined },
      );
    fc.assert(
      fc.property(track(1), track(2), track(3), fc.integer({ min: 1, max: 128 }), (t1, t2, t3, size) => {
        const tracks = { ...(t1 ? { 1: t1 } : {}), ...(t2 ? { 2: t2 } : {}), ...(t3 ? { 3: t3 } : {}) };
        const frames = collect(new IdtechFrameAssembler(), toReports(encodeIdtechFrame(tracks), size));
        expect(frames).toEqual([{ kind: 'swipe', encrypted: false, swipe: { tracks } }]);
      }),
    );
  });
});
