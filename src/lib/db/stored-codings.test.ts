import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerId, type Coding } from '../model/types';
import { packCodings, unpackCodings, type StoredCoding } from './stored-codings';

const columns = [
  { questionId: 'q1', waveId: 'w1', respondentIds: ['r1', 'r2', 'r3'] },
  { questionId: 'q1', waveId: 'w2', respondentIds: [] },
  { questionId: 'q1', waveId: 'w2', respondentIds: ['r2'] },
  { questionId: 'q2', waveId: 'w1', respondentIds: ['r3', 'r1'] },
];
/** Column position → answer id, as the worker's columns order them. */
const answerIds = columns.flatMap((c) => c.respondentIds.map((r) => answerId(c.questionId, c.waveId, r)));

const coding: fc.Arbitrary<{ coding: StoredCoding; at: number }> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('\u001e')),
    at: fc.integer({ min: -1, max: answerIds.length - 1 }),
    codeId: fc.constantFrom('c1', 'c2', 'c3'),
    coderId: fc.constantFrom('ana', 'ben', '__consensus__'),
    span: fc.option(fc.tuple(fc.nat(50), fc.nat(50)), { nil: null }),
    createdAt: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    exemplar: fc.constantFrom(undefined, true, false),
    suggested: fc.constantFrom(undefined, true, false),
    // A suggestion accepted then marked as an exemplar lists `suggested` first; a file read lists `exemplar` first.
    suggestedFirst: fc.boolean(),
  })
  .map(({ id, at, codeId, coderId, span, createdAt, exemplar, suggested, suggestedFirst }) => {
    const c: StoredCoding = {
      id,
      answerId: at < 0 ? `elsewhere\u001fw9\u001f${id}` : answerIds[at],
      codeId,
      coderId,
      start: span === null ? null : span[0],
      end: span === null ? null : span[1],
      createdAt,
    };
    if (suggestedFirst && suggested !== undefined) c.suggested = suggested;
    if (exemplar !== undefined) c.exemplar = exemplar;
    if (!suggestedFirst && suggested !== undefined) c.suggested = suggested;
    return { coding: c, at };
  });

describe('stored codings', () => {
  it('unpacks what it packed, through a structured clone: the same codings, fields and order, with their answer positions', () => {
    fc.assert(
      fc.property(fc.array(coding, { maxLength: 30 }), (list) => {
        const codings = list.map((c) => c.coding);
        const packed = packCodings(
          codings,
          list.map((c) => c.at),
          answerIds.length,
        );
        expect(packed).not.toBeNull();
        const back = unpackCodings(structuredClone(packed), columns)!;
        expect(back.codings).toStrictEqual(codings);
        // Key order too: an export writes the objects as they are.
        expect(back.codings.map((c) => Object.keys(c))).toEqual(codings.map((c) => Object.keys(c)));
        expect(Array.from(back.answerAt)).toEqual(list.map((c) => c.at));
      }),
    );
  });

  it('gives back the suggested mark, alone or beside an exemplar mark in either order', () => {
    const base: StoredCoding = { id: 'k1', answerId: answerIds[0], codeId: 'c1', coderId: 'ana', start: null, end: null, createdAt: 1 };
    const codings: StoredCoding[] = [
      { ...base, id: 's', suggested: true },
      { ...base, id: 'f', suggested: false },
      { ...base, id: 'se', suggested: true, exemplar: true },
      { ...base, id: 'es', exemplar: false, suggested: true },
      { ...base, id: 'e', exemplar: true },
    ];
    const packed = packCodings(codings, [0, 0, 0, 0, 0], answerIds.length)!;
    expect(Array.from(packed.suggested)).toEqual([1, 2, 3, 1, 0]);
    const back = unpackCodings(structuredClone(packed), columns)!.codings;
    expect(back).toStrictEqual(codings);
    expect(back.map((c) => Object.keys(c).slice(7))).toEqual([
      ['suggested'],
      ['suggested'],
      ['suggested', 'exemplar'],
      ['exemplar', 'suggested'],
      ['exemplar'],
    ]);
  });

  it('drops the project id, and refuses codings it could not give back as they are', () => {
    const base: Coding = { projectId: 'p', id: 'k1', answerId: answerIds[0], codeId: 'c1', coderId: 'ana', start: null, end: null, createdAt: 1 };
    const { projectId: _p, ...stripped } = base;
    expect(unpackCodings(packCodings([base], [0], answerIds.length), columns)!.codings).toStrictEqual([stripped]);
    for (const odd of [
      { ...base, note: 'a field it does not know' },
      { ...base, id: 'k\u001e1' },
      { ...base, start: 1.5, end: 3 },
      { ...base, start: -2, end: 3 },
      { ...base, createdAt: '2024' },
      { ...base, exemplar: 'yes' },
      { ...base, exemplar: undefined },
      { ...base, suggested: 1 },
      { ...base, suggested: undefined },
    ])
      expect(packCodings([odd as unknown as Coding], [0], answerIds.length)).toBeNull();
  });

  it('reads nothing it does not recognise: another format, other answers, a position or code out of range, another array type', () => {
    const codings: StoredCoding[] = [{ id: 'k1', answerId: answerIds[1], codeId: 'c1', coderId: 'ana', start: 0, end: 2, createdAt: 1 }];
    const good = packCodings(codings, [1], answerIds.length)!;
    expect(unpackCodings(good, columns)).not.toBeNull();
    for (const value of [
      null,
      'nonsense',
      ['nonsense'],
      { ...good, format: 99 },
      { ...good, answerCount: answerIds.length + 1 },
      { ...good, answer: new Int32Array([answerIds.length]) },
      { ...good, answer: new Int32Array([-1]) },
      { ...good, code: new Int32Array([5]) },
      { ...good, coder: new Int32Array([-1]) },
      { ...good, start: new Float64Array([0]) },
      { ...good, exemplar: new Uint8Array([3]) },
      { ...good, suggested: new Uint8Array([5]) },
      // "Listed before the exemplar mark" where there is none.
      { ...good, suggested: new Uint8Array([3]) },
      { ...good, suggested: new Int32Array([0]) },
      { ...good, suggested: undefined },
      // A record from before the `suggested` column.
      (({ suggested: _s, ...old }) => ({ ...old, format: 1 }))(good),
      { ...good, ids: 'k1\u001ek2' },
      { ...good, codes: [7] },
    ])
      expect(unpackCodings(value, columns)).toBeNull();
    // Columns other than those it was packed over.
    expect(unpackCodings(good, columns.slice(0, 2))).toBeNull();
  });
});
