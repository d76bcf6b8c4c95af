/**
 * The analysis worker's stored answer columns (lib/db/stored-answers.ts): a project opened from the record answers
 * counts, prevalence and crosstab exactly as one opened by reading every chunk, on random projects; a record made
 * before an import is never used; a record that cannot be read, or is not one the code wrote, falls back to the
 * chunks. The chunks are deleted under the record (revision kept) where a test must prove the record was read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import Dexie from 'dexie';
import { commitImport } from '../../src/lib/db/commit-import';
import { freshDatabase } from '../../src/lib/db/test-helpers';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { ANSWERS_KEY, packAnswers, unpackAnswers } from '../../src/lib/db/stored-answers';
import { CODINGS_KEY } from '../../src/lib/db/stored-codings';
import { commitChange } from '../../src/lib/db/coding-store';
import { answerId, CONSENSUS_CODER_ID, FINAL_CODER_ID, type Coding } from '../../src/lib/model/types';
import { nameKeyedFrom } from '../../src/lib/model/name-keyed';
import type { ImportBatch } from '../../src/lib/import/types';
import { AnalysisProject } from '../../src/lib/analysis/analysis-project';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequestBody, FromAnalysisWorker } from '../../src/workers/analysis-protocol';

const opened: Dexie[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const WAVES = ['Baseline', '6 months', '12 months'];
const QUESTIONS = ['q1', 'q2', 'q3'];
const ROLES = ['mentor', 'mentee', ''];
const SITES = ['North', 'South'];
const CODERS = ['ana', 'ben', CONSENSUS_CODER_ID];

interface Plan {
  respondents: { role: string; site: string; waves: boolean[] }[];
  /** Per respondent, wave and question: answered (true) or blank. */
  answered: boolean[];
  codings: { answer: number; code: number; coder: number; span: boolean }[];
  blind: number;
}

const plan: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    respondents: fc.array(
      fc.record({
        role: fc.constantFrom(...ROLES),
        site: fc.constantFrom(...SITES),
        waves: fc.array(fc.boolean(), { minLength: WAVES.length, maxLength: WAVES.length }),
      }),
      { minLength: n, maxLength: n },
    ),
    answered: fc.array(fc.boolean(), { minLength: n * WAVES.length * QUESTIONS.length, maxLength: n * WAVES.length * QUESTIONS.length }),
    codings: fc.array(
      fc.record({ answer: fc.nat(), code: fc.integer({ min: 0, max: 3 }), coder: fc.integer({ min: 0, max: CODERS.length - 1 }), span: fc.boolean() }),
      { maxLength: 40 },
    ),
    blind: fc.integer({ min: 0, max: 1 }),
  }),
);

/** Imports the plan wave by wave (the later waves into the same project) and stores its codings; every write as the app makes it. */
async function seed(db: CodebenchDatabase, p: Plan): Promise<{ projectId: string; answerIds: string[] }> {
  let projectId = '';
  // Someone is in the first wave, so the project exists.
  p.respondents[0].waves[0] = true;
  for (const [w, waveName] of WAVES.entries()) {
    const inWave = p.respondents.map((r, i) => ({ ...r, id: `r${i + 1}` })).filter((r) => r.waves[w]);
    if (inWave.length === 0) continue;
    const answers = QUESTIONS.map((questionKey, q) => {
      const ids = inWave.filter((r) => p.answered[(Number(r.id.slice(1)) - 1) * WAVES.length * QUESTIONS.length + w * QUESTIONS.length + q]).map((r) => r.id);
      return { questionKey, waveName, respondentIds: ids, texts: ids.map((id) => `${waveName} ${questionKey} ${id}`) };
    });
    const batch: ImportBatch = {
      waves: [{ name: waveName, rowCount: inWave.length }],
      questions: QUESTIONS.map((key) => ({ key, label: key.toUpperCase(), text: `${key}?` })),
      attributes: ['role', 'site'],
      respondents: inWave.map((r) => ({ id: r.id, attributes: { role: r.role, site: r.site }, waves: [waveName] })),
      answers,
      blankAnswerCount: 0,
    };
    const summary = await commitImport(db, batch, projectId ? { kind: 'existing', projectId } : { kind: 'new', name: 'Stored' }, {
      fileName: `${waveName}.csv`,
      format: 'generic',
    });
    projectId = summary.projectId;
  }
  const keys = await db.answerKeys.where('projectId').equals(projectId).toArray();
  const answerIds = keys.flatMap((k) => k.respondentIds.map((r) => answerId(k.questionId, k.waveId, r)));
  await db.codes.bulkPut(
    ['c0', 'c1', 'c2', 'c3'].map((id, order) => ({
      projectId,
      id,
      parentId: id === 'c3' ? 'c0' : null,
      name: `Code ${id}`,
      color: '#336699',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order,
    })),
  );
  await db.coders.bulkPut(CODERS.slice(0, 2).map((id) => ({ projectId, id, name: id, color: '#000000' })));
  if (answerIds.length > 0) {
    const codings: Coding[] = p.codings.map((c, i) => ({
      projectId,
      id: `k${i}`,
      answerId: answerIds[c.answer % answerIds.length],
      codeId: `c${c.code}`,
      coderId: CODERS[c.coder],
      start: c.span ? 0 : null,
      end: c.span ? 3 : null,
      createdAt: i,
    }));
    await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  }
  return { projectId, answerIds };
}

