// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { AgreementUndefinedError } from './errors';
import { krippendorffAlpha } from './krippendorff';
import { cohenKappa, cohenKappaFromTable, fleissKappa, fleissKappaFromCounts, gwetAC1, percentAgreement, scottPi, scottPiFromTable } from './statistics';
import type { Value } from './units';

/** `count` copies of a unit. */
const times = (count: number, unit: Value[]): Value[][] => Array.from({ length: count }, () => [...unit]);

// Wikipedia, "Cohen's kappa": 50 proposals, A and B say yes/no.
// a = 20 yes–yes, b = 5 (A yes, B no), c = 10 (A no, B yes), d = 15 no–no.
const wikipediaCohen: Value[][] = [...times(20, ['yes', 'yes']), ...times(5, ['yes', 'no']), ...times(10, ['no', 'yes']), ...times(15, ['no', 'no'])];

function undefinedError(compute: () => unknown): AgreementUndefinedError {
  try {
    compute();
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return error;
    throw error;
  }
  throw new Error('expected AgreementUndefinedError');
}

describe('percentAgreement', () => {
  it('is the share of units on which two coders agree, over the units both coded', () => {
    expect(percentAgreement(wikipediaCohen)).toBe(0.7);
    expect(percentAgreement([...wikipediaCohen, ['yes', null], [null, 'no'], [null, null]])).toBe(0.7);
  });

  it('averages, over the units two or more coders coded, each unit’s share of agreeing coder pairs (Gwet 2014)', () => {
    // Unit 1: a–a, 1 of 1 pair agrees; unit 2: a, b, b, 1 of 3 pairs (b–b); unit 3: c–c, 1 of 1;
    // unit 4: b, b, b, 3 of 3. Mean (1 + 1/3 + 1 + 1) / 4 = 5/6.
    const units: Value[][] = [
      ['a', 'a', null],
      ['a', 'b', 'b'],
      [null, 'c', 'c'],
      ['b', 'b', 'b'],
    ];
    expect(percentAgreement(units)).toBeCloseTo(5 / 6, 15);
  });

  it('skips coder pairs that share no unit', () => {
    const units: Value[][] = [
      ['a', 'a', null],
      ['a', 'b', null],
      [null, null, 'c'],
    ];
    expect(percentAgreement(units)).toBe(0.5);
  });

  it('compares values exactly: the number 1 and the string "1" disagree', () => {
    expect(
      percentAgreement([
        [1, '1'],
        [2, 2],
      ]),
    ).toBe(0.5);
  });

  it('throws when no pair of coders shares a unit, or there is only one coder', () => {
    expect(
      undefinedError(() =>
        percentAgreement([
          ['a', null],
          [null, 'b'],
        ]),
      ).reason,
    ).toBe('no-pairable-units');
    expect(undefinedError(() => percentAgreement([['a'], ['b']])).reason).toBe('wrong-coder-count');
    expect(undefinedError(() => percentAgreement([])).reason).toBe('no-pairable-units');
  });
});

