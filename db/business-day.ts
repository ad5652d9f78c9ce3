/**
 * The business day an instant belongs to: the store's local calendar date, except that the hours before
 * the day-close hour still belong to the previous day (a café open until 02:00 closes its day at 04:00).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD of the business day containing `at` (UTC ms) in `timeZone` with the given day-close hour. */
export function businessDay(at: number, timeZone: string, dayCloseHour: number): string {
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  for (const part of parts) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
  }
  if (hour < dayCloseHour) {
    // Calendar arithmetic on a UTC date avoids any time-zone rule: only the date moves back by one.
    const previous = new Date(Date.UTC(year, month - 1, day - 1));
    year = previous.getUTCFullYear();
    month = previous.getUTCMonth() + 1;
    day = previous.getUTCDate();
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * businessDay with a one-entry memo per zone and close hour. Every zone in use today is offset from UTC by
 * a multiple of 15 minutes, so the business day cannot change inside an aligned 15-minute slot; a till
 * stamping operations one after another stays in the same slot and skips the calendar work.
 */
export function businessDayMemo(timeZone: string, dayCloseHour: number): (at: number) => string {
  const SLOT_MS = 15 * 60_000;
  let slot = Number.NaN;
  let day = '';
  return (at) => {
    const current = Math.floor(at / SLOT_MS);
    if (current !== slot) {
      day = businessDay(at, timeZone, dayCloseHour);
      slot = current;
    }
    return day;
  };
}
