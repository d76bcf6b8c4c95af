// @vitest-environment node
/**
 * The analysis pipeline end to end on a synthetic project: 10k answers and
 * 20k codings. The size the issue asks for (100k answers, 200k codings) is
 * timed in `npm run bench` (its Analysis step); a unit test must not depend
 * on the machine's speed, so nothing here is timed.
 */
import { describe, expect, it } from 'vitest';
import { answerId, CONSENSUS_CODER_ID, type Coding } from '../model/types';
import { mulberry32 } from '../agreement/random';
import { answerRefsOf, buildAnalysisIndex, type AnswerColumns } from './analysis-index';
import { cooccurrence } from './cooccurrence';
import { countTargets } from './counts';
import { crosstab } from './crosstab';
import { codeTargets } from './targets';
import { code } from './test-fixtures';
import { waveChange } from './wave-change';

const RESPONDENTS = 2_500;
const QUESTIONS = ['q1', 'q2'];
const WAVES = ['w1', 'w2'];
const CODINGS = 20_000;
const ROLES = ['mentor', 'mentee', 'staff'];

function synthetic() {
  const random = mulberry32(5);
  const respondentIds = Array.from({ length: RESPONDENTS }, (_, i) => `R${String(i).padStart(6, '0')}`);
  const chunks: AnswerColumns[] = QUESTIONS.flatMap((questionId) => WAVES.map((waveId) => ({ questionId, waveId, respondentIds })));
  // 20 top-level codes with two subcodes each.
  const codes = Array.from({ length: 20 }, (_, i) => [code(`c${i}`, null, i), code(`c${i}a`, `c${i}`, 0), code(`c${i}b`, `c${i}`, 1)]).flat();
  const coders = ['alice', 'bob', CONSENSUS_CODER_ID];
  const codings: Coding[] = Array.from({ length: CODINGS }, (_, i) => {
    const r = respondentIds[Math.floor(random() * RESPONDENTS)];
    const start = random() < 0.5 ? 0 : null;
    return {
      projectId: 'p',
      id: `k${i}`,
      answerId: answerId(QUESTIONS[i % 2], WAVES[(i >> 1) % 2], r),
      codeId: codes[Math.floor(random() * codes.length)].id,
      coderId: coders[i % 3],
      start,
      end: start === null ? null : 10,
      createdAt: 0,
    };
  });
  const roles = new Map(respondentIds.map((id, i) => [id, ROLES[i % 3]]));
  return { chunks, codes, codings, attributeOf: (id: string) => roles.get(id) ?? '' };
}

function time<T>(_label: string, run: () => T): T {
  return run();
}

describe('analysis of 10k answers and 20k codings', () => {
  it('indexes once, then counts every code and cross-tabulates by role', () => {
    const s = synthetic();
    const index = time('build index', () =>
      buildAnalysisIndex({ answers: answerRefsOf(s.chunks), attributeOf: s.attributeOf, codes: s.codes, themes: [], codings: s.codings }),
    );
    expect(index.answerCount).toBe(10_000);
    const targets = [...codeTargets(s.codes), ...codeTargets(s.codes, true).filter((t) => t.kind === 'code-with-subcodes')];
    expect(targets).toHaveLength(80);
    const all = { kind: 'all' } as const;
    const counts = time('counts, 80 targets, overall (first run)', () => countTargets(index, targets, { coders: all }));
    time('counts, 80 targets, overall (second run)', () => countTargets(index, targets, { coders: all }));
    expect(counts.reduce((n, r) => n + r.codingsTotal, 0)).toBeGreaterThan(CODINGS / 3);
    time('counts, 80 targets, by role, wave, question and coder', () =>
      countTargets(index, targets, {
        coders: all,
        breakdowns: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }, { kind: 'question' }, { kind: 'coder' }],
      }),
    );
    const byRole = () => crosstab(index, targets, { attribute: 'role', unit: 'respondents', coders: all, percentOf: 'answered' });
    const table = time('crosstab, 80 targets by role (first run)', byRole);
    time('crosstab, 80 targets by role (second run)', byRole);
    expect(table.columns.map((c) => c.value)).toEqual(['mentee', 'mentor', 'staff']);
    time('co-occurrence, 60 codes, same respondent', () => cooccurrence(index, codeTargets(s.codes), { coders: all, level: 'respondent', jaccard: true }));
    time('wave change, 80 targets', () => waveChange(index, targets, { waveA: 'w1', waveB: 'w2', coders: all }));
  });
});
