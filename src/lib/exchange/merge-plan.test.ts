// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Memo } from '../db/schema';
import { answerId, type Code, type Coder, type Coding } from '../model/types';
import { readCoderFile, writeCoderFile, type CoderFile, type CoderFileInput } from './coder-file';
import { ExchangeError } from './exchange-error';
import { answerFingerprint } from './fingerprint';
import { applyMergePlan, planCoderMerge, type MergeState } from './merge-plan';
import type { ExchangeCode, ProjectMemo } from './records';
import { A1, A2, A3, A4, T0, TEXTS, sampleCoderFile } from './test-fixtures';

// The exchange module may not import lib/db, so it restates Memo; these fail to compile if the two drift apart.
const memoFits: ProjectMemo = {} as Memo;
const memoFitsBack: Memo = {} as ProjectMemo;
void [memoFits, memoFitsBack];

const P = 'p-1';
const texts = (id: string) => TEXTS[id];

function file(edit?: (input: CoderFileInput) => void): CoderFile {
  const input = sampleCoderFile();
  edit?.(input);
  return readCoderFile(writeCoderFile(input));
}

function empty(): MergeState {
  return { codes: [], coders: [], codings: [], memos: [] };
}

function plan(state: MergeState, incoming: CoderFile, extra: Partial<Parameters<typeof planCoderMerge>[0]> = {}) {
  return planCoderMerge({ ...state, answerTexts: texts, ...extra }, incoming, P);
}

function code(id: string, name: string, parentId: string | null = null, order = 0): Code {
  return { projectId: P, id, parentId, name, color: '#123456', definition: '', inclusion: '', exclusion: '', example: '', order };
}

function coding(id: string, fields: Partial<Coding> = {}): Coding {
  return { projectId: P, id, answerId: A1, codeId: 'support', coderId: 'coder-alice', start: null, end: null, createdAt: T0, ...fields };
}

const alice: Coder = { projectId: P, id: 'coder-alice', name: 'Alice', color: '#1f78b4' };

describe('planCoderMerge: into a project without codings', () => {
  it('adds the coder, the codebook (parents first), the codings and the memos', () => {
    const result = plan(empty(), file());
    expect(result.coder).toEqual(alice);
    expect(result.newCodes.map((c) => [c.id, c.parentId, c.order])).toEqual([
      ['support', null, 0],
      ['support-mentor', 'support', 0],
      ['barriers', null, 1],
    ]);
    expect(result.newCodes.every((c) => c.projectId === P)).toBe(true);
    expect(result.codings.map((c) => c.id)).toEqual(['k-1', 'k-2', 'k-3']);
    expect(result.codings[0]).toEqual({ projectId: P, ...sampleCoderFile().codings[1] });
    expect(result.memos).toEqual([{ projectId: P, ...sampleCoderFile().memos[0] }]);
    expect(result.report).toEqual({
      codingsAdded: 3,
      codingsAlreadyPresent: 0,
      codingsUpdated: 0,
      codingsReidentified: 0,
      codesAdded: ['Support', 'Mentor', 'Barriers'],
      memosAdded: 1,
      memosUpdated: 0,
      changedAnswerTexts: 0,
    });
    expect(result.warnings).toEqual([]);
  });

  it('adds nothing when the same file is imported again', () => {
    const once = applyMergePlan(empty(), plan(empty(), file()));
    const again = plan(once, file());
    expect(again.newCodes).toEqual([]);
    expect(again.codings).toEqual([]);
    expect(again.memos).toEqual([]);
    expect(again.report).toMatchObject({ codingsAdded: 0, codingsAlreadyPresent: 3, codesAdded: [], memosAdded: 0, memosUpdated: 0 });
    expect(applyMergePlan(once, again)).toEqual(once);
  });
});

