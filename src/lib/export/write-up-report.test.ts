import { describe, expect, it } from 'vitest';
import type { DocBlock, TableBlock } from './document';
import { writeUpData, writeUpSource } from './write-up-fixture';
import { codebookSection, dataSection, processSection, roundAgreement } from './write-up-report';

function tables(blocks: DocBlock[]): TableBlock[] {
  return blocks.filter((b): b is TableBlock => b.kind === 'table');
}

function table(blocks: DocBlock[], caption: string | RegExp): TableBlock {
  const found = tables(blocks).find((t) => (typeof caption === 'string' ? t.caption === caption : caption.test(t.caption)));
  if (!found)
    throw new Error(
      `No table "${caption}" among ${tables(blocks)
        .map((t) => t.caption)
        .join(', ')}`,
    );
  return found;
}

const text = (value: unknown) => JSON.stringify(value);

describe('data section', () => {
  const blocks = dataSection(writeUpSource(), { sections: ['data'], groupAttribute: 'role' });

  it('summarises respondents, answers, questions and waves in scope', () => {
    expect(blocks[0]).toEqual({
      kind: 'paragraph',
      runs: [{ text: '8 respondents gave 17 non-blank answers to 2 open questions in 2 waves (Baseline, 6 months).' }],
    });
  });

  it('lists the questions with short label and full text, in project order', () => {
    expect(table(blocks, 'Questions').rows.map((r) => r.cells)).toEqual([
      ['Support', 'What support did your mentor give you, and what difference did it make?'],
      ['Career', 'How has the programme changed your career plans?'],
    ]);
  });

  it('counts respondents by role and wave, in natural order as every other table of the report, with a total row', () => {
    const t = table(blocks, 'Respondents by role and wave');
    expect(t.header).toEqual([[{ text: 'role' }, { text: 'Baseline' }, { text: '6 months' }, { text: 'Any wave' }]]);
    // The attribute lists Mentor first; the findings' columns and the Pairs and Change tables put Mentee first.
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['Mentee', 4, 3, 4],
      ['Mentor', 4, 4, 4],
      ['All respondents', 8, 7, 8],
    ]);
  });

  it('counts answers per question and wave under the short label, never the question text', () => {
    const t = table(blocks, 'Answers per question and wave');
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['Support', 8, 7, 15],
      ['Career', 2, 0, 2],
    ]);
    expect(text(t.header)).not.toContain('What support');
  });

  it('leaves out the parts the author did not choose, and counts by wave alone without an attribute', () => {
    const only = dataSection(writeUpSource(), { sections: ['data'], omit: ['questions', 'answers'] });
    expect(tables(only).map((t) => t.caption)).toEqual(['Respondents by wave']);
    expect(tables(only)[0].rows.map((r) => r.cells)).toEqual([['Respondents', 8, 7, 8]]);
  });

  it('names the filter', () => {
    const filtered = dataSection(writeUpSource({ filter: 'Wave: 6 months' }), { sections: ['data'] });
    expect(text(filtered)).toContain('Filter: Wave: 6 months.');
  });
});

describe('codebook section', () => {
  const blocks = codebookSection(writeUpSource(), { sections: ['codebook'] });

  it('lists every code by path with its definition, no counts and no empty criteria columns', () => {
    const t = table(blocks, 'Codes and definitions');
    expect(t.header).toEqual([[{ text: 'Code' }, { text: 'Definition' }]]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['Rewards', 'Benefits of taking part.'],
      ['Rewards › Career', 'Promotion, new roles.'],
      ['Support', 'Help given by the mentor.'],
      ['Unused', ''],
    ]);
  });

  it('gives the version history with what changed between versions', () => {
    const t = table(blocks, 'Codebook versions');
    expect(t.rows.map((r) => r.cells)).toEqual([
      [1, 'Round 1', '2026-01-10', 3, ''],
      [2, 'After the pilot', '2026-01-20', 4, '1 code added; 1 definition changed'],
    ]);
  });
});