let requestId = 0;
/** Whether the last warm-up read the stored codings (lib/db/stored-codings.ts) rather than the pages. */
let codingsStored = false;

/** The tables the property compares, each for the whole project and for a blind copy, by question too. */
async function tables(session: AnalysisSession, projectId: string, blindCoderId?: string): Promise<{ stored: boolean; results: unknown[] }> {
  const out: unknown[] = [];
  let stored = false;
  const ask = async (body: AnalysisRequestBody) => {
    const reply = await session.handle({ ...body, requestId: ++requestId, projectId, version: 1, ...(blindCoderId ? { blindCoderId } : {}) } as never);
    const message = reply.message as FromAnalysisWorker;
    if (message.type === 'result' && message.result.kind === 'warm') {
      // Whether the record was read is compared on its own; the rest of the reply must be the same.
      const { storedAnswers, storedCodings, times: _times, ...rest } = message.result;
      stored = storedAnswers === true;
      codingsStored = storedCodings === true;
      out.push(rest);
    } else out.push(message.type === 'result' ? message.result : message);
  };
  const coders = { kind: 'all' } as const;
  await ask({ type: 'warm' } as AnalysisRequestBody);
  for (const questionId of [null, 'q1']) {
    const qid = questionId === null ? null : questionIds.get(`${projectId}:${questionId}`)!;
    await ask({
      type: 'counts',
      options: { targets: 'codes-with-subcodes', groupBy: { kind: 'attribute', name: 'role' }, coders, questionId: qid },
    } as AnalysisRequestBody);
    await ask({ type: 'counts', options: { targets: 'codes', groupBy: { kind: 'wave' }, coders: { kind: 'final' }, questionId: qid } } as AnalysisRequestBody);
    await ask({
      type: 'crosstab',
      options: { targets: 'codes', attribute: 'site', unit: 'respondents', percentOf: 'answered', coders, questionId: qid },
    } as AnalysisRequestBody);
    await ask({
      type: 'crosstab',
      options: { targets: 'codes', attribute: 'role', unit: 'answers', percentOf: 'column-total', coders, questionId: qid },
    } as AnalysisRequestBody);
    await ask({
      type: 'prevalence',
      options: { targets: 'codes', coders, questionId: qid, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }] },
    } as AnalysisRequestBody);
    await ask({
      type: 'prevalence',
      options: { targets: 'codes', coders, questionId: qid, unit: 'answers', dimensions: [{ kind: 'attribute', name: 'site' }] },
    } as AnalysisRequestBody);
  }
  return { stored, results: out };
}

const questionIds = new Map<string, string>();

async function rememberQuestions(db: CodebenchDatabase, projectId: string) {
  for (const q of await db.questions.where('projectId').equals(projectId).toArray()) questionIds.set(`${projectId}:${q.key}`, q.id);
  // A question the project lacks (no one answered it in any imported wave) is asked for by a made-up id: both sessions refuse it alike.
  for (const key of QUESTIONS) if (!questionIds.has(`${projectId}:${key}`)) questionIds.set(`${projectId}:${key}`, `missing-${key}`);
}

