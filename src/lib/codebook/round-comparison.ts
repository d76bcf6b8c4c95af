/**
 * Agreement per code across double-coding rounds, side by side, so an author
 * can write "after round 1 we merged X into Y and sharpened Z's definition; α
 * rose from 0.61 to 0.84".
 *
 * Rows are the codes of the latest round's codebook version. An earlier round's
 * value for a code is found by id, or through lineage:
 * - a code that did not exist yet because other codes were merged into it later
 *   shows the merged code's value (the first, when several), with a note;
 * - a code split off later shows its origin's value, with a note, since its
 *   answers were coded under the origin then;
 * - where the code was its own code but others were merged into it later, the
 *   note says they were counted separately in that round.
 * A round's table may also have been computed after the fact on today's codes
 * (a merge or split moves the codings, so an earlier round recomputed now sees
 * them under their new codes): a row for the code itself is then used as it
 * is, and the note tells its history.
 */
import type { AgreementTable, AgreementRow } from '../agreement/answer-agreement';
import { csvNumber, toCsv, type CsvValue } from '../agreement/csv-cell';
import type { StatResult } from '../agreement/errors';
import type { VersionedCode } from '../model/types';
import { codebookDiffToMarkdown, diffCodebookVersions, markdownInline, VersionTree, type CodebookChange } from './version-diff';

export interface ComparedVersion {
  id: string;
  number: number;
  label: string;
  codes: readonly VersionedCode[];
}

export interface ComparedRound {
  roundId: string;
  number: number;
  name: string;
  version: ComparedVersion;
  /** The round's agreement table; null when it could not be computed. */
  table: AgreementTable | null;
}

export interface RoundCell {
  alpha: StatResult | null;
  kappa: StatResult | null;
  /** Answers both coders coded. */
  units: number | null;
  /** The code whose agreement the cell shows: the row's code, a code later merged into it, or the code it was later split from. */
  sourceCodeId: string | null;
  /** Plain text; empty when the value is simply the row's own code. */
  note: string;
}

export interface ComparisonRow {
  codeId: string;
  /** Path of names in the latest version. */
  code: string;
  /** The code's own name (the last part of the path). */
  name: string;
  depth: number;
  cells: RoundCell[];
}

export interface VersionStep {
  /** Indices into `rounds`. */
  fromRound: number;
  toRound: number;
  older: ComparedVersion;
  newer: ComparedVersion;
  changes: CodebookChange[];
}

export interface RoundComparison {
  rounds: readonly ComparedRound[];
  rows: ComparisonRow[];
  /** The diff between the versions of consecutive rounds, where they differ. */
  steps: VersionStep[];
}

const q = (text: string) => `“${text}”`;

/**
 * `versions`: every codebook version known (any order), to say in which version
 * a merge or split happened; the rounds' own versions are used when it is left out.
 */
export function compareRounds(rounds: readonly ComparedRound[], versions: readonly ComparedVersion[] = []): RoundComparison {
  if (rounds.length === 0) return { rounds, rows: [], steps: [] };
  const allVersions = new Map<string, ComparedVersion>();
  for (const v of [...versions, ...rounds.map((r) => r.version)]) allVersions.set(v.id, v);
  const ordered = [...allVersions.values()].sort((a, b) => a.number - b.number);
  const latest = new VersionTree(rounds[rounds.length - 1].version.codes);

  const codeSets = new Map<string, Map<string, VersionedCode>>();
  const codesOf = (v: ComparedVersion) => {
    let map = codeSets.get(v.id);
    if (!map) codeSets.set(v.id, (map = new Map(v.codes.map((c) => [c.id, c]))));
    return map;
  };
  /** The first version after `after` in which `test` holds, for "in version N". */
  const firstVersionWhere = (after: ComparedVersion, test: (codes: Map<string, VersionedCode>) => boolean): string => {
    const found = ordered.find((v) => v.number > after.number && test(codesOf(v)));
    return found ? ` in version ${found.number}` : '';
  };

  const rowsByRound = rounds.map((r) => {
    const map = new Map<string, AgreementRow>();
    for (const row of r.table?.rows ?? []) if (row.codeId !== null) map.set(row.codeId, row);
    return map;
  });

  const rows: ComparisonRow[] = latest.ordered().map((code) => {
    const cells = rounds.map((round, i): RoundCell => {
      const then = codesOf(round.version);
      const thenTree = new VersionTree(round.version.codes);
      const name = (id: string) => q(thenTree.path(id));
      const statsOf = (id: string, note: string): RoundCell => {
        const row = rowsByRound[i].get(id);
        if (!row)
          return {
            alpha: null,
            kappa: null,
            units: null,
            sourceCodeId: id,
            note: note === '' ? 'Not compared in this round.' : `${note} Not compared in this round.`,
          };
        return { alpha: row.statistics.krippendorffAlpha, kappa: row.statistics.cohenKappa, units: row.pairableUnits, sourceCodeId: id, note };
      };
      const mergedThen = (code.mergedFromIds ?? []).filter((id) => then.has(id));
      const mergedWhen = (id: string) =>
        firstVersionWhere(round.version, (codes) => !codes.has(id) && [...codes.values()].some((c) => c.mergedFromIds?.includes(id)));

      if (then.has(code.id)) {
        const separate = mergedThen.map((id) => `${name(id)} was a separate code then (merged into this one${mergedWhen(id)}).`);
        return statsOf(code.id, separate.join(' '));
      }
      // A split of a split: follow the origins back until one existed in this round.
      const seen = new Set<string>([code.id]);
      let origin = code.splitFromId;
      while (origin !== undefined && !then.has(origin) && !seen.has(origin)) {
        seen.add(origin);
        const known = origin;
        origin = ordered.map((v) => codesOf(v).get(known)).find((c) => c !== undefined)?.splitFromId;
      }
      const splitFrom = origin !== undefined && then.has(origin) ? origin : null;
      const arrived = firstVersionWhere(round.version, (codes) => codes.has(code.id));
      // The round was computed on today's codes (a merge or split moved the codings): its own row, with the history in words.
      if (rowsByRound[i].has(code.id)) {
        const history =
          mergedThen.length > 0
            ? `formed by merging ${mergedThen.map(name).join(', ')} into it${arrived}`
            : splitFrom !== null
              ? `split from ${name(splitFrom)}${arrived}`
              : `added to the codebook${arrived}`;
        return statsOf(code.id, `Not in this round’s codebook: ${history}; computed on the codings as they are now.`);
      }
      if (mergedThen.length > 0) {
        const [first, ...others] = mergedThen;
        const also = others.length > 0 ? ` ${others.map(name).join(', ')} ${others.length === 1 ? 'was' : 'were'} also merged into it.` : '';
        return statsOf(first, `As ${name(first)}, merged into this code${mergedWhen(first)}.${also}`);
      }
      if (splitFrom !== null) return statsOf(splitFrom, `As ${name(splitFrom)}, before this code was split from it${arrived}.`);
      return { alpha: null, kappa: null, units: null, sourceCodeId: null, note: 'Not in this round’s codebook.' };
    });
    return { codeId: code.id, code: latest.path(code.id), name: code.name, depth: latest.depth.get(code.id) ?? 0, cells };
  });

  const steps: VersionStep[] = [];
  for (let i = 1; i < rounds.length; i++) {
    const older = rounds[i - 1].version;
    const newer = rounds[i].version;
    if (older.id === newer.id) continue;
    steps.push({ fromRound: i - 1, toRound: i, older, newer, changes: diffCodebookVersions(older.codes, newer.codes) });
  }
  return { rounds, rows, steps };
}

