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
 * A round's figures are, preferably, those stored when it was computed (the
 * round's `stored` record: its code ids belong to the codebook version in force
 * then), so a code merged away since still has its value: it gets a row of its
 * own under the code it went into ("merged into … in version N"), and a code
 * deleted since one at the end. A round's table may also have been computed
 * after the fact on today's codes (a merge or split moves the codings, so an
 * earlier round recomputed now sees them under their new codes): a row for the
 * code itself is then used as it is, and the note tells its history.
 */
import type { AgreementTable, AgreementRow } from '../agreement/answer-agreement';
import { csvNumber, toCsv, type CsvValue } from '../agreement/csv-cell';
import type { StatResult } from '../agreement/errors';
import type { RoundAgreement, VersionedCode } from '../model/types';
import { computedOnText } from '../rounds/round-agreement';
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
  /** The round's agreement table computed now; null when it could not be computed (or `stored` is used). */
  table: AgreementTable | null;
  /** The agreement stored when the round was computed, with the version its code ids belong to; used before `table`. */
  stored?: { record: RoundAgreement; version: ComparedVersion };
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
  /** Path of names in the latest version (for a code no longer in it: in the last version that had it). */
  code: string;
  /** The code's own name (the last part of the path). */
  name: string;
  depth: number;
  cells: RoundCell[];
  /** A code no longer in the codebook: the code it was merged into (its row comes just before), or null when deleted. */
  gone?: { mergedInto: string | null; note: string };
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

