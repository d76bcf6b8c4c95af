import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './krippendorff';
import { binaryAlpha, countsFromAgreementRows, planCode, planDoubleCoding, planSummary, simulatedHalfWidth, type TwoByTwo } from './planner';

function units(counts: TwoByTwo): string[][] {
  const out: string[][] = [];
  const add = (n: number, first: string, second: string) => {
    for (let i = 0; i < n; i++) out.push([first, second]);
  };
  add(counts.bothPresent, 'present', 'present');
  add(counts.onlyFirst, 'present', 'absent');
  add(counts.onlySecond, 'absent', 'present');
  add(counts.bothAbsent, 'absent', 'absent');
  return out;
}

const counts = (bothPresent: number, onlyFirst: number, onlySecond: number, bothAbsent: number): TwoByTwo => ({
  bothPresent,
  onlyFirst,
  onlySecond,
  bothAbsent,
});

describe('binaryAlpha', () => {
  it('equals the general Krippendorff alpha on the same 2×2 data', () => {
    fc.assert(
      fc.property(fc.nat({ max: 30 }), fc.nat({ max: 30 }), fc.nat({ max: 30 }), fc.nat({ max: 30 }), (a, b, c, d) => {
        const table = counts(a, b, c, d);
        const fast = binaryAlpha(a, b, c, d);
        const present = 2 * a + b + c;
        const absent = 2 * d + b + c;
        if (present === 0 || absent === 0) {
          expect(fast).toBeNaN();
          return;
        }
        expect(fast).toBeCloseTo(krippendorffAlpha(units(table)), 12);
      }),
    );
  });
});

describe('planCode', () => {
  const typical = counts(12, 4, 3, 31); // 50 answers, α ≈ 0.65

  it('is deterministic for a seed', () => {
    expect(planCode('x', typical, { seed: 7 })).toEqual(planCode('x', typical, { seed: 7 }));
    expect(simulatedHalfWidth(typical, 200, { seed: 7, codeId: 'x' })).toBe(simulatedHalfWidth(typical, 200, { seed: 7, codeId: 'x' }));
  });

  it('asks for more answers the narrower the interval, and the width at the answer it gives is within the target', () => {
    const wide = planCode('x', typical, { halfWidth: 0.2 });
    const usual = planCode('x', typical, { halfWidth: 0.1 });
    const narrow = planCode('x', typical, { halfWidth: 0.05 });
    expect(usual.status).toBe('needs-more');
    expect(narrow.status).toBe('needs-more');
    expect(usual.more).toBe(usual.needed! - 50);
    expect(wide.needed!).toBeLessThanOrEqual(usual.needed!);
    expect(usual.needed!).toBeLessThan(narrow.needed!);
    for (const [plan, h] of [
      [usual, 0.1],
      [narrow, 0.05],
    ] as const) {
      expect(simulatedHalfWidth(typical, plan.needed!, { codeId: 'x' })).toBeLessThanOrEqual(h);
    }
    // The interval narrows roughly as 1/√N: a quarter of the width takes about four times the answers.
    expect(narrow.needed! / usual.needed!).toBeGreaterThan(2.5);
    expect(narrow.needed! / usual.needed!).toBeLessThan(6);
    expect(usual.alphaNow).toBeCloseTo(binaryAlpha(12, 4, 3, 31), 12);
    expect(usual.prevalence).toBeCloseTo((24 + 7) / 100, 12);
    expect(usual.halfWidthNow!).toBeGreaterThan(0.1);
  });

  it('says enough when the interval is already narrow', () => {
    const plan = planCode('x', counts(300, 5, 5, 690), { halfWidth: 0.1 });
    expect(plan).toMatchObject({ status: 'enough', needed: 1000, more: 0 });
    expect(plan.halfWidthNow!).toBeLessThanOrEqual(0.1);
  });

  it('cannot plan a code nobody used or fewer than 10 answers', () => {
    expect(planCode('x', counts(0, 0, 0, 40))).toMatchObject({
      status: 'too-thin',
      needed: null,
      more: null,
      alphaNow: null,
      reason: 'Neither coder has used this code yet.',
    });
    expect(planCode('x', counts(3, 1, 0, 5))).toMatchObject({ status: 'too-thin', reason: 'Fewer than 10 answers are double-coded so far (9).' });
    expect(planCode('x', counts(0, 0, 0, 0)).prevalence).toBeNull();
  });

  it('reports a target out of reach within the cap', () => {
    // A rare code the coders barely agree on: α near 0, its interval stays wide.
    const plan = planCode('x', counts(1, 6, 6, 87), { halfWidth: 0.02, cap: 2000 });
    expect(plan).toMatchObject({ status: 'unreachable', needed: null, more: null });
  });

  it('keeps perfect agreement so far from promising a zero-width interval', () => {
    const plan = planCode('x', counts(3, 0, 0, 12), { halfWidth: 0.1 });
    expect(plan.alphaNow).toBe(1);
    expect(plan.halfWidthNow!).toBeGreaterThan(0.1);
    expect(plan.status).toBe('needs-more');
  });

  it('refuses a half-width that is not above zero', () => {
    expect(() => planCode('x', typical, { halfWidth: 0 })).toThrow(RangeError);
  });
});

