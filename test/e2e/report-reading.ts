/**
 * Reading the tables and charts of the manager's screens as a person does: a row by the words in one of its
 * cells, a value by its row and its column's header, a chart by its name. The renderer's tables are named (a
 * caption, or aria-label where a heading says it) and each chart is a figure named by what it shows.
 */
import type { Locator } from 'playwright-core';

/** The body's rows: those with data cells (a header row has only column headers). */
export function bodyRows(table: Locator): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('cell') });
}

/** The row with a cell that reads `name` exactly (the row's label, in the tables here). */
export function rowOf(table: Locator, name: string): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('cell', { name, exact: true }) });
}

/** The cell of row `row` under the column headed `column`. */
export async function cellOf(table: Locator, row: string, column: string): Promise<Locator> {
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const index = headers.indexOf(column);
  if (index < 0) throw new Error(`no column "${column}" among ${headers.join(' | ')}`);
  return rowOf(table, row).getByRole('cell').nth(index);
}

/** A chart once ECharts has drawn its image (ECharts names the image by its data; the figure keeps the name). */
export function drawnChart(scope: Locator, name: string): Locator {
  return scope
    .getByRole('figure', { name, exact: true })
    .getByRole('img')
    .and(scope.page().locator('[data-drawn="true"]'));
}
