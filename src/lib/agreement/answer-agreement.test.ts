// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerUnits,
  buildAgreementTable,
  findDisagreements,
  presenceFromCodings,
  PRESENCE_CATEGORIES,
  type AgreementRow,
  type AnswerCodings,
} from './answer-agreement';
import { tryStatistic, type StatResult } from './errors';
import { krippendorffAlpha } from './krippendorff';
import { mulberry32 } from './random';
import { cohenKappa, fleissKappa, gwetAC1, percentAgreement, scottPi } from './statistics';
import type { Units, Value } from './units';

/** Codings as `applied[coder][answer]` = code ids, `seen[coder][answer]` = coded at all (default: yes). */
function inputOf(applied: string[][][], codeIds: string[], seen?: boolean[][]): AnswerCodings {
  return {
    answerIds: applied[0].map((_, i) => `answer-${i}`),
    coderIds: applied.map((_, c) => `coder-${c}`),
    codeIds,
    present: (c, a) => applied[c][a],
    coded: seen ? (c, a) => seen[c][a] : undefined,
  };
}

function generic(units: Units): Record<keyof AgreementRow['statistics'], StatResult> {
  return {
    percentAgreement: tryStatistic(() => percentAgreement(units)),
    cohenKappa: tryStatistic(() => cohenKappa(units)),
    scottPi: tryStatistic(() => scottPi(units)),
    fleissKappa: tryStatistic(() => fleissKappa(units)),
    krippendorffAlpha: tryStatistic(() => krippendorffAlpha(units)),
    gwetAC1: tryStatistic(() => gwetAC1(units, { categories: PRESENCE_CATEGORIES })),
  };
}

function expectSameStatistics(fast: AgreementRow['statistics'], slow: AgreementRow['statistics']): void {
  for (const key of Object.keys(slow) as (keyof typeof slow)[]) {
    const a = fast[key];
    const b = slow[key];
    if ('value' in a && 'value' in b) expect(Math.abs(a.value - b.value), key).toBeLessThanOrEqual(1e-12);
    else expect(a, key).toEqual(b);
  }
}

/** Pair tables counted the slow way from a units matrix. */
function pairTables(units: Units, coders: number) {
  const tables = [];
  for (let a = 0; a < coders; a++) {
    for (let b = a + 1; b < coders; b++) {
      const t = { a, b, bothPresent: 0, aOnly: 0, bOnly: 0, bothAbsent: 0 };
      for (const unit of units) {
        if (unit[a] === null || unit[b] === null) continue;
        if (unit[a] === 'present' && unit[b] === 'present') t.bothPresent++;
        else if (unit[a] === 'present') t.aOnly++;
        else if (unit[b] === 'present') t.bOnly++;
        else t.bothAbsent++;
      }
      tables.push(t);
    }
  }
  return tables;
}

/** A synthetic study: coder 0 applies each code with its own prevalence; the others copy with some noise. */
function synthetic(seed: number, answers: number, coders: number, codes: number, missing = 0): AnswerCodings {
  const random = mulberry32(seed);
  const codeIds = Array.from({ length: codes }, (_, k) => `code-${k}`);
  const sets: Set<string>[][] = Array.from({ length: coders }, () => []);
  const seen: Uint8Array[] = Array.from({ length: coders }, () => new Uint8Array(answers));
  for (let a = 0; a < answers; a++) {
    for (let c = 0; c < coders; c++) {
      sets[c].push(new Set());
      seen[c][a] = random() < missing ? 0 : 1;
    }
    for (let k = 0; k < codes; k++) {
      const prevalence = 0.01 + (0.4 * k) / Math.max(1, codes);
      const truth = random() < prevalence;
      for (let c = 0; c < coders; c++) {
        if (!seen[c][a]) continue;
        const value = random() < 0.85 ? truth : random() < prevalence;
        if (value) sets[c][a].add(codeIds[k]);
      }
    }
  }
  return {
    answerIds: Array.from({ length: answers }, (_, i) => `a${i}`),
    coderIds: Array.from({ length: coders }, (_, c) => `coder-${c}`),
    codeIds,
    present: (c, a) => sets[c][a],
    coded: missing > 0 ? (c, a) => seen[c][a] === 1 : undefined,
  };
}

