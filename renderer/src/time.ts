/** One way to write an instant on the manager's screens: `2026/03/04 14:05:09`, 24-hour. */
export function formatTime(at: number, timeZone?: string): string {
  return new Date(at).toLocaleString('zh-CN', {
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(timeZone === undefined ? {} : { timeZone }),
  });
}
