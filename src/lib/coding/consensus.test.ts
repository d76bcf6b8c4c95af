import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyChange } from '../codebook/operations';
import { answerId, ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, type Coding } from '../model/types';
import { findDisagreements, resolveDisagreement, type Decision } from './consensus';

const a1 = answerId('q1', 'b', 'E01');
const a2 = answerId('q1', 'b', 'E02');
const a3 = answerId('q1', 'b', 'E03');
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
const ALL: Coding[] = [
  coding('x1', a1, 'ana', 'rewards', [0, 4]),
  coding('x2', a1, 'ana', 'time'),
  coding('y1', a1, 'ben', 'rewards', [1, 6]),
  coding('y2', a1, 'ben', 'empathy'),
  coding('x3', a2, 'ana', 'rewards'),
  coding('y3', a2, 'ben', 'rewards'),
  coding('y4', a3, 'ben', 'time'),
  coding('z1', a3, 'carl', 'rewards'),
];
const codingsOf = (id: string) => ALL.filter((c) => c.answerId === id);
const SCOPE = new Set(['rewards', 'time', 'empathy']);

describe('findDisagreements', () => {
  it('lists the answers where the two coders differ on a compared code, with the codes in dispute', () => {
    const found = findDisagreements([a1, a2, a3], codingsOf, ['ana', 'ben'], SCOPE);
    expect(found.map((d) => [d.answerId, d.disputedCodeIds])).toEqual([
      [a1, ['empathy', 'time']],
      [a3, ['time']],
    ]);
    expect(found[0].first.map((c) => c.id)).toEqual(['x1', 'x2']);
    // Codes outside the comparison, and other coders, do not count.
    expect(findDisagreements([a1, a3], codingsOf, ['ana', 'ben'], new Set(['rewards']))).toEqual([]);
  });
});

describe('resolveDisagreement', () => {
  const [d] = findDisagreements([a1], codingsOf, ['ana', 'ben'], SCOPE);
  let n = 0;
  const context = {
    projectId: 'p',
    coderIds: ['ana', 'ben'] as const,
    codeIds: [...SCOPE],
    consensusCodings: [],
    previous: undefined,
    resolvedBy: 'Ada',
    newId: () => `k${n++}`,
    now: 9,
  };
  const codesOf = (decision: Decision) =>
    resolveDisagreement(d, decision, context, 'x')
      .forward.putCodings.map((c) => c.codeId)
      .sort();

  it('keeps the agreed codes and takes the disputed ones of the side chosen, under the consensus coder', () => {
    expect(codesOf('first')).toEqual(['rewards', 'time']);
    expect(codesOf('second')).toEqual(['empathy', 'rewards']);
    expect(codesOf('both')).toEqual(['empathy', 'rewards', 'time']);
    expect(codesOf('neither')).toEqual(['rewards']);
    const change = resolveDisagreement(d, 'first', context, 'x');
    expect(change.forward.putCodings.every((c) => c.coderId === CONSENSUS_CODER_ID)).toBe(true);
    // The agreed code keeps the first coder's span; the originals are not touched.
    expect(change.forward.putCodings.find((c) => c.codeId === 'rewards')).toMatchObject({ start: 0, end: 4 });
    expect(change.forward.deleteCodings).toEqual([]);
    expect(change.forward.putResolutions).toEqual([
      { projectId: 'p', answerId: a1, decision: 'first', coderIds: ['ana', 'ben'], codeIds: [...SCOPE], resolvedBy: 'Ada', at: 9 },
    ]);
    expect(change.inverse.deleteResolutions).toEqual(change.forward.putResolutions);
  });

  it("keeps the suggested and exemplar marks of the codings it copies, and marks the Assistant coder's as suggested", () => {
    const mine: Coding[] = [
      { ...coding('x1', a1, 'ana', 'rewards', [0, 4]), suggested: true, exemplar: true },
      coding('x2', a1, 'ana', 'time'),
      coding('s1', a1, ASSISTANT_CODER_ID, 'rewards', [1, 6]),
      coding('s2', a1, ASSISTANT_CODER_ID, 'empathy'),
    ];
    const [disagreement] = findDisagreements([a1], (id) => mine.filter((c) => c.answerId === id), ['ana', ASSISTANT_CODER_ID], SCOPE);
    const put = resolveDisagreement(disagreement, 'both', { ...context, coderIds: ['ana', ASSISTANT_CODER_ID] }, 'x').forward.putCodings;
    const byCode = new Map(put.map((c) => [c.codeId, c]));
    // Agreed: as ana marked it, her suggestion kept. Disputed: ana's by hand; the Assistant's, accepted.
    expect(byCode.get('rewards')).toMatchObject({ coderId: CONSENSUS_CODER_ID, suggested: true, exemplar: true, start: 0, end: 4 });
    expect(byCode.get('time')).not.toHaveProperty('suggested');
    expect(byCode.get('empathy')).toMatchObject({ coderId: CONSENSUS_CODER_ID, suggested: true });
  });

  it('resolving again replaces the consensus, and undoing restores the earlier one exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Decision>('first', 'second', 'both', 'neither'),
        fc.constantFrom<Decision>('first', 'second', 'both', 'neither'),
        (one, two) => {
          const start = { codes: [], codings: ALL };
          const firstChange = resolveDisagreement(d, one, context, 'one');
          const afterOne = applyChange(start, firstChange.forward);
          const consensus = afterOne.codings.filter((c) => c.coderId === CONSENSUS_CODER_ID);
          const second = resolveDisagreement(d, two, { ...context, consensusCodings: consensus, previous: firstChange.forward.putResolutions![0] }, 'two');
          const afterTwo = applyChange(afterOne, second.forward);
          expect(
            afterTwo.codings
              .filter((c) => c.coderId === CONSENSUS_CODER_ID)
              .map((c) => c.codeId)
              .sort(),
          ).toEqual(codesOf(two));
          expect(afterTwo.codings.filter((c) => c.coderId !== CONSENSUS_CODER_ID)).toEqual(ALL);
          const undone = applyChange(afterTwo, second.inverse);
          expect(new Set(undone.codings)).toEqual(new Set(afterOne.codings));
          expect(second.inverse.putResolutions).toEqual(firstChange.forward.putResolutions);
        },
      ),
    );
  });
});