describe('cohenKappa', () => {
  it("gives 0.4 on Wikipedia's 50-proposal example (p_o = 0.7, p_e = 0.5)", () => {
    expect(cohenKappa(wikipediaCohen)).toBeCloseTo(0.4, 15);
    expect(
      cohenKappaFromTable([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(0.4, 15);
  });

  it('uses only the units both coders coded', () => {
    expect(cohenKappa([...wikipediaCohen, ['yes', null], [null, 'no']])).toBeCloseTo(0.4, 15);
  });

  it('is 0 when each coder used a different single category (agreement 0, chance 0)', () => {
    expect(
      cohenKappa([
        ['a', 'b'],
        ['a', 'b'],
      ]),
    ).toBe(0);
  });

  it('is 1 for perfect agreement and −1 for perfect disagreement on balanced binary data', () => {
    expect(
      cohenKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(1);
    expect(
      cohenKappa([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toBe(-1);
  });

  it('says why it is undefined when both coders used one category', () => {
    const error = undefinedError(() =>
      cohenKappa([
        ['present', 'present'],
        ['present', 'present'],
      ]),
    );
    expect(error.reason).toBe('one-category');
    expect(error.statistic).toBe('cohenKappa');
    expect(error.message).toBe("Cohen's kappa is undefined: both coders used only one category (“present”), so agreement expected by chance is 1.");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AgreementUndefinedError');
  });

  it('needs exactly two coders and a unit both coded', () => {
    const three = undefinedError(() => cohenKappa([['a', 'a', 'b']]));
    expect(three.reason).toBe('wrong-coder-count');
    expect(three.message).toMatch(/^Cohen's kappa is undefined for 3 coders: it compares exactly two/);
    expect(
      undefinedError(() =>
        cohenKappa([
          ['a', null],
          [null, 'b'],
        ]),
      ).reason,
    ).toBe('no-pairable-units');
    expect(undefinedError(() => cohenKappa([])).reason).toBe('no-pairable-units');
  });

  it('rejects malformed tables', () => {
    expect(() => cohenKappaFromTable([[1, 2]])).toThrow(RangeError);
    expect(() =>
      cohenKappaFromTable([
        [1, -1],
        [0, 1],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappaFromTable([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow(RangeError);
  });
});

describe('scottPi', () => {
  it('pools both coders’ marginals for chance: 13/33 on the Wikipedia data', () => {
    // Pooled "yes" = (25 + 30) / 100 = 0.55, so p_e = 0.55² + 0.45² = 0.505 and
    // π = (0.7 − 0.505) / (1 − 0.505) = 0.195 / 0.495 = 13/33 ≈ 0.3939.
    expect(scottPi(wikipediaCohen)).toBeCloseTo(13 / 33, 15);
    expect(
      scottPiFromTable([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(13 / 33, 15);
  });

  it("gives 1/21 on Krippendorff's (2011) two-observer binary data", () => {
    // p_o = 6/10; pooled ones 6/20 = 0.3, p_e = 0.09 + 0.49 = 0.58; π = 0.02 / 0.42 = 1/21.
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(scottPi(a.map((x, i) => [x, b[i]]))).toBeCloseTo(1 / 21, 15);
  });

  it("equals Fleiss' kappa with two coders on complete data", () => {
    expect(scottPi(wikipediaCohen)).toBeCloseTo(fleissKappa(wikipediaCohen), 14);
  });

  it('is undefined when the coders used a single category between them', () => {
    const error = undefinedError(() => scottPi([['x', 'x']]));
    expect(error.reason).toBe('one-category');
    expect(error.message).toBe("Scott's pi is undefined: the coders used only one category (“x”) between them, so agreement expected by chance is 1.");
    expect(undefinedError(() => scottPi([['a', 'b', 'c']])).reason).toBe('wrong-coder-count');
  });
});

describe('fleissKappa', () => {
  // Wikipedia, "Fleiss' kappa": 10 subjects, 14 raters each, 5 categories.
  const wikipediaFleiss = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it("gives 0.210 on Wikipedia's 10 × 14 example, from counts and from the units matrix", () => {
    expect(fleissKappaFromCounts(wikipediaFleiss)).toBeCloseTo(0.20993, 5);
    expect(fleissKappaFromCounts(wikipediaFleiss).toFixed(3)).toBe('0.210');
    const units = wikipediaFleiss.map((row) => row.flatMap((count, k) => Array.from({ length: count }, () => k + 1)));
    expect(fleissKappa(units)).toBeCloseTo(fleissKappaFromCounts(wikipediaFleiss), 14);
  });

  it('hand example: three coders, four units', () => {
    // P_i = 1, 1/3, 1, 0 → P̄ = 7/12; totals a 6, b 5, c 1 of 12 → P_e = 62/144;
    // κ = (84/144 − 62/144) / (1 − 62/144) = 22/82 = 11/41.
    const units: Value[][] = [
      ['a', 'a', 'a'],
      ['a', 'a', 'b'],
      ['b', 'b', 'b'],
      ['a', 'b', 'c'],
    ];
    expect(fleissKappa(units)).toBeCloseTo(11 / 41, 15);
  });

  it('accepts different coders per unit when every unit has as many values, and skips units nobody coded', () => {
    const units: Value[][] = [
      ['a', 'a', null],
      [null, 'b', 'b'],
      ['a', null, 'b'],
      [null, null, null],
    ];
    const counts = [
      [2, 0],
      [0, 2],
      [1, 1],
    ];
    expect(fleissKappa(units)).toBeCloseTo(fleissKappaFromCounts(counts), 15);
  });

  it('takes units coded by different numbers of coders (Gwet 2014, irrCAC fleiss.kappa.raw)', () => {
    // p_a over the pairable units: unit 1 a, a, a → 1; unit 2 a, b → 0; p_a = 1/2. Unit 3 (one value) is not
    // pairable but counts in π: π_a = (1 + 1/2 + 0)/3 = 1/2, π_b = (0 + 1/2 + 1)/3 = 1/2; p_e = 1/2; κ = 0.
    const units: Value[][] = [
      ['a', 'a', 'a'],
      ['a', null, 'b'],
      [null, 'b', null],
    ];
    expect(fleissKappa(units)).toBeCloseTo(0, 15);
    const counts = [
      [3, 0],
      [1, 1],
      [0, 1],
    ];
    expect(fleissKappaFromCounts(counts)).toBeCloseTo(0, 15);
  });

  it('throws for one category, for units with a single value, and for malformed counts', () => {
    expect(
      undefinedError(() =>
        fleissKappa([
          ['a', 'a'],
          ['a', 'a'],
        ]),
      ).reason,
    ).toBe('one-category');
    expect(
      undefinedError(() =>
        fleissKappa([
          ['a', null],
          [null, 'b'],
        ]),
      ).reason,
    ).toBe('no-pairable-units');
    expect(() => fleissKappaFromCounts([[1, 0.5]])).toThrow(RangeError);
    expect(() => fleissKappaFromCounts([[1, 1], [2]])).toThrow(RangeError);
  });
});

describe('gwetAC1', () => {
  it('two coders: p_e = 2π(1 − π) with π the mean share of the first category', () => {
    // Wikipedia data: π_yes = (25 + 30) / 100 = 0.55, p_e = 2 · 0.55 · 0.45 = 0.495;
    // AC1 = (0.7 − 0.495) / (1 − 0.495) = 0.205 / 0.505 = 41/101 ≈ 0.4059.
    expect(gwetAC1(wikipediaCohen)).toBeCloseTo(41 / 101, 15);
    // 40 yes–yes, 10 yes–no, 5 no–yes, 45 no–no: p_a = 0.85, π = (50 + 45) / 200 = 0.475,
    // p_e = 2 · 0.475 · 0.525 = 0.49875, AC1 = 0.35125 / 0.50125 ≈ 0.700748.
    const units = [...times(40, ['y', 'y']), ...times(10, ['y', 'n']), ...times(5, ['n', 'y']), ...times(45, ['n', 'n'])];
    expect(gwetAC1(units)).toBeCloseTo(0.35125 / 0.50125, 14);
    expect(gwetAC1(units).toFixed(4)).toBe('0.7007');
  });

  it('three coders: the multiple-rater formulation (Gwet 2008)', () => {
    // Agreeing pairs Σ r_ik(r_ik − 1) = 6 + 2 + 6 + 0 = 14 of 4 · 3 · 2 → p_a = 7/12.
    // π = 6/12, 5/12, 1/12; Σ π(1 − π) = (36 + 35 + 11) / 144 = 82/144; K = 3 → p_e = 41/144.
    // AC1 = (84 − 41) / (144 − 41) = 43/103.
    const units: Value[][] = [
      ['a', 'a', 'a'],
      ['a', 'a', 'b'],
      ['b', 'b', 'b'],
      ['a', 'b', 'c'],
    ];
    expect(gwetAC1(units)).toBeCloseTo(43 / 103, 15);
  });

  it('takes agreement from the units two coders coded and prevalence from every unit coded (Gwet 2014)', () => {
    // Wikipedia data plus a unit only A coded ('yes'): p_a stays 0.7 (50 pairable units);
    // π_yes = (55/2 + 1)/51 = 57/102, p_e = 2 · 57/102 · 45/102 = 5130/10404;
    // AC1 = (0.7 − p_e)/(1 − p_e) = (7282.8 − 5130)/(10404 − 5130) = 2152.8/5274.
    expect(gwetAC1([...wikipediaCohen, ['yes', null], [null, null]])).toBeCloseTo(2152.8 / 5274, 14);
    expect(
      undefinedError(() =>
        gwetAC1([
          ['a', null],
          [null, 'a'],
        ]),
      ).reason,
    ).toBe('no-pairable-units');
  });

  it('counts unused categories of the scale when they are given', () => {
    // Nobody applied the code: with K = 2, π = (0, 1), p_e = 0 and AC1 = p_a = 1.
    const absent = times(5, ['absent', 'absent']);
    expect(gwetAC1(absent, { categories: ['present', 'absent'] })).toBe(1);
    const error = undefinedError(() => gwetAC1(absent));
    expect(error.reason).toBe('one-category');
    expect(error.message).toMatch(/^Gwet's AC1 is undefined: only one category \(“absent”\) is known/);
    // A third, unused category lowers p_e: K − 1 = 2 instead of 1.
    expect(gwetAC1(wikipediaCohen, { categories: ['yes', 'no', 'maybe'] })).toBeCloseTo((0.7 - 0.2475) / (1 - 0.2475), 14);
    expect(() => gwetAC1(wikipediaCohen, { categories: ['yes'] })).toThrow(RangeError);
  });
});

describe('missing ratings: the 12 units × 4 raters of Krippendorff (2011), irrCAC’s cac.raw4raters', () => {
  // Rows are units, columns raters A–D, null a missing rating (Krippendorff's reliability-data example;
  // irrCAC ships it as cac.raw4raters). irrCAC 1.0 (R and its Python port's tests): pa 0.818, Gwet AC1 0.775
  // (p_e 0.190), Fleiss' kappa 0.761 (p_e 0.239); Conger's kappa, which Codebench does not compute, is 0.763.
  const raw4raters: Value[][] = [
    [1, 1, null, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [null, 5, 5, 5],
    [null, null, 1, 1],
    [null, 3, null, null],
  ];

  it('percent agreement 9/11 ≈ 0.8182: the mean share of agreeing pairs over the 11 units with two or more ratings', () => {
    // Units 2 and 8 have 3 of 6 pairs agreeing (1/2), unit 6 none (0), the other eight all (1): (8 + 1/2 + 1/2 + 0)/11.
    expect(percentAgreement(raw4raters)).toBeCloseTo(9 / 11, 15);
    expect(percentAgreement(raw4raters).toFixed(4)).toBe('0.8182');
  });

  // π_k: r_ik / r_i averaged over all 12 rated units, unit 12 (one rating) included:
  // π_1 = (1 + 1/4 + 3/4 + 1)/12 = 3/12, π_2 = (3/4 + 1 + 1/4 + 1/4 + 1)/12 = 3.25/12,
  // π_3 = (1/4 + 1 + 1 + 1/4 + 1)/12 = 3.5/12, π_4 = (1/4 + 1)/12 = 1.25/12, π_5 = 1/12.
  // Σ π_k² = (9 + 10.5625 + 12.25 + 1.5625 + 1)/144 = 34.375/144.

  it('Gwet AC1 ≈ 0.7754: p_e = (1 − Σ π_k²)/(q − 1) = 109.625/576 ≈ 0.1903', () => {
    // AC1 = (9/11 − 109.625/576)/(1 − 109.625/576) = (5184 − 1205.875)/(11 · 466.375).
    expect(gwetAC1(raw4raters)).toBeCloseTo(3978.125 / 5130.125, 14);
    expect(gwetAC1(raw4raters).toFixed(4)).toBe('0.7754');
  });

  it("Fleiss' kappa ≈ 0.7612: p_e = Σ π_k² = 34.375/144 ≈ 0.2387", () => {
    // κ = (9/11 − 34.375/144)/(1 − 34.375/144) = (1296 − 378.125)/(11 · 109.625).
    expect(fleissKappa(raw4raters)).toBeCloseTo(917.875 / 1205.875, 14);
    expect(fleissKappa(raw4raters).toFixed(4)).toBe('0.7612');
  });

  it("Krippendorff's nominal alpha 0.743 on the same data (unit 12 is not pairable)", () => {
    expect(krippendorffAlpha(raw4raters, 'nominal').toFixed(3)).toBe('0.743');
  });
});

describe('input checks', () => {
  it('rejects ragged matrices and values that are not strings, finite numbers or null', () => {
    expect(() => cohenKappa([['a', 'b'], ['a']])).toThrow(RangeError);
    expect(() => percentAgreement([[1, Number.NaN]])).toThrow(RangeError);
    expect(() => percentAgreement([[1, Number.POSITIVE_INFINITY]])).toThrow(RangeError);
    expect(() => percentAgreement([[1, undefined as unknown as Value]])).toThrow(TypeError);
  });
});