describe('buildAgreementTable: a hand-checked fixture', () => {
  // Two coders, six answers, codes X and Y.
  //   answer:   0     1     2     3     4     5
  //   coder 0:  X     X,Y   -     Y     -     X
  //   coder 1:  X     X     X     Y     -     -     (coder 1 never saw answer 5)
  const applied = [
    [['X'], ['X', 'Y'], [], ['Y'], [], ['X']],
    [['X'], ['X'], ['X'], ['Y'], [], []],
  ];
  const seen = [
    [true, true, true, true, true, true],
    [true, true, true, true, true, false],
  ];
  const table = buildAgreementTable(inputOf(applied, ['X', 'Y'], seen), { bootstrapSamples: 200 });

  it('counts the 2×2 table per code over answers both coders coded', () => {
    const [x, y] = table.rows;
    expect(x.codeId).toBe('X');
    expect(x.units).toBe(6);
    expect(x.pairableUnits).toBe(5);
    expect(x.completeUnits).toBe(5);
    expect(x.pairs).toEqual([{ a: 0, b: 1, bothPresent: 2, aOnly: 0, bOnly: 1, bothAbsent: 2 }]);
    expect([x.allPresent, x.allAbsent, x.mixed]).toEqual([2, 2, 1]);
    expect(x.prevalence).toBeCloseTo(5 / 10, 15);
    expect(y.pairs).toEqual([{ a: 0, b: 1, bothPresent: 1, aOnly: 1, bOnly: 0, bothAbsent: 3 }]);
  });

  it('computes the statistics from the counts', () => {
    const x = table.rows[0].statistics;
    // p_o = 4/5; coder 0 present 2/5, coder 1 present 3/5: p_e = 6/25 + 6/25 = 12/25; κ = (20 − 12)/(25 − 12) = 8/13.
    expect(x.percentAgreement).toEqual({ value: 0.8 });
    expect('value' in x.cohenKappa && x.cohenKappa.value).toBeCloseTo(8 / 13, 15);
    // Pooled present 5/10: p_e = 1/2, π = (0.8 − 0.5)/0.5 = 0.6; α = 1 − (9/10)(0.4) = 0.64.
    expect('value' in x.scottPi && x.scottPi.value).toBeCloseTo(0.6, 15);
    expect('value' in x.krippendorffAlpha && x.krippendorffAlpha.value).toBeCloseTo(0.64, 15);
    // Fleiss and AC1 (Gwet 2014): p_a = 4/5 over the five pairable answers; π over all six answers
    // coded, answer 5 (coder 0 alone, present) included: π_present = (1 + 1 + ½ + 0 + 0 + 1)/6 = 7/12.
    // Fleiss p_e = (49 + 25)/144 = 37/72, κ = (4/5 − 37/72)/(35/72) = 103/175.
    expect('value' in x.fleissKappa && x.fleissKappa.value).toBeCloseTo(103 / 175, 15);
    // AC1 p_e = 2 · 7/12 · 5/12 = 35/72, AC1 = (4/5 − 35/72)/(37/72) = 113/185.
    expect('value' in x.gwetAC1 && x.gwetAC1.value).toBeCloseTo(113 / 185, 15);
  });

  it('stacks every code × answer unit into the pooled row', () => {
    const { pooled } = table;
    expect(pooled.codeId).toBeNull();
    expect(pooled.units).toBe(12);
    expect(pooled.pairs).toEqual([{ a: 0, b: 1, bothPresent: 3, aOnly: 1, bOnly: 1, bothAbsent: 5 }]);
    const stacked = [...answerUnits(inputOf(applied, ['X', 'Y'], seen), 'X'), ...answerUnits(inputOf(applied, ['X', 'Y'], seen), 'Y')];
    expectSameStatistics(pooled.statistics, generic(stacked));
  });

  it('bootstraps an interval around alpha for each code', () => {
    const interval = table.rows[0].alphaInterval;
    expect(interval && 'low' in interval).toBe(true);
    if (interval && 'low' in interval) {
      expect(interval.requested).toBe(200);
      expect(interval.samples).toBeGreaterThan(0);
      expect(interval.low).toBeLessThanOrEqual(0.64);
      expect(interval.high).toBeGreaterThanOrEqual(0.64);
    }
  });
});

describe('buildAgreementTable: missing values', () => {
  it('treats an answer a coder did not code as missing when `coded` says so, and as absent without it', () => {
    const applied = [
      [['X'], []],
      [['X'], []],
    ];
    const withSeen = inputOf(
      applied,
      ['X'],
      [
        [true, true],
        [true, false],
      ],
    );
    expect(answerUnits(withSeen, 'X')).toEqual([
      ['present', 'present'],
      ['absent', null],
    ]);
    expect(answerUnits(inputOf(applied, ['X']), 'X')).toEqual([
      ['present', 'present'],
      ['absent', 'absent'],
    ]);
  });

  it('counts a coder who applied any code to an answer as having coded it', () => {
    const input = inputOf([[['X']], [['Z']]], ['X'], [[false], [false]]);
    expect(answerUnits(input, 'X')).toEqual([['present', 'absent']]);
  });

  it('ignores codes that are not in the table', () => {
    const table = buildAgreementTable(inputOf([[['X', 'other']], [['X']]], ['X'], undefined), { bootstrapSamples: 0 });
    expect(table.rows[0].pairs[0].bothPresent).toBe(1);
    expect(table.rows[0].alphaInterval).toBeNull();
  });
});

