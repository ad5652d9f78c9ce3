/**
 * Feed benchmark: how fast a terminal takes another store's operations from HQ's feed into its ledger
 * (`openFeedSink`, one transaction per 500-entry page, on a file with the ledger's pragmas), beside the same
 * operations written at the origin's counter through the ledger's own calls (one transaction each).
 * The figure that matters is a new or long-offline terminal catching up with a chain's backlog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FeedEntryInput, type Ledger, openFeedSink, openLedger } from '../../db/index';
import { type Emit, progress, since } from './harness';

const CARDS = 500;
const OPERATIONS = 20_000;
const PAGE = 500;

function storeLedger(path: string, letter: string): Ledger {
  const ledger = openLedger({ path, checkpointIntervalMs: 0 });
  ledger.createStore({
    id: `store-${letter}`,
    name: letter,
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 10_000_000,
  });
  ledger.createTerminal({ id: `till-${letter}`, storeId: `store-${letter}`, name: 'Till' });
  ledger.createStaff({
    id: `cashier-${letter}`,
    storeId: `store-${letter}`,
    code: '1001',
    name: 'Cashier',
    role: 'cashier',
    pin: '123456',
  });
  return ledger;
}

export default async function feedBench(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'feed-bench-'));
  try {
    const origin = storeLedger(join(dir, 'origin.sqlite'), 'a');
    for (let card = 0; card < CARDS; card += 1) {
      origin.createMember({ id: `m-${card}`, storeId: 'store-a', name: `会员${card}`, terminalId: 'till-a' });
      origin.issueCard({
        id: `c-${card}`,
        memberId: `m-${card}`,
        cardNumber: String(9_000_000_000_000 + card),
        medium: 'keyed',
        terminalId: 'till-a',
      });
    }
    progress(`writing ${OPERATIONS} operations at the origin's counter`);
    const written = process.hrtime.bigint();
    for (let index = 0; index < OPERATIONS; index += 1) {
      const cardId = `c-${Math.floor(index / 2) % CARDS}`;
      if (index % 2 === 0) {
        origin.topUp({
          operationId: `op-${index}`,
          cardId,
          amountFen: 10_000,
          bonusFen: 1_000,
          points: 100,
          tender: 'cash',
          staffId: 'cashier-a',
          terminalId: 'till-a',
        });
      } else {
        origin.spend({
          operationId: `op-${index}`,
          cardId,
          amountFen: 7_500,
          staffId: 'cashier-a',
          terminalId: 'till-a',
        });
      }
    }
    const counterMs = since(written);
    const entries: FeedEntryInput[] = origin.outbox.pending(OPERATIONS + 2 * CARDS).map((row, index) => ({
      position: index + 1,
      operationId: row.operationId,
      terminalId: row.terminalId,
      storeId: row.storeId,
      kind: row.kind,
      payload: row.payload,
      createdAt: row.createdAt,
    }));
    origin.close();

    const target = storeLedger(join(dir, 'target.sqlite'), 'b');
    const sink = openFeedSink(target);
    progress(`applying ${entries.length} feed entries in pages of ${PAGE}`);
    const applied = process.hrtime.bigint();
    for (let start = 0; start < entries.length; start += PAGE) {
      const page = entries.slice(start, start + PAGE);
      sink.apply(page, { cursor: page[page.length - 1]!.position });
    }
    const feedMs = since(applied);
    const moneyEntries = entries.filter((entry) => entry.kind === 'top_up' || entry.kind === 'spend').length;
    if (moneyEntries !== OPERATIONS || !target.checkInvariants().ok)
      throw new Error('the feed was not applied');
    target.close();

    const feedRate = (entries.length / feedMs) * 1000;
    const counterRate = (OPERATIONS / counterMs) * 1000;
    emit({
      metric: 'feed_apply_ops_per_s',
      value: feedRate,
      unit: 'ops/s',
      baseline: counterRate,
      ratio: feedRate / counterRate,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
