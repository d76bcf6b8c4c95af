import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { RoundsState } from '../../src/lib/state/rounds.svelte';
import { AgreementState, type AgreementWorkerLike } from '../../src/lib/state/agreement.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { loadCodebookVersions, loadRounds } from '../../src/lib/db/rounds';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { computeAgreement } from '../../src/lib/agreement/compute-request';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { buildAgreementTable } from '../../src/lib/agreement/answer-agreement';
import type { Code, Coder, Coding } from '../../src/lib/model/types';
import type { FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';

const opened: CodebenchDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function setUp() {
  const db = freshDatabase();
  opened.push(db);
  const ids = Array.from({ length: 10 }, (_, i) => `r${i + 1}`);
  const { projectId } = await commitImport(db, smallBatch('Baseline', ids), { kind: 'new', name: 'Study' }, { fileName: 'f.csv', format: 'csv' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const project = { overview, respondents: await loadRespondents(db, projectId) };
  const workspace = { codes: [] as Code[], version: 0, codings: [] as Coding[] };
  const index = { forAnswer: (id: string) => workspace.codings.filter((c) => c.answerId === id) };
  let coderId: string | null = 'ana';
  const notifications = new Notifications();
  const rounds = new RoundsState(
    () => db,
    project,
    {
      get codes() {
        return workspace.codes;
      },
      get version() {
        return workspace.version;
      },
      index,
    },
    () => coderId,
    notifications,
  );
  await rounds.load(projectId);
  const round = (await rounds.draw({
    name: 'Pilot',
    size: { kind: 'count', count: 4 },
    seed: 9,
    questionIds: [],
    waveIds: [],
    strata: [],
    excludeEarlier: true,
  }))!;
  const code = (answerId: string, by: string) => {
    workspace.codings = [
      ...workspace.codings,
      { projectId, id: `${answerId}-${by}`, answerId, codeId: 'c', coderId: by, start: null, end: null, createdAt: 0 },
    ];
    workspace.version++;
  };
  return { db, projectId, rounds, round, code, overview, workspace, notifications, setCoder: (id: string | null) => (coderId = id) };
}

describe('RoundsState', () => {
  it('counts the current coder’s progress through a round, overall and in a question', async () => {
    const { rounds, round, code, setCoder } = await setUp();
    expect(rounds.progress(round, round.answerIds[0].split('\u001f')[0])).toMatchObject({ coded: 0, total: 4 });
    code(round.answerIds[0], 'ana');
    code(round.answerIds[0], 'ana');
    code(round.answerIds[1], 'ben');
    const progress = rounds.progress(round, round.answerIds[0].split('\u001f')[0]);
    expect(progress.coded).toBe(1);
    expect(progress.question.coded).toBe(1);
    expect(progress.question.total).toBe(round.answerIds.filter((id) => id.split('\u001f')[0] === round.answerIds[0].split('\u001f')[0]).length);
    setCoder('ben');
    expect(rounds.progress(round).coded).toBe(1);
    setCoder(null);
    expect(rounds.progress(round).coded).toBe(0);
  });

  it('records the two coders compared in a round once, when agreement is computed on it', async () => {
    const { db, projectId, rounds, round } = await setUp();
    const coders: Coder[] = ['ana', 'ben'].map((id) => ({ projectId, id, name: id, color: '#000000' }));
    const posted: ToAgreementWorker[] = [];
    const worker: AgreementWorkerLike = { postMessage: (m) => posted.push(m), terminate: () => {}, onmessage: null };
    const agreement = new AgreementState(
      {
        codes: [{ projectId, id: 'c', parentId: null, name: 'C', color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0 }],
        coders,
      },
      () => worker,
    );
    agreement.prepare(projectId, 'some-question');
    agreement.roundChoices = () =>
      rounds.rounds.map((r) => ({
        id: r.id,
        label: rounds.label(r),
        answerIds: r.answerIds,
        scopeRound: { name: r.name, number: r.number, seed: r.sample.seed, size: r.answerIds.length },
        codebookVersion: { number: 1, label: 'Pilot codebook' },
      }));
    // As AppState wires it.
    agreement.onRoundComputed = (roundId, _coderIds, computed, options) => rounds.recordAgreement(roundId, computed, options);

    agreement.options.waveId = 'w';
    agreement.options.sample = true;
    agreement.roundId = round.id;
    agreement.run(projectId);
    const request = posted.find((m) => m.type === 'compute');
    expect(request && request.type === 'compute' && request.scope).toEqual({
      questionId: null,
      waveId: null,
      attributes: {},
      sample: null,
      answerIds: round.answerIds,
    });

    const computed = computeAgreement({ ids: ['x'], texts: ['t'] }, [], {
      coderIds: ['ana', 'ben'],
      codeIds: ['c'],
      uncodedAs: 'absent',
      spanThreshold: 0.5,
      bootstrapSamples: 0,
    });
    const emit = (data: FromAgreementWorker) => worker.onmessage?.({ data } as MessageEvent<FromAgreementWorker>);
    emit({
      type: 'result',
      requestId: 1,
      result: {
        ...computed,
        scope: { questions: 2, answersRead: 15, answersInScope: 4, answersCompared: 4, sample: null },
        timing: { loadMs: 1, computeMs: 1, ms: 2 },
      },
    });
    expect(agreement.result?.round).toMatchObject({ id: round.id, label: 'Round 1 · Pilot' });
    // The exports record the round, its seed and its codebook version, and are named after it.
    const context = { projectName: 'AIMMS mentoring', questions: [], waves: [] };
    expect(agreement.scopeRecord(context)).toMatchObject({
      round: { name: 'Pilot', number: 1, seed: round.sample.seed, size: round.answerIds.length },
      codebookVersion: { number: 1, label: 'Pilot codebook' },
      sample: null,
    });
    expect(agreement.tableCsv(context)?.filename).toBe('AIMMS-mentoring-round-1-Pilot-agreement.csv');
    expect(agreement.tableCsv(context)?.text).toContain(`${round.sample.seed}`);
    await expect.poll(async () => (await loadRounds(db, projectId))[0].coderIds).toEqual(['ana', 'ben']);
    expect(rounds.rounds[0].coderIds).toEqual(['ana', 'ben']);
    await expect.poll(() => agreement.roundsStored).toBe(1);
    expect((await loadRounds(db, projectId))[0].agreement).toMatchObject({ coderIds: ['ana', 'ben'], answers: 1, rows: [{ codeId: 'c', units: 1 }] });
    // Once known, the round's coders stay as they were.
    expect(await rounds.setCoders(round.id, ['ben', 'cy'])).toBe(false);
  });

  it('stores a computation with its round, replaces it on the same codebook, keeps it once the codebook changed unless asked', async () => {
    const { db, projectId, rounds, round, workspace, notifications } = await setUp();
    notifications.scope = projectId;
    const code = (id: string, name = id): Code => ({
      projectId,
      id,
      parentId: null,
      name,
      color: '#000000',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
    });
    workspace.codes = [code('c')];
    const computed = (agreed: number, coderIds = ['ana', 'ben']) => ({
      table: buildAgreementTable(
        {
          answerIds: ['a', 'b', 'c', 'd'],
          coderIds,
          codeIds: ['c'],
          present: (coder, answer) => (answer < agreed || (coder === 0 && answer < 3) ? ['c'] : []),
        },
        { bootstrapSamples: 0 },
      ),
      includeSubcodes: false,
      uncodedAs: 'absent' as const,
    });
    const storedRows = async () => (await loadRounds(db, projectId))[0].agreement?.rows.map((r) => [r.codeId, r.pair?.bothPresent]);
    const texts = () => notifications.shown.map((n) => n.text).join('\n');

    // The round was drawn with an empty codebook: the code added since is frozen as version 2 for the record.
    expect(await rounds.recordAgreement(round.id, computed(1))).toBe(true);
    const versions = await loadCodebookVersions(db, projectId);
    expect(versions.map((v) => [v.number, v.codes.map((c) => c.id)])).toEqual([
      [1, []],
      [2, ['c']],
    ]);
    expect((await loadRounds(db, projectId))[0]).toMatchObject({ coderIds: ['ana', 'ben'], agreement: { codebookVersionId: versions[1].id } });
    expect(rounds.versions).toHaveLength(2);
    expect(texts()).toContain('it was frozen as version 2 for it');

    // The same coders on the same codebook: replaced, no new version.
    expect(await rounds.recordAgreement(round.id, computed(2))).toBe(true);
    expect(await storedRows()).toEqual([['c', 2]]);
    expect(await loadCodebookVersions(db, projectId)).toHaveLength(2);

    // Other coders' comparison is not the round's.
    expect(await rounds.recordAgreement(round.id, computed(3, ['ana', 'cy']))).toBe(false);
    expect(texts()).toContain('Not stored with Round 1 · Pilot');

    // The codebook changed since: the stored one is kept, and the message offers to store this one instead.
    workspace.codes = [code('c', 'Renamed')];
    expect(await rounds.recordAgreement(round.id, computed(3))).toBe(false);
    expect(await storedRows()).toEqual([['c', 2]]);
    const kept = notifications.shown.find((n) => n.text.includes('stored agreement (as computed on'))!;
    expect(kept.text).toContain('codebook version 2) is kept: the codebook has changed since');
    await kept.actions.find((a) => a.label === 'Store this one instead')!.run();
    expect(await storedRows()).toEqual([['c', 3]]);
    expect((await loadCodebookVersions(db, projectId)).map((v) => v.number)).toEqual([1, 2, 3]);

    // Quiet (the comparison's computations): kept without a message.
    workspace.codes = [code('c', 'Renamed again')];
    const before = notifications.shown.length;
    expect(await rounds.recordAgreement(round.id, computed(1), { quiet: true })).toBe(false);
    expect(notifications.shown.length).toBe(before);
  });

  it('reports a write that fails and changes nothing', async () => {
    const { db, projectId, rounds, round, workspace, notifications } = await setUp();
    notifications.scope = projectId;
    workspace.codes = [];
    const table = buildAgreementTable({ answerIds: ['a'], coderIds: ['ana', 'ben'], codeIds: ['c'], present: () => [] }, { bootstrapSamples: 0 });
    const put = db.rounds.put.bind(db.rounds);
    db.rounds.put = (() => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))) as unknown as typeof put;
    try {
      expect(await rounds.recordAgreement(round.id, { table, includeSubcodes: false, uncodedAs: 'absent' })).toBe(false);
    } finally {
      db.rounds.put = put;
    }
    expect(notifications.shown.map((n) => n.text).join('\n')).toMatch(/^Storing Round 1 · Pilot’s agreement failed: .*Nothing was stored\./m);
    expect(rounds.rounds[0].agreement).toBeUndefined();
    expect((await loadRounds(db, projectId))[0].agreement).toBeUndefined();
  });
});