/** A fresh database holding the plan as imported, its question ids remembered; closed and deleted after the test. */
async function seeded(p: Plan): Promise<{ db: CodebenchDatabase; projectId: string }> {
  const db = freshDatabase();
  opened.push(db);
  const { projectId } = await seed(db, p);
  await rememberQuestions(db, projectId);
  return { db, projectId };
}

/** The derived record the worker stores after a read (the answer columns, or with CODINGS_KEY the codings), once it is there. */
async function storedRecord(db: CodebenchDatabase, projectId: string, key = ANSWERS_KEY) {
  await vi.waitFor(async () => expect(await db.derived.get([projectId, key])).toBeDefined(), { timeout: 5000, interval: 5 });
  return (await db.derived.get([projectId, key]))!;
}

/** A small project of four respondents, for the fallback cases. */
const SMALL_PLAN: Plan = {
  respondents: [0, 1, 2, 3].map((i) => ({ role: ROLES[i % 3], site: SITES[i % 2], waves: [true, true, false] })),
  answered: Array.from({ length: 36 }, (_, i) => i % 3 !== 0),
  codings: [0, 1, 2, 3, 4, 5].map((i) => ({ answer: i * 2, code: i % 4, coder: i % 3, span: i % 2 === 0 })),
  blind: 1,
};