describe('planCoderMerge: codings', () => {
  const base = (): MergeState => ({
    codes: sampleCoderFile().codebook.map((c) => ({ projectId: P, ...c })),
    coders: [alice],
    codings: [],
    memos: [],
  });

  it('counts an identical coding under another id as present, so nothing is doubled', () => {
    const state = base();
    state.codings = [coding('local-1', { codeId: 'barriers', answerId: A2 })]; // same as k-2
    const result = plan(state, file());
    expect(result.codings.map((c) => c.id)).toEqual(['k-1', 'k-3']);
    expect(result.report.codingsAlreadyPresent).toBe(1);
  });

  it("keeps the suggested mark of the codings it adds or replaces (the assistant's suggestions the coder accepted)", () => {
    const marked = (input: CoderFileInput) => {
      input.codings = input.codings.map((c) => (c.id === 'k-2' || c.id === 'k-1' ? { ...c, suggested: true } : c));
    };
    const added = plan(base(), file(marked));
    expect(added.codings.filter((c) => c.suggested === true).map((c) => c.id)).toEqual(['k-1', 'k-2']);
    expect(added.codings.find((c) => c.id === 'k-3')).not.toHaveProperty('suggested');
    const state = base();
    state.codings = [coding('k-1', { codeId: 'support-mentor', start: 0, end: 7 })];
    expect(plan(state, file(marked)).codings.find((c) => c.id === 'k-1')).toMatchObject({ start: 0, end: 17, suggested: true });
  });

  it("replaces the same coder's coding that has changed since (a widened passage)", () => {
    const state = base();
    state.codings = [coding('k-1', { codeId: 'support-mentor', start: 0, end: 7 })];
    const result = plan(state, file());
    expect(result.codings.find((c) => c.id === 'k-1')).toMatchObject({ start: 0, end: 17 });
    expect(result.report).toMatchObject({ codingsAdded: 2, codingsUpdated: 1 });
    const after = applyMergePlan(state, result);
    expect(after.codings.filter((c) => c.id === 'k-1')).toHaveLength(1);
  });

  it("keeps another coder's coding with the same id, and adds the incoming one under a derived id", () => {
    const state = base();
    const bobs = coding('k-1', { coderId: 'bob', codeId: 'barriers' });
    state.codings = [bobs];
    const result = plan(state, file());
    expect(result.codings.map((c) => c.id)).toEqual(['k-1~coder-alice', 'k-2', 'k-3']);
    expect(result.report.codingsReidentified).toBe(1);
    expect(result.warnings).toContain("1 coding had the id of another coder's coding here and was added under a new id.");
    const after = applyMergePlan(state, result);
    expect(after.codings).toContainEqual(bobs);
    expect(plan(after, file()).codings).toEqual([]);
  });

  it('does not replace a coding when its new content is already here: that would double one and drop another', () => {
    const state = base();
    state.codings = [coding('k-9', { answerId: A2, codeId: 'barriers' }), coding('k-2', { answerId: A2, codeId: 'support' })];
    const result = plan(state, file()); // the file's k-2 is k-9's content
    expect(result.codings.map((c) => c.id)).toEqual(['k-1', 'k-3']);
    expect(result.report).toMatchObject({ codingsUpdated: 0, codingsAlreadyPresent: 1 });
  });

  it('adds a coding whose content a replacement takes away (found by fast-check)', () => {
    const state = base();
    state.codings = [coding('k-2', { answerId: A2, codeId: 'support' })];
    const incoming = file((f) => {
      f.codings = [
        { id: 'k-1', answerId: A2, codeId: 'support', coderId: 'coder-alice', start: null, end: null, createdAt: 0 },
        { id: 'k-2', answerId: A1, codeId: 'support', coderId: 'coder-alice', start: 0, end: 1, createdAt: 0 },
      ];
    });
    const result = plan(state, incoming);
    expect(result.codings.map((c) => [c.id, c.answerId])).toEqual([
      ['k-1', A2],
      ['k-2', A1],
    ]);
    expect(plan(applyMergePlan(state, result), incoming).codings).toEqual([]);
  });

  it('refuses a file that codes answers this project does not have', () => {
    const incoming = file((f) => f.codings.push({ ...f.codings[0], id: 'k-9', answerId: answerId('q-x', 'baseline', 'R404') }));
    expect(() => plan(base(), incoming)).toThrow(
      new ExchangeError(
        'Nothing was imported: Alice\'s file codes 1 answer that this project does not have (for example question "q-x", wave "baseline", respondent "R404"). Import those answers into this project first, or open the project the file was exported from.',
      ),
    );
  });

  it('refuses passages that end past the text of their answer here', () => {
    const incoming = file((f) => f.codings.push({ ...f.codings[1], id: 'k-9', answerId: A4, start: 0, end: 4 }));
    expect(() => plan(base(), incoming)).toThrow(
      'Nothing was imported: 1 passage in Alice\'s file ends past the end of the answer\'s text here (for example question "q-barriers", wave "baseline", respondent "R002"), so the answers differ from the ones that were coded.',
    );
  });

  it('counts passages coded on a text that differs here, by fingerprint', () => {
    const incoming = file((f) => {
      f.answerFingerprints = {
        [A1]: answerFingerprint(TEXTS[A1].replace('\n', '\r\n')), // differs: CRLF there, LF here
        [A2]: '00000000', // A2 is coded whole: offsets cannot be off
        [A3]: answerFingerprint(TEXTS[A3]),
      };
    });
    const result = plan(base(), incoming);
    expect(result.report.changedAnswerTexts).toBe(1);
    expect(result.warnings).toContain('1 passage was coded on an answer whose text differs here; check it: the highlighted words may be off.');
    expect(result.codings).toHaveLength(3); // added all the same
  });
});

