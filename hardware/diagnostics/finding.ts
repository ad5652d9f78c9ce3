/**
 * One diagnostic check's result. `problem` and `fix` are stable codes; `messages.ts` turns them into
 * plain words in English or Chinese, filling `{placeholders}` from `params` (paths, group names, commands).
 */

export type Severity = 'ok' | 'info' | 'warning' | 'error';

export interface Finding {
  /** Which check, plus the subject when a check yields one finding per device ("permission:/dev/ttyUSB0"). */
  readonly id: string;
  readonly ok: boolean;
  readonly severity: Severity;
  /** Problem code, or null when the check passed. */
  readonly problem: string | null;
  /** Fix code, or null when nothing needs doing. */
  readonly fix: string | null;
  /** Values the message templates show (path, group, rules file, command…). */
  readonly params: Readonly<Record<string, string>>;
}

export function passed(id: string, params: Record<string, string> = {}): Finding {
  return { id, ok: true, severity: 'ok', problem: null, fix: null, params };
}

export function failed(
  id: string,
  severity: Exclude<Severity, 'ok'>,
  problem: string,
  fix: string,
  params: Record<string, string> = {},
): Finding {
  return { id, ok: false, severity, problem, fix, params };
}
