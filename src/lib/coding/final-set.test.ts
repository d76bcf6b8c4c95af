import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerId, ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, FINAL_CODER_ID, type Coding, type Resolution } from '../model/types';
import { findDisagreements, resolveDisagreement, type Decision } from './consensus';
import { describeFinalSet, finalCodings, primaryCoderOf, sourceCodingId } from './final-set';

const a1 = answerId('q1', 'b', 'E01');
const a2 = answerId('q1', 'b', 'E02');
const a3 = answerId('q1', 'b', 'E03');
const a4 = answerId('q1', 'b', 'E04');
const coding = (id: string, answer: string, coderId: string, codeId: string, span: [number, number] | null = null): Coding => ({
  projectId: 'p',
  id,
  answerId: answer,
  codeId,
  coderId,
  start: span?.[0] ?? null,
  end: span?.[1] ?? null,
  createdAt: 1,
});
const resolution = (answer: string, codeIds: string[], decision: Resolution['decision'] = 'first'): Resolution => ({
  projectId: 'p',
  answerId: answer,
  decision,
  coderIds: ['ana', 'ben'],
  codeIds,
  resolvedBy: 'Ada',
  at: 1,
});
const finalOf = (codings: Coding[], extra: Partial<Parameters<typeof finalCodings<Coding>>[0]> = {}) =>
  finalCodings({ codings, resolutions: [], rounds: [], coderIds: ['ana', 'ben', 'carl'], ...extra });
const keys = (codings: readonly Coding[]) => codings.map((c) => `${c.answerId.slice(-3)}:${c.codeId}:${sourceCodingId(c.id)}`).sort();

