/**
 * One way to write instants and days on the manager's screens, the same as the paper: `2026-03-04 14:05:09`,
 * 24-hour, and `2026-03-04` for a day, in the store's time zone when the screen knows it.
 */
function parts(at: number, timeZone: string | undefined, withTime: boolean): Record<string, string> {
  const found: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    ...(timeZone === undefined ? {} : { timeZone }),
  });
  for (const part of format.formatToParts(new Date(at))) found[part.type] = part.value;
  return found;
}

export function formatTime(at: number, timeZone?: string): string {
  const p = parts(at, timeZone, true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function formatDay(at: number, timeZone?: string): string {
  const p = parts(at, timeZone, false);
  return `${p.year}-${p.month}-${p.day}`;
}
