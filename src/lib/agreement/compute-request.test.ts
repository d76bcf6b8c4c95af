// @vitest-environment node
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerId } from '../model/types';
import { findDisagreements, presenceFromCodings } from './answer-agreement';
import { characterAgreement, matchSpans, type SpanAnswer } from './span-agreement';
import {
  AgreementRequestError,
  computeAgreement,
  normaliseGroups,
  queueDetailsOf,
  queueTextsOf,
  unpackDisagreements,
  type AgreementSettings,
  type CodingLike,
} from './compute-request';
import { selectAnswers } from './scope';

const a1 = answerId('q1', 'base', 'r1');
const a2 = answerId('q1', 'base', 'r2');
const a3 = answerId('q1', 'base', 'r3');
const a4 = answerId('q1', 'base', 'r4');
const ANSWERS = { ids: [a1, a2, a3, a4], texts: ['0123456789', 'abcdefghij', 'short', 'never coded'] };

const coding = (answer: string, coderId: string, codeId: string, start: number | null = null, end: number | null = null): CodingLike => ({
  answerId: answer,
  coderId,
  codeId,
  start,
  end,
});

const SETTINGS: AgreementSettings = {
  coderIds: ['ana', 'ben'],
  codeIds: ['rewards', 'time'],
  uncodedAs: 'absent',
  spanThreshold: 0.5,
  bootstrapSamples: 0,
};

/**
 * a1: both rewards (passages overlapping), ana also time.
 * a2: ana rewards (whole), ben nothing at all.
 * a3: ben time only; ana codes 'other' (not compared).
 * a4: nobody.
 */
const CODINGS: CodingLike[] = [
  coding(a1, 'ana', 'rewards', 0, 6),
  coding(a1, 'ben', 'rewards', 2, 8),
  coding(a1, 'ana', 'time'),
  coding(a2, 'ana', 'rewards'),
  coding(a3, 'ben', 'time', 0, 5),
  coding(a3, 'ana', 'other'),
  coding(a3, 'carl', 'rewards'),
];

const pair = (result: ReturnType<typeof computeAgreement>, codeId: string | null) => {
  const row = codeId === null ? result.table.pooled : result.table.rows.find((r) => r.codeId === codeId)!;
  const { bothPresent, aOnly, bOnly, bothAbsent } = row.pairs[0];
  return { units: row.units, pairable: row.pairableUnits, bothPresent, aOnly, bOnly, bothAbsent };
};

describe('computeAgreement: uncoded answers', () => {
  it("'absent' compares every answer in scope: a code a coder did not apply is absent", () => {
    const result = computeAgreement(ANSWERS, CODINGS, SETTINGS);
    expect(pair(result, 'rewards')).toEqual({ units: 4, pairable: 4, bothPresent: 1, aOnly: 1, bOnly: 0, bothAbsent: 2 });
    expect(pair(result, 'time')).toEqual({ units: 4, pairable: 4, bothPresent: 0, aOnly: 1, bOnly: 1, bothAbsent: 2 });
    expect(pair(result, null)).toEqual({ units: 8, pairable: 8, bothPresent: 1, aOnly: 2, bOnly: 1, bothAbsent: 4 });
  });

  it("'missing' leaves out, per coder, the answers that coder applied no code to (any code counts as coding it)", () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, uncodedAs: 'missing' });
    // a2: ben coded nothing; a4: nobody. a3: ana applied 'other', so she coded it: rewards and time absent for her.
    expect(pair(result, 'rewards')).toEqual({ units: 4, pairable: 2, bothPresent: 1, aOnly: 0, bOnly: 0, bothAbsent: 1 });
    expect(pair(result, 'time')).toEqual({ units: 4, pairable: 2, bothPresent: 0, aOnly: 1, bOnly: 1, bothAbsent: 0 });
  });

  it('ignores coders not chosen and answers outside the scope', () => {
    const result = computeAgreement({ ids: [a1], texts: ['0123456789'] }, CODINGS, SETTINGS);
    expect(pair(result, 'rewards')).toEqual({ units: 1, pairable: 1, bothPresent: 1, aOnly: 0, bOnly: 0, bothAbsent: 0 });
  });

  it('never gives NaN: a code nobody applied has undefined statistics with reasons', () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, codeIds: ['unused'] });
    const row = result.table.rows[0];
    expect(row.statistics.cohenKappa).toMatchObject({ reason: 'one-category' });
    expect(row.statistics.krippendorffAlpha).toMatchObject({ reason: 'one-category' });
    expect(row.statistics.percentAgreement).toEqual({ value: 1 });
    expect(JSON.stringify(result)).not.toContain('NaN');
  });
});

