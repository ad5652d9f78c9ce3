import type { RuleTermsInput, RuleView, TierView } from '../../../electron/contract/index';
import type { T } from '../i18n/use-t';
import { formatFen, parseYuan } from '../money';

export const DAY_MS = 86_400_000;

export function day(at: number | null): string {
  if (at === null) return '';
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A date input's day as local midnight. */
export function atDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = new Date(`${text}T00:00:00`).getTime();
  return Number.isNaN(at) ? null : at;
}

export const yuanText = (fen: number) => (fen / 100).toFixed(2);

export function describeRule(t: T, rule: RuleView, tiers: readonly TierView[]): string {
  const parts: string[] = [];
  if (rule.steps !== null) {
    parts.push(
      rule.steps
        .map((s) => t('rules.step', { min: formatFen(s.minFen), bonus: formatFen(s.bonusFen) }))
        .join('，'),
    );
  }
  if (rule.percentBp !== null) parts.push(t('rules.percentOf', { percent: String(rule.percentBp / 100) }));
  if (rule.pointsPerYuan > 0) parts.push(t('rules.pointsOf', { points: String(rule.pointsPerYuan) }));
  if (rule.upgradeMinFen !== null && rule.upgradeTierId !== null) {
    const tier = tiers.find((x) => x.id === rule.upgradeTierId)?.name ?? rule.upgradeTierId;
    parts.push(t('rules.upgradeOf', { min: formatFen(rule.upgradeMinFen), tier }));
  }
  if (rule.perMemberLimit !== null) parts.push(t('rules.limitOf', { count: String(rule.perMemberLimit) }));
  parts.push(
    rule.bonusExpiryDays === null
      ? t('rules.neverExpires')
      : t('rules.expiryOf', { days: String(rule.bonusExpiryDays) }),
  );
  if (rule.eligibleTiers !== null) {
    parts.push(rule.eligibleTiers.map((id) => tiers.find((x) => x.id === id)?.name ?? id).join('/'));
  }
  return parts.join('；');
}

export interface FormState {
  name: string;
  kind: 'steps' | 'percent' | 'none';
  steps: Array<{ min: string; bonus: string }>;
  percent: string;
  points: string;
  upgradeMin: string;
  upgradeTier: string;
  validFrom: string;
  validTo: string;
  eligible: string[];
  limit: string;
  expiry: string;
}

export function formOf(rule: RuleView | null): FormState {
  if (rule === null) {
    return {
      name: '',
      kind: 'steps',
      steps: [{ min: '', bonus: '' }],
      percent: '',
      points: '0',
      upgradeMin: '',
      upgradeTier: '',
      validFrom: day(Date.now()),
      validTo: '',
      eligible: [],
      limit: '',
      expiry: '',
    };
  }
  return {
    name: rule.name,
    kind: rule.steps !== null ? 'steps' : rule.percentBp !== null ? 'percent' : 'none',
    steps: (rule.steps ?? [{ minFen: 0, bonusFen: 0 }]).map((s) => ({
      min: s.minFen === 0 ? '' : yuanText(s.minFen),
      bonus: s.bonusFen === 0 && s.minFen === 0 ? '' : yuanText(s.bonusFen),
    })),
    percent: rule.percentBp === null ? '' : String(rule.percentBp / 100),
    points: String(rule.pointsPerYuan),
    upgradeMin: rule.upgradeMinFen === null ? '' : yuanText(rule.upgradeMinFen),
    upgradeTier: rule.upgradeTierId ?? '',
    validFrom: day(rule.validFrom),
    validTo: day(rule.validTo),
    eligible: rule.eligibleTiers ?? [],
    limit: rule.perMemberLimit === null ? '' : String(rule.perMemberLimit),
    expiry: rule.bonusExpiryDays === null ? '' : String(rule.bonusExpiryDays),
  };
}

/** The form as contract terms, or null when an amount cannot be read. */
export function termsOf(form: FormState): RuleTermsInput | null {
  const validFrom = atDay(form.validFrom);
  if (validFrom === null) return null;
  const count = (text: string) => (text.trim() === '' ? null : Number(text));
  let steps: RuleTermsInput['steps'] = null;
  if (form.kind === 'steps') {
    steps = [];
    for (const step of form.steps) {
      const minFen = parseYuan(step.min);
      const bonusFen = parseYuan(step.bonus);
      if (minFen === null || bonusFen === null) return null;
      steps.push({ minFen, bonusFen });
    }
  }
  const percent = form.kind === 'percent' ? Math.round(Number(form.percent) * 100) : null;
  if (percent !== null && !Number.isFinite(percent)) return null;
  const upgradeMinFen = form.upgradeMin.trim() === '' ? null : parseYuan(form.upgradeMin);
  const validTo = form.validTo.trim() === '' ? null : atDay(form.validTo);
  return {
    name: form.name,
    steps,
    percentBp: percent,
    pointsPerYuan: Number(form.points || '0'),
    upgradeMinFen,
    upgradeTierId: upgradeMinFen === null || form.upgradeTier === '' ? null : form.upgradeTier,
    validFrom,
    validTo: validTo === null ? null : validTo + DAY_MS,
    eligibleTiers: form.eligible.length === 0 ? null : form.eligible,
    perMemberLimit: count(form.limit),
    bonusExpiryDays: count(form.expiry),
  };
}
