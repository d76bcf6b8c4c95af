// @vitest-environment node
/**
 * Invariants over random small studies, and every count checked against a
 * naive recount (sets of strings, no index) of the same definitions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerRefsOf, buildAnalysisIndex, type AnalysisInput } from './analysis-index';
import type { CoderSelection } from './coder-selection';
import { cooccurrence } from './cooccurrence';
import { countTargets } from './counts';
import { crosstab } from './crosstab';
import { codeTargets, targetCodeIds, themeTargets, type Target } from './targets';
import { aid, code, coding, CONSENSUS, theme } from './test-fixtures';
import { waveChange } from './wave-change';

const RESPONDENTS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const WAVES = ['w1', 'w2', 'w3'];
const QUESTIONS = ['q1', 'q2'];
const CODERS = ['c1', 'c2', CONSENSUS];
const ROLES = ['mentor', 'mentee', ''];

const study = fc
  .record({
    answered: fc.subarray(RESPONDENTS.flatMap((r) => QUESTIONS.flatMap((q) => WAVES.map((w) => `${r}|${q}|${w}`)))),
    // Parent of code i is one of the codes before it (or none): always a tree.
    parents: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
    roles: fc.array(fc.constantFrom(...ROLES), { minLength: RESPONDENTS.length, maxLength: RESPONDENTS.length }),
    codings: fc.array(
      fc.record({
        r: fc.constantFrom(...RESPONDENTS),
        q: fc.constantFrom(...QUESTIONS),
        w: fc.constantFrom(...WAVES),
        code: fc.nat(4),
        coder: fc.constantFrom(...CODERS),
        span: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
    themes: fc.array(fc.record({ codes: fc.subarray([0, 1, 2, 3, 4]), withSubcodes: fc.boolean() }), { maxLength: 2 }),
  })
  .map(({ answered, parents, roles, codings, themes }): AnalysisInput => {
    const codes = parents.map((p, i) => code(`k${i}`, i === 0 || p % (i + 1) === i ? null : `k${p % i}`, i));
    return {
      answers: answered.map((s) => {
        const [r, q, w] = s.split('|');
        return { id: aid(r, q, w), questionId: q, waveId: w, respondentId: r };
      }),
      attributeOf: (r) => roles[RESPONDENTS.indexOf(r)] ?? '',
      codes,
      themes: themes.map((t, i) =>
        theme(
          `t${i}`,
          t.codes.map((c) => `k${c}`),
          t.withSubcodes,
          i,
        ),
      ),
      // Codings may name answers not in scope and codes beyond the codebook: both must be handled.
      codings: codings.map((c) => coding(aid(c.r, c.q, c.w), `k${c.code}`, c.coder, c.span)),
      waveIds: WAVES,
      questionIds: QUESTIONS,
      coderIds: CODERS,
    };
  });

const selection = fc.constantFrom<CoderSelection>(
  { kind: 'all' },
  { kind: 'consensus' },
  { kind: 'coder', coderId: 'c1' },
  { kind: 'all', coderIds: ['c2', CONSENSUS] },
);

function targetsOf(input: AnalysisInput): Target[] {
  return [...codeTargets(input.codes), ...codeTargets(input.codes, true), ...themeTargets(input.themes), { kind: 'code', codeId: 'k4' }];
}

function takes(sel: CoderSelection, coderId: string): boolean {
  if (sel.kind === 'coder') return coderId === sel.coderId;
  if (sel.kind === 'consensus') return coderId === CONSENSUS;
  if (sel.kind === 'final') return coderId === 'final';
  return sel.coderIds ? sel.coderIds.includes(coderId) : coderId !== CONSENSUS;
}

/** The definitions, recounted with plain sets. */
function naive(
  input: AnalysisInput,
  codeIds: string[],
  sel: CoderSelection,
  keep: (a: { questionId: string; waveId: string; respondentId: string }) => boolean,
) {
  const answers = new Map([...input.answers].map((a) => [a.id, a]));
  const coded = [...input.codings].filter(
    (c) => answers.has(c.answerId) && codeIds.includes(c.codeId) && takes(sel, c.coderId) && keep(answers.get(c.answerId)!),
  );
  const inScope = [...answers.values()].filter(keep);
  return {
    answersCoded: new Set(coded.map((c) => c.answerId)).size,
    respondentsCoded: new Set(coded.map((c) => answers.get(c.answerId)!.respondentId)).size,
    spansCoded: coded.filter((c) => c.start !== null).length,
    codingsTotal: coded.length,
    answersInScope: inScope.length,
    respondentsAnswered: new Set(inScope.map((a) => a.respondentId)).size,
  };
}

