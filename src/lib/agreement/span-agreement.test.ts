// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { characterAgreement, matchSpans, type SpanAnswer, type TextSpan } from './span-agreement';

const span = (start: number | null, end: number | null): TextSpan => ({ start, end });
const WHOLE = span(null, null);

function answer(answerId: string, length: number, a: TextSpan[], b: TextSpan[]): SpanAnswer {
  return { answerId, length, a, b };
}

describe('characterAgreement', () => {
  it("unites a coder's overlapping passages before counting characters", () => {
    // A: [0,5) ∪ [3,8) = [0,8); B: [6,12). Both [6,8) = 2; A only 6; B only 4; neither 20 − 12 = 8.
    const result = characterAgreement([answer('1', 20, [span(0, 5), span(3, 8)], [span(6, 12)])]);
    expect(result).toMatchObject({ answers: 1, total: 20, both: 2, aOnly: 6, bOnly: 4, neither: 8 });
    expect(result.percentAgreement).toEqual({ value: 0.5 });
    // Table [[2, 6], [4, 8]]: p_o = 10/20; chance Σ = 8·6 + 12·14 = 216; κ = (200 − 216)/(400 − 216) = −2/23.
    expect('value' in result.kappa && result.kappa.value).toBeCloseTo(-2 / 23, 15);
  });

  it('reads null offsets as the start or end of the answer', () => {
    const whole = characterAgreement([answer('1', 10, [WHOLE], [span(2, 5)])]);
    expect(whole).toMatchObject({ both: 3, aOnly: 7, bOnly: 0, neither: 0 });
    const open = characterAgreement([answer('1', 10, [span(4, null)], [span(null, 6)])]);
    expect(open).toMatchObject({ both: 2, aOnly: 4, bOnly: 4, neither: 0 });
  });

  it('adds up over answers, clamps passages to the text and ignores empty ones', () => {
    const result = characterAgreement([
      answer('1', 10, [span(-3, 4), span(8, 30)], [span(0, 4)]),
      answer('2', 5, [span(3, 3), span(4, 2)], []),
      answer('3', 0, [WHOLE], [WHOLE]),
    ]);
    expect(result).toMatchObject({ answers: 3, total: 15, both: 4, aOnly: 2, bOnly: 0, neither: 9 });
    expect(result.percentAgreement).toEqual({ value: 13 / 15 });
  });

  it('gives kappa 1 when both coders mark the same characters, however they split them', () => {
    const result = characterAgreement([answer('1', 12, [span(0, 6), span(6, 9)], [span(0, 3), span(2, 9)])]);
    expect(result).toMatchObject({ both: 9, aOnly: 0, bOnly: 0, neither: 3 });
    expect(result.kappa).toEqual({ value: 1 });
  });

  it('is undefined, with a reason, for empty texts or when nothing varies', () => {
    const empty = characterAgreement([answer('1', 0, [WHOLE], [])]);
    expect(empty.percentAgreement).toMatchObject({ reason: 'no-pairable-units' });
    expect(empty.kappa).toMatchObject({ reason: 'no-pairable-units' });
    const uncoded = characterAgreement([answer('1', 8, [], [])]);
    expect(uncoded.percentAgreement).toEqual({ value: 1 });
    expect(uncoded.kappa).toEqual({
      undefined: "Cohen's kappa on characters is undefined: both coders used only one category (“not coded”), so agreement expected by chance is 1.",
      reason: 'one-category',
    });
  });

  it('rejects invalid lengths and offsets', () => {
    expect(() => characterAgreement([answer('1', -1, [], [])])).toThrow(RangeError);
    expect(() => characterAgreement([answer('1', 2.5, [], [])])).toThrow(RangeError);
    expect(() => characterAgreement([answer('1', 5, [span(Number.NaN, 2)], [])])).toThrow(RangeError);
  });
});

describe('matchSpans', () => {
  const fixture = [answer('1', 50, [span(0, 10), span(20, 30)], [span(2, 10), span(25, 40)])];
  // Jaccard: A0–B0 = 8/10 = 0.8; A1–B1 = 5/20 = 0.25.

  it('pairs passages whose overlap reaches the threshold', () => {
    const result = matchSpans(fixture, 0.5);
    expect(result.matched).toEqual([{ a: { answerId: '1', index: 0, start: 0, end: 10 }, b: { answerId: '1', index: 0, start: 2, end: 10 }, overlap: 0.8 }]);
    expect(result.aUnmatched).toEqual([{ answerId: '1', index: 1, start: 20, end: 30 }]);
    expect(result.bUnmatched).toEqual([{ answerId: '1', index: 1, start: 25, end: 40 }]);
    expect(result.agreement).toEqual({ value: 0.5 });
    expect(result.threshold).toBe(0.5);
  });

  it('includes an overlap exactly at the threshold; lower thresholds never pair disjoint passages', () => {
    expect(matchSpans(fixture, 0.25).matched).toHaveLength(2);
    expect(matchSpans(fixture, 0.25).agreement).toEqual({ value: 1 });
    expect(matchSpans(fixture, 0.2500001).matched).toHaveLength(1);
    const disjoint = matchSpans([answer('1', 10, [span(0, 3)], [span(5, 8)])], 0);
    expect(disjoint.matched).toEqual([]);
    expect(disjoint.agreement).toEqual({ value: 0 });
  });

  it('takes the best overlap first, not the first passage', () => {
    // A0 = [0,10), A1 = [0,8), B0 = [0,8): J(A0,B0) = 0.8 but J(A1,B0) = 1, so B0 goes to A1.
    const result = matchSpans([answer('1', 20, [span(0, 10), span(0, 8)], [span(0, 8)])], 0.5);
    expect(result.matched.map((m) => [m.a.index, m.b.index, m.overlap])).toEqual([[1, 0, 1]]);
    expect(result.aUnmatched.map((s) => s.index)).toEqual([0]);
    expect(result.agreement).toEqual({ value: 2 / 3 });
  });

  it('breaks ties by the earlier passage of A', () => {
    const result = matchSpans([answer('1', 10, [span(0, 4), span(4, 8)], [span(2, 6)])], 0.1);
    expect(result.matched.map((m) => [m.a.index, m.b.index])).toEqual([[0, 0]]);
    expect(result.matched[0].overlap).toBeCloseTo(2 / 6, 15);
  });

  it('matches only within an answer, resolves whole-answer codings and keeps input indices', () => {
    const result = matchSpans([answer('1', 10, [span(0, 5)], []), answer('2', 10, [span(5, 5), WHOLE], [span(0, 5)])], 0.5);
    expect(result.matched).toEqual([{ a: { answerId: '2', index: 1, start: 0, end: 10 }, b: { answerId: '2', index: 0, start: 0, end: 5 }, overlap: 0.5 }]);
    expect(result.aUnmatched).toEqual([{ answerId: '1', index: 0, start: 0, end: 5 }]);
    // The empty passage of answer 2 counts for nobody: 2 · 1 / (2 + 1).
    expect(result.agreement).toEqual({ value: 2 / 3 });
  });

  it('is undefined without passages and rejects thresholds outside 0..1', () => {
    expect(matchSpans([answer('1', 10, [], [])], 0.5).agreement).toEqual({
      undefined: 'Span agreement is undefined: neither coder marked a passage with this code.',
      reason: 'no-spans',
    });
    expect(() => matchSpans([], 1.5)).toThrow(RangeError);
    expect(() => matchSpans([], Number.NaN)).toThrow(RangeError);
  });
});