describe('stored answer columns', () => {
  it('a project opened from the record answers every table exactly as one read chunk by chunk (random projects, blind too)', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (p) => {
        const { db, projectId } = await seeded(p);
        const full = await tables(new AnalysisSession(db), projectId);
        const blindFull = await tables(new AnalysisSession(db), projectId, CODERS[p.blind]);
        await storedRecord(db, projectId);
        // The chunks gone (the revision unchanged): only the record can give the same answers now.
        await db.answerKeys.where('projectId').equals(projectId).delete();
        await db.respondentChunks.where('projectId').equals(projectId).delete();
        expect(full.stored).toBe(false);
        expect(await tables(new AnalysisSession(db), projectId)).toEqual({ ...full, stored: true });
        expect(await tables(new AnalysisSession(db), projectId, CODERS[p.blind])).toEqual({ ...blindFull, stored: true });
        db.close();
      }),
      { numRuns: 25 },
    );
  });

  it('packs and unpacks respondents and chunks as read (repeats, ids only in answers, missing attribute values)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 3 }), { maxLength: 12 }),
        fc.array(fc.record({ q: fc.constantFrom('q1', 'q2'), w: fc.constantFrom('w1', 'w2'), ids: fc.array(fc.string({ maxLength: 3 }), { maxLength: 8 }) }), {
          maxLength: 6,
        }),
        fc.array(fc.constantFrom('a', 'b', ''), { maxLength: 12 }),
        (ids, chunks, roles) => {
          // An attribute named as an Object.prototype member must come back as its own column.
          const attributes = nameKeyedFrom([
            ['role', ids.map((_, i) => roles[i] ?? '')],
            ['constructor', ids.map((id) => id)],
          ]);
          const respondents = { ids, attributes, waves: ids.map((_, i) => (i % 2 ? ['w1'] : ['w1', 'w2'])) };
          const keyChunks = chunks.map((c, index) => ({ projectId: 'p', questionId: c.q, waveId: c.w, index, respondentIds: c.ids }));
          const back = unpackAnswers('p', structuredClone(packAnswers(respondents, keyChunks)))!;
          expect(back.chunks.map(({ respondentAt: _positions, ...chunk }) => chunk)).toEqual(keyChunks);
          // The positions the index reads name the same respondents.
          expect(back.chunks.map((c) => Array.from(c.respondentAt!.at, (p) => c.respondentAt!.ids[p]))).toEqual(keyChunks.map((c) => c.respondentIds));
          expect(back.respondents.ids).toEqual(ids);
          expect(back.respondents.waves).toEqual(respondents.waves);
          expect(Object.entries(back.respondents.attributes)).toEqual(Object.entries(respondents.attributes));
        },
      ),
    );
  });

  it('is never used once an import has moved the answers revision', async () => {
    const db = freshDatabase();
    opened.push(db);
    const p: Plan = {
      respondents: [0, 1, 2].map((i) => ({ role: ROLES[i], site: 'North', waves: [true, false, false] })),
      answered: Array.from({ length: 27 }, () => true),
      codings: [],
      blind: 0,
    };
    const { projectId } = await seed(db, p);
    const first = await new AnalysisSession(db).handle({ type: 'warm', requestId: 1, projectId, version: 1 } as never);
    expect(first.message).toMatchObject({ result: { answers: 9 } });
    const record = await storedRecord(db, projectId);
    // A second wave imported: the record made before it must not be read (it lacks these answers).
    await commitImport(
      db,
      {
        waves: [{ name: '6 months', rowCount: 2 }],
        questions: QUESTIONS.map((key) => ({ key, label: key.toUpperCase(), text: '' })),
        attributes: ['role', 'site'],
        respondents: ['r1', 'r4'].map((id) => ({ id, attributes: { role: 'mentor', site: 'South' }, waves: ['6 months'] })),
        answers: [{ questionKey: 'q1', waveName: '6 months', respondentIds: ['r1', 'r4'], texts: ['a', 'b'] }],
        blankAnswerCount: 0,
      },
      { kind: 'existing', projectId },
      { fileName: 'later.csv', format: 'generic' },
    );
    expect((await db.derived.get([projectId, ANSWERS_KEY]))?.revision).toBe(record.revision);
    const second = await new AnalysisSession(db).handle({ type: 'warm', requestId: 2, projectId, version: 1 } as never);
    expect(second.message).toMatchObject({ result: { answers: 11 } });
    // And the record is made again at the new revision.
    await vi.waitFor(async () => expect((await db.derived.get([projectId, ANSWERS_KEY]))?.revision).not.toBe(record.revision), { timeout: 5000, interval: 5 });
  });

  it('a derived read that fails, or a record it does not recognise, falls back to the chunks', async () => {
    const db = freshDatabase();
    opened.push(db);
    const p = SMALL_PLAN;
    const { projectId } = await seed(db, p);
    await rememberQuestions(db, projectId);
    const full = await tables(new AnalysisSession(db), projectId);
    const record = await storedRecord(db, projectId);
    expect((await tables(new AnalysisSession(db), projectId)).stored).toBe(true);
    vi.spyOn(console, 'warn').mockImplementation(() => {});

    // Unreadable: the derived store throws.
    const good = record.value as object;
    // Each case stores a marked value; the fallback's full read then stores a good record again, at the same
    // revision (awaited before the next case, so its write cannot land on the next case's value).
    const restored = () =>
      vi.waitFor(
        async () => {
          const value = (await db.derived.get([projectId, ANSWERS_KEY]))?.value as { marked?: boolean } | undefined;
          expect(value?.marked).toBeUndefined();
          expect(unpackAnswers(projectId, value)).not.toBeNull();
        },
        { timeout: 5000, interval: 5 },
      );
    // Unreadable: the derived store throws on reading the record.
    const unreadable = () => {
      throw new Error('disk gone');
    };
    await db.derived.put({ ...record, value: { ...good, marked: true } });
    db.derived.hook('reading', unreadable);
    expect(await tables(new AnalysisSession(db), projectId)).toEqual(full);
    db.derived.hook('reading').unsubscribe(unreadable);
    await restored();
    // Not a record this code wrote (another format, a position out of range, not an object): the chunks are read.
    for (const value of [
      { ...good, format: 99, marked: true },
      { ...good, answerRespondent: new Int32Array([1e6]), marked: true },
      Object.assign(['nonsense'], { marked: true }),
    ]) {
      await db.derived.put({ ...record, value });
      expect(await tables(new AnalysisSession(db), projectId)).toEqual(full);
      await restored();
    }
    expect((await tables(new AnalysisSession(db), projectId)).stored).toBe(true);
  });

  it('a record that cannot be written leaves the open as it was (logged)', async () => {
    const db = freshDatabase();
    opened.push(db);
    const { projectId } = await seed(db, {
      respondents: [{ role: 'mentor', site: 'North', waves: [true, false, false] }],
      answered: Array(9).fill(true),
      codings: [],
      blind: 0,
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(db.derived, 'put').mockImplementation(() => Promise.reject(new Error('QuotaExceededError')) as never);
    const reply = await new AnalysisSession(db).handle({ type: 'warm', requestId: 1, projectId, version: 1 } as never);
    expect(reply.message).toMatchObject({ type: 'result', result: { answers: 3 } });
    await vi.waitFor(() => expect(warn).toHaveBeenCalled(), { timeout: 5000, interval: 5 });
    expect(await db.derived.get([projectId, ANSWERS_KEY])).toBeUndefined();
  });
});