// ---------------------------------------------------------------------------
// Exports

export function roundTitle(round: Pick<ComparedRound, 'number' | 'name'>): string {
  return round.name.trim() === '' || round.name.trim() === `Round ${round.number}` ? `Round ${round.number}` : `Round ${round.number} (${round.name.trim()})`;
}

function statText(result: StatResult | null): string {
  return result && 'value' in result ? csvNumber(result.value, 3).numeric : '—';
}

function statCsv(result: StatResult | null): CsvValue {
  return result && 'value' in result ? csvNumber(result.value, 3) : null;
}

export function roundComparisonToCsv(comparison: RoundComparison): string {
  const header: CsvValue[] = ['Code'];
  for (const round of comparison.rounds) {
    const title = `${roundTitle(round)} version ${round.version.number}`;
    header.push(`${title}: Krippendorff's alpha`, `${title}: Cohen's kappa`, `${title}: answers`, `${title}: note`);
  }
  const body = comparison.rows.map((row): CsvValue[] => [
    row.code,
    ...row.cells.flatMap((cell): CsvValue[] => [statCsv(cell.alpha), statCsv(cell.kappa), cell.units, cell.note]),
  ]);
  return toCsv([header, ...body]);
}

export function roundComparisonToMarkdown(comparison: RoundComparison): string {
  const out: string[] = ['## Agreement per code across rounds', ''];
  const header = ['Code'];
  for (const round of comparison.rounds) header.push(`${roundTitle(round)}, version ${round.version.number}: α`, 'κ', 'n');
  out.push(
    `| ${header.map(markdownInline).join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  );
  const notes: string[] = [];
  for (const row of comparison.rows) {
    const cells = row.cells.flatMap((cell, i) => {
      let alpha = statText(cell.alpha);
      if (cell.note !== '') {
        notes.push(`${markdownInline(row.code)}, ${markdownInline(roundTitle(comparison.rounds[i]))}: ${markdownInline(cell.note)}`);
        alpha += ` [${notes.length}]`;
      }
      return [alpha, statText(cell.kappa), cell.units === null ? '—' : String(cell.units)];
    });
    out.push(`| ${markdownInline(row.code)} | ${cells.join(' | ')} |`);
  }
  out.push('', "α: Krippendorff's alpha (nominal); κ: Cohen's kappa; n: answers both coders coded.");
  if (notes.length > 0) out.push('', ...notes.map((note, i) => `${i + 1}. ${note}`));
  for (const step of comparison.steps) {
    out.push(
      '',
      codebookDiffToMarkdown(step.changes, step.older, step.newer, 3)
        .replace(
          /^### Codebook changes/,
          `### Between ${markdownInline(roundTitle(comparison.rounds[step.fromRound]))} and ${markdownInline(roundTitle(comparison.rounds[step.toRound]))}: codebook changes`,
        )
        .trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}