describe('computeAgreement: codes with subcodes', () => {
  const codings = [coding(a1, 'ana', 'career'), coding(a1, 'ben', 'promotion'), coding(a2, 'ana', 'rewards')];

  it('counts a group present when any member is, and compares a member on its own too', () => {
    const settings = { ...SETTINGS, codeIds: ['rewards', 'career'], codeGroups: [{ codeId: 'rewards', memberIds: ['rewards', 'career', 'promotion'] }] };
    const result = computeAgreement(ANSWERS, codings, settings);
    expect(pair(result, 'rewards')).toMatchObject({ bothPresent: 1, aOnly: 1, bOnly: 0 });
    expect(pair(result, 'career')).toMatchObject({ bothPresent: 0, aOnly: 1, bOnly: 0 });
    expect(result.groups).toEqual([
      { codeId: 'rewards', memberIds: ['rewards', 'career', 'promotion'] },
      { codeId: 'career', memberIds: ['career'] },
    ]);
    // The queue compares codes one by one: career vs promotion on a1 is a difference to settle.
    expect(result.queue.answerIds).toEqual([a1, a2]);
    expect(result.queue.memberIds.sort()).toEqual(['career', 'promotion', 'rewards']);
  });

  it('puts a code first among its members even when the group leaves it out', () => {
    expect(normaliseGroups(['x'], [{ codeId: 'x', memberIds: ['y'] }])).toEqual([{ codeId: 'x', memberIds: ['x', 'y'] }]);
  });
});

describe('computeAgreement: passages', () => {
  it('counts characters over every compared answer, and matches passages at the threshold', () => {
    const result = computeAgreement(ANSWERS, CODINGS, SETTINGS);
    const rewards = result.spans.find((s) => s.codeId === 'rewards')!;
    // a1: ana [0,6), ben [2,8): both 4, ana only 2, ben only 2, neither 2. a2: ana whole (10): ana only 10.
    // a3 (5) and a4 (11) add 16 characters neither marked.
    expect(rewards.characters).toMatchObject({ answers: 4, total: 36, both: 4, aOnly: 12, bOnly: 2, neither: 18 });
    expect(rewards.characters.percentAgreement).toEqual({ value: 22 / 36 });
    // Jaccard of [0,6) and [2,8) is 4/8 = 0.5: a match at 0.5. Ana's whole-answer passage on a2 has no partner.
    expect(rewards.matching).toMatchObject({ threshold: 0.5, aPassages: 2, bPassages: 1, matched: 1, aUnmatched: 1, bUnmatched: 0 });
    expect(rewards.matching.agreement).toEqual({ value: (2 * 1) / 3 });
    expect(rewards.answersCoded).toBe(2);
  });

  it('matches nothing above the overlap', () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, spanThreshold: 0.6 });
    expect(result.spans[0].matching).toMatchObject({ matched: 0, aUnmatched: 2, bUnmatched: 1 });
  });

  it("with 'missing', uses only the answers both coders coded", () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, uncodedAs: 'missing' });
    const time = result.spans.find((s) => s.codeId === 'time')!;
    // a1 (10: ana whole) and a3 (5: ben [0,5)).
    expect(time.characters).toMatchObject({ answers: 2, total: 15, both: 0, aOnly: 10, bOnly: 5, neither: 0 });
  });

  it('says in words when no passage was marked', () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, codeIds: ['unused'] });
    expect(result.spans[0].matching.agreement).toMatchObject({ reason: 'no-spans' });
    expect(result.spans[0].characters.kappa).toMatchObject({ reason: 'one-category' });
  });
});

