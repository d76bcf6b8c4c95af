import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PLACE, fitPlace, parsePlace, placeQuery, type Place } from './place';
import { ANSWER_SORTS } from '../coding/answer-sort';
import { nameKeyedFrom } from '../model/name-keyed';

const id = fc.string({ minLength: 1, maxLength: 8 });
const text = fc.string({ maxLength: 8 });
const idList = fc.option(fc.array(id, { maxLength: 3 }), { nil: null });

const place: fc.Arbitrary<Place> = fc.record({
  view: fc.constantFrom('question', 'grid', 'agreement', 'analysis'),
  tab: fc.option(id, { nil: null }),
  answers: fc.record({
    waveId: fc.option(id, { nil: null }),
    attributes: fc.dictionary(text, id, { maxKeys: 3 }).map((d) => nameKeyedFrom(Object.entries(d))),
    codeId: fc.option(id, { nil: null }),
    includeSubcodes: fc.boolean(),
    coderId: fc.option(id, { nil: null }),
    uncodedOnly: fc.boolean(),
    hasMemo: fc.boolean(),
    roundId: fc.option(id, { nil: null }),
    search: text,
    sort: fc.constantFrom(...ANSWER_SORTS.map((s) => s.id)),
  }),
  analysis: fc.record({
    questionIds: idList,
    waveIds: idList,
    attributes: fc.uniqueArray(fc.record({ name: text, values: fc.array(text, { minLength: 1, maxLength: 3 }) }), { selector: (a) => a.name, maxLength: 3 }),
    coders: fc.option(
      fc.oneof(
        fc.constantFrom({ kind: 'all' as const }, { kind: 'final' as const }, { kind: 'consensus' as const }),
        id.map((coderId) => ({ kind: 'coder' as const, coderId })),
      ),
      { nil: null },
    ),
  }),
});

describe('place in the URL', () => {
  it('any place survives the trip to the URL and back', () => {
    fc.assert(
      fc.property(place, (p) => {
        expect(parsePlace(placeQuery(p))).toEqual(p);
      }),
    );
  });

  it('the default place is no query at all, so old links open as they did', () => {
    expect(placeQuery(DEFAULT_PLACE)).toBe('');
    expect(parsePlace('')).toEqual(DEFAULT_PLACE);
  });

  it('reads a hand-written link, and writes spaces as %20', () => {
    const p = parsePlace('view=analysis&tab=prevalence&wave=w1&attr.role=mentee&sort=longest&search=peer%20support&a.coders=final');
    expect(p.view).toBe('analysis');
    expect(p.tab).toBe('prevalence');
    expect(p.answers).toMatchObject({ waveId: 'w1', attributes: { role: 'mentee' }, sort: 'longest', search: 'peer support' });
    expect(p.analysis.coders).toEqual({ kind: 'final' });
    expect(placeQuery(p)).toContain('search=peer%20support');
  });

  it('leaves what it cannot read at the default, without an error', () => {
    const p = parsePlace('view=nowhere&sort=sideways&uncoded=maybe&a.coders=coder:&tab=&%E0%A4%A=x');
    expect(p).toEqual(DEFAULT_PLACE);
  });
});

describe('fitPlace', () => {
  const shape = {
    waveIds: ['w1', 'w2'],
    questionIds: ['q1', 'q2'],
    attributes: [{ name: 'role', values: ['mentor', 'mentee'] }],
    tabs: ['themes', 'prevalence'],
    codeIds: ['c1'],
    coderIds: ['k1'],
    roundIds: ['r1'],
  };

  it('keeps what the project has', () => {
    const p = parsePlace('wave=w2&attr.role=mentee&code=c1&coder=k1&round=r1&tab=prevalence&a.wave=w1&a.attr.role=mentor&a.attr.role=&a.coders=coder:k1');
    expect(fitPlace(p, shape)).toEqual(p);
  });

  it('drops a deleted wave, an unknown attribute or value, a missing code, coder, round and tab', () => {
    const p = parsePlace(
      'wave=gone&attr.role=boss&attr.team=a&code=c9&coder=k9&round=r9&tab=crosstab&a.wave=gone&a.question=q2&a.question=q9&a.attr.team=a&a.attr.role=boss&a.coders=coder:k9',
    );
    const fitted = fitPlace(p, shape);
    expect(fitted.answers).toMatchObject({ waveId: null, attributes: {}, codeId: null, coderId: null, roundId: null });
    expect(fitted.tab).toBeNull();
    // Every wave named is gone: every wave, not none.
    expect(fitted.analysis).toEqual({ questionIds: ['q2'], waveIds: null, attributes: [], coders: null });
  });
});