describe('finalCodings', () => {
  const ALL: Coding[] = [
    coding('x1', a1, 'ana', 'rewards', [0, 4]),
    coding('x2', a1, 'ana', 'time'),
    coding('y1', a1, 'ben', 'rewards', [1, 6]),
    coding('y2', a1, 'ben', 'empathy'),
    coding('x3', a2, 'ana', 'rewards'),
    coding('y3', a2, 'ben', 'rewards'),
    coding('y4', a3, 'ben', 'time'),
  ];

  it('keeps what both applied as the primary marked it, follows the primary on open disputes, and a lone coder elsewhere', () => {
    const { codings, summary } = finalOf(ALL);
    expect(keys(codings)).toEqual(['E01:rewards:x1', 'E01:time:x2', 'E02:rewards:x3', 'E03:time:y4']);
    expect(codings.every((c) => c.coderId === FINAL_CODER_ID && c.id.startsWith('final:'))).toBe(true);
    expect(codings.find((c) => c.codeId === 'rewards' && c.answerId === a1)).toMatchObject({ start: 0, end: 4 });
    expect(summary).toMatchObject({
      primaryCoderId: 'ana',
      primaryChosen: false,
      answers: { agreed: 1, adjudicated: 0, pending: 1, single: 1, several: 0 },
      pendingAnswers: 1,
      pendingCodes: 2,
    });
  });

  it('follows the chosen primary coder', () => {
    const { codings, summary } = finalOf(ALL, { primaryCoderId: 'ben' });
    expect(keys(codings)).toEqual(['E01:empathy:y2', 'E01:rewards:y1', 'E02:rewards:y3', 'E03:time:y4']);
    expect(summary.primaryChosen).toBe(true);
  });

  it('takes the adjudicated decision from the consensus codings for the codes a resolution covers', () => {
    // Decision "second" on a1: the agreed rewards (as ana marked it) and ben's empathy; time dropped.
    const consensus = [coding('k1', a1, CONSENSUS_CODER_ID, 'rewards', [0, 4]), coding('k2', a1, CONSENSUS_CODER_ID, 'empathy')];
    const { codings, summary } = finalOf([...ALL, ...consensus], { resolutions: [resolution(a1, ['rewards', 'time', 'empathy'], 'second')] });
    expect(keys(codings)).toEqual(['E01:empathy:k2', 'E01:rewards:x1', 'E02:rewards:x3', 'E03:time:y4']);
    expect(summary).toMatchObject({ answers: { agreed: 1, adjudicated: 1, pending: 0, single: 1 }, adjudicatedAnswers: 1, pendingAnswers: 0 });
  });

  it('a resolution that does not cover a newly disputed code leaves that code pending', () => {
    const consensus = [coding('k1', a1, CONSENSUS_CODER_ID, 'rewards'), coding('k2', a1, CONSENSUS_CODER_ID, 'empathy')];
    const { codings, summary } = finalOf([...ALL, ...consensus], { resolutions: [resolution(a1, ['rewards', 'empathy'], 'second')] });
    // empathy adjudicated (kept), time not covered: follows ana, who applied it.
    expect(keys(codings)).toContain('E01:empathy:k2');
    expect(keys(codings)).toContain('E01:time:x2');
    expect(summary).toMatchObject({ adjudicatedAnswers: 1, pendingAnswers: 1, pendingCodes: 1 });
  });

  it('in a round, an answer the second coder left uncoded is double-coded: its codes are disputed', () => {
    const rounds = [{ answerIds: [a3, a4], coderIds: ['ana', 'ben'] }];
    const { codings, summary } = finalOf([coding('y4', a3, 'ben', 'time'), coding('x9', a4, 'ana', 'time')], { rounds });
    // a3: only ben coded, ana (primary) applied nothing: pending, follows ana → nothing. a4: follows ana.
    expect(keys(codings)).toEqual(['E04:time:x9']);
    expect(summary.answers).toMatchObject({ pending: 2, single: 0 });
  });

  it('a round answer only a coder outside the pair coded is not double-coded', () => {
    const rounds = [{ answerIds: [a1], coderIds: ['ana', 'ben'] }];
    const { codings, summary } = finalOf([coding('z1', a1, 'carl', 'time')], { rounds });
    expect(keys(codings)).toEqual(['E01:time:z1']);
    expect(summary.answers.single).toBe(1);
  });

  it('several coders and none of them primary: the first registered of them', () => {
    const { codings, summary } = finalOf([coding('z1', a1, 'carl', 'time'), coding('y1', a1, 'ben', 'rewards')]);
    expect(keys(codings)).toEqual(['E01:rewards:y1']);
    expect(summary.answers.several).toBe(1);
  });

  it('ignores Final codings in its input and an unregistered primary', () => {
    const { codings } = finalOf([coding('x1', a1, 'ana', 'time'), coding('final:x1', a1, FINAL_CODER_ID, 'time')], { primaryCoderId: 'gone' });
    expect(keys(codings)).toEqual(['E01:time:x1']);
    expect(primaryCoderOf([CONSENSUS_CODER_ID, 'ben'], 'gone')).toBe('ben');
    expect(primaryCoderOf([], undefined)).toBeNull();
  });

  it("keeps each source coding's suggested and exemplar marks, and marks what it takes from the Assistant coder as suggested", () => {
    const marked = ALL.map((c) => (c.id === 'x1' ? { ...c, suggested: true, exemplar: true } : c.id === 'x3' ? { ...c, suggested: false } : c));
    const { codings } = finalOf([...marked, coding('s1', a4, ASSISTANT_CODER_ID, 'time')], { coderIds: ['ana', 'ben', ASSISTANT_CODER_ID] });
    const bySource = new Map(codings.map((c) => [sourceCodingId(c.id), c]));
    expect(bySource.get('x1')).toMatchObject({ coderId: FINAL_CODER_ID, suggested: true, exemplar: true });
    expect(bySource.get('x3')).toMatchObject({ suggested: false });
    expect(bySource.get('x2')).not.toHaveProperty('suggested');
    // The assistant alone coded a4: Final takes its coding, which must not read as coded by hand.
    expect(bySource.get('s1')).toMatchObject({ coderId: FINAL_CODER_ID, suggested: true });
    // Adjudicated codes come from the consensus codings, marks and all.
    const consensus = [{ ...coding('k2', a1, CONSENSUS_CODER_ID, 'empathy'), suggested: true }];
    const adjudicated = finalOf([...ALL, ...consensus], { resolutions: [resolution(a1, ['empathy'], 'second')] }).codings;
    expect(adjudicated.find((c) => sourceCodingId(c.id) === 'k2')).toMatchObject({ suggested: true });
  });

  it('names the set it is', () => {
    const consensus = [coding('k1', a1, CONSENSUS_CODER_ID, 'rewards')];
    const { summary } = finalOf([...ALL, ...consensus, coding('y9', a4, 'ben', 'time'), coding('x9', a4, 'ana', 'empathy')], {
      resolutions: [resolution(a1, ['rewards', 'time', 'empathy'], 'neither')],
    });
    expect(describeFinalSet(summary, (id) => (id === 'ana' ? 'Ana' : id))).toBe(
      'Coding set: Final — agreed codings plus 1 adjudication; 1 disagreement not yet adjudicated follow Ana (primary: first coder listed); ' +
        "1 answer not double-coded use the one coder's codings (Ana (primary: first coder listed) where several coded)",
    );
  });
});