describe('computeAgreement: disagreements', () => {
  it('queues the answers where the first two coders differ, with their text and parts', () => {
    const result = computeAgreement(ANSWERS, CODINGS, SETTINGS);
    expect(result.queue.coderIds).toEqual(['ana', 'ben']);
    expect(result.queue.answerIds).toEqual([a1, a2, a3]);
    expect(result.queue.details[2]).toEqual({ answerId: a3, questionId: 'q1', waveId: 'base', respondentId: 'r3', text: 'short' });
  });

  it("with 'missing', leaves out answers a coder did not code", () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, uncodedAs: 'missing' });
    expect(result.queue.answerIds).toEqual([a1, a3]);
  });

  it('keeps text for the first few only, and lists every id', () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, detailLimit: 1 });
    expect(result.queue.answerIds).toHaveLength(3);
    expect(result.queue.details.map((d) => d.answerId)).toEqual([a1]);
  });

  it('lists answer × code disagreements for every chosen coder for the export', () => {
    const result = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, coderIds: ['ana', 'ben', 'carl'], uncodedAs: 'missing' });
    expect(unpackDisagreements(result.disagreements, result.table.codeIds)).toEqual([
      { answerId: a1, codeId: 'time', values: ['present', 'absent', null] },
      { answerId: a3, codeId: 'rewards', values: ['absent', 'absent', 'present'] },
      { answerId: a3, codeId: 'time', values: ['absent', 'present', 'absent'] },
    ]);
    expect(result.disagreements).toMatchObject({ count: 3, coders: 3, truncated: false, answerIds: [a1, a3] });
    const capped = computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, exportRowLimit: 1 });
    expect(capped.disagreements).toMatchObject({ count: 1, truncated: true });
  });
});

