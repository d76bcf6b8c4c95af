import { describe, expect, it } from 'vitest';
import { buildAgreementTable, type AgreementTable } from '../agreement/answer-agreement';
import type { RoundAgreement, VersionedCode } from '../model/types';
import {
  compareRounds,
  roundBasisText,
  roundComparisonToCsv,
  roundComparisonToMarkdown,
  rowLabel,
  type ComparedRound,
  type ComparedVersion,
} from './round-comparison';

function code(id: string, parentId: string | null, order: number, name = id, extra: Partial<VersionedCode> = {}): VersionedCode {
  return { id, parentId, name, color: '#009e73', definition: '', inclusion: '', exclusion: '', example: '', order, ...extra };
}

/**
 * A two-coder table where code k is present for both coders on `agree[k]`
 * answers, for one coder only on `disagree[k]`, and absent on the rest of 20.
 */
function table(codes: Record<string, { agree: number; disagree: number }>): AgreementTable {
  const codeIds = Object.keys(codes);
  const answerIds = Array.from({ length: 20 }, (_, i) => `a${i}`);
  return buildAgreementTable(
    {
      answerIds,
      coderIds: ['me', 'you'],
      codeIds,
      present: (coder, answer) =>
        codeIds.filter((id) => {
          const { agree, disagree } = codes[id];
          if (answer < agree) return true;
          return coder === 0 && answer < agree + disagree;
        }),
    },
    { bootstrapSamples: 0 },
  );
}

const v1: ComparedVersion = {
  id: 'v1',
  number: 1,
  label: 'Pilot',
  codes: [code('c', null, 0, 'Challenges'), code('t', 'c', 0, 'Time'), code('w', 'c', 1, 'Workload'), code('o', null, 1, 'Other')],
};
// Version 2: Time merged into Workload, Deadlines split from Workload, Other deleted, Money added.
const v2: ComparedVersion = {
  id: 'v2',
  number: 2,
  label: 'Main',
  codes: [
    code('c', null, 0, 'Challenges'),
    code('w', 'c', 0, 'Workload', { mergedFromIds: ['t'], definition: 'Sharper.' }),
    code('d', 'c', 1, 'Deadlines', { splitFromId: 'w' }),
    code('m', null, 1, 'Money'),
  ],
};

const rounds: ComparedRound[] = [
  {
    roundId: 'r1',
    number: 1,
    name: 'Pilot',
    version: v1,
    table: table({ c: { agree: 6, disagree: 2 }, t: { agree: 5, disagree: 4 }, w: { agree: 4, disagree: 6 }, o: { agree: 1, disagree: 1 } }),
  },
  {
    roundId: 'r2',
    number: 2,
    name: 'Main',
    version: v2,
    table: table({ c: { agree: 8, disagree: 0 }, w: { agree: 7, disagree: 1 }, d: { agree: 3, disagree: 1 } }),
  },
];

