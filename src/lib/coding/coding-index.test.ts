import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANSWER_ID_SEPARATOR, answerId, type Coding } from '../model/types';
import { CodingIndex } from './coding-index';
import { isCountsSummary, sameSummary, summaryCodedAnswers, summaryCounts, summarySubtreeCounts } from './counts-summary';

const coding = (id: string, respondent: string, codeId: string, question = 'q1'): Coding => ({
  projectId: 'p',
  id,
  answerId: answerId(question, 'baseline', respondent),
  codeId,
  coderId: 'ana',
  start: null,
  end: null,
  createdAt: 0,
});

describe('CodingIndex', () => {
  it('counts codings, answers and respondents per code', () => {
    const index = new CodingIndex([
      coding('1', 'E01', 'time'),
      { ...coding('2', 'E01', 'time'), start: 0, end: 3 },
      coding('3', 'E01', 'time', 'q2'),
      coding('4', 'E02', 'time'),
      coding('5', 'E02', 'empathy'),
    ]);
    expect(index.counts('time')).toEqual({ codings: 4, answers: 3, respondents: 2 });
    expect(index.forAnswer(answerId('q1', 'baseline', 'E01')).map((c) => c.id)).toEqual(['1', '2']);
  });

  it('updates indexes and counts in place when a change is applied', () => {
    const index = new CodingIndex([coding('1', 'E01', 'time')]);
    expect(index.counts('time').codings).toBe(1);
    index.apply({ putCodings: [{ ...coding('1', 'E01', 'empathy') }, coding('2', 'E03', 'time')], deleteCodings: [] });
    expect(index.counts('time')).toEqual({ codings: 1, answers: 1, respondents: 1 });
    expect(index.counts('empathy').codings).toBe(1);
    index.apply({ putCodings: [], deleteCodings: [coding('2', 'E03', 'time')] });
    expect(index.counts('time').codings).toBe(0);
    expect(index.forAnswer(answerId('q1', 'baseline', 'E03'))).toEqual([]);
  });

  it('counts a code with its subcodes once per answer and respondent, and follows changes', () => {
    const tree = (id: string, parentId: string | null) => ({
      projectId: 'p',
      id,
      parentId,
      name: id,
      color: '#000000',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
    });
    const codes = [tree('challenges', null), tree('time', 'challenges'), tree('distance', 'challenges')];
    const index = new CodingIndex([coding('1', 'E01', 'time'), coding('2', 'E01', 'distance'), coding('3', 'E02', 'distance', 'q2')]);
    index.setTree(codes);
    expect(index.subtreeCounts('challenges')).toEqual({ codings: 3, answers: 2, respondents: 2 });
    index.apply({ putCodings: [coding('4', 'E03', 'challenges')], deleteCodings: [coding('1', 'E01', 'time')] });
    expect(index.subtreeCounts('challenges')).toEqual({ codings: 3, answers: 3, respondents: 3 });
    expect(index.subtreeCounts('time')).toEqual({ codings: 0, answers: 0, respondents: 0 });
    // Moving "distance" to the top level takes its codings out of "challenges".
    index.setTree([codes[0], codes[1], { ...codes[2], parentId: null }]);
    expect(index.subtreeCounts('challenges')).toEqual({ codings: 1, answers: 1, respondents: 1 });
    expect(index.codedAnswers('q1', 'ana')).toBe(2);
    expect(index.codedAnswers('q2', null)).toBe(1);
  });

  it('gives an answer a new list when its codings change, so views see the change', () => {
    const index = new CodingIndex([coding('1', 'E01', 'time')]);
    const before = index.forAnswer(answerId('q1', 'baseline', 'E01'));
    index.apply({ putCodings: [coding('2', 'E01', 'empathy')], deleteCodings: [] });
    const after = index.forAnswer(answerId('q1', 'baseline', 'E01'));
    expect(after).not.toBe(before);
    expect(before.map((c) => c.id)).toEqual(['1']);
    expect(after.map((c) => c.id)).toEqual(['1', '2']);
  });

  it('agrees with a rebuild from scratch after any sequence of changes', () => {
    const arbCoding = fc
      .record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
        respondent: fc.constantFrom('E01', 'E02', 'E03'),
        code: fc.constantFrom('x', 'y'),
      })
      .map((r) => coding(r.id, r.respondent, r.code));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), arbCoding), { maxLength: 30 }), (steps) => {
        const tree = [
          { projectId: 'p', id: 'x', parentId: null, name: 'x', color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0 },
          { projectId: 'p', id: 'y', parentId: 'x', name: 'y', color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0 },
        ];
        const index = new CodingIndex();
        // The tree is known before the changes: subtree counts must then follow every change.
        index.setTree(tree);
        const truth = new Map<string, Coding>();
        for (const [put, c] of steps) {
          if (put) {
            index.apply({ putCodings: [c], deleteCodings: [] });
            truth.set(c.id, c);
          } else {
            index.apply({ putCodings: [], deleteCodings: [c] });
            truth.delete(c.id);
          }
        }
        const rebuilt = new CodingIndex(truth.values());
        rebuilt.setTree(tree);
        for (const code of ['x', 'y']) {
          expect(index.counts(code)).toEqual(rebuilt.counts(code));
          expect(index.subtreeCounts(code)).toEqual(rebuilt.subtreeCounts(code));
        }
        expect(index.codedAnswers('q1', null)).toBe(rebuilt.codedAnswers('q1', null));
        expect(index.size).toBe(truth.size);
      }),
    );
  });

  it('counts deferred until after opening equal counts kept from the start, whatever changes come between (property)', () => {
    const tree = (id: string, parentId: string | null) => ({
      projectId: 'p',
      id,
      parentId,
      name: id,
      color: '#000000',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
    });
    const codes = [tree('a', null), tree('a1', 'a'), tree('b', null)];
    const arbCoding = fc
      .record({
        id: fc.constantFrom('1', '2', '3', '4', '5', '6'),
        respondent: fc.constantFrom('E01', 'E02', 'E03'),
        code: fc.constantFrom('a', 'a1', 'b'),
        question: fc.constantFrom('q1', 'q2'),
      })
      .map((r) => coding(r.id, r.respondent, r.code, r.question));
    fc.assert(
      fc.property(
        fc.uniqueArray(arbCoding, { selector: (c) => c.id }),
        fc.array(fc.tuple(fc.boolean(), arbCoding), { maxLength: 8 }),
        fc.nat(8),
        (start, changes, countAt) => {
          const eager = new CodingIndex(start);
          const deferred = new CodingIndex(start, { deferCounts: true });
          eager.setTree(codes);
          deferred.setTree(codes);
          changes.forEach(([put, c], i) => {
            if (i === countAt) deferred.countAll();
            const change = put ? { putCodings: [c], deleteCodings: [] } : { putCodings: [], deleteCodings: [c] };
            eager.apply(change);
            deferred.apply(change);
          });
          for (const id of ['a', 'a1', 'b']) {
            expect(deferred.counts(id)).toEqual(eager.counts(id));
            expect(deferred.subtreeCounts(id)).toEqual(eager.subtreeCounts(id));
          }
          for (const q of ['q1', 'q2']) expect(deferred.codedAnswers(q, null)).toBe(eager.codedAnswers(q, null));
        },
      ),
    );
  });

  it('never hashes coding, answer or respondent ids as native Map or Set keys', () => {
    // V8 keeps every distinct string it hashes as a key in its string table,
    // which each major GC walks while the page waits: with 200k codings that
    // was a 45 ms pause in the middle of scrolling. Codes and questions are few.
    const keys: string[] = [];
    const spied = [
      [Map.prototype, ['get', 'set', 'has', 'delete']],
      [Set.prototype, ['add', 'has', 'delete']],
    ] as const;
    const originals = spied.flatMap(([proto, names]) =>
      names.map((name) => [proto, name, (proto as unknown as Record<string, (...a: unknown[]) => unknown>)[name]] as const),
    );
    for (const [proto, name, original] of originals) {
      (proto as unknown as Record<string, unknown>)[name] = function (this: unknown, key: unknown, ...rest: unknown[]) {
        if (typeof key === 'string') keys.push(key);
        return original.call(this, key, ...rest);
      };
    }
    const codings = [coding('c1', 'E01', 'time'), coding('c2', 'E01', 'empathy'), coding('c3', 'E02', 'time', 'q2')];
    try {
      const index = new CodingIndex(codings, { deferCounts: true });
      index.setTree([]);
      index.countAll();
      index.apply({ putCodings: [coding('c4', 'E03', 'time')], deleteCodings: [codings[0]] });
      index.forAnswer(codings[1].answerId);
      index.relevant(['time'], [codings[1].answerId]);
      index.get('c2');
      index.counts('time');
    } finally {
      for (const [proto, name, original] of originals) (proto as unknown as Record<string, unknown>)[name] = original;
    }
    const ids = new Set(['c1', 'c2', 'c3', 'c4', 'E01', 'E02', 'E03', ...codings.map((c) => c.answerId), answerId('q1', 'baseline', 'E03')]);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => ids.has(key))).toEqual([]);
  });
});

