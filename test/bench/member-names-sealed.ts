/**
 * Member search when names and phones are encrypted, as every terminal keeps them: 200,000 members written in
 * clear, then the member registry opened with a data key, which encrypts them all (member_seal_rows_per_s), and
 * the counter's searches by name prefix, by a piece of a name and by phone prefix through the keyed blind
 * index, each name decrypted to show and to confirm. The baseline is the same queries on the same members in
 * clear, before the keys, in the same run.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createKeyring,
  type MemberSearchQuery,
  openLedger,
  openMemberRegistry,
  seedDemo,
} from '../../db/index';
import { type Emit, progress, quantile, since, timeEach } from './harness';

const MEMBERS = 200_000;
const SAMPLES = 1_000;

type Build = (db: ReturnType<typeof openLedger>['sqlite'], count: number) => void;

export async function sealedNamesBench(emit: Emit, dir: string, build: Build): Promise<void> {
  const ledger = openLedger({ path: join(dir, 'sealed.sqlite'), checkpointIntervalMs: 0 });
  try {
    seedDemo(ledger, { now: Date.UTC(2026, 0, 1) });
    build(ledger.sqlite, MEMBERS);
    const plain = openMemberRegistry(ledger);
    const rows = ledger.sqlite
      .prepare<[number], { name: string; phone: string }>(
        'SELECT name, phone FROM member_profiles WHERE phone IS NOT NULL ORDER BY random() LIMIT ?',
      )
      .all(SAMPLES);
    const queries = {
      prefix: rows.map(
        (r, i): MemberSearchQuery => ({ text: [...r.name].slice(0, 1 + (i % 2)).join(''), by: 'name' }),
      ),
      contains: rows.map(
        (r, i): MemberSearchQuery => ({
          text: [...r.name].slice(1, 2 + (i % 2)).join('') || r.name,
          by: 'name',
        }),
      ),
      phone: rows.map(
        (r, i): MemberSearchQuery => ({ text: r.phone.slice(0, [3, 7, 11][i % 3]), by: 'phone' }),
      ),
    };
    const measure = (registry: typeof plain, list: MemberSearchQuery[]) => {
      for (const query of list.slice(0, 100)) registry.searchMembers(query);
      return timeEach(list.length, (i) => void registry.searchMembers(list[i] as MemberSearchQuery));
    };
    const clear = {
      prefix: measure(plain, queries.prefix),
      contains: measure(plain, queries.contains),
      phone: measure(plain, queries.phone),
    };

    const sealing = process.hrtime.bigint();
    const sealed = openMemberRegistry(ledger, {
      fieldKeys: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
    });
    const sealMs = since(sealing);
    progress(`sealed ${MEMBERS} members in ${(sealMs / 1000).toFixed(1)} s`);
    emit({ metric: 'member_seal_rows_per_s', value: Math.round(MEMBERS / (sealMs / 1000)), unit: 'rows/s' });

    for (const kind of ['prefix', 'contains', 'phone'] as const) {
      const samples = measure(sealed, queries[kind]);
      const value = quantile(samples, 0.95);
      const baseline = quantile(clear[kind], 0.95);
      emit({
        metric: `member_search_sealed_${kind === 'phone' ? 'phone' : `name_${kind}`}_p95_ms`,
        value,
        unit: 'ms',
        baseline,
        ratio: value / baseline,
        goal: '< 20',
      });
    }
  } finally {
    ledger.close();
  }
}