describe('stored codings', () => {
  it('a project opened from the record answers every table exactly as one read from the coding pages (random projects, blind too)', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (p) => {
        const { db, projectId } = await seeded(p);
        const full = await tables(new AnalysisSession(db), projectId);
        expect(codingsStored).toBe(false);
        const blindFull = await tables(new AnalysisSession(db), projectId, CODERS[p.blind]);
        await storedRecord(db, projectId, CODINGS_KEY);
        await storedRecord(db, projectId);
        // The pages gone (the revision unchanged): only the record can give the same codings now.
        await db.codingPages.where('projectId').equals(projectId).delete();
        expect(await tables(new AnalysisSession(db), projectId)).toEqual({ ...full, stored: true });
        expect(codingsStored).toBe(true);
        expect(await tables(new AnalysisSession(db), projectId, CODERS[p.blind])).toEqual({ ...blindFull, stored: true });
        expect(codingsStored).toBe(true);
        db.close();
      }),
      { numRuns: 25 },
    );
  });

  it('is stale once a coding moves the revision, and is made again by the open that reads the pages', async () => {
    const db = freshDatabase();
    opened.push(db);
    const p: Plan = {
      respondents: [0, 1, 2].map((i) => ({ role: ROLES[i], site: 'North', waves: [true, true, false] })),
      answered: Array.from({ length: 27 }, () => true),
      codings: [0, 1, 2, 3].map((i) => ({ answer: i, code: i % 4, coder: i % 2, span: false })),
      blind: 0,
    };
    const { projectId, answerIds } = await seed(db, p);
    await rememberQuestions(db, projectId);
    await tables(new AnalysisSession(db), projectId);
    const record = await storedRecord(db, projectId, CODINGS_KEY);
    await tables(new AnalysisSession(db), projectId);
    expect(codingsStored).toBe(true);
    // A coding as the app stores one: the record made before it is not read, and the open sees the new coding.
    const added: Coding = { projectId, id: 'new', answerId: answerIds[5], codeId: 'c2', coderId: 'ben', start: null, end: null, createdAt: 9 };
    await commitChange(db, projectId, {
      label: 'Code',
      forward: { putCodes: [], deleteCodes: [], putCodings: [added], deleteCodings: [] },
      inverse: { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [added] },
    });
    expect((await db.derived.get([projectId, CODINGS_KEY]))?.revision).toBe(record.revision);
    const after = await tables(new AnalysisSession(db), projectId);
    expect(codingsStored).toBe(false);
    expect(after.results[0]).toMatchObject({ codings: p.codings.length + 1 });
    await vi.waitFor(async () => expect((await db.derived.get([projectId, CODINGS_KEY]))?.revision).not.toBe(record.revision), { timeout: 5000, interval: 5 });
    expect(await tables(new AnalysisSession(db), projectId)).toEqual(after);
    expect(codingsStored).toBe(true);
  });

  it('a record that cannot be read, or that it does not recognise, falls back to the pages', async () => {
    const db = freshDatabase();
    opened.push(db);
    const p = SMALL_PLAN;
    const { projectId } = await seed(db, p);
    await rememberQuestions(db, projectId);
    const full = await tables(new AnalysisSession(db), projectId);
    const record = await storedRecord(db, projectId, CODINGS_KEY);
    await storedRecord(db, projectId);
    const expected = { ...full, stored: true };
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const good = record.value as Record<string, unknown>;
    // The fallback's read of the pages stores a good record again at the same revision: awaited before the next case.
    const restored = () =>
      vi.waitFor(
        async () => {
          const value = (await db.derived.get([projectId, CODINGS_KEY]))?.value as { marked?: boolean } | undefined;
          expect(value?.marked).toBeUndefined();
        },
        { timeout: 5000, interval: 5 },
      );
    for (const value of [
      { ...good, format: 99, marked: true },
      { ...good, answerCount: 1e6, marked: true },
      { ...good, answer: new Int32Array((good.answer as Int32Array).length).fill(1e6), marked: true },
      Object.assign(['nonsense'], { marked: true }),
    ]) {
      await db.derived.put({ ...record, value });
      expect(await tables(new AnalysisSession(db), projectId)).toEqual(expected);
      expect(codingsStored).toBe(false);
      await restored();
    }
    expect(await tables(new AnalysisSession(db), projectId)).toEqual(expected);
    expect(codingsStored).toBe(true);
  });

  it('a new version with the revision unchanged keeps what was read; a moved revision or a re-read reads the codings again', async () => {
    const db = freshDatabase();
    opened.push(db);
    const { projectId, answerIds } = await seed(db, {
      respondents: [0, 1].map((i) => ({ role: ROLES[i], site: 'North', waves: [true, false, false] })),
      answered: Array(18).fill(true),
      codings: [{ answer: 0, code: 0, coder: 0, span: false }],
      blind: 0,
    });
    const session = new AnalysisSession(db);
    const warmAt = async (version: number, reread = false) =>
      (
        (await session.handle({ type: 'warm', requestId: ++requestId, projectId, version, ...(reread ? { reread } : {}) } as never)).message as {
          result: { codings: number };
        }
      ).result.codings;
    expect(await warmAt(1)).toBe(1);
    // A page written from outside the app (the revision kept): a new version alone does not read it...
    const stray: Coding = { projectId, id: 'x', answerId: answerIds[1], codeId: 'c1', coderId: 'ana', start: null, end: null, createdAt: 1 };
    await db.codingPages.bulkPut([...groupByPage([stray])].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
    expect(await warmAt(2)).toBe(1);
    // ...a re-read does, and so does a new version once the revision has moved.
    expect(await warmAt(2, true)).toBe(2);
    await db.codingPages.where('projectId').equals(projectId).delete();
    expect(await warmAt(3)).toBe(2);
    await db.projects.update(projectId, { revision: 'moved' });
    expect(await warmAt(4)).toBe(0);
  });
});

