/**
 * The date ranges the reports offer, as business days (YYYY-MM-DD, the one way dates are written on these
 * screens): today, this week (from Monday), this month, or a custom range. Computed from the store's open
 * business day, which the host gives, never from the browser's clock or zone.
 */
export type Preset = 'today' | 'week' | 'month' | 'custom';

export interface DayRange {
  fromDay: string;
  toDay: string;
}

const DAY_MS = 86_400_000;

/** A YYYY-MM-DD day moved by whole days (UTC arithmetic moves only the date). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding a day. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return shiftDay(day, -weekday);
}

export function presetRange(preset: Exclude<Preset, 'custom'>, today: string): DayRange {
  switch (preset) {
    case 'today':
      return { fromDay: today, toDay: today };
    case 'week':
      return { fromDay: mondayOf(today), toDay: today };
    case 'month':
      return { fromDay: `${today.slice(0, 7)}-01`, toDay: today };
  }
}

/** Which preset a range is, if any, so the picker shows it pressed. */
export function presetOf(range: DayRange, today: string): Preset {
  for (const preset of ['today', 'week', 'month'] as const) {
    const candidate = presetRange(preset, today);
    if (candidate.fromDay === range.fromDay && candidate.toDay === range.toDay) return preset;
  }
  return 'custom';
}

/** An hour of the day as the busy-hours table and the daily report write it: `09:00–09:59`. */
export function hourLabel(hour: number): string {
  const h = String(hour).padStart(2, '0');
  return `${h}:00–${h}:59`;
}
