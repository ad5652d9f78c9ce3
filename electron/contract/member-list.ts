/**
 * The 会员 list and win-back: members filtered by tier, segment, last visit and balance, a keyset page at a
 * time (phones masked for everyone); a manager sends picked members a win-back notice, which goes only to
 * those who consented to marketing, and reads who came back.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import type { MemberListCommandName } from './names';
import { entityId, epochMs, fen } from './schemas';

export const MEMBER_SEGMENTS = ['active', 'potential', 'lapsing', 'lost'] as const;
export const memberSegment = z.enum(MEMBER_SEGMENTS);
export type MemberSegmentName = z.infer<typeof memberSegment>;

const days = z.number().int().min(0).max(36_500);
const balanceBound = fen.refine((value) => value >= 0, 'must not be negative');

export const memberListFilter = z
  .object({
    /** A tier id; null lists members without a tier. */
    tierId: z.string().min(1).max(64).nullable().optional(),
    segment: memberSegment.optional(),
    visitedWithinDays: days.optional(),
    absentForDays: days.optional(),
    neverVisited: z.boolean().optional(),
    minBalanceFen: balanceBound.optional(),
    maxBalanceFen: balanceBound.optional(),
    marketingOnly: z.boolean().optional(),
  })
  .strict();
export type MemberListFilterInput = z.infer<typeof memberListFilter>;

export const memberListRow = z.object({
  memberId: entityId,
  name: z.string(),
  phoneMasked: z.string().nullable(),
  tierId: z.string().nullable(),
  tierName: z.string().nullable(),
  balanceFen: fen,
  visits: z.number().int(),
  lastVisitAt: epochMs.nullable(),
  segment: memberSegment,
  marketing: z.boolean(),
});
export type MemberListRowView = z.infer<typeof memberListRow>;

export const winBackCampaignView = z.object({
  campaignId: z.string(),
  staffName: z.string(),
  message: z.string(),
  at: epochMs,
  sent: z.number().int(),
  skippedNoConsent: z.number().int(),
  skippedDeleted: z.number().int(),
  returned: z.array(z.object({ memberId: entityId, name: z.string(), visitAt: epochMs })),
});
export type WinBackCampaignView = z.infer<typeof winBackCampaignView>;

export const memberListCommands = {
  'members.list': {
    summary:
      'One page of members by tier, segment, last visit and balance; pass `next` back for the next page',
    access: 'members.read',
    input: z
      .object({
        filter: memberListFilter.default({}),
        order: z.enum(['recent', 'balance']).default('recent'),
        after: z.string().min(1).max(200).nullable().optional(),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: z.object({
      rows: z.array(memberListRow),
      next: z.string().nullable(),
      tiers: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  },
  'members.winBack': {
    summary:
      'Send picked members a win-back notice through the notice outbox; members without marketing consent are skipped and counted',
    access: 'rules.manage',
    input: z
      .object({
        /** Made by the screen per press, so a resend sends once. */
        campaignId: z.string().min(1).max(64),
        memberIds: z.array(entityId).min(1).max(500),
        message: z.string().trim().min(1).max(200),
      })
      .strict(),
    output: z.object({
      campaignId: z.string(),
      sent: z.number().int(),
      skippedNoConsent: z.number().int(),
      skippedDeleted: z.number().int(),
    }),
  },
  'members.winBackCampaigns': {
    summary: 'The latest win-back campaigns: how many were sent and skipped, and who came back since',
    access: 'reports.read',
    input: z.object({}).strict(),
    output: z.array(winBackCampaignView),
  },
} satisfies Record<MemberListCommandName, CommandDefinition>;