describe('the first tables, counted without the Final set', () => {
  /** Tables whose coders leave the Final set out, then ones that use it (by coder, the Final set, one coder). */
  async function firstTables(session: AnalysisSession, projectId: string, order: 'final-last' | 'final-first', blindCoderId?: string) {
    const ask = async (body: AnalysisRequestBody) => {
      const reply = await session.handle({ ...body, requestId: ++requestId, projectId, version: 1, ...(blindCoderId ? { blindCoderId } : {}) } as never);
      const message = reply.message as FromAnalysisWorker;
      if (message.type !== 'result') return message;
      if (message.result.kind !== 'warm') return message.result;
      const { storedAnswers: _a, storedCodings: _c, times: _t, ...rest } = message.result;
      return rest;
    };
    // Not the first question: its answers' positions differ from the whole project's.
    const q2 = questionIds.get(`${projectId}:q2`)!;
    const lite: AnalysisRequestBody[] = [];
    for (const questionId of [null, q2])
      for (const coders of [{ kind: 'all' }, { kind: 'consensus' }, { kind: 'coder', coderId: 'ana' }] as const) {
        lite.push({ type: 'counts', options: { targets: 'codes-with-subcodes', groupBy: { kind: 'none' }, coders, questionId } } as AnalysisRequestBody);
        lite.push({ type: 'counts', options: { targets: 'codes', groupBy: { kind: 'attribute', name: 'role' }, coders, questionId } } as AnalysisRequestBody);
        lite.push({ type: 'counts', options: { targets: 'top-level', groupBy: { kind: 'wave' }, coders, questionId } } as AnalysisRequestBody);
        lite.push({
          type: 'prevalence',
          options: { targets: 'codes', coders, questionId, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }] },
        } as AnalysisRequestBody);
        lite.push({
          type: 'prevalence',
          options: { targets: 'codes', coders, questionId, unit: 'answers', dimensions: [{ kind: 'attribute', name: 'site' }] },
        } as AnalysisRequestBody);
      }
    const whole: AnalysisRequestBody[] = [null, q2].flatMap(
      (questionId) =>
        [
          { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'coder' }, coders: { kind: 'all' }, questionId } },
          { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'attribute', name: 'site' }, coders: { kind: 'final' }, questionId } },
          { type: 'prevalence', options: { targets: 'codes', coders: { kind: 'final' }, questionId, unit: 'answers', dimensions: [{ kind: 'wave' }] } },
        ] as AnalysisRequestBody[],
    );
    const out: unknown[] = [await ask({ type: 'warm' } as AnalysisRequestBody)];
    if (order === 'final-first') for (const body of whole) out.push(await ask(body));
    const before = out.length;
    for (const body of lite) out.push(await ask(body));
    if (order === 'final-last') for (const body of whole) out.push(await ask(body));
    // In the order of the requests, whichever came first.
    return order === 'final-first' ? [out[0], ...out.slice(before), ...out.slice(1, before)] : out;
  }

  it('are the same as counted from the whole index, and the Final set is not made for them (random projects, blind too)', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (p) => {
        const { db, projectId } = await seeded(p);
        // Read from the coding pages, then from the records the first session stored (the codings placed by position).
        const fromPages = await firstTables(new AnalysisSession(db, -1), projectId, 'final-last');
        const blindFromPages = await firstTables(new AnalysisSession(db, -1), projectId, 'final-last', CODERS[p.blind]);
        await storedRecord(db, projectId, CODINGS_KEY);
        for (const order of ['final-last', 'final-first'] as const) {
          expect(await firstTables(new AnalysisSession(db, -1), projectId, order)).toEqual(fromPages);
          expect(await firstTables(new AnalysisSession(db, -1), projectId, order, CODERS[p.blind])).toEqual(blindFromPages);
        }
        db.close();
      }),
      { numRuns: 20 },
    );
  });

  it('a cold open and its first tables do not make the Final set; the first table that uses it does', async () => {
    const { db, projectId } = await seeded(SMALL_PLAN);
    const made = vi.spyOn(AnalysisProject.prototype, 'final', 'get');
    // This project's: an earlier test's session may prepare its long CSV when idle (which reads the Final set).
    const madeHere = () => made.mock.contexts.filter((project) => (project as AnalysisProject).projectId === projectId).length;
    // Not prepared when idle here (the app's worker never is): only the requests read the project.
    const session = new AnalysisSession(db, -1);
    const ask = (body: AnalysisRequestBody) => session.handle({ ...body, requestId: ++requestId, projectId, version: 1 } as never);
    await ask({ type: 'warm' } as AnalysisRequestBody);
    await ask({ type: 'counts', options: { targets: 'codes', groupBy: { kind: 'wave' }, coders: { kind: 'all' }, questionId: null } } as AnalysisRequestBody);
    await ask({
      type: 'prevalence',
      options: { targets: 'codes', coders: { kind: 'all' }, questionId: null, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'role' }] },
    } as AnalysisRequestBody);
    expect(madeHere()).toBe(0);
    const byCoder = (
      await ask({
        type: 'counts',
        options: { targets: 'codes', groupBy: { kind: 'coder' }, coders: { kind: 'all' }, questionId: null },
      } as AnalysisRequestBody)
    ).message as FromAnalysisWorker;
    expect(madeHere()).toBeGreaterThan(0);
    // The Final set has its row among the coders'.
    expect(byCoder.type === 'result' && byCoder.result.kind === 'counts' && byCoder.result.rows.some((r) => r.group === FINAL_CODER_ID)).toBe(true);
    // A warm-up ahead of the view (the user elsewhere) builds the whole index at once.
    made.mockClear();
    await new AnalysisSession(db, -1).handle({ type: 'warm', requestId: ++requestId, projectId, version: 1, background: true } as never);
    expect(madeHere()).toBeGreaterThan(0);
  });
});