describe('planDoubleCoding', () => {
  it('reports the largest more across codes and the method sentence', () => {
    const plan = planDoubleCoding([
      { codeId: 'easy', counts: counts(300, 5, 5, 690) },
      { codeId: 'hard', counts: counts(12, 4, 3, 31) },
      { codeId: 'unused', counts: counts(0, 0, 0, 50) },
    ]);
    expect(plan.codes.map((c) => c.status)).toEqual(['enough', 'needs-more', 'too-thin']);
    expect(plan.more).toBe(plan.codes[1].more);
    expect(plan.method).toContain('Simulated 400 samples per size of two coders');
    expect(plan.method).toContain("95% percentile interval of Krippendorff's α");
  });

  it('reads the first coder pair of agreement rows, skipping the pooled row', () => {
    expect(
      countsFromAgreementRows([
        { codeId: 'a', pairs: [{ bothPresent: 1, aOnly: 2, bOnly: 3, bothAbsent: 4 }] },
        { codeId: null, pairs: [{ bothPresent: 1, aOnly: 2, bOnly: 3, bothAbsent: 4 }] },
      ]),
    ).toEqual([{ codeId: 'a', counts: counts(1, 2, 3, 4) }]);
  });
});

describe('planSummary', () => {
  it('says what to do, and never claims enough when nothing could be planned', () => {
    const thin = planDoubleCoding([{ codeId: 'unused', counts: counts(0, 0, 0, 50) }]);
    expect(planSummary(thin, 0.1, 'Round 1')).toBe('No code can be planned yet: each needs at least 10 double-coded answers and to have been used by a coder.');
    const enough = planDoubleCoding([{ codeId: 'easy', counts: counts(300, 5, 5, 690) }]);
    expect(planSummary(enough, 0.1, 'Round 1')).toBe('Round 1 has enough double-coded answers for α ± 0.1 on every code that can be planned.');
    const mixed = planDoubleCoding(
      [
        { codeId: 'hard', counts: counts(12, 4, 3, 31) },
        { codeId: 'rare', counts: counts(1, 6, 6, 87) },
      ],
      { halfWidth: 0.1, cap: 400 },
    );
    expect(mixed.codes.map((c) => c.status)).toEqual(['needs-more', 'unreachable']);
    expect(planSummary(mixed, 0.1, 'Round 2')).toBe(
      `Double-code about ${mixed.more} more answers beyond Round 2 for α ± 0.1 on every code that can reach it. 1 code cannot reach it within the cap.`,
    );
  });
});