describe('analysis invariants (property)', () => {
  it('every count row equals a naive recount of its definition', () => {
    fc.assert(
      fc.property(study, selection, (input, sel) => {
        const index = buildAnalysisIndex(input);
        const rows = countTargets(index, targetsOf(input), {
          coders: sel,
          breakdowns: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }, { kind: 'question' }, { kind: 'coder' }],
        });
        for (const row of rows) {
          const ids = targetCodeIds(index, row.target);
          const g = row.group;
          const expected =
            row.breakdown === 'overall'
              ? naive(input, ids, sel, () => true)
              : row.breakdown === 'attribute'
                ? naive(input, ids, sel, (a) => input.attributeOf(a.respondentId, 'role') === g)
                : row.breakdown === 'wave'
                  ? naive(input, ids, sel, (a) => a.waveId === g)
                  : row.breakdown === 'question'
                    ? naive(input, ids, sel, (a) => a.questionId === g)
                    : naive(input, ids, { kind: 'coder', coderId: g! }, () => true);
          expect(row).toMatchObject(expected);
          if (row.respondentsAnswered === 0) expect(row.respondentShare).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a code with its subcodes counts at least as much as the code alone, and a theme as any of its codes', () => {
    fc.assert(
      fc.property(study, selection, (input, sel) => {
        const index = buildAnalysisIndex(input);
        const fields = ['answersCoded', 'respondentsCoded', 'spansCoded', 'codingsTotal'] as const;
        for (const c of input.codes) {
          const [alone, withSub] = countTargets(
            index,
            [
              { kind: 'code', codeId: c.id },
              { kind: 'code-with-subcodes', codeId: c.id },
            ],
            { coders: sel },
          );
          for (const f of fields) expect(withSub[f]).toBeGreaterThanOrEqual(alone[f]);
        }
        for (const t of input.themes) {
          const [whole] = countTargets(index, [{ kind: 'theme', themeId: t.id }], { coders: sel });
          for (const row of countTargets(
            index,
            t.codeIds.map((codeId) => ({ kind: 'code', codeId })),
            { coders: sel },
          )) {
            for (const f of fields) expect(whole[f]).toBeGreaterThanOrEqual(row[f]);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('co-occurrence is symmetric, its diagonal is the target’s count, and no cell exceeds either diagonal', () => {
    fc.assert(
      fc.property(study, selection, fc.constantFrom('answer' as const, 'respondent' as const), (input, sel, level) => {
        const index = buildAnalysisIndex(input);
        const targets = targetsOf(input);
        const m = cooccurrence(index, targets, { coders: sel, level, jaccard: true });
        const rows = countTargets(index, targets, { coders: sel });
        targets.forEach((_, i) => {
          expect(m.cells[i][i].count).toBe(level === 'answer' ? rows[i].answersCoded : rows[i].respondentsCoded);
          targets.forEach((_, j) => {
            expect(m.cells[i][j]).toEqual(m.cells[j][i]);
            expect(m.cells[i][j].count).toBe(m.cells[i][j].ids.length);
            expect(m.cells[i][j].count).toBeLessThanOrEqual(Math.min(m.cells[i][i].count, m.cells[j][j].count));
            const j2 = m.cells[i][j].jaccard;
            if (j2 !== null) expect(j2).toBeGreaterThanOrEqual(0);
            if (j2 !== null) expect(j2).toBeLessThanOrEqual(1);
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  it('crosstab column bases are the per-value respondents who answered, and row totals the overall counts', () => {
    fc.assert(
      fc.property(study, selection, fc.constantFrom('respondents' as const, 'answers' as const), (input, sel, unit) => {
        const index = buildAnalysisIndex(input);
        const targets = targetsOf(input);
        const t = crosstab(index, targets, { attribute: 'role', unit, coders: sel, percentOf: 'answered' });
        const answers = [...input.answers];
        for (const col of t.columns) {
          const mine = answers.filter((a) => input.attributeOf(a.respondentId, 'role') === col.value);
          expect(col.answered).toBe(unit === 'respondents' ? new Set(mine.map((a) => a.respondentId)).size : mine.length);
          expect(col.mentions).toBe(t.rows.reduce((s, r) => s + r.cells[t.columns.indexOf(col)].count, 0));
          expect(col.coded).toBeLessThanOrEqual(col.answered);
        }
        const overall = countTargets(index, targets, { coders: sel });
        t.rows.forEach((row, i) => {
          expect(row.total.count).toBe(unit === 'respondents' ? overall[i].respondentsCoded : overall[i].answersCoded);
          expect(row.cells.reduce((s, c) => s + c.count, 0)).toBe(row.total.count);
          expect(row.cells.flatMap((c) => c.answerIds).sort()).toEqual([...row.total.answerIds].sort());
        });
      }),
      { numRuns: 100 },
    );
  });

  it('wave change groups partition the respondents who answered in both waves', () => {
    fc.assert(
      fc.property(study, selection, fc.constantFrom(...WAVES), fc.constantFrom(...WAVES), (input, sel, waveA, waveB) => {
        const index = buildAnalysisIndex(input);
        const answers = [...input.answers];
        const answeredIn = (w: string) => new Set(answers.filter((a) => a.waveId === w).map((a) => a.respondentId));
        const inA = answeredIn(waveA);
        const panel = [...answeredIn(waveB)].filter((r) => inA.has(r)).sort();
        for (const row of waveChange(index, targetsOf(input), { waveA, waveB, coders: sel })) {
          const parts = [row.onlyA, row.onlyB, row.both, row.neither];
          const all = parts.flatMap((p) => p.respondentIds);
          expect(all.slice().sort()).toEqual(panel);
          expect(new Set(all).size).toBe(all.length);
          expect(row.answeredBoth).toBe(panel.length);
          for (const p of parts) expect(p.count).toBe(p.respondentIds.length);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('answerRefsOf', () => {
  it('derives the answers of column chunks as the model derives ids', () => {
    expect([...answerRefsOf([{ questionId: 'q1', waveId: 'w1', respondentIds: ['r1', 'r2'] }])]).toEqual([
      { id: aid('r1', 'q1', 'w1'), questionId: 'q1', waveId: 'w1', respondentId: 'r1' },
      { id: aid('r2', 'q1', 'w1'), questionId: 'q1', waveId: 'w1', respondentId: 'r2' },
    ]);
  });
});
