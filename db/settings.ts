/** Small durable key-value settings (device pairing, sync cursor and keys), stored as JSON. */
import type { Context } from './context';
import { requireText } from './context';
import { LedgerError } from './errors';
import type { SettingsStore } from './types';

export function settingsStore(ctx: Context): SettingsStore {
  const { db } = ctx;
  const q = {
    get: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    set: db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    delete: db.prepare('DELETE FROM settings WHERE key = ?'),
  };
  return {
    get<T>(key: string): T | undefined {
      const row = q.get.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set(key: string, value: unknown): void {
      requireText(key, 'key', 200);
      const json = JSON.stringify(value);
      if (json === undefined) {
        throw new LedgerError('INPUT_INVALID', 'a setting must be JSON-serialisable', { details: { key } });
      }
      q.set.run(key, json, ctx.now());
    },
    delete(key: string): void {
      q.delete.run(key);
    },
  };
}
