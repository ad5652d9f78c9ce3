/**
 * Reading a table found by its role and name, as a person reads one: its rows, the row that has a given
 * entry, and a row's cell under a column heading.
 */
import type { Locator } from 'playwright-core';

/** The table's body rows (those with cells, not the heading row). */
export function bodyRows(table: Locator): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('cell') });
}

/** The row that has a cell reading exactly `entry` (an id, a name). */
export function rowWith(table: Locator, entry: string): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('cell', { name: entry, exact: true }) });
}

/** What the row with `entry` shows under the column headed `column`. */
export async function cellOf(table: Locator, entry: string, column: string): Promise<string> {
  const headings = (await table.getByRole('columnheader').allTextContents()).map((text) => text.trim());
  const index = headings.indexOf(column);
  if (index < 0) throw new Error(`no column "${column}" among ${JSON.stringify(headings)}`);
  return ((await rowWith(table, entry).getByRole('cell').nth(index).textContent()) ?? '').trim();
}