function statsOfRow(row: AgreementRow): { alpha: StatResult | null; kappa: StatResult | null; units: number } {
  return { alpha: row.statistics.krippendorffAlpha, kappa: row.statistics.cohenKappa, units: row.pairableUnits };
}

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

  type Stats = { alpha: StatResult | null; kappa: StatResult | null; units: number };
  const statOf = (value: number | null): StatResult | null => (value === null ? null : { value });
  const rowsByRound = rounds.map((r) => {
    const map = new Map<string, Stats>();
    if (r.stored) {
      for (const row of r.stored.record.rows) map.set(row.codeId, { alpha: statOf(row.alpha), kappa: statOf(row.kappa), units: row.units });
      return map;
    }
    for (const row of r.table?.rows ?? []) if (row.codeId !== null) map.set(row.codeId, statsOfRow(row));
    return map;
  });
  /** The codebook a round's figures belong to: the stored record's version, or the round's own. */
  const thenOf = (round: ComparedRound) => round.stored?.version ?? round.version;

  const rows: ComparisonRow[] = latest.ordered().map((code) => {
    const cells = rounds.map((round, i): RoundCell => {
      const thenVersion = thenOf(round);
      const then = codesOf(thenVersion);
      const thenTree = new VersionTree(thenVersion.codes);
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
        return { ...row, sourceCodeId: id, note };
      };
      const mergedThen = (code.mergedFromIds ?? []).filter((id) => then.has(id));
      const mergedWhen = (id: string) =>
        firstVersionWhere(thenVersion, (codes) => !codes.has(id) && [...codes.values()].some((c) => c.mergedFromIds?.includes(id)));

      if (then.has(code.id)) {
        const separate = mergedThen.map(
          (id) =>
            `${name(id)} was a separate code then (merged into this one${mergedWhen(id)}${round.stored && rowsByRound[i].has(id) ? '; its own row follows' : ''}).`,
        );
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
      const arrived = firstVersionWhere(thenVersion, (codes) => codes.has(code.id));
      // The round was computed on today's codes (a merge or split moved the codings): its own row, with the history in words.
      if (!round.stored && rowsByRound[i].has(code.id)) {
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

  // Codes a stored round measured that are no longer in the codebook: under the code they were merged into, or at the end.
  const latestIds = latest.byId;
  const mergedInto = new Map<string, string>();
  for (const v of [...ordered, rounds[rounds.length - 1].version])
    for (const c of v.codes) for (const from of c.mergedFromIds ?? []) if (from !== c.id) mergedInto.set(from, c.id);
  const destination = (id: string): string | null => {
    const seen = new Set<string>();
    let at = id;
    while (!latestIds.has(at)) {
      const next = mergedInto.get(at);
      if (next === undefined || seen.has(next)) return null;
      seen.add(at);
      at = next;
    }
    return at;
  };
  const goneIds: string[] = [];
  rounds.forEach((round, i) => {
    if (!round.stored) return;
    for (const id of rowsByRound[i].keys()) if (!latestIds.has(id) && !goneIds.includes(id)) goneIds.push(id);
  });
  const lastSeen = (id: string): ComparedVersion =>
    [...ordered].reverse().find((v) => codesOf(v).has(id)) ?? rounds.map(thenOf).find((v) => codesOf(v).has(id)) ?? rounds[0].version;
  const goneRow = (id: string, into: string | null): ComparisonRow => {
    const seenIn = lastSeen(id);
    const tree = new VersionTree(seenIn.codes);
    const when = firstVersionWhere(seenIn, (codes) => !codes.has(id));
    const note =
      into === null ? `No longer in the codebook (deleted${when}).` : `Merged into ${q(latest.path(into))}${when}; shown as the rounds measured it then.`;
    const cells = rounds.map((round, i): RoundCell => {
      const stats = round.stored ? rowsByRound[i].get(id) : undefined;
      return stats ? { ...stats, sourceCodeId: id, note: '' } : { alpha: null, kappa: null, units: null, sourceCodeId: null, note: '' };
    });
    const depth = into === null ? 0 : (latest.depth.get(into) ?? 0) + 1;
    return { codeId: id, code: tree.path(id), name: tree.byId.get(id)?.name ?? id, depth, cells, gone: { mergedInto: into, note } };
  };
  for (const id of goneIds) {
    const into = destination(id);
    const row = goneRow(id, into);
    if (into === null) {
      rows.push(row);
      continue;
    }
    // After the destination and whatever was already placed under it.
    let at = rows.findIndex((r) => r.codeId === into) + 1;
    while (at < rows.length && rows[at].gone?.mergedInto === into) at++;
    rows.splice(at, 0, row);
  }

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

/** Which computation a round's figures come from: "as computed on 5 Dec 2026, codebook version 2", or recomputed now. */
export function roundBasisText(round: Pick<ComparedRound, 'stored' | 'table'>): string {
  if (round.stored) return computedOnText(round.stored.record.computedAt, round.stored.version.number);
  return round.table ? 'recomputed on today’s codings' : 'could not be computed';
}

/** A row's code, with what became of it when it is no longer in the codebook. */
export function rowLabel(row: ComparisonRow): string {
  if (!row.gone) return row.code;
  const note = row.gone.note.replace(/\.$/, '');
  return `${row.code} (${note.charAt(0).toLowerCase()}${note.slice(1)})`;
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
    rowLabel(row),
    ...row.cells.flatMap((cell): CsvValue[] => [statCsv(cell.alpha), statCsv(cell.kappa), cell.units, cell.note]),
  ]);
  // Which computation each round's figures are, as the leading # block the agreement exports use for their scope.
  const basis = comparison.rounds.map((round) => `# ${roundTitle(round).replace(/[\r\n]+/g, ' ')}: ${roundBasisText(round)}\r\n`).join('');
  return basis + toCsv([header, ...body], { quoteHash: true });
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
    out.push(`| ${markdownInline(rowLabel(row))} | ${cells.join(' | ')} |`);
  }
  out.push('', "α: Krippendorff's alpha (nominal); κ: Cohen's kappa; n: answers both coders coded.");
  out.push('', ...comparison.rounds.map((round) => `- ${markdownInline(roundTitle(round))}: ${markdownInline(roundBasisText(round))}.`));
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