describe('planCoderMerge: codes', () => {
  it('places a new code under its parent here, after its children', () => {
    const state = empty();
    state.codes = [code('support', 'Support'), code('other', 'Other', 'support', 0), code('barriers', 'Barriers', null, 1)];
    const result = plan(state, file());
    // The codes here have no keys: the new code takes the first free one.
    expect(result.newCodes).toEqual([{ ...sampleCoderFile().codebook[1], projectId: P, order: 1, shortcut: '1' }]);
    expect(result.report.codesAdded).toEqual(['Mentor']);
  });

  it("renames a new code whose name a sibling here already has, with the coder's name", () => {
    const state = empty();
    state.codes = [code('local-support', 'support'), code('local-support-2', 'Support (Alice)', null, 1)];
    const result = plan(state, file());
    expect(result.newCodes.map((c) => [c.id, c.name, c.parentId, c.order])).toEqual([
      ['support', 'Support (Alice 2)', null, 2],
      ['support-mentor', 'Mentor', 'support', 0],
      ['barriers', 'Barriers', null, 3],
    ]);
    expect(result.warnings).toContain('The code "Support" was added as "Support (Alice 2)": a different code here has that name.');
  });

  it('keeps local names of known codes and says which differ', () => {
    const state = empty();
    state.codes = [code('support', 'Help'), code('support-mentor', 'Mentor', 'support'), code('barriers', 'Obstacles', null, 1)];
    const result = plan(state, file());
    expect(result.newCodes).toEqual([]);
    expect(result.warnings).toContain(
      '2 codes are named differently in Alice\'s codebook; the names here are kept ("Support" is "Help" here; "Barriers" is "Obstacles" here).',
    );
  });

  it('adds a code at the top level when its parent here is already at the deepest level', () => {
    const state = empty();
    const chain: Code[] = [code('c0', 'L0')];
    for (let i = 1; i < 8; i++) chain.push(code(`c${i}`, `L${i}`, `c${i - 1}`));
    state.codes = chain;
    const codebook: ExchangeCode[] = [
      ...chain.slice(1).map(({ projectId: _p, ...c }, i) => ({ ...c, parentId: i === 0 ? null : c.parentId })),
      { ...chain[0], id: 'deep', name: 'Deep', parentId: 'c7' },
    ].map(({ projectId: _p, ...c }: ExchangeCode & { projectId?: string }) => c);
    const incoming = file((f) => {
      f.codebook = codebook;
      f.codings = [];
      f.memos = [];
    });
    const result = plan(state, incoming);
    expect(result.newCodes).toMatchObject([{ id: 'deep', parentId: null }]);
    expect(result.warnings).toContain('The code "Deep" was added at the top level: under its parent it would be nested more than 8 levels deep.');
  });
});

describe('planCoderMerge: memos, coders and projects', () => {
  const memo = sampleCoderFile().memos[0];

  it('takes the memo updated last', () => {
    const state = empty();
    state.memos = [{ projectId: P, ...memo, text: 'older', updatedAt: memo.updatedAt - 1 }];
    const newer = plan(state, file());
    expect(newer.memos.map((m) => m.text)).toEqual([memo.text]);
    expect(newer.report.memosUpdated).toBe(1);
    state.memos = [{ projectId: P, ...memo, text: 'newer here', updatedAt: memo.updatedAt + 1 }];
    expect(plan(state, file()).memos).toEqual([]);
  });

  it('keeps memos on answers or codes this project lacks, and says so', () => {
    const incoming = file((f) => f.memos.push({ ...memo, id: 'm-2', target: { kind: 'answer', id: 'gone' } }));
    const result = plan(empty(), incoming);
    expect(result.memos.map((m) => m.id)).toEqual(['m-1', 'm-2']);
    expect(result.warnings).toContain('1 memo is on an answer or code this project does not have; kept, but not shown.');
  });

  it('keeps the local record of a coder with the same id and another name', () => {
    const state = empty();
    state.coders = [{ ...alice, name: 'Alicia', color: '#000000' }];
    const result = plan(state, file());
    expect(result.coder).toEqual(state.coders[0]);
    expect(result.warnings).toContain('The file\'s coder "Alice" has the same id as "Alicia" here; the codings are merged as "Alicia"\'s.');
  });

  it('tells the local coder when the file carries their id under another name', () => {
    const result = plan(empty(), file(), { localCoder: { id: 'coder-alice', name: 'Me' } });
    expect(result.warnings).toContain('The file\'s coder "Alice" has the same id as you ("Me"); the codings are merged as yours.');
  });

  it('warns about a namesake coder with another id', () => {
    const state = empty();
    state.coders = [{ ...alice, id: 'other-alice' }];
    const result = plan(state, file());
    expect(result.coder.id).toBe('coder-alice');
    expect(result.warnings).toContain('A different coder here is also called "Alice"; the file\'s codings stay apart from theirs.');
  });

  it('notes a file from another project', () => {
    const result = planCoderMerge({ ...empty(), answerTexts: texts }, file(), 'p-2');
    expect(result.warnings).toContain(
      'This file was exported from another project ("AIMMS evaluation"); its codings were matched to this project\'s answers by question, wave and respondent.',
    );
    expect(result.codings.every((c) => c.projectId === 'p-2')).toBe(true);
  });
});

