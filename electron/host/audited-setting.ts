/**
 * A settings change written like every other: in one immediate transaction with a `settings.change` audit line
 * naming the key, the old and the new value and who changed it (a refusal leaves a rejected line with its
 * code). A change that changes nothing writes nothing.
 */
import type { AuditWriter, SettingsStore } from '../../db';

export function changeSetting<T extends object>(options: {
  audit: AuditWriter;
  settings: SettingsStore;
  key: string;
  who: { staffId: string; terminalId: string };
  at: () => number;
  read: () => T;
  change: Partial<T>;
}): T {
  const { audit, who } = options;
  return audit.guarded('settings.change', who, () => {
    const before = options.read();
    const after = { ...before, ...options.change };
    if (JSON.stringify(before) === JSON.stringify(after)) return before;
    options.settings.set(options.key, after);
    audit.write({
      at: options.at(),
      action: 'settings.change',
      outcome: 'ok',
      ...who,
      details: { key: options.key, from: before, to: after },
    });
    return after;
  });
}
