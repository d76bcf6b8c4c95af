// @vitest-environment node
/**
 * Invariants of the write-up tables (prevalence, pairs, transitions) over
 * random small studies, every prevalence cell checked against a naive
 * recount with plain sets; and one large study (100k respondents, 8 answers
 * each at most) checked against the same recount. Nothing here is timed:
 * speed is measured by `npm run bench`, not by a unit test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../agreement/random';
import { answerId, type Coding } from '../model/types';
import { answerRefsOf, buildAnalysisIndex, type AnalysisInput, type AnswerColumns } from './analysis-index';
import { pairConcordance } from './dyads';
import { prevalenceCellAnswers, prevalenceTable, type Dimension } from './prevalence-table';
import type { Target } from './targets';
import { aid, code, coding } from './test-fixtures';
import { waveTransitions } from './transitions';
import { waveChange } from './wave-change';

const RESPONDENTS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
const WAVES = ['w1', 'w2', 'w3'];
const QUESTIONS = ['q1', 'q2'];
const CODES = ['k0', 'k1', 'k2'];

const study = fc
  .record({
    answered: fc.subarray(RESPONDENTS.flatMap((r) => QUESTIONS.flatMap((q) => WAVES.map((w) => `${r}|${q}|${w}`)))),
    roles: fc.array(fc.constantFrom('Mentee', 'Mentor', ''), { minLength: 8, maxLength: 8 }),
    pairs: fc.array(fc.constantFrom('p1', 'p2', 'p3', ''), { minLength: 8, maxLength: 8 }),
    codings: fc.array(
      fc.record({
        r: fc.constantFrom(...RESPONDENTS),
        q: fc.constantFrom(...QUESTIONS),
        w: fc.constantFrom(...WAVES),
        code: fc.constantFrom(...CODES),
        coder: fc.constantFrom('c1', 'c2'),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ answered, roles, pairs, codings }): AnalysisInput => {
    const attrs = (r: string) => ({ role: roles[RESPONDENTS.indexOf(r)], pair: pairs[RESPONDENTS.indexOf(r)] });
    return {
      answers: answered.map((s) => {
        const [r, q, w] = s.split('|');
        return { id: aid(r, q, w), questionId: q, waveId: w, respondentId: r };
      }),
      attributeOf: (r, name) => (attrs(r) as Record<string, string | undefined>)[name] ?? '',
      codes: CODES.map((id, i) => code(id, null, i)),
      themes: [],
      codings: codings.map((c) => coding(aid(c.r, c.q, c.w), c.code, c.coder, false)),
      waveIds: WAVES,
      questionIds: QUESTIONS,
      coderIds: ['c1', 'c2'],
    };
  });

const TARGETS: Target[] = CODES.map((codeId) => ({ kind: 'code', codeId }));
const dimensionSets: Dimension[][] = [
  [{ kind: 'attribute', name: 'role' }],
  [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }],
  [{ kind: 'wave' }, { kind: 'attribute', name: 'pair' }],
  [{ kind: 'question' }, { kind: 'wave' }],
  [
    { kind: 'attribute', name: 'pair' },
    { kind: 'attribute', name: 'role' },
  ],
];

type Answer = { id: string; questionId: string; waveId: string; respondentId: string };

/** The value of a dimension for an answer. */
function valueOf(input: AnalysisInput, d: Dimension, a: Answer): string {
  return d.kind === 'wave' ? a.waveId : d.kind === 'question' ? a.questionId : input.attributeOf(a.respondentId, d.name);
}

/** Base and count of a column, recounted with sets over the raw input. */
function naiveCell(
  input: AnalysisInput,
  answers: Answer[],
  codeId: string,
  dims: readonly Dimension[],
  values: readonly string[] | null,
  unit: 'respondents' | 'answers',
) {
  const inColumn = answers.filter((a) => values === null || dims.every((d, k) => valueOf(input, d, a) === values[k]));
  const codedIds = new Set([...input.codings].filter((c) => c.codeId === codeId).map((c) => c.answerId));
  const coded = inColumn.filter((a) => codedIds.has(a.id));
  const distinct = (xs: Answer[]) => (unit === 'answers' ? xs.length : new Set(xs.map((a) => a.respondentId)).size);
  return { count: distinct(coded), base: distinct(inColumn) };
}