describe('finalCodings (properties)', () => {
  const answers = [a1, a2, a3, a4];
  const codes = ['rewards', 'time', 'empathy'];
  const codingArb = fc.record({
    answer: fc.constantFrom(...answers),
    coder: fc.constantFrom('ana', 'ben', 'carl'),
    code: fc.constantFrom(...codes),
    span: fc.option(fc.tuple(fc.nat(5), fc.nat(5)).map(([s, l]) => [s, s + l + 1] as [number, number])),
  });
  const decisions: Decision[] = ['first', 'second', 'both', 'neither'];

  it('never holds a code no coder applied, equals a lone coder, and leaves its input untouched', () => {
    fc.assert(
      fc.property(
        fc.array(codingArb, { maxLength: 30 }),
        fc.array(fc.tuple(fc.constantFrom(...answers), fc.constantFrom(...decisions)), { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom(undefined, 'ana', 'ben', 'carl'),
        (raw, decide, inRound, primaryCoderId) => {
          const human = raw.map((r, i) => coding(`c${i}`, r.answer, r.coder, r.code, r.span));
          // Resolve through the real operation, as the disagreement queue does.
          let n = 0;
          const consensus: Coding[] = [];
          const resolutions: Resolution[] = [];
          for (const [answer, decision] of decide) {
            const [d] = findDisagreements([answer], (id) => human.filter((c) => c.answerId === id), ['ana', 'ben'], new Set(codes));
            if (!d || resolutions.some((r) => r.answerId === answer)) continue;
            const change = resolveDisagreement(
              d,
              decision,
              {
                projectId: 'p',
                coderIds: ['ana', 'ben'],
                codeIds: codes,
                consensusCodings: [],
                previous: undefined,
                resolvedBy: 'x',
                newId: () => `k${n++}`,
                now: 1,
              },
              'x',
            );
            consensus.push(...change.forward.putCodings);
            resolutions.push(...(change.forward.putResolutions ?? []));
          }
          const input = {
            codings: [...human, ...consensus],
            resolutions,
            rounds: inRound ? [{ answerIds: answers, coderIds: ['ana', 'ben'] }] : [],
            coderIds: ['ana', 'ben', 'carl'],
            primaryCoderId,
          };
          const before = structuredClone(input);
          const { codings } = finalCodings(input);
          expect(input).toEqual(before);
          const applied = new Set(human.map((c) => `${c.answerId}|${c.codeId}`));
          for (const c of codings) expect(applied.has(`${c.answerId}|${c.codeId}`)).toBe(true);
          expect(new Set(codings.map((c) => c.id)).size).toBe(codings.length);

          const lone = human.filter((c) => c.coderId === 'carl');
          const alone = finalCodings({ codings: lone, resolutions: [], rounds: [], coderIds: ['carl'] }).codings;
          const byId = (x: Coding, y: Coding) => x.id.localeCompare(y.id);
          expect(alone.map((c) => ({ ...c, id: sourceCodingId(c.id), coderId: 'carl' })).sort(byId)).toEqual([...lone].sort(byId));
        },
      ),
    );
  });
});