describe('compareRounds', () => {
  const comparison = compareRounds(rounds);
  const row = (id: string) => comparison.rows.find((r) => r.codeId === id)!;
  const alpha = (id: string, round: number) => {
    const a = row(id).cells[round].alpha;
    return a && 'value' in a ? a.value : null;
  };
  const alphaOf = (t: AgreementTable, id: string) => {
    const a = t.rows.find((r) => r.codeId === id)!.statistics.krippendorffAlpha;
    return 'value' in a ? a.value : null;
  };

  it('has one row per code of the latest version, in tree order with depth', () => {
    expect(comparison.rows.map((r) => [r.code, r.depth])).toEqual([
      ['Challenges', 0],
      ['Challenges › Workload', 1],
      ['Challenges › Deadlines', 1],
      ['Money', 0],
    ]);
  });

  it('matches codes by id across rounds', () => {
    expect(alpha('c', 0)).toBe(alphaOf(rounds[0].table!, 'c'));
    expect(alpha('c', 1)).toBe(alphaOf(rounds[1].table!, 'c'));
    expect(row('c').cells[0]).toMatchObject({ note: '', sourceCodeId: 'c', units: 20 });
  });

  it('notes a code merged in later as separate in the earlier round', () => {
    expect(alpha('w', 0)).toBe(alphaOf(rounds[0].table!, 'w'));
    expect(row('w').cells[0].note).toBe('“Challenges › Time” was a separate code then (merged into this one in version 2).');
    expect(row('w').cells[1].note).toBe('');
  });

  it('shows a split code under its origin before the split', () => {
    expect(row('d').cells[0]).toMatchObject({ sourceCodeId: 'w', note: 'As “Challenges › Workload”, before this code was split from it in version 2.' });
    expect(alpha('d', 0)).toBe(alphaOf(rounds[0].table!, 'w'));
    expect(alpha('d', 1)).toBe(alphaOf(rounds[1].table!, 'd'));
  });

  it('leaves a code added later empty in the earlier round', () => {
    expect(row('m').cells[0]).toEqual({ alpha: null, kappa: null, units: null, sourceCodeId: null, note: 'Not in this round’s codebook.' });
    expect(row('m').cells[1].note).toBe('Not compared in this round.');
  });

  it('reports a code that did not exist yet under the code merged into it', () => {
    const v3: ComparedVersion = { id: 'v3', number: 3, label: '', codes: [code('y', null, 0, 'Y', { mergedFromIds: ['t', 'o'] })] };
    const later = compareRounds([rounds[0], { roundId: 'r3', number: 3, name: '', version: v3, table: table({ y: { agree: 9, disagree: 1 } }) }]);
    expect(later.rows[0].cells[0]).toMatchObject({
      sourceCodeId: 't',
      note: 'As “Challenges › Time”, merged into this code in version 3. “Other” was also merged into it.',
    });
  });

  it('uses a row for the code itself when the earlier round was computed on today’s codes', () => {
    const recomputed: ComparedRound = {
      ...rounds[0],
      table: table({ c: { agree: 6, disagree: 2 }, w: { agree: 9, disagree: 4 }, d: { agree: 2, disagree: 2 } }),
    };
    const now = compareRounds([recomputed, rounds[1]]);
    const cell = (id: string) => now.rows.find((r) => r.codeId === id)!.cells[0];
    expect(cell('d')).toMatchObject({
      sourceCodeId: 'd',
      note: 'Not in this round’s codebook: split from “Challenges › Workload” in version 2; computed on the codings as they are now.',
    });
    expect(cell('d').units).toBe(20);
    const v3: ComparedVersion = { id: 'v3', number: 3, label: '', codes: [code('y', null, 0, 'Y', { mergedFromIds: ['t', 'o'] })] };
    const merged = compareRounds([
      { ...rounds[0], table: table({ y: { agree: 9, disagree: 1 } }) },
      { roundId: 'r3', number: 3, name: '', version: v3, table: null },
    ]);
    expect(merged.rows[0].cells[0]).toMatchObject({
      sourceCodeId: 'y',
      note: 'Not in this round’s codebook: formed by merging “Challenges › Time”, “Other” into it in version 3; computed on the codings as they are now.',
    });
    expect(merged.rows[0].cells[1]).toMatchObject({ alpha: null, note: 'Not compared in this round.' });
  });

  it('diffs the versions of consecutive rounds', () => {
    expect(comparison.steps).toHaveLength(1);
    expect(comparison.steps[0].changes.map((c) => `${c.kind}:${c.code}`)).toEqual([
      'merged:Challenges › Time',
      'split:Challenges › Deadlines',
      'added:Money',
      'deleted:Other',
      'definition:Challenges › Workload',
    ]);
    expect(compareRounds([rounds[0], { ...rounds[0], roundId: 'again' }]).steps).toEqual([]);
    expect(compareRounds([])).toEqual({ rounds: [], rows: [], steps: [] });
  });
});

describe('exports', () => {
  const comparison = compareRounds(rounds);

  it('writes Markdown with the table, numbered notes and the codebook changes between rounds', () => {
    const markdown = roundComparisonToMarkdown(comparison);
    const lines = markdown.split('\n');
    expect(lines[2]).toBe('| Code | Round 1 (Pilot), version 1: α | κ | n | Round 2 (Main), version 2: α | κ | n |');
    expect(markdown).toContain('| Money | — [3] | — | — | — [4] | — | — |');
    expect(markdown).toContain('1. Challenges › Workload, Round 1 (Pilot): “Challenges › Time” was a separate code then (merged into this one in version 2).');
    expect(markdown).toContain('### Between Round 1 (Pilot) and Round 2 (Main): codebook changes from version 1 (Pilot) to version 2 (Main)');
    expect(markdown).toContain('- Merged “Challenges › Time” into “Challenges › Workload”');
  });

  it('writes CSV with four columns per round', () => {
    const [basis1, basis2, header, first] = roundComparisonToCsv(comparison).split('\r\n');
    expect([basis1, basis2]).toEqual(['# Round 1 (Pilot): recomputed on today’s codings', '# Round 2 (Main): recomputed on today’s codings']);
    expect(header.split(',')).toHaveLength(1 + 4 * 2);
    expect(header).toContain("Round 1 (Pilot) version 1: Krippendorff's alpha");
    expect(first.startsWith('Challenges,')).toBe(true);
  });
});

