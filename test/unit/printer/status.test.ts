import { describe, expect, it } from 'vitest';
import { decodeAsb, decodeRealtime, problemOf } from '../../../hardware/index';
import {
  asbFrame,
  isAsbHeader,
  isRealtimeReply,
  readyCondition,
  realtimeReply,
} from '../../../hardware/printer/status';

describe('DLE EOT replies', () => {
  it('a ready printer answers 12 to every request', () => {
    const status = decodeRealtime(0x12, 0x12, 0x12, 0x12);
    expect(status).toMatchObject({ known: true, online: true, paperOut: false, coverOpen: false });
    expect(problemOf(status)).toBeNull();
  });

  it('decodes offline, cover open, paper end stop, cutter error and the paper sensor bits', () => {
    const status = decodeRealtime(0x1e, 0x36, 0x1a, 0x7e);
    expect(status).toMatchObject({
      known: true,
      online: false,
      drawerPin3High: true,
      coverOpen: true,
      paperOut: true,
      paperNearEnd: true,
      cutterError: true,
    });
    expect(problemOf(status)).toBe('COVER_OPEN');
  });

  it('reports paper near end without stopping the queue', () => {
    const status = decodeRealtime(0x12, 0x12, 0x12, 0x1e);
    expect(status).toMatchObject({ paperNearEnd: true, paperOut: false });
    expect(problemOf(status)).toBeNull();
  });

  it('tells DLE EOT replies (0xx1xx10) from ASB headers (0xx1xx00)', () => {
    expect(isRealtimeReply(0x12)).toBe(true);
    expect(isRealtimeReply(0x10)).toBe(false);
    expect(isAsbHeader(0x10)).toBe(true);
    expect(isAsbHeader(0x38)).toBe(true);
    expect(isAsbHeader(0x12)).toBe(false);
  });
});

describe('ASB frames', () => {
  it('decodes cover open, paper end and near end, and the error byte', () => {
    const status = decodeAsb([0x28, 0x08, 0x0f, 0x00]);
    expect(status).toMatchObject({
      offline: true,
      coverOpen: true,
      cutterError: true,
      paperOut: true,
      paperNearEnd: true,
    });
  });

  it('what the virtual printer sends decodes back to the same condition', () => {
    const condition = { ...readyCondition(), offline: true, paperOut: true };
    expect(asbFrame(condition)).toEqual([0x18, 0x00, 0x0f, 0x00]);
    expect(decodeAsb(asbFrame(condition))).toMatchObject({ paperOut: true, offline: true, coverOpen: false });
    const replies = ([1, 2, 3, 4] as const).map((n) => realtimeReply(n, condition));
    expect(replies).toEqual([0x1a, 0x32, 0x12, 0x7e]);
    expect(problemOf(decodeRealtime(replies[0]!, replies[1]!, replies[2]!, replies[3]!))).toBe('PAPER_OUT');
  });
});

describe('unknown status', () => {
  it('a printer that does not answer is treated as disconnected', () => {
    expect(problemOf({ known: false, reason: 'NO_REPLY' })).toBe('DISCONNECTED');
    expect(problemOf({ known: false, reason: 'DISCONNECTED' })).toBe('DISCONNECTED');
  });

  it('a write-only link (usblp) does not hold the queue, though its status stays unknown', () => {
    expect(problemOf({ known: false, reason: 'NO_READ_BACK' })).toBeNull();
  });
});