describe('buildAgreementTable: never throws on undefined statistics', () => {
  it('reports a code nobody applied: kappa and alpha undefined, AC1 = 1, percent agreement 1', () => {
    const table = buildAgreementTable(
      inputOf(
        [
          [[], []],
          [[], []],
        ],
        ['X'],
      ),
    );
    const row = table.rows[0];
    expect(row.statistics.cohenKappa).toEqual({
      undefined: "Cohen's kappa is undefined: both coders used only one category (“absent”), so agreement expected by chance is 1.",
      reason: 'one-category',
    });
    expect(row.statistics.krippendorffAlpha).toMatchObject({ reason: 'one-category' });
    expect(row.statistics.gwetAC1).toEqual({ value: 1 });
    expect(row.statistics.percentAgreement).toEqual({ value: 1 });
    expect(row.alphaInterval).toEqual(row.statistics.krippendorffAlpha);
    expect(row.prevalence).toBe(0);
  });

  it('handles no answers, no codes and a single coder', () => {
    const empty = buildAgreementTable({ answerIds: [], coderIds: ['a', 'b'], codeIds: ['X'], present: () => undefined });
    expect(empty.rows[0].statistics.krippendorffAlpha).toMatchObject({ reason: 'no-pairable-units' });
    expect(empty.rows[0].prevalence).toBeNull();
    const noCodes = buildAgreementTable({ answerIds: ['1'], coderIds: ['a', 'b'], codeIds: [], present: () => undefined });
    expect(noCodes.rows).toEqual([]);
    expect(noCodes.pooled.units).toBe(0);
    const one = buildAgreementTable({ answerIds: ['1'], coderIds: ['a'], codeIds: ['X'], present: () => ['X'] });
    for (const result of Object.values(one.rows[0].statistics)) expect(result).toMatchObject({ reason: 'wrong-coder-count' });
    expect(one.rows[0].pairs).toEqual([]);
  });

  it('rejects invalid options', () => {
    expect(() => buildAgreementTable(inputOf([[[]], [[]]], ['X']), { bootstrapSamples: -1 })).toThrow(RangeError);
  });
});

describe('buildAgreementTable agrees with the generic functions', () => {
  const arbitraryInput = fc
    .record({
      coders: fc.integer({ min: 2, max: 4 }),
      answers: fc.integer({ min: 0, max: 25 }),
      codes: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ coders, answers, codes }) =>
      fc.record({
        codes: fc.constant(codes),
        applied: fc.array(fc.array(fc.subarray(Array.from({ length: codes }, (_, k) => `c${k}`)), { minLength: answers, maxLength: answers }), {
          minLength: coders,
          maxLength: coders,
        }),
        seen: fc.option(fc.array(fc.array(fc.boolean(), { minLength: answers, maxLength: answers }), { minLength: coders, maxLength: coders }), {
          nil: undefined,
        }),
      }),
    );

  it('per code and pooled, counts, values and reasons (fast-check)', () => {
    fc.assert(
      fc.property(arbitraryInput, ({ codes, applied, seen }) => {
        const codeIds = Array.from({ length: codes }, (_, k) => `c${k}`);
        const input: AnswerCodings = {
          answerIds: applied[0].map((_, i) => `a${i}`),
          coderIds: applied.map((_, c) => `coder${c}`),
          codeIds,
          present: (c, a) => applied[c][a],
          coded: seen ? (c, a) => seen[c][a] : undefined,
        };
        const table = buildAgreementTable(input, { bootstrapSamples: 0 });
        const stacked: Value[][] = [];
        table.rows.forEach((row, k) => {
          const units = answerUnits(input, codeIds[k]);
          stacked.push(...units);
          expect(row.pairs).toEqual(pairTables(units, applied.length));
          expectSameStatistics(row.statistics, generic(units));
        });
        expect(table.pooled.pairs).toEqual(pairTables(stacked, applied.length));
        expectSameStatistics(table.pooled.statistics, generic(stacked));
      }),
      { numRuns: 300 },
    );
  });

  it('with three coders: Cohen and Scott are for two, the rest are defined', () => {
    const input = synthetic(4, 300, 3, 4, 0.1);
    const table = buildAgreementTable(input, { bootstrapSamples: 0 });
    const row = table.rows[3];
    expect(row.statistics.cohenKappa).toMatchObject({ reason: 'wrong-coder-count' });
    expect(row.statistics.scottPi).toMatchObject({ reason: 'wrong-coder-count' });
    expect(row.pairs).toHaveLength(3);
    expectSameStatistics(row.statistics, generic(answerUnits(input, 'code-3')));
    expect(row.statistics.krippendorffAlpha).toHaveProperty('value');
  });

  // 100,000 answers are timed in the bench (the agreement step of npm run bench); 5,000 prove the same equalities.
  it('computes 5,000 answers × 2 coders × 30 codes from counts, matching the generic functions', () => {
    const input = synthetic(2024, 5_000, 2, 30, 0.02);
    const table = buildAgreementTable(input);

    expect(table.rows).toHaveLength(30);
    expect(table.pooled.units).toBe(150_000);
    for (const k of [0, 13, 29]) {
      const units = answerUnits(input, `code-${k}`);
      expect(table.rows[k].pairs).toEqual(pairTables(units, 2));
      expectSameStatistics(table.rows[k].statistics, generic(units));
    }
    const summed = { bothPresent: 0, aOnly: 0, bOnly: 0, bothAbsent: 0 };
    for (const row of table.rows) for (const key of Object.keys(summed) as (keyof typeof summed)[]) summed[key] += row.pairs[0][key];
    expect(table.pooled.pairs[0]).toMatchObject(summed);
    for (const row of [...table.rows, table.pooled]) {
      const interval = row.alphaInterval;
      const alpha = row.statistics.krippendorffAlpha;
      expect(interval && 'low' in interval && 'value' in alpha).toBe(true);
      if (interval && 'low' in interval && 'value' in alpha) {
        expect(interval.low).toBeLessThanOrEqual(alpha.value);
        expect(interval.high).toBeGreaterThanOrEqual(alpha.value);
      }
    }
  });
});