describe('write-up tables (property)', () => {
  it('every prevalence cell equals a naive recount, and every combination answered in is a column', () => {
    fc.assert(
      fc.property(study, fc.constantFrom(...dimensionSets), fc.constantFrom('respondents' as const, 'answers' as const), (input, dims, unit) => {
        const index = buildAnalysisIndex(input);
        const answers = [...input.answers] as Answer[];
        const t = prevalenceTable(index, TARGETS, { coders: { kind: 'all' }, unit, dimensions: dims, showEmptyRows: true });
        const combos = new Set(answers.map((a) => JSON.stringify(dims.map((d) => valueOf(input, d, a)))));
        expect(new Set(t.columns.map((c) => c.key))).toEqual(combos);
        for (const row of t.rows) {
          const codeId = (row.target as { codeId: string }).codeId;
          t.columns.forEach((col, k) => {
            expect({ count: row.cells[k].count, base: row.cells[k].base }).toEqual(naiveCell(input, answers, codeId, dims, col.values, unit));
            if (unit === 'answers')
              expect(prevalenceCellAnswers(index, row.target, { coders: { kind: 'all' }, dimensions: dims }, col.values)).toHaveLength(row.cells[k].count);
          });
          expect({ count: row.total.count, base: row.total.base }).toEqual(naiveCell(input, answers, codeId, dims, null, unit));
          expect(row.differences).toHaveLength(t.comparisons.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('for one attribute dimension, the cells add up to the total column', () => {
    fc.assert(
      fc.property(study, fc.constantFrom('role', 'pair'), fc.constantFrom('respondents' as const, 'answers' as const), (input, name, unit) => {
        const t = prevalenceTable(buildAnalysisIndex(input), TARGETS, {
          coders: { kind: 'all' },
          unit,
          dimensions: [{ kind: 'attribute', name }],
          showEmptyRows: true,
        });
        expect(t.columns.reduce((s, c) => s + c.base, 0)).toBe(t.total.base);
        for (const row of t.rows) expect(row.cells.reduce((s, c) => s + c.count, 0)).toBe(row.total.count);
      }),
      { numRuns: 100 },
    );
  });

  it('transitions: agree with waveChange; kept + gained + lost + never = answeredBoth, overall and per role; the roles add up', () => {
    fc.assert(
      fc.property(study, fc.constantFrom('w1', 'w2'), fc.constantFrom('w1', 'w2', 'w3'), (input, waveA, waveB) => {
        const index = buildAnalysisIndex(input);
        const t = waveTransitions(index, TARGETS, { waveA, waveB, coders: { kind: 'all' }, splitBy: 'role' });
        const change = waveChange(index, TARGETS, { waveA, waveB, coders: { kind: 'all' } });
        t.rows.forEach((row, k) => {
          const c = change[k];
          expect(row.overall).toEqual({ answeredBoth: c.answeredBoth, kept: c.both.count, gained: c.onlyB.count, lost: c.onlyA.count, never: c.neither.count });
        });
        for (const row of t.rows) {
          for (const c of [row.overall, ...row.groups]) expect(c.kept + c.gained + c.lost + c.never).toBe(c.answeredBoth);
          for (const key of ['answeredBoth', 'kept', 'gained', 'lost', 'never'] as const)
            expect(row.groups.reduce((s, g) => s + g[key], 0)).toBe(row.overall[key]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('pairs: all + some + none = groups; both + onlyA + onlyB + neither = pairs ≤ groups', () => {
    fc.assert(
      fc.property(study, (input) => {
        const index = buildAnalysisIndex(input);
        const t = pairConcordance(index, TARGETS, { groupAttribute: 'pair', roleAttribute: 'role', coders: { kind: 'all' } });
        const members = new Map<string, number>();
        let withoutGroup = 0;
        for (const r of index.respondentIds) {
          const p = input.attributeOf(r, 'pair');
          if (p === '') withoutGroup += 1;
          else members.set(p, (members.get(p) ?? 0) + 1);
        }
        expect(t.withoutGroup).toBe(withoutGroup);
        expect(t.groups).toBe([...members.values()].filter((n) => n >= 2).length);
        expect(t.singletons).toBe([...members.values()].filter((n) => n === 1).length);
        for (const row of t.rows) {
          expect(row.all + row.some + row.none).toBe(row.groups);
          if (row.roles) {
            const r = row.roles;
            expect(r.both + r.onlyA + r.onlyB + r.neither).toBe(r.pairs);
            expect(r.pairs).toBeLessThanOrEqual(row.groups);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('a role × wave prevalence table at 100k respondents', () => {
  // Building 700k answers takes seconds on a loaded machine: a generous limit, since this test checks results, not speed.
  it('equals a plain recount of its bases and counts', { timeout: 120_000 }, () => {
    const N = 100_000;
    const random = mulberry32(13);
    const ids = Array.from({ length: N }, (_, i) => `R${i}`);
    const roles = ids.map((_, i) => ['Mentee', 'Mentor', 'Staff', ''][i % 4]);
    const roleOf = new Map(ids.map((id, i) => [id, roles[i]]));
    // 4 questions × 2 waves; about one answer in eight is blank.
    const chunks: AnswerColumns[] = ['q1', 'q2', 'q3', 'q4'].flatMap((questionId) =>
      ['w1', 'w2'].map((waveId) => ({ questionId, waveId, respondentIds: ids.filter(() => random() > 0.125) })),
    );
    const codeIds = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const codings: Coding[] = [];
    for (const chunk of chunks) {
      for (let k = 0; k < chunk.respondentIds.length; k += 4) {
        codings.push({
          projectId: 'p',
          id: `k${codings.length}`,
          answerId: answerId(chunk.questionId, chunk.waveId, chunk.respondentIds[k]),
          codeId: codeIds[Math.floor(random() * 20)],
          coderId: 'a',
          start: null,
          end: null,
          createdAt: 0,
        });
      }
    }
    const index = buildAnalysisIndex({
      answers: answerRefsOf(chunks),
      attributeOf: (r) => roleOf.get(r) ?? '',
      codes: codeIds.map((id, i) => code(id, null, i)),
      themes: [],
      codings,
    });
    const t = prevalenceTable(
      index,
      codeIds.map((codeId) => ({ kind: 'code', codeId })),
      { coders: { kind: 'all' }, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }] },
    );
    expect(t.columns.map((c) => c.values.join('·'))).toEqual(['Mentee·w1', 'Mentee·w2', 'Mentor·w1', 'Mentor·w2', 'Staff·w1', 'Staff·w2', '·w1', '·w2']);

    // The recount: per column key, sets of respondents answering and coded with c0 and c7.
    const base = new Map<string, Set<string>>();
    const coded = new Map<string, Set<string>>();
    const answerColumn = new Map<string, string>();
    for (const chunk of chunks) {
      for (const r of chunk.respondentIds) {
        const key = `${roleOf.get(r)}·${chunk.waveId}`;
        answerColumn.set(answerId(chunk.questionId, chunk.waveId, r), key);
        if (!base.has(key)) base.set(key, new Set());
        base.get(key)!.add(r);
      }
    }
    for (const c of codings) {
      const key = `${c.codeId}|${answerColumn.get(c.answerId)}`;
      if (!coded.has(key)) coded.set(key, new Set());
      coded.get(key)!.add(c.answerId.split('\u001f')[2]);
    }
    t.columns.forEach((col, k) => {
      expect(col.base).toBe(base.get(col.values.join('·'))!.size);
      for (const codeId of ['c0', 'c7']) {
        const row = t.rows.find((r) => r.key === `code:${codeId}`)!;
        expect(row.cells[k].count).toBe(coded.get(`${codeId}|${col.values.join('·')}`)?.size ?? 0);
      }
    });
    expect(t.total.base).toBe(new Set(chunks.flatMap((c) => c.respondentIds)).size);
  });
});
