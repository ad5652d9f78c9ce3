/**
 * The 会员 list: filters (tier, segment, last visit, balance, marketing consent), one page at a time with
 * 上一页 / 下一页 (the host pages by key, so the thousandth page is as quick as the first), phones masked.
 * A manager ticks members (the 流失预警 and 已流失 segments are the at-risk list) and sends them a win-back notice.
 */
import { useCallback, useEffect, useState } from 'react';
import type {
  CommandOutput,
  MemberListFilterInput,
  MemberSegmentName,
} from '../../../electron/contract/index';
import { MEMBER_SEGMENTS } from '../../../electron/contract/member-list';
import { asFailure, call, type PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/use-t';
import { formatFen, parseYuan } from '../money';
import { useApp } from '../store/app';
import { formatTime } from '../time';
import { WinBackOutcome, WinBackSend } from './WinBack';

type Page = CommandOutput<'members.list'>;
type Order = 'recent' | 'balance';

const LAST_VISIT = ['any', 'within7', 'within30', 'absent30', 'absent90', 'never'] as const;
type LastVisit = (typeof LAST_VISIT)[number];

export const SEGMENT_LABEL: Record<MemberSegmentName, MessageKey> = {
  active: 'memberList.segment.active',
  potential: 'memberList.segment.potential',
  lapsing: 'memberList.segment.lapsing',
  lost: 'memberList.segment.lost',
};

interface FilterForm {
  tier: string;
  segment: MemberSegmentName | '';
  lastVisit: LastVisit;
  minYuan: string;
  maxYuan: string;
  marketingOnly: boolean;
}

const NO_FILTER: FilterForm = {
  tier: '',
  segment: '',
  lastVisit: 'any',
  minYuan: '',
  maxYuan: '',
  marketingOnly: false,
};

/** The form's choices as the host's filter; a balance that is not an amount is left out. */
function filterOf(form: FilterForm): MemberListFilterInput {
  const minFen = form.minYuan.trim() === '' ? null : parseYuan(form.minYuan);
  const maxFen = form.maxYuan.trim() === '' ? null : parseYuan(form.maxYuan);
  const visit: Record<LastVisit, MemberListFilterInput> = {
    any: {},
    within7: { visitedWithinDays: 7 },
    within30: { visitedWithinDays: 30 },
    absent30: { absentForDays: 30 },
    absent90: { absentForDays: 90 },
    never: { neverVisited: true },
  };
  return {
    ...(form.tier === '' ? {} : { tierId: form.tier === 'none' ? null : form.tier }),
    ...(form.segment === '' ? {} : { segment: form.segment }),
    ...visit[form.lastVisit],
    ...(minFen === null ? {} : { minBalanceFen: minFen }),
    ...(maxFen === null ? {} : { maxBalanceFen: maxFen }),
    ...(form.marketingOnly ? { marketingOnly: true } : {}),
  };
}

export function MemberList({ onOpen }: { onOpen: (memberId: string) => void }) {
  const t = useT();
  const canWinBack = useApp((state) => state.session?.permissions.includes('rules.manage') ?? false);
  const [form, setForm] = useState<FilterForm>(NO_FILTER);
  const [order, setOrder] = useState<Order>('recent');
  const [applied, setApplied] = useState<{ filter: MemberListFilterInput; order: Order }>({
    filter: {},
    order: 'recent',
  });
  // The cursor each page was asked with: the last is the page on screen.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<PosFailure | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [sent, setSent] = useState<CommandOutput<'members.winBack'> | null>(null);
  const after = cursors[cursors.length - 1] ?? null;

  const load = useCallback(async () => {
    try {
      setPage(await call('members.list', { ...applied, after, limit: 50 }));
      setError(null);
    } catch (failure) {
      setError(asFailure(failure));
    }
  }, [applied, after]);

  useEffect(() => {
    void load();
  }, [load]);

  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
    setForm({ ...form, [key]: value });
  const toggle = (memberId: string) => {
    const next = new Set(picked);
    if (next.has(memberId)) next.delete(memberId);
    else next.add(memberId);
    setPicked(next);
  };
  const rows = page?.rows ?? [];

  return (
    <section className="member-list" data-testid="member-list">
      <form
        className="form-row member-filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ filter: filterOf(form), order });
          setCursors([null]);
        }}
      >
        <label className="field">
          {t('memberList.tier')}
          <select
            className="member-filter-select"
            value={form.tier}
            onChange={(e) => set('tier', e.target.value)}
            data-testid="filter-tier"
          >
            <option value="">{t('memberList.any')}</option>
            <option value="none">{t('tier.none')}</option>
            {(page?.tiers ?? []).map((tier) => (
              <option key={tier.id} value={tier.id}>
                {tier.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('memberList.segment')}
          <select
            className="member-filter-select"
            value={form.segment}
            onChange={(e) => set('segment', e.target.value as FilterForm['segment'])}
            data-testid="filter-segment"
          >
            <option value="">{t('memberList.any')}</option>
            {MEMBER_SEGMENTS.map((segment) => (
              <option key={segment} value={segment}>
                {t(SEGMENT_LABEL[segment])}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('memberList.lastVisit')}
          <select
            className="member-filter-select"
            value={form.lastVisit}
            onChange={(e) => set('lastVisit', e.target.value as LastVisit)}
            data-testid="filter-last-visit"
          >
            {LAST_VISIT.map((choice) => (
              <option key={choice} value={choice}>
                {t(`memberList.lastVisit.${choice}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('memberList.minBalance')}
          <input
            className="member-filter-input"
            inputMode="decimal"
            value={form.minYuan}
            onChange={(e) => set('minYuan', e.target.value)}
            data-testid="filter-min-balance"
          />
        </label>
        <label className="field">
          {t('memberList.maxBalance')}
          <input
            className="member-filter-input"
            inputMode="decimal"
            value={form.maxYuan}
            onChange={(e) => set('maxYuan', e.target.value)}
            data-testid="filter-max-balance"
          />
        </label>
        <label className="field">
          {t('memberList.order')}
          <select
            className="member-filter-select"
            value={order}
            onChange={(e) => setOrder(e.target.value as Order)}
            data-testid="filter-order"
          >
            <option value="recent">{t('memberList.order.recent')}</option>
            <option value="balance">{t('memberList.order.balance')}</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.marketingOnly}
            onChange={(e) => set('marketingOnly', e.target.checked)}
            data-testid="filter-marketing"
          />
          {t('memberList.marketingOnly')}
        </label>
        <button type="submit" className="primary" data-testid="filter-apply">
          {t('memberList.apply')}
        </button>
      </form>
      <p className="muted">{t('memberList.definitions')}</p>
      <ErrorNote failure={error} />
      <table className="member-table">
        <thead>
          <tr>
            {canWinBack ? (
              <th>
                <input
                  type="checkbox"
                  aria-label={t('memberList.pickPage')}
                  checked={rows.length > 0 && rows.every((row) => picked.has(row.memberId))}
                  onChange={(e) => {
                    const next = new Set(picked);
                    for (const row of rows) {
                      if (e.target.checked) next.add(row.memberId);
                      else next.delete(row.memberId);
                    }
                    setPicked(next);
                  }}
                  data-testid="pick-page"
                />
              </th>
            ) : null}
            <th>{t('members.name')}</th>
            <th>{t('member.phone')}</th>
            <th>{t('memberList.tier')}</th>
            <th>{t('memberList.balance')}</th>
            <th>{t('memberList.visits')}</th>
            <th>{t('memberList.lastVisit')}</th>
            <th>{t('memberList.segment')}</th>
            <th>{t('memberList.marketing')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.memberId} data-testid="member-row" data-member-id={row.memberId}>
              {canWinBack ? (
                <td>
                  <input
                    type="checkbox"
                    checked={picked.has(row.memberId)}
                    onChange={() => toggle(row.memberId)}
                    aria-label={t('memberList.pick', { name: row.name })}
                    data-testid="pick-member"
                  />
                </td>
              ) : null}
              <td>
                <button type="button" className="link" onClick={() => onOpen(row.memberId)}>
                  {row.name}
                </button>
              </td>
              <td>{row.phoneMasked ?? '—'}</td>
              <td>{row.tierName ?? t('tier.none')}</td>
              <td className="amount">{formatFen(row.balanceFen)}</td>
              <td>{row.visits}</td>
              <td>{row.lastVisitAt === null ? '—' : formatTime(row.lastVisitAt).slice(0, 10)}</td>
              <td data-testid="member-row-segment">{t(SEGMENT_LABEL[row.segment])}</td>
              <td>{row.marketing ? t('members.marketingYes') : t('members.marketingNo')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page !== null && rows.length === 0 ? <p className="muted">{t('members.noResults')}</p> : null}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={cursors.length < 2}
          onClick={() => setCursors(cursors.slice(0, -1))}
          data-testid="page-previous"
        >
          {t('memberList.previous')}
        </button>
        <span className="muted">{t('memberList.pageNumber', { page: String(cursors.length) })}</span>
        <button
          type="button"
          className="secondary"
          disabled={page?.next == null}
          onClick={() => setCursors([...cursors, page?.next ?? null])}
          data-testid="page-next"
        >
          {t('memberList.next')}
        </button>
      </div>
      {canWinBack && picked.size > 0 ? (
        <WinBackSend
          memberIds={[...picked]}
          onSent={(result) => {
            setSent(result);
            setPicked(new Set());
          }}
        />
      ) : null}
      {sent === null ? null : <WinBackOutcome result={sent} />}
    </section>
  );
}