describe('computeAgreement: settings', () => {
  it('refuses fewer than two coders, no codes and a threshold outside 0..1, in words', () => {
    expect(() => computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, coderIds: ['ana'] })).toThrow(AgreementRequestError);
    expect(() => computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, codeIds: [] })).toThrow(/at least one code/);
    expect(() => computeAgreement(ANSWERS, CODINGS, { ...SETTINGS, spanThreshold: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('repeats the alpha interval for the same seed', () => {
    const settings = { ...SETTINGS, bootstrapSamples: 200, bootstrapSeed: 5 };
    const one = computeAgreement(ANSWERS, CODINGS, settings).table;
    const two = computeAgreement(ANSWERS, CODINGS, settings).table;
    expect(two.pooled.alphaInterval).toEqual(one.pooled.alphaInterval);
  });

  it('works on a seeded sample of the scope: the same seed compares the same answers', () => {
    const question = { questionId: 'q1', respondentIds: ['r1', 'r2', 'r3', 'r4'], waveIds: ['base', 'base', 'base', 'base'], texts: ANSWERS.texts };
    const scope = { questionId: 'q1', waveId: null, attributes: {}, sample: { size: 2, seed: 99 } };
    const first = selectAnswers([question], scope, null, answerId).answers;
    const result = computeAgreement(first, CODINGS, SETTINGS);
    expect(result.table.answers).toBe(2);
    expect(selectAnswers([question], scope, null, answerId).answers).toEqual(first);
  });
});

describe('computeAgreement: the shortcuts agree with the library run the plain way', () => {
  const CODERS = ['ana', 'ben', 'carl'];
  const CODES = ['c0', 'c1', 'c2'];
  const arbitraryCodings = fc.array(
    fc.record({
      answer: fc.integer({ min: 0, max: 5 }),
      coder: fc.integer({ min: 0, max: 2 }),
      code: fc.integer({ min: 0, max: 3 }),
      span: fc.option(fc.tuple(fc.integer({ min: -2, max: 14 }), fc.integer({ min: -2, max: 14 })), { nil: null }),
    }),
    { maxLength: 40 },
  );
  const texts = ['', 'short', 'a longer one', '🙂 emoji first', 'x', 'twelve chars'];
  const ids = texts.map((_, i) => answerId('q', 'w', `r${i}`));
  const toCodings = (raw: { answer: number; coder: number; code: number; span: [number, number] | null }[]): CodingLike[] =>
    raw.map((c) => ({
      answerId: ids[c.answer],
      coderId: CODERS[c.coder],
      codeId: c.code === 3 ? 'other' : CODES[c.code],
      start: c.span?.[0] ?? null,
      end: c.span?.[1] ?? null,
    }));

  it('lists the same disagreement rows as findDisagreements over every unit', () => {
    fc.assert(
      fc.property(arbitraryCodings, fc.constantFrom<'absent' | 'missing'>('absent', 'missing'), fc.integer({ min: 2, max: 3 }), (raw, uncodedAs, coders) => {
        const settings: AgreementSettings = { ...SETTINGS, coderIds: CODERS.slice(0, coders), codeIds: CODES, uncodedAs };
        const codings = toCodings(raw);
        const computed = computeAgreement({ ids, texts }, codings, settings);
        const rows = unpackDisagreements(computed.disagreements, CODES);
        const present = presenceFromCodings(codings, ids, settings.coderIds);
        const codedBy = new Set(codings.map((c) => `${c.answerId}|${c.coderId}`));
        const slow = findDisagreements({
          answerIds: ids,
          coderIds: settings.coderIds,
          codeIds: CODES,
          present,
          ...(uncodedAs === 'missing' ? { coded: (c: number, a: number) => codedBy.has(`${ids[a]}|${settings.coderIds[c]}`) } : {}),
        });
        expect(rows).toEqual(slow.map((d) => ({ answerId: d.answerId, codeId: d.codeId, values: d.values })));
      }),
    );
  });

  it('counts characters and passages as characterAgreement and matchSpans over every compared answer', () => {
    fc.assert(
      fc.property(
        arbitraryCodings,
        fc.constantFrom<'absent' | 'missing'>('absent', 'missing'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, uncodedAs, threshold) => {
          const codings = toCodings(raw);
          const settings: AgreementSettings = { ...SETTINGS, codeIds: CODES, uncodedAs, spanThreshold: threshold };
          const spans = computeAgreement({ ids, texts }, codings, settings).spans;
          const coded = (coderId: string, answer: string) => uncodedAs === 'absent' || codings.some((c) => c.coderId === coderId && c.answerId === answer);
          CODES.forEach((codeId, k) => {
            const answers: SpanAnswer[] = ids
              .map((id, i) => ({ id, i }))
              .filter(({ id }) => coded('ana', id) && coded('ben', id))
              .map(({ id, i }) => ({
                answerId: id,
                length: [...texts[i]].length,
                a: codings.filter((c) => c.answerId === id && c.coderId === 'ana' && c.codeId === codeId),
                b: codings.filter((c) => c.answerId === id && c.coderId === 'ben' && c.codeId === codeId),
              }));
            const characters = characterAgreement(answers);
            const matching = matchSpans(answers, threshold);
            expect(spans[k].characters).toEqual(characters);
            expect(spans[k].matching).toEqual({
              threshold,
              aPassages: matching.matched.length + matching.aUnmatched.length,
              bPassages: matching.matched.length + matching.bUnmatched.length,
              matched: matching.matched.length,
              aUnmatched: matching.aUnmatched.length,
              bUnmatched: matching.bUnmatched.length,
              agreement: matching.agreement,
            });
          });
        },
      ),
    );
  });
});

describe('queue texts', () => {
  it('finds the text of any queued answer, and nothing for an answer not queued', () => {
    const ids = [answerId('q1', 'w', 'r1'), answerId('q1', 'w', 'r2'), answerId('q2', 'w', 'r1')];
    const texts = queueTextsOf({ ids, texts: ['one', 'two', 'three'] }, [ids[2], ids[0]]);
    expect(queueDetailsOf(texts, [ids[2], ids[1]])).toEqual([{ answerId: ids[2], questionId: 'q2', waveId: 'w', respondentId: 'r1', text: 'three' }]);
  });
});