describe('compareRounds with stored agreement', () => {
  const record = (versionId: string, rows: Record<string, number>, computedAt = Date.UTC(2026, 11, 5, 12)): RoundAgreement => ({
    computedAt,
    coderIds: ['me', 'you'],
    codebookVersionId: versionId,
    includeSubcodes: true,
    uncodedAs: 'absent',
    answers: 20,
    rows: Object.entries(rows).map(([codeId, alpha]) => ({ codeId, alpha, kappa: alpha - 0.01, units: 20, prevalence: 0.3 })),
  });
  // Version 2 without the split and the addition: Time merged into Workload, Other deleted.
  const merged: ComparedVersion = {
    id: 'v2',
    number: 2,
    label: 'Main',
    codes: [code('c', null, 0, 'Challenges'), code('w', 'c', 0, 'Workload', { mergedFromIds: ['t'] })],
  };
  // Today's codings: Time's codings now sit under Workload, so a table computed now has no row for Time.
  const today = table({ c: { agree: 6, disagree: 2 }, w: { agree: 9, disagree: 10 } });
  const stored: ComparedRound[] = [
    { roundId: 'r1', number: 1, name: 'Pilot', version: v1, table: today, stored: { record: record('v1', { c: 0.7, t: 0.61, w: 0.5, o: 0.2 }), version: v1 } },
    { roundId: 'r2', number: 2, name: 'Main', version: merged, table: null, stored: { record: record('v2', { c: 0.9, w: 0.84 }), version: merged } },
  ];
  const comparison = compareRounds(stored);
  const row = (id: string) => comparison.rows.find((r) => r.codeId === id)!;
  const alpha = (id: string, round: number) => {
    const a = row(id).cells[round].alpha;
    return a && 'value' in a ? a.value : null;
  };

  it('shows a code merged away after round 1 under the code it went into, with round 1’s stored α, not a recomputation', () => {
    expect(comparison.rows.map((r) => [r.codeId, r.depth])).toEqual([
      ['c', 0],
      ['w', 1],
      ['t', 2],
      ['o', 0],
    ]);
    expect([alpha('t', 0), alpha('t', 1)]).toEqual([0.61, null]);
    expect(row('t').cells[0].kappa).toEqual({ value: 0.6 });
    expect(row('t').gone).toEqual({ mergedInto: 'w', note: 'Merged into “Challenges › Workload” in version 2; shown as the rounds measured it then.' });
    expect(rowLabel(row('t'))).toBe('Challenges › Time (merged into “Challenges › Workload” in version 2; shown as the rounds measured it then)');
    // Workload's own round 1 figure is the stored one (the table computed today would say otherwise).
    expect([alpha('w', 0), alpha('w', 1)]).toEqual([0.5, 0.84]);
    expect(row('w').cells[0].note).toBe('“Challenges › Time” was a separate code then (merged into this one in version 2; its own row follows).');
    expect(row('o').gone).toEqual({ mergedInto: null, note: 'No longer in the codebook (deleted in version 2).' });
    expect(alpha('o', 0)).toBe(0.2);
  });

  it('says which computation each round shows, in the table and the exports', () => {
    expect(roundBasisText(stored[0])).toBe('as computed on 5 Dec 2026, codebook version 1');
    expect(roundBasisText({ table: today })).toBe('recomputed on today’s codings');
    const markdown = roundComparisonToMarkdown(comparison);
    expect(markdown).toContain('- Round 1 (Pilot): as computed on 5 Dec 2026, codebook version 1.');
    expect(markdown).toContain(
      '| Challenges › Time (merged into “Challenges › Workload” in version 2; shown as the rounds measured it then) | 0.610 | 0.600 | 20 | — | — | — |',
    );
    expect(roundComparisonToCsv(comparison).split('\r\n')[0]).toBe('# Round 1 (Pilot): as computed on 5 Dec 2026, codebook version 1');
  });

  it('follows lineage from the version the record was computed with, not the round’s own', () => {
    // Round 1 was drawn with version 1 but computed after Time was merged (version 2 in force then).
    const late = compareRounds([{ ...stored[0], stored: { record: record('v2', { c: 0.7, w: 0.66 }), version: merged } }, stored[1]]);
    expect(late.rows.map((r) => r.codeId)).toEqual(['c', 'w']);
    expect(late.rows[1].cells[0]).toMatchObject({ alpha: { value: 0.66 }, note: '' });
  });
});
