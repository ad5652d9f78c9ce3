/**
 * The admin routes the console reads through (the changes it makes use the audited routes in `admin.ts`):
 *
 *   GET /admin/stores, /admin/terminals, /admin/chain (card keys fingerprint, card format, caps, tiers)
 *   GET /admin/rules (the latest version of each rule HQ published)
 *   GET /admin/cards?q=TEXT, /admin/cards/:id/history
 *   GET /admin/overdrafts?resolved=0|1, /admin/rejections?resolved=0|1 (each with how it was resolved)
 *   GET /admin/settlement?from=D&to=D, /admin/settlement.csv, /admin/settlement.xlsx (exports audited)
 *   GET /admin/liability?from=D&to=D
 *   GET /admin/audit-check?terminal=T (the terminal's audit chain recomputed at HQ)
 */
import QRCode from 'qrcode';
import { SyncError } from '../../errors';
import type { HqRole } from '../accounts';
import type { AdminRoute } from '../admin';
import { liabilityOf } from './liability';
import {
  cardHistory,
  chainFacts,
  checkAuditChain,
  overdraftsOf,
  publishedRules,
  rejectionsOf,
  searchCards,
  terminalsOf,
} from './queries';
import { periodOf, settlementOf } from './settlement';
import { settlementCsv, settlementFileName, settlementXlsx } from './settlement-export';

const EVERYONE: readonly HqRole[] = ['chain_admin', 'finance', 'support'];
const MONEY: readonly HqRole[] = ['chain_admin', 'finance'];

/** A file an admin route answers with instead of JSON. */
export class FileReply {
  constructor(
    readonly body: Buffer | string,
    readonly contentType: string,
    readonly fileName: string,
  ) {}
}

/**
 * The enrolment code drawn as a QR code for a till's scanner (an SVG as a data URL, for an <img>); the code
 * itself is its only content.
 */
export async function withQr<T extends { code: string }>(made: T): Promise<T & { qrImage: string }> {
  const svg = await QRCode.toString(made.code, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { ...made, qrImage: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

function resolvedFlag(url: URL): boolean {
  const value = url.searchParams.get('resolved') ?? '0';
  if (value !== '0' && value !== '1') throw new SyncError('REQUEST_MALFORMED', 'resolved is 0 or 1.');
  return value === '1';
}

function periodFrom(url: URL) {
  return periodOf(url.searchParams.get('from'), url.searchParams.get('to'));
}

export const CONSOLE_ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    path: /^\/admin\/stores$/,
    roles: EVERYONE,
    run: async (_call, { service }) => ({ stores: await service.stores() }),
  },
  {
    method: 'GET',
    path: /^\/admin\/terminals$/,
    roles: EVERYONE,
    run: async (call, { service }) => ({ terminals: await terminalsOf(service.database, call.at) }),
  },
  {
    method: 'GET',
    path: /^\/admin\/chain$/,
    roles: EVERYONE,
    run: async (_call, { service }) => ({
      ...(await chainFacts(service.database)),
      caps: await service.caps(),
      tiers: await service.tiers(),
    }),
  },
  {
    method: 'GET',
    path: /^\/admin\/rules$/,
    roles: EVERYONE,
    run: async (_call, { service }) => ({ rules: await publishedRules(service.database) }),
  },
  {
    method: 'GET',
    path: /^\/admin\/cards$/,
    roles: EVERYONE,
    run: async (call, { service }) => {
      const text = (call.url.searchParams.get('q') ?? '').trim();
      if (text.length > 100) throw new SyncError('REQUEST_MALFORMED', 'The search text is too long.');
      return { cards: await searchCards(service.database, text) };
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/cards\/([^/]+)\/history$/,
    roles: EVERYONE,
    run: async (call, { service }) => {
      const card = await service.card(call.params[0]!);
      if (!card) throw new SyncError('HQ_CARD_UNKNOWN', 'HQ has never seen this card.');
      return { card, history: await cardHistory(service.database, card.cardId) };
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/overdrafts$/,
    roles: EVERYONE,
    run: async (call, { service }) => ({
      overdrafts: await overdraftsOf(service.database, resolvedFlag(call.url)),
    }),
  },
  {
    method: 'GET',
    path: /^\/admin\/rejections$/,
    roles: EVERYONE,
    run: async (call, { service }) => ({
      rejections: await rejectionsOf(service.database, resolvedFlag(call.url)),
    }),
  },
  {
    method: 'GET',
    path: /^\/admin\/settlement$/,
    roles: MONEY,
    run: (call, { service }) => settlementOf(service.database, periodFrom(call.url)),
  },
  {
    method: 'GET',
    path: /^\/admin\/settlement\.csv$/,
    roles: MONEY,
    action: 'settlement.export',
    run: async (call, { service }) => {
      const period = periodFrom(call.url);
      call.auditDetails = { ...period };
      const settlement = await settlementOf(service.database, period);
      return new FileReply(
        settlementCsv(settlement),
        'text/csv; charset=utf-8',
        settlementFileName(settlement, 'csv'),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/settlement\.xlsx$/,
    roles: MONEY,
    action: 'settlement.export',
    run: async (call, { service }) => {
      const period = periodFrom(call.url);
      call.auditDetails = { ...period };
      const settlement = await settlementOf(service.database, period);
      return new FileReply(
        await settlementXlsx(settlement),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        settlementFileName(settlement, 'xlsx'),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/admin\/liability$/,
    roles: MONEY,
    run: async (call, { service }) => ({ stores: await liabilityOf(service.database, periodFrom(call.url)) }),
  },
  {
    method: 'GET',
    path: /^\/admin\/audit-check$/,
    roles: EVERYONE,
    run: (call, { service }) => {
      const terminal = call.url.searchParams.get('terminal') ?? '';
      if (terminal === '') throw new SyncError('REQUEST_MALFORMED', 'terminal is required.');
      return checkAuditChain(service.database, terminal);
    },
  },
];