describe('CodingIndex lookups', () => {
  it('counts and progress are built without the lookups by id and code; the first that needs them builds them', () => {
    const codings = [coding('c1', 'E01', 'a'), coding('c2', 'E01', 'b'), coding('c3', 'E02', 'a')];
    const index = new CodingIndex(codings.slice(0, 2), { deferCounts: true });
    index.addLoaded(codings.slice(2));
    index.countAll();
    expect(index.counts('a')).toEqual({ codings: 2, answers: 2, respondents: 2 });
    expect(index.size).toBe(3);
    expect(index.hasLookups).toBe(false);
    expect(index.forCode('a').map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(index.hasLookups).toBe(true);
    index.apply({ putCodings: [], deleteCodings: [codings[0]] });
    expect(index.get('c1')).toBeUndefined();
    expect(index.counts('a')).toEqual({ codings: 1, answers: 1, respondents: 1 });
  });

  it('are built in slices, each stopping when asked; a change meanwhile starts the build again from the codings now there', () => {
    const codings = [coding('c1', 'E01', 'a'), coding('c2', 'E02', 'b'), coding('c3', 'E03', 'a')];
    const index = new CodingIndex(codings, { deferCounts: true });
    let asked = 0;
    expect(index.buildLookupsUntil(() => (asked++, true), 1)).toBe(false);
    expect(index.hasLookups).toBe(false);
    index.addLoaded([coding('c4', 'E04', 'a')]);
    // Three answers a call, four answers: the lookups by id and code in two calls, then the answers by respondent in two.
    const done: boolean[] = [];
    for (let call = 0; call < 6 && !done.at(-1); call++) done.push(index.buildLookupsUntil(() => true, 3));
    expect(done).toEqual([false, false, false, true]);
    expect(asked).toBe(1);
    expect(index.hasLookups).toBe(true);
    expect(index.forCode('a').map((c) => c.id)).toEqual(['c1', 'c3', 'c4']);
    expect(index.get('c2')?.answerId).toBe(codings[1].answerId);
  });
});

describe('CodingIndex counts against a recount', () => {
  const node = (id: string, parentId: string | null) => ({
    projectId: 'p',
    id,
    parentId,
    name: id,
    color: '#000000',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order: 0,
  });
  const trees = [
    [node('a', null), node('a1', 'a'), node('a2', 'a'), node('b', null)],
    [node('a', null), node('a1', 'b'), node('a2', 'a1'), node('b', null)],
  ];
  const codeIds = ['a', 'a1', 'a2', 'b'];
  const arbCoding = fc
    .record({
      id: fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8'),
      respondent: fc.constantFrom('E01', 'E02', 'E03'),
      code: fc.constantFrom(...codeIds),
      question: fc.constantFrom('q1', 'q2'),
      wave: fc.constantFrom('baseline', 'exit'),
      coder: fc.constantFrom('ana', 'ben'),
    })
    .map((r): Coding => ({ ...coding(r.id, r.respondent, r.code, r.question), answerId: answerId(r.question, r.wave, r.respondent), coderId: r.coder }));
  const arbStep = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), coding: arbCoding }),
    fc.record({ kind: fc.constant('delete' as const), coding: arbCoding }),
    fc.record({ kind: fc.constant('tree' as const), tree: fc.nat(trees.length - 1) }),
    fc.record({ kind: fc.constant('count' as const) }),
    fc.record({ kind: fc.constant('load' as const), codings: fc.array(arbCoding, { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('lookups' as const) }),
    // One answer's codings of the lookups' build in slices (the page's idle slices); any change drops it.
    fc.record({ kind: fc.constant('slice' as const) }),
  );

  /** Counts worked out the obvious way from the codings there are. */
  function recount(codings: readonly Coding[], tree: readonly ReturnType<typeof node>[]) {
    const parent = new Map(tree.map((c) => [c.id, c.parentId]));
    const lineage = (code: string) => {
      const line: string[] = [];
      for (let id: string | null | undefined = code; id && !line.includes(id); id = parent.get(id)) line.push(id);
      return line;
    };
    const respondent = (a: string) => a.split(ANSWER_ID_SEPARATOR)[2];
    const of = (pick: (c: Coding) => boolean) => {
      const mine = codings.filter(pick);
      return { codings: mine.length, answers: new Set(mine.map((c) => c.answerId)).size, respondents: new Set(mine.map((c) => respondent(c.answerId))).size };
    };
    const coded = (q: string, coder: string | null) =>
      new Set(codings.filter((c) => c.answerId.startsWith(q + ANSWER_ID_SEPARATOR) && (coder === null || c.coderId === coder)).map((c) => c.answerId)).size;
    return {
      counts: (code: string) => of((c) => c.codeId === code),
      subtree: (code: string) => of((c) => lineage(c.codeId).includes(code)),
      coded,
    };
  }

  it('equal a recount after any mix of loading, changes, counting and tree moves (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbCoding, { selector: (c) => c.id, maxLength: 5 }), fc.array(arbStep, { maxLength: 25 }), (loaded, steps) => {
        const index = new CodingIndex(loaded, { deferCounts: true });
        let tree = trees[0];
        index.setTree(tree);
        const truth = new Map(loaded.map((c) => [c.id, c]));
        for (const step of steps) {
          if (step.kind === 'put') {
            // A coding loaded late (addLoaded) when the index does not hold it yet, as when a question's codings follow.
            if (!truth.has(step.coding.id) && step.coding.id === '8') index.addLoaded([step.coding]);
            else index.apply({ putCodings: [step.coding], deleteCodings: [] });
            truth.set(step.coding.id, step.coding);
          } else if (step.kind === 'delete') {
            index.apply({ putCodings: [], deleteCodings: [step.coding] });
            truth.delete(step.coding.id);
          } else if (step.kind === 'tree') {
            tree = trees[step.tree];
            index.setTree(tree);
          } else if (step.kind === 'load') {
            // A question's codings read after opening: only those the index does not hold yet, each id once.
            const batch = [...new Map(step.codings.filter((c) => !truth.has(c.id)).map((c) => [c.id, c])).values()];
            index.addLoaded(batch);
            for (const c of batch) truth.set(c.id, c);
          } else if (step.kind === 'lookups') index.buildLookups();
          else if (step.kind === 'slice') index.buildLookupsUntil(() => true, 1);
          else index.countAll();
        }
        const expected = recount([...truth.values()], tree);
        for (const code of codeIds) {
          expect(index.counts(code)).toEqual(expected.counts(code));
          expect(index.subtreeCounts(code)).toEqual(expected.subtree(code));
        }
        for (const q of ['q1', 'q2']) for (const coder of [null, 'ana', 'ben']) expect(index.codedAnswers(q, coder)).toBe(expected.coded(q, coder));
        expect(index.size).toBe(truth.size);
        // The summary a reopen shows before indexing says the same, and survives being stored (structured clone).
        const summary = structuredClone(index.summary());
        expect(isCountsSummary(summary)).toBe(true);
        if (!isCountsSummary(summary)) return;
        expect(summary.size).toBe(truth.size);
        for (const code of [...codeIds, 'unknown']) {
          expect(summaryCounts(summary, code)).toEqual(expected.counts(code));
          expect(summarySubtreeCounts(summary, code)).toEqual(expected.subtree(code));
        }
        for (const q of ['q1', 'q2', 'q3'])
          for (const coder of [null, 'ana', 'ben', 'cy']) expect(summaryCodedAnswers(summary, q, coder)).toBe(expected.coded(q, coder));
        // The lookups, whenever they were built, hold exactly the codings there are.
        const byId = (list: Iterable<Coding>) => [...list].sort((x, y) => x.id.localeCompare(y.id));
        expect(byId(index.all())).toEqual(byId(truth.values()));
        for (const code of codeIds) expect(byId(index.forCode(code))).toEqual(byId([...truth.values()].filter((c) => c.codeId === code)));
        for (const c of truth.values()) {
          expect(index.get(c.id)).toEqual(c);
          expect(index.forAnswer(c.answerId)).toContainEqual(c);
          expect(index.forAnswer(c.answerId)).toHaveLength([...truth.values()].filter((o) => o.answerId === c.answerId).length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('counts summary', () => {
  it('is null until the counts and the tree are known', () => {
    const index = new CodingIndex([coding('1', 'E01', 'a')], { deferCounts: true });
    expect(index.summary()).toBeNull();
    index.setTree([]);
    expect(index.summary()).toBeNull();
    index.countAll();
    expect(index.summary()?.size).toBe(1);
  });

  it('a stored value of another shape is not read as one', () => {
    expect(isCountsSummary(null)).toBe(false);
    expect(isCountsSummary({ format: 2, size: 0, codes: {}, coded: {}, codedBy: {} })).toBe(false);
    expect(isCountsSummary({ format: 1, size: 0, codes: { a: { own: [1, 1], subtree: [1, 1, 1] } }, coded: {}, codedBy: {} })).toBe(false);
    expect(isCountsSummary({ format: 1, size: 0, codes: {}, coded: { q: -1 }, codedBy: {} })).toBe(false);
    expect(isCountsSummary({ format: 1, size: 0, codes: {}, coded: {}, codedBy: { q: { ana: 2 } } })).toBe(true);
  });
});

describe('sameSummary', () => {
  it('ignores the order entries were made in, and sees any number that differs', () => {
    const a = {
      format: 1 as const,
      size: 2,
      codes: {
        x: { own: [1, 1, 1] as [number, number, number], subtree: [2, 2, 1] as [number, number, number] },
        y: { own: [1, 1, 1] as [number, number, number], subtree: [1, 1, 1] as [number, number, number] },
      },
      coded: { q: 2 },
      codedBy: { q: { ana: 2 } },
    };
    const b = { ...a, codes: { y: a.codes.y, x: a.codes.x } };
    expect(sameSummary(a, b)).toBe(true);
    expect(sameSummary(a, { ...a, size: 3 })).toBe(false);
    expect(sameSummary(a, { ...a, codes: { ...a.codes, x: { own: [1, 1, 1], subtree: [2, 2, 2] } } })).toBe(false);
    expect(sameSummary(a, { ...a, codedBy: { q: { ana: 2, ben: 1 } } })).toBe(false);
    expect(sameSummary(a, { ...a, coded: {} })).toBe(false);
  });
});
