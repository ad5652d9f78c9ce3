/**
 * The 会员 list and win-back notices. The list is the member registry's keyset page (phones masked for every
 * role); a win-back goes into the notice outbox for consenting members only, and the delivery worker is
 * woken at once so the notices leave without waiting for its next round.
 */
import type { Ledger, MemberRegistry } from '../../../db';
import { openWinBack } from '../../../db/notices/index';
import type { CommandName } from '../../contract';
import type { Handlers } from '../api';
import type { LoyaltyHost } from '../loyalty';
import { staffOf } from './logged-in';

export type MemberListHandlerNames = Extract<
  CommandName,
  'members.list' | 'members.winBack' | 'members.winBackCampaigns'
>;

export function memberListHandlers(deps: {
  ledger: Ledger;
  members: MemberRegistry;
  loyalty: Pick<LoyaltyHost, 'worker'>;
  identity: { storeId: string; terminalId: string };
  now: () => number;
}): Pick<Handlers, MemberListHandlerNames> {
  const winBack = openWinBack(deps.ledger, { now: deps.now, names: deps.members.nameOf });
  return {
    'members.list': ({ filter, order, after, limit }) => {
      const page = deps.members.listMembers({
        filter: {
          ...(filter.tierId === undefined ? {} : { tierId: filter.tierId }),
          ...(filter.segment === undefined ? {} : { segment: filter.segment }),
          ...(filter.visitedWithinDays === undefined ? {} : { visitedWithinDays: filter.visitedWithinDays }),
          ...(filter.absentForDays === undefined ? {} : { absentForDays: filter.absentForDays }),
          ...(filter.neverVisited === undefined ? {} : { neverVisited: filter.neverVisited }),
          ...(filter.minBalanceFen === undefined ? {} : { minBalanceFen: filter.minBalanceFen }),
          ...(filter.maxBalanceFen === undefined ? {} : { maxBalanceFen: filter.maxBalanceFen }),
          ...(filter.marketingOnly === undefined ? {} : { marketingOnly: filter.marketingOnly }),
        },
        order,
        after: after ?? null,
        limit,
        at: deps.now(),
      });
      return { ...page, tiers: deps.members.listTiers() };
    },
    'members.winBack': ({ campaignId, memberIds, message }, { session }) => {
      const staff = staffOf(session);
      const result = winBack.send({
        campaignId,
        storeId: deps.identity.storeId,
        staffId: staff.id,
        memberIds,
        message,
      });
      if (result.sent > 0) void deps.loyalty.worker.tick().catch(() => undefined);
      return result;
    },
    'members.winBackCampaigns': () =>
      winBack.campaigns().map(({ staffId: _staffId, ...campaign }) => campaign),
  };
}
