// @vitest-environment node
/**
 * What the views' tables keep with an index between requests (coded.ts, keptFor): the scratch, each target's coded
 * answers and the denominators. A run of counts and prevalence tables asked one after another, with what is kept,
 * equals each table worked out afresh; the coded answers kept stay within their budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex, type AnalysisIndex } from './analysis-index';
import { CodedCache, CodedScratch, codedAnswers, keptFor } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { countTargets, type Breakdown } from './counts';
import { prevalenceTable, type Dimension } from './prevalence-table';
import type { Target } from './targets';
import { aid, code, coding } from './test-fixtures';

const RESPONDENTS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
const WAVES = ['w1', 'w2'];
const QUESTIONS = ['q1', 'q2'];
const CODES = ['k0', 'k1', 'k2', 'k3'];
const CODERS = ['c1', 'c2'];

const study = fc
  .record({
    answered: fc.subarray(
      RESPONDENTS.flatMap((r) => QUESTIONS.flatMap((q) => WAVES.map((w) => `${r}|${q}|${w}`))),
      { minLength: 1 },
    ),
    roles: fc.array(fc.constantFrom('Mentee', 'Mentor', ''), { minLength: RESPONDENTS.length, maxLength: RESPONDENTS.length }),
    sites: fc.array(fc.constantFrom('North', 'South'), { minLength: RESPONDENTS.length, maxLength: RESPONDENTS.length }),
    codings: fc.array(
      fc.record({
        r: fc.constantFrom(...RESPONDENTS),
        q: fc.constantFrom(...QUESTIONS),
        w: fc.constantFrom(...WAVES),
        code: fc.constantFrom(...CODES),
        coder: fc.constantFrom(...CODERS),
        span: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ answered, roles, sites, codings }) =>
    buildAnalysisIndex({
      answers: answered.map((s) => {
        const [r, q, w] = s.split('|');
        return { id: aid(r, q, w), questionId: q, waveId: w, respondentId: r };
      }),
      attributeOf: (r, name) => (name === 'role' ? roles : name === 'site' ? sites : [])[RESPONDENTS.indexOf(r)] ?? '',
      // k3 is k0's subcode, so targets with subcodes merge two codes' answers.
      codes: CODES.map((id, i) => code(id, id === 'k3' ? 'k0' : null, i)),
      themes: [],
      codings: codings.map((c) => coding(aid(c.r, c.q, c.w), c.code, c.coder, c.span)),
      waveIds: WAVES,
      questionIds: QUESTIONS,
      coderIds: CODERS,
    }),
  );

const TARGETS: Target[][] = [
  CODES.map((codeId) => ({ kind: 'code', codeId })),
  [
    { kind: 'code-with-subcodes', codeId: 'k0' },
    { kind: 'code', codeId: 'k2' },
  ],
];
const SELECTIONS: CoderSelection[] = [{ kind: 'all' }, { kind: 'coder', coderId: 'c1' }, { kind: 'coder', coderId: 'c2' }];
const BREAKDOWNS: Breakdown[][] = [
  [],
  [{ kind: 'attribute', name: 'role' }],
  [{ kind: 'attribute', name: 'site' }],
  // The same attribute in another order, with a value no one has.
  [{ kind: 'attribute', name: 'role', values: ['Mentor', 'Mentee', 'Chair', ''] }],
  [{ kind: 'wave' }],
  [{ kind: 'question' }, { kind: 'coder' }],
];
const DIMENSIONS: Dimension[][] = [[{ kind: 'attribute', name: 'role' }], [{ kind: 'attribute', name: 'site' }, { kind: 'wave' }], []];

type Ask =
  | { kind: 'counts'; targets: number; coders: number; breakdowns: number }
  | { kind: 'prevalence'; targets: number; coders: number; dimensions: number; unit: 'respondents' | 'answers' };

const asks: fc.Arbitrary<Ask[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('counts' as const),
      targets: fc.nat(TARGETS.length - 1),
      coders: fc.nat(SELECTIONS.length - 1),
      breakdowns: fc.nat(BREAKDOWNS.length - 1),
    }),
    fc.record({
      kind: fc.constant('prevalence' as const),
      targets: fc.nat(TARGETS.length - 1),
      coders: fc.nat(SELECTIONS.length - 1),
      dimensions: fc.nat(DIMENSIONS.length - 1),
      unit: fc.constantFrom('respondents' as const, 'answers' as const),
    }),
  ),
  { minLength: 1, maxLength: 8 },
);

function answer(index: AnalysisIndex, ask: Ask, kept: boolean) {
  const k = kept ? keptFor(index) : undefined;
  if (ask.kind === 'counts') return countTargets(index, TARGETS[ask.targets], { coders: SELECTIONS[ask.coders], breakdowns: BREAKDOWNS[ask.breakdowns] }, k);
  const options = { coders: SELECTIONS[ask.coders], unit: ask.unit, dimensions: DIMENSIONS[ask.dimensions], confidence: 0.95 };
  return prevalenceTable(index, TARGETS[ask.targets], options, k?.coded, k?.scratch);
}

describe('tables kept with their index', () => {
  it('a run of counts and prevalence tables, with what the index keeps, equals each one worked out afresh', () => {
    fc.assert(
      fc.property(study, asks, (index, run) => {
        for (const ask of run) expect(answer(index, ask, true)).toEqual(answer(index, ask, false));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps coded answers within its budget, the least recently used let go, and hands back the same answers', () => {
    fc.assert(
      fc.property(study, fc.array(fc.tuple(fc.nat(CODES.length - 1), fc.nat(SELECTIONS.length - 1)), { maxLength: 20 }), (index, run) => {
        // Room for about two sets of a third of this study's answers.
        const budget = 2 * 12 * Math.ceil(index.answerCount / 3);
        const cache = new CodedCache(index, budget);
        const scratch = new CodedScratch(index);
        for (const [c, s] of run) {
          const mask = coderMask(index, SELECTIONS[s]);
          const coded = cache.of(index, [CODES[c]], mask, scratch);
          expect(coded).toEqual(codedAnswers(index, [CODES[c]], mask, new CodedScratch(index)));
          // Over the budget only while the one set just found is larger than it.
          expect(cache.bytes <= budget || cache.bytes === 12 * coded.answers.length).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
