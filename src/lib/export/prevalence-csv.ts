/**
 * The prevalence table as CSV, exactly as the Analysis view shows it: a row
 * per code or theme, per column its count, base, share and Wilson limits (and
 * the weighted share with Kish's effective n when weighted), the Newcombe
 * differences where the view shows them, then the total column. Percentages
 * are numbers 0–100 with one decimal, so R and SPSS read them as numbers.
 *
 * Header notes (lines starting with "#", which R's `read.csv(comment.char =
 * "#")` and pandas' `comment="#"` skip) name the filter, whose codings and
 * the method, so a file found later still says what it counts.
 */
import { csvRow, looksLikeFormula } from '../agreement/csv-cell';
import type { PrevalenceResult } from '../analysis/view-types';

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : Math.round(x * 1000) / 10);

export function prevalenceCsv(table: PrevalenceResult, options: { bom?: boolean; neutraliseFormulas?: boolean } = {}): string {
  // '#' inside a cell is quoted, so a reader that skips the '#' notes does not cut a row at it.
  const cells = { quoteHash: true, neutraliseFormulas: options.neutraliseFormulas !== false };
  const notes = [
    `Prevalence: ${table.unit === 'respondents' ? 'respondents' : 'answers'} coded${table.dimensionLabels.length ? `, by ${table.dimensionLabels.join(' × ')}` : ''}`,
    `Filter: ${table.filterLabel || 'none (every answer)'}`,
    table.basis,
    table.method,
    cells.neutraliseFormulas
      ? 'Text a spreadsheet would run as a formula starts with an apostrophe.'
      : 'Text is written exactly as it is (formulas not neutralised).',
  ].map(noteLine);
  const cellHeader = (name: string) => [
    `${name}: n`,
    `${name}: base`,
    `${name}: %`,
    `${name}: low %`,
    `${name}: high %`,
    ...(table.weighted ? [`${name}: weighted %`, `${name}: weighted low %`, `${name}: weighted high %`, `${name}: effective n`] : []),
  ];
  const header = [table.options.targets === 'themes' ? 'Theme' : 'Code'];
  table.columns.forEach((column, c) => {
    header.push(...cellHeader(column.labels.join(' · ')));
    for (const k of table.comparisons.filter((x) => x.b === c)) header.push(`${k.label}: difference (pts)`, `${k.label}: low (pts)`, `${k.label}: high (pts)`);
  });
  header.push(...cellHeader('All'));
  type Cell = PrevalenceResult['rows'][number]['total'];
  const cellValues = (cell: Cell) => [
    cell.count,
    cell.base,
    pct(cell.share),
    pct(cell.low),
    pct(cell.high),
    ...(table.weighted
      ? [pct(cell.weighted?.estimate), pct(cell.weighted?.low), pct(cell.weighted?.high), cell.weighted ? Math.round(cell.weighted.effectiveN * 10) / 10 : '']
      : []),
  ];
  const lines = [...notes, csvRow(header, cells)];
  for (const row of table.rows) {
    const values: (string | number)[] = [row.label];
    row.cells.forEach((cell, c) => {
      values.push(...cellValues(cell));
      table.comparisons.forEach((k, i) => {
        if (k.b !== c) return;
        const d = row.differences[i];
        values.push(pct(d?.estimate), pct(d?.low), pct(d?.high));
      });
    });
    values.push(...cellValues(row.total));
    lines.push(csvRow(values, cells));
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

/**
 * A "#" note line. It cannot be quoted (R and pandas only skip a line that starts with "#"), so a spreadsheet
 * splits it into cells at its commas (or semicolons, tabs): every piece that would start a formula — a filter
 * value or a question label can — is neutralised, and double quotes become single ones so no piece is parsed
 * as a quoted cell. Notes are our sentences about the table, not data, so this holds whatever the CSV option.
 */
export function noteLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().replaceAll('"', "'");
  return `# ${flat
    .split(/([,;\t])/)
    .map((piece, i) => (i % 2 === 0 && looksLikeFormula(piece.trimStart()) ? piece.replace(/^(\s*)/, "$1'") : piece))
    .join('')}`;
}
