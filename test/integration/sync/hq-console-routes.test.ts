/**
 * The routes HQ's console reads through, over HTTP on PGlite: its page under a strict CSP; each HQ role sees and
 * changes only what it may (and a refused change is audited); members and cards found across the chain with
 * only a phone's last digits; a settlement by business days split into principal and bonus, exported as CSV
 * and audited; the liability rolled forward per issuing store and checked against the card balances; a
 * resolution's note kept in HQ's audit; and a terminal's audit chain recomputed, showing where it was tampered.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash } from '../../../db/audit-hash';
import type { WireAuditRecord, WireOperation } from '../../../sync';
import { AdminAudit, type RunningHqServer, startHqServer } from '../../../sync/hq';
import { rawRequest } from '../../support/raw-http';
import { adminSession, enrolled, type HqUnderTest, openHq } from './fixtures';

const CARD = 'card-c1';

function money(
  kind: 'top_up' | 'spend',
  storeId: string,
  businessDay: string,
  principal: number,
  bonus: number,
): Record<string, unknown> {
  const card = (part: string) => `card:${CARD}:${part}`;
  const store = (account: string) => `store:${storeId}:${account}`;
  const legs =
    kind === 'top_up'
      ? [
          { debit: store('cash_drawer'), credit: card('principal'), amount: principal, unit: 'fen' },
          ...(bonus > 0
            ? [{ debit: store('bonus_expense'), credit: card('bonus'), amount: bonus, unit: 'fen' }]
            : []),
        ]
      : [
          { debit: card('principal'), credit: store('stored_value_revenue'), amount: principal, unit: 'fen' },
          ...(bonus > 0
            ? [{ debit: card('bonus'), credit: store('bonus_expense'), amount: bonus, unit: 'fen' }]
            : []),
        ];
  return {
    operation: { kind, amountFen: principal + bonus, principalFen: principal, bonusFen: bonus, businessDay },
    card: { id: CARD },
    counterpartCard: null,
    transfers: legs.filter((leg) => leg.amount > 0),
  };
}

function rows(terminalId: string, storeId: string, payloads: [string, unknown][]): WireOperation[] {
  return payloads.map(([kind, payload], index) => ({
    seq: index + 1,
    operationId: `${terminalId}-op-${index + 1}`,
    terminalId,
    storeId,
    kind,
    payload,
    createdAt: Date.now(),
  }));
}

describe('the console routes of HQ', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let admin: Record<string, string>;
  let finance: Record<string, string>;
  let support: Record<string, string>;

  const get = (path: string, headers: Record<string, string>) =>
    rawRequest(`${server.url}${path}`, { headers: { ...headers, host: new URL(server.url).host } });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    rawRequest(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...headers, host: new URL(server.url).host },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await startHqServer({ service: hq.service });
    admin = (await adminSession(hq.database, 'chain_admin')).headers;
    finance = (await adminSession(hq.database, 'finance')).headers;
    support = (await adminSession(hq.database, 'support')).headers;
    await enrolled(hq.service, 'S1-T1', 'S1');
    await enrolled(hq.service, 'S2-T1', 'S2');
    // S1 issues the card and loads it on the 1st; on the 2nd both stores charge it; on the 3rd S2 loads it.
    await hq.service.ingest(
      'S1-T1',
      rows('S1-T1', 'S1', [
        ['member_created', { member: { id: 'm1', name: '陈静', phone: '13800001234' } }],
        ['card_issued', { card: { id: CARD, cardNumber: '8800000000000009', memberId: 'm1' } }],
        ['top_up', money('top_up', 'S1', '2026-03-01', 10_000, 2_000)],
        ['spend', money('spend', 'S1', '2026-03-02', 3_000, 500)],
      ]),
      Date.now(),
    );
    await hq.service.ingest(
      'S2-T1',
      rows('S2-T1', 'S2', [
        ['spend', money('spend', 'S2', '2026-03-02', 4_000, 0)],
        ['top_up', money('top_up', 'S2', '2026-03-03', 1_000, 0)],
      ]),
      Date.now(),
    );
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
  });

  it('serves the console page under a strict content security policy, and its script', async () => {
    const page = await get('/console', {});
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('/console/app.js');
    const script = await get('/console/app.js', {});
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.text.length).toBeGreaterThan(1_000);
  }, 120_000);

  it('lets each role do only its own work, and audits a refused change', async () => {
    const refused = await post('/admin/terminals', finance, { storeId: 'S1', name: '前台 2' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'ROLE_NOT_ALLOWED' } });
    expect((await get('/admin/settlement?from=2026-03-01&to=2026-03-31', support)).status).toBe(403);
    expect((await get('/admin/liability?from=2026-03-01&to=2026-03-31', support)).status).toBe(403);

    const made = await post('/admin/terminals', support, { storeId: 'S1', name: '前台 2' });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({
      terminalId: 'S1-T2',
      qrImage: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
    });
    const svg = Buffer.from((made.body as { qrImage: string }).qrImage.split(',')[1]!, 'base64').toString();
    expect(svg).toContain('<svg');

    const terminals = await get('/admin/terminals', finance);
    expect(terminals.body).toMatchObject({
      terminals: [
        expect.objectContaining({ terminalId: 'S1-T1', lastSeq: 4, enrolledAt: expect.any(Number) }),
        expect.objectContaining({ terminalId: 'S1-T2', enrolledAt: null, codeExpiresAt: expect.any(Number) }),
        expect.objectContaining({ terminalId: 'S2-T1', lastSeq: 2 }),
      ],
    });
    const audit = await new AdminAudit(hq.database).list(20);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'terminal.create',
        outcome: 'refused',
        code: 'ROLE_NOT_ALLOWED',
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'terminal.create', target: 'S1-T2', outcome: 'done' }),
    );
  });

  it('finds a card by its member’s name with only the last four digits of the phone', async () => {
    const found = await get(`/admin/cards?q=${encodeURIComponent('陈')}`, support);
    expect(found.body).toEqual({
      cards: [
        {
          cardId: CARD,
          cardNumber: '8800000000000009',
          memberId: 'm1',
          memberName: '陈静',
          phoneTail: '1234',
          issuerStoreId: 'S1',
          balanceFen: 5_500,
          state: 'active',
        },
      ],
    });
    expect(JSON.stringify(found.body)).not.toContain('13800001234');
    const history = await get(`/admin/cards/${CARD}/history`, support);
    expect(
      (history.body as { history: { kind: string; deltaFen: number | null }[] }).history.map((line) => [
        line.kind,
        line.deltaFen,
      ]),
    ).toEqual([
      ['top_up', 1_000],
      ['spend', -4_000],
      ['spend', -3_500],
      ['top_up', 12_000],
      ['card_issued', null],
    ]);
  });

  it('settles a period of business days in principal and bonus, and audits its export', async () => {
    const settlement = await get('/admin/settlement?from=2026-03-02&to=2026-03-02', finance);
    expect(settlement.body).toEqual({
      period: { from: '2026-03-02', to: '2026-03-02' },
      stores: [
        { storeId: 'S1', kind: 'spend', count: 1, principalFen: -3_000, bonusFen: -500 },
        { storeId: 'S2', kind: 'spend', count: 1, principalFen: -4_000, bonusFen: 0 },
      ],
      interStore: [
        {
          issuerStoreId: 'S1',
          actingStoreId: 'S2',
          redeemedPrincipalFen: 4_000,
          redeemedBonusFen: 0,
          loadedPrincipalFen: 0,
          loadedBonusFen: 0,
          issuerOwesFen: 4_000,
        },
      ],
    });
    const csv = await get('/admin/settlement.csv?from=2026-03-02&to=2026-03-03', finance);
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="settlement_2026-03-02_2026-03-03.csv"',
    );
    expect(csv.text.split('\r\n')).toContain('inter_store,S1,S2,4000,0,1000,0,3000');
    const refused = await get('/admin/settlement?from=2026-03-05&to=2026-03-01', finance);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'PERIOD_INVALID' } });
    const audit = await new AdminAudit(hq.database).list(5);
    expect(audit[0]).toMatchObject({
      action: 'settlement.export',
      outcome: 'done',
      details: expect.objectContaining({ from: '2026-03-02', to: '2026-03-03' }),
    });
  });

  it("rolls the issuing store's liability forward and finds it equal to the cards' balances", async () => {
    const liability = await get('/admin/liability?from=2026-03-02&to=2026-03-02', admin);
    expect(liability.body).toEqual({
      stores: [
        {
          storeId: 'S1',
          cards: 1,
          principal: { openingFen: 10_000, movements: { spend: -7_000 }, closingFen: 3_000 },
          bonus: { openingFen: 2_000, movements: { spend: -500 }, closingFen: 1_500 },
          balanceNowFen: 5_500,
          differenceFen: 0,
        },
      ],
    });
  });

  it('keeps the note an overdraft was resolved with, and refuses a cross-site resolution', async () => {
    await hq.service.ingest(
      'S2-T1',
      [
        {
          ...rows('S2-T1', 'S2', [['spend', money('spend', 'S2', '2026-03-03', 6_000, 0)]])[0]!,
          seq: 3,
          operationId: 'S2-T1-op-3',
        },
      ],
      Date.now(),
    );
    const open = await get('/admin/overdrafts?resolved=0', finance);
    const [flag] = (open.body as { overdrafts: { id: number; amountFen: number; balanceAfterFen: number }[] })
      .overdrafts;
    expect(flag).toMatchObject({ amountFen: 6_000, balanceAfterFen: -500, resolvedAt: null });
    const crossSite = await post(
      `/admin/overdrafts/${flag!.id}/resolve`,
      { ...finance, origin: 'https://evil.example' },
      {},
    );
    expect(crossSite.status).toBe(403);
    const done = await post(`/admin/overdrafts/${flag!.id}/resolve`, finance, { note: '会员补足差额' });
    expect(done.body).toEqual({ resolved: true });
    const resolved = await get('/admin/overdrafts?resolved=1', finance);
    expect((resolved.body as { overdrafts: unknown[] }).overdrafts).toEqual([
      expect.objectContaining({
        id: flag!.id,
        note: '会员补足差额',
        resolvedBy: expect.stringMatching(/^finance-/),
      }),
    ]);
  });

  it("recomputes a terminal's audit chain at HQ and names the first line that was changed there", async () => {
    const lines: WireAuditRecord[] = [];
    let previous: string | null = null;
    for (let id = 1; id <= 3; id += 1) {
      const fields = [
        id,
        Date.now(),
        'operation.top_up',
        'ok',
        null,
        `op-${id}`,
        'staff-1',
        'S1-T1',
        null,
      ] as const;
      const hash = auditHash(previous, [...fields]);
      lines.push({
        id,
        at: fields[1],
        action: fields[2],
        outcome: fields[3],
        code: null,
        operationId: fields[5],
        staffId: fields[6],
        terminalId: fields[7],
        details: null,
        hash,
      });
      previous = hash;
    }
    await hq.service.ingestAudit('S1-T1', lines, Date.now());
    expect((await get('/admin/audit-check?terminal=S1-T1', support)).body).toMatchObject({
      lines: 3,
      brokenAt: null,
    });
    await hq.database.db.execute(
      sql`update hq_audit set action = 'operation.spend' where terminal_id = 'S1-T1' and audit_id = 2`,
    );
    expect((await get('/admin/audit-check?terminal=S1-T1', support)).body).toMatchObject({
      lines: 3,
      brokenAt: 2,
    });
  });
});