describe('the table bootstrap', () => {
  const input = synthetic(99, 2000, 2, 3);

  it('is deterministic for a seed and changes with it', () => {
    const a = buildAgreementTable(input, { seed: 5, bootstrapSamples: 300 });
    expect(buildAgreementTable(input, { seed: 5, bootstrapSamples: 300 })).toEqual(a);
    const b = buildAgreementTable(input, { seed: 6, bootstrapSamples: 300 });
    expect(b.rows[2].alphaInterval).not.toEqual(a.rows[2].alphaInterval);
    expect(b.rows[2].statistics).toEqual(a.rows[2].statistics);
  });

  it('gives a code the same interval whatever other codes are in the table', () => {
    const all = buildAgreementTable(input, { seed: 5, bootstrapSamples: 300 });
    const alone = buildAgreementTable({ ...input, codeIds: ['code-2'] }, { seed: 5, bootstrapSamples: 300 });
    expect(alone.rows[0].alphaInterval).toEqual(all.rows[2].alphaInterval);
  });

  it('matches, up to Monte Carlo error, resampling the answers one by one', async () => {
    const { bootstrapAlpha } = await import('./bootstrap');
    const table = buildAgreementTable(input, { bootstrapSamples: 2000 });
    const direct = bootstrapAlpha(answerUnits(input, 'code-2'), { samples: 2000 });
    const interval = table.rows[2].alphaInterval;
    expect(interval && 'low' in interval).toBe(true);
    if (interval && 'low' in interval) {
      expect(Math.abs(interval.low - direct.low)).toBeLessThan(0.02);
      expect(Math.abs(interval.high - direct.high)).toBeLessThan(0.02);
    }
  });
});

describe('findDisagreements', () => {
  it('lists pairable units whose values differ, in answer then code order, up to a limit', () => {
    const applied = [
      [['X'], ['X', 'Y'], [], ['Y']],
      [['X'], ['X'], ['Y'], []],
    ];
    const input = inputOf(
      applied,
      ['X', 'Y'],
      [
        [true, true, true, true],
        [true, true, true, false],
      ],
    );
    expect(findDisagreements(input)).toEqual([
      { answerIndex: 1, answerId: 'answer-1', codeId: 'Y', values: ['present', 'absent'] },
      { answerIndex: 2, answerId: 'answer-2', codeId: 'Y', values: ['absent', 'present'] },
    ]);
    expect(findDisagreements(input, { limit: 1 })).toHaveLength(1);
  });
});

describe('presenceFromCodings', () => {
  it('groups flat codings by coder and answer, whole or passage alike', () => {
    const present = presenceFromCodings(
      [
        { answerId: 'a1', codeId: 'X', coderId: 'ann' },
        { answerId: 'a1', codeId: 'X', coderId: 'ann' },
        { answerId: 'a1', codeId: 'Y', coderId: 'ann' },
        { answerId: 'a2', codeId: 'X', coderId: 'bob' },
        { answerId: 'elsewhere', codeId: 'X', coderId: 'bob' },
        { answerId: 'a2', codeId: 'X', coderId: 'carol' },
      ],
      ['a1', 'a2'],
      ['ann', 'bob'],
    );
    expect([...(present(0, 0) ?? [])]).toEqual(['X', 'Y']);
    expect(present(1, 0)).toBeUndefined();
    expect([...(present(1, 1) ?? [])]).toEqual(['X']);
  });
});
