import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAIN_KEYED_ENTRY, DEFAULT_OFFLINE_CAPS } from '../../../sync';
import { renderPage } from '../../../sync/hq/page';
import type { HqReport } from '../../../sync/hq/service';

const report: HqReport = {
  generatedAt: Date.UTC(2026, 10, 22, 8, 0, 0),
  terminals: [
    {
      terminalId: '<script>alert(1)</script>',
      storeId: 'S1',
      lastSeq: 42,
      lastSeenAt: Date.UTC(2026, 10, 22, 7, 59, 0),
      lagMs: 90 * 60_000,
      waiting: 7,
      openRejections: 1,
      lastErrorCode: 'SEQUENCE_GAP',
      revokedAt: null,
    },
  ],
  rejections: [
    {
      operationId: 'op-9',
      terminalId: 'T1',
      seq: 9,
      kind: 'teleport',
      code: 'UNKNOWN_KIND',
      message: 'x & y',
    },
  ],
  overdrafts: [
    {
      id: 1,
      cardId: 'card-1',
      operationId: 'op-2',
      storeId: 'STORE-B',
      terminalId: 'T2',
      amount: 7_000,
      balanceAfter: -5_001,
      detectedAt: Date.UTC(2026, 10, 22, 7, 0, 0),
    },
  ],
  settlement: [
    { issuerStoreId: 'STORE-A', actingStoreId: 'STORE-B', redeemed: 7_000, loaded: 1_005, net: 5_995 },
  ],
  rules: [
    {
      ruleId: 'hq-rule-1',
      storeId: 'STORE-A',
      version: 2,
      name: '充100送20 <b>',
      retired: false,
      by: 'hq-manager',
      publishedAt: Date.UTC(2026, 10, 22, 6, 0, 0),
    },
  ],
  liability: 123_456,
  cards: 3,
  caps: DEFAULT_OFFLINE_CAPS,
  keyedEntry: DEFAULT_CHAIN_KEYED_ENTRY,
};

describe("the managers' page", () => {
  const html = renderPage(report);

  it('escapes everything a terminal sent', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('x &#38; y');
    expect(html).toContain('充100送20 &#60;b&#62;');
  });

  it('shows money in yuan from integer fen, negatives included', () => {
    expect(html).toContain('¥1234.56');
    expect(html).toContain('-¥50.01');
    expect(html).toContain('¥59.95');
  });

  it('shows lag, waiting rows, sync errors, overdrafts and settlement', () => {
    expect(html).toContain('1.5 h');
    expect(html).toContain('<td>7</td>');
    expect(html).toContain('UNKNOWN_KIND');
    expect(html).toContain('STORE-B');
    expect(html).toContain('Inter-store settlement');
  });
});
