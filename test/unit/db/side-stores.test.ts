import { afterAll, describe, expect, it } from 'vitest';
import { cashier, closeAll, codeOf, DEMO, demoLedger, terminalId } from './support';

afterAll(closeAll);

describe('outbox', () => {
  it('holds every change in sequence order, including member, card and card-state changes', () => {
    const { ledger } = demoLedger();
    ledger.createMember({
      id: 'm-new',
      storeId: DEMO.storeId,
      name: '周婷',
      phone: '13900000000',
      staffId: cashier,
      terminalId,
    });
    ledger.issueCard({
      id: 'c-new',
      memberId: 'm-new',
      cardNumber: '8800000000001234',
      medium: 'keyed',
      staffId: cashier,
      terminalId,
    });
    ledger.setCardState({
      operationId: 'op-freeze',
      cardId: 'c-new',
      state: 'frozen',
      staffId: cashier,
      terminalId,
    });
    const rows = ledger.outbox.pending(1000);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    expect(rows.slice(-3).map((r) => r.kind)).toEqual(['member_created', 'card_issued', 'card_state']);
    expect(rows.at(-3)?.payload).toMatchObject({ member: { id: 'm-new', name: '周婷' } });
    expect(rows.at(-1)?.payload).toMatchObject({ operation: { cardState: 'frozen' }, card: { id: 'c-new' } });
  });

  it('marks rows sent and reports what is waiting', () => {
    const { ledger } = demoLedger();
    const all = ledger.outbox.pending(1000);
    const first = all.slice(0, 3).map((r) => r.seq);
    ledger.outbox.markSent(first, 1_800_000_000_000);
    expect(ledger.outbox.pending(1000)).toHaveLength(all.length - 3);
    expect(ledger.outbox.pending(1)[0]?.seq).toBe(all[3]?.seq);
    expect(ledger.outbox.stats()).toEqual({
      waiting: all.length - 3,
      oldestCreatedAt: all[3]?.createdAt,
      lastSentAt: 1_800_000_000_000,
    });
  });
});

describe('print jobs', () => {
  const bytes = new Uint8Array([0x1b, 0x40, 0x41, 0x0a, 0x1d, 0x56, 0x00]);

  it('stores the bytes exactly and is idempotent on the job id', () => {
    const { ledger } = demoLedger();
    const job = ledger.printJobs.add({
      id: 'job-1',
      printerId: 'p1',
      kind: 'receipt',
      bytes,
      createdAt: 1000,
    });
    expect(job).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: null,
      reprintOf: null,
      createdAt: 1000,
    });
    expect([...job.bytes]).toEqual([...bytes]);
    const again = ledger.printJobs.add({
      id: 'job-1',
      printerId: 'p1',
      kind: 'other',
      bytes: new Uint8Array([1]),
      createdAt: 2000,
    });
    expect(again.kind).toBe('receipt');
    expect([...again.bytes]).toEqual([...bytes]);
  });

  it('offers an interrupted job before queued ones, oldest first, and counts attempts', () => {
    const { ledger } = demoLedger();
    ledger.printJobs.add({ id: 'a', printerId: 'p1', kind: 'receipt', bytes, createdAt: 1 });
    ledger.printJobs.add({ id: 'b', printerId: 'p1', kind: 'receipt', bytes, createdAt: 2 });
    ledger.printJobs.add({ id: 'c', printerId: 'p2', kind: 'receipt', bytes, createdAt: 0 });
    expect(ledger.printJobs.next('p1')?.id).toBe('a');
    ledger.printJobs.setState('b', 'printing', null, 10);
    expect(ledger.printJobs.next('p1')?.id).toBe('b');
    ledger.printJobs.setState('b', 'failed', 'PRINTER_PAPER_OUT', 11);
    ledger.printJobs.setState('b', 'printing', null, 12);
    ledger.printJobs.setState('b', 'done', null, 13);
    expect(ledger.printJobs.get('b')).toMatchObject({
      state: 'done',
      attempts: 2,
      lastError: null,
      updatedAt: 13,
    });
    expect(ledger.printJobs.next('p1')?.id).toBe('a');
    expect(ledger.printJobs.list({ printerId: 'p1' }).map((j) => j.id)).toEqual(['b', 'a']);
    expect(ledger.printJobs.list({ states: ['queued'] }).map((j) => j.id)).toEqual(['a', 'c']);
    expect(codeOf(() => ledger.printJobs.setState('zzz', 'done'))).toBe('PRINT_JOB_UNKNOWN');
  });

  it('records a reprint as a new job pointing at the original', () => {
    const { ledger } = demoLedger();
    ledger.printJobs.add({ id: 'orig', printerId: 'p1', kind: 'receipt', bytes, createdAt: 1 });
    expect(
      ledger.printJobs.add({
        id: 'copy',
        printerId: 'p1',
        kind: 'receipt',
        bytes,
        reprintOf: 'orig',
        createdAt: 2,
      }).reprintOf,
    ).toBe('orig');
  });
});

describe('settings', () => {
  it('keeps JSON values by key, overwrites and deletes', () => {
    const { ledger } = demoLedger();
    expect(ledger.settings.get('sync.cursor')).toBeUndefined();
    ledger.settings.set('sync.cursor', { after: 42, keys: ['a'] });
    expect(ledger.settings.get('sync.cursor')).toEqual({ after: 42, keys: ['a'] });
    ledger.settings.set('sync.cursor', 7);
    expect(ledger.settings.get<number>('sync.cursor')).toBe(7);
    ledger.settings.delete('sync.cursor');
    expect(ledger.settings.get('sync.cursor')).toBeUndefined();
    expect(codeOf(() => ledger.settings.set('x', undefined))).toBe('INPUT_INVALID');
  });
});

describe('outbox rows without a named terminal', () => {
  it("go out under the ledger's own terminal", () => {
    const { ledger } = demoLedger();
    ledger.createMember({ id: 'm-import', storeId: DEMO.storeId, name: 'Imported' });
    expect(ledger.outbox.pending(1000).at(-1)).toMatchObject({ kind: 'member_created', terminalId });
  });
});