describe('coding process section', () => {
  const blocks = processSection(writeUpSource(), { sections: ['process'] }, { bootstrapSamples: 200 });

  it('lists the coders with what they coded', () => {
    expect(table(blocks, 'Coders').rows.map((r) => r.cells)).toEqual([
      ['Alice', 5, 5],
      ['Bob', 3, 3],
    ]);
  });

  it('describes each round: answers, coders, codebook version, strata', () => {
    expect(table(blocks, 'Double-coding rounds').rows.map((r) => r.cells)).toEqual([['1. Pilot', '2026-01-10', 4, 'Alice and Bob', '1', 'role']]);
  });

  it('gives α per code with its bootstrap interval, computed as the agreement view does, and leaves out codes nobody applied', () => {
    const t = table(blocks, /^Agreement per code, round 1 \(Pilot\)/);
    const rows = t.rows.map((r) => r.cells);
    // Support: Alice on m1, m2; Bob on m1, m2, m3; four answers. Nominal α = 1 − (2/8) / (2·5·3 / (8·7)) = 0.533.
    const support = rows.find((r) => r[0] === 'Support')!;
    expect(support.slice(0, 4)).toEqual(['Support', 4, 3, '0.53']);
    expect(support[4]).toMatch(/^-?\d\.\d\d to \d\.\d\d$/);
    // Rewards with its subcode Career: Alice on m3 only. α = 1 − (2/8) / (2·7·1 / 56) = 0.
    expect(rows.find((r) => r[0] === 'Rewards (with subcodes)')?.slice(0, 4)).toEqual(['Rewards (with subcodes)', 4, 1, '0.00']);
    expect(rows.some((r) => r[0] === 'Unused')).toBe(false);
    expect(rows.at(-1)?.[0]).toBe('Top-level codes (pooled)');
    expect(t.notes?.[0]).toContain('200 resamples');
    expect(t.notes?.[0]).toContain('One code neither coder applied in the round is not listed.');
  });

  it('matches the agreement module run directly on the round', () => {
    const data = writeUpData();
    const result = roundAgreement(data, data.rounds![0], 0)!;
    const support = result.rows.find((r) => r.codeId === 'S')!;
    expect('value' in support.statistics.krippendorffAlpha && support.statistics.krippendorffAlpha.value).toBeCloseTo(1 - 0.25 / (30 / 56), 10);
  });

  it('counts adjudications by decision and prints the method sentences', () => {
    const all = text(blocks);
    expect(all).toContain('1 answer where the coders disagreed was adjudicated: 1 kept the first coder');
    expect(all).toContain("Wilson's score method");
    expect(all).toContain('Newcombe');
  });

  it('neither names nor measures a coder the project as given does not hold (a blind coder’s view)', () => {
    const data = writeUpData();
    // As AnalysisProject.blindTo gives it: the one coder, their codings, no resolutions.
    const blind = { ...data, coders: data.coders.filter((c) => c.id === 'bob'), codings: data.codings.filter((c) => c.coderId === 'bob'), resolutions: [] };
    const shown = processSection(writeUpSource({ data: blind, blind: true, codingSet: 'Coding set: your codings' }), { sections: ['process'] });
    expect(text(shown)).not.toContain('Alice');
    expect(tables(shown).some((t) => t.caption.startsWith('Agreement'))).toBe(false);
    expect(text(shown)).toContain('Agreement in round 1 is not shown');
    expect(table(shown, 'Double-coding rounds').rows[0].cells[3]).toBe('another coder and Bob');
  });

  it('says a coder is no longer in the project, not hidden, when the report is not blind', () => {
    const data = writeUpData();
    const gone = { ...data, coders: data.coders.filter((c) => c.id === 'bob') };
    const shown = processSection(writeUpSource({ data: gone }), { sections: ['process'] });
    expect(text(shown)).not.toContain('hidden while coding blind');
    expect(text(shown)).toContain('Agreement in round 1 is not shown: one of its two coders is no longer in the project');
    expect(table(shown, 'Double-coding rounds').rows[0].cells[3]).toBe('a coder no longer in the project and Bob');
  });

  it('pools the top-level codes only, as the Agreement view does by default: a subcode never counts twice', () => {
    const data = writeUpData();
    const result = roundAgreement(data, data.rounds![0], 0)!;
    // Rewards (with Career), Support, Unused on 4 answers; Career alone is a row of its own but not in the pool.
    expect(result.pooledCodeIds).toEqual(['R', 'S', 'U']);
    expect(result.pooled.pairableUnits).toBe(12);
    expect(result.rows.map((r) => r.codeId)).toEqual(['R', 'C', 'S', 'U']);
    const t = table(processSection(writeUpSource({ data }), { sections: ['process'] }, { bootstrapSamples: 0 }), /^Agreement per code/);
    expect(t.rows.at(-1)?.cells.slice(0, 2)).toEqual(['Top-level codes (pooled)', 12]);
    expect(t.notes?.[0]).toContain('The pooled row stacks the top-level codes (Rewards, Support, Unused), each with its subcodes,');
  });

  it('counts the coding process on the whole project, whatever the filter of the other tables', () => {
    const whole = writeUpData();
    // As AnalysisProject.filtered gives it for "Wave: 6 months": no round answer, one coding left.
    const answers = whole.answers.filter((a) => a.waveId === 'm6');
    const kept = new Set(answers.map((a) => a.id));
    const filtered = { ...whole, answers, codings: whole.codings.filter((c) => kept.has(c.answerId)) };
    expect(filtered.codings).toHaveLength(1);
    const unfiltered = processSection(writeUpSource({ data: whole }), { sections: ['process'] }, { bootstrapSamples: 0 });
    const narrowed = processSection(
      writeUpSource({ data: filtered, processData: whole, filter: 'Wave: 6 months' }),
      { sections: ['process'] },
      { bootstrapSamples: 0 },
    );
    expect(table(narrowed, 'Coders').rows).toEqual(table(unfiltered, 'Coders').rows);
    expect(table(narrowed, /^Agreement per code/).rows).toEqual(table(unfiltered, /^Agreement per code/).rows);
  });

  it('says so when no round was drawn', () => {
    const data = { ...writeUpData(), rounds: [] };
    const none = processSection(writeUpSource({ data }), { sections: ['process'] });
    expect(text(none)).toContain('No double-coding round has been drawn');
    expect(tables(none).some((t) => t.caption.startsWith('Agreement'))).toBe(false);
  });
});