describe('planCoderMerge: properties (fast-check)', () => {
  const answers = [A1, A2, A3];
  const codeIds = ['support', 'support-mentor', 'barriers'];
  const coders = ['coder-alice', 'bob'];
  const idPool = ['k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6', 'k-7'];
  type Span = { start: number | null; end: number | null };
  const span: fc.Arbitrary<Span> = fc.oneof(
    fc.constant({ start: null, end: null }),
    fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 2 })).map(([s, n]) => ({ start: s, end: s + n })),
  );
  const codingArb = (coderIds: string[]) =>
    fc.record({
      id: fc.constantFrom(...idPool),
      answerId: fc.constantFrom(...answers),
      codeId: fc.constantFrom(...codeIds),
      coderId: fc.constantFrom(...coderIds),
      span,
      createdAt: fc.nat(10),
    });
  const local = fc
    .uniqueArray(codingArb(coders), { selector: (c) => c.id, maxLength: 7 })
    .map((list) => list.map(({ span: { start, end }, ...c }): Coding => ({ projectId: P, ...c, start, end })));
  const incoming = fc
    .record({
      codings: fc.uniqueArray(codingArb(['coder-alice']), { selector: (c) => c.id, maxLength: 7 }),
      memoTimes: fc.array(fc.nat(3), { maxLength: 3 }),
    })
    .map(({ codings, memoTimes }) =>
      file((f) => {
        f.codings = codings.map(({ span: { start, end }, ...c }) => ({ ...c, start, end }));
        f.memos = memoTimes.map((t, i) => ({ ...f.memos[0], id: `m-${i}`, text: `v${t}`, updatedAt: t }));
      }),
    );
  const localCodes = fc.subarray(sampleCoderFile().codebook.filter((c) => c.parentId === null)).map((list) => list.map((c): Code => ({ projectId: P, ...c })));
  const state = fc.record({ codes: localCodes, codings: local }).map(({ codes, codings }): MergeState => ({ codes, coders: [], codings, memos: [] }));

  const key = (c: Coding) => [c.answerId, c.codeId, c.coderId, c.start, c.end].join('|');

  it('importing twice is importing once, and no coding is lost or doubled', () => {
    fc.assert(
      fc.property(state, incoming, (s, f) => {
        const first = plan(s, f);
        const r = first.report;
        expect(r.codingsAdded + r.codingsAlreadyPresent + r.codingsUpdated + r.codingsReidentified).toBe(f.codings.length);
        const once = applyMergePlan(s, first);
        const second = plan(once, f);
        expect(second.codings).toEqual([]);
        expect(second.newCodes).toEqual([]);
        expect(second.memos).toEqual([]);
        expect(applyMergePlan(once, second)).toEqual(once);

        const ids = new Set(once.codings.map((c) => c.id));
        for (const c of s.codings) expect(ids.has(c.id)).toBe(true); // never fewer ids
        const contents = new Set(once.codings.map(key));
        for (const c of f.codings) expect(contents.has(key({ projectId: P, ...c }))).toBe(true); // every incoming coding is here
        for (const c of s.codings) if (c.coderId !== 'coder-alice') expect(once.codings).toContainEqual(c); // others' untouched
        const codeIds = new Set(once.codes.map((c) => c.id));
        for (const c of once.codings) if (f.codings.some((x) => x.id === c.id)) expect(codeIds.has(c.codeId)).toBe(true);
        // Only content that was doubled before the merge may be doubled after it.
        const seen = new Set<string>();
        for (const c of once.codings) {
          const k = key(c);
          if (seen.has(k)) expect(s.codings.filter((x) => key(x) === k).length).toBeGreaterThan(1);
          seen.add(k);
        }
      }),
      { numRuns: 300 },
    );
  });
});
