import { describe, expect, it } from 'vitest';
import { emptyChange } from '../coding/change';
import { readCoderFile, readProjectFile, ExchangeError } from '../exchange';
import { answerId, type Code, type Coding } from '../model/types';
import { commitImport } from './commit-import';
import { commitChange, loadCodings } from './coding-store';
import { exportCoderFile, exportProjectFile, exportSecondCoderFile, importCoderFile, importProjectFile, ProjectExistsError } from './exchange-store';
import { loadCodebookVersions, loadRounds, saveRound } from './rounds';
import type { CodebookVersion, Round } from '../model/types';
import { loadAnswers, loadProjectOverview, loadRespondents } from './projects';
import { dumpDatabase, freshDatabase, smallBatch } from './test-helpers';

const ANA = { id: 'ana', name: 'Ana', color: '#2454a6' };
const BEN = { id: 'ben', name: 'Ben', color: '#a63d24' };

async function codedProject() {
  const db = freshDatabase();
  const ids = ['r1', 'r2', 'r3', 'r4'];
  const batch = smallBatch('Baseline', ids);
  batch.answers[0].texts[1] = 'Mentoring 😀 helped\r\nme a lot';
  const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'Study' }, { fileName: 'f.csv', format: 'generic' });
  const code = (id: string, order: number): Code => ({
    projectId,
    id,
    parentId: null,
    name: id,
    color: '#aa0000',
    definition: `about ${id}`,
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  });
  const codes = [code('rewards', 0), code('challenges', 1)];
  const coding = (id: string, coder: string, respondent: string, codeId: string, span: [number, number] | null = null): Coding => ({
    projectId,
    id,
    answerId: answerId('q1', 'baseline', respondent),
    codeId,
    coderId: coder,
    start: span?.[0] ?? null,
    end: span?.[1] ?? null,
    createdAt: 5,
  });
  const codings = [
    { ...coding('a1', 'ana', 'r1', 'rewards'), exemplar: true },
    { ...coding('a2', 'ana', 'r2', 'challenges', [0, 12]), suggested: true },
    coding('b1', 'ben', 'r1', 'challenges'),
  ];
  await commitChange(db, projectId, {
    label: 'set up',
    forward: { ...emptyChange(), putCodes: codes, putCodings: codings },
    inverse: { ...emptyChange(), deleteCodes: codes, deleteCodings: codings },
  });
  await db.coders.bulkPut([
    { projectId, ...ANA },
    { projectId, ...BEN },
  ]);
  await db.resolutions.put({
    projectId,
    answerId: answerId('q1', 'baseline', 'r1'),
    decision: 'both',
    coderIds: ['ana', 'ben'],
    codeIds: ['rewards', 'challenges'],
    resolvedBy: 'Ada',
    at: 7,
  });
  await db.themes.put({ projectId, id: 't1', name: 'Growth', description: 'All of it', codeIds: ['rewards'], withSubcodes: true, order: 0 });
  await db.memos.put({
    projectId,
    id: 'm1',
    target: { kind: 'answer', id: codings[0].answerId },
    text: 'Note',
    coderId: 'ana',
    coderName: 'Ana',
    createdAt: 1,
    updatedAt: 1,
  });
  return { db, projectId, coding };
}

describe('project files', () => {
  it('restore a project exactly: export → restore elsewhere → export gives the same bytes', async () => {
    const { db, projectId } = await codedProject();
    const first = await exportProjectFile(db, projectId, '2026-11-22T00:00:00.000Z');
    const elsewhere = freshDatabase();
    const restored = await importProjectFile(elsewhere, readProjectFile(first));
    expect(restored.projectId).toBe(projectId);
    expect(await exportProjectFile(elsewhere, projectId, '2026-11-22T00:00:00.000Z')).toBe(first);
    const overview = (await loadProjectOverview(elsewhere, projectId))!;
    expect(overview.questions.map((q) => q.answerCounts)).toEqual([{ baseline: 4 }, { baseline: 2 }]);
    expect((await loadAnswers(elsewhere, projectId, 'q1', ['baseline'])).texts[1]).toBe('Mentoring 😀 helped\r\nme a lot');
    expect((await loadRespondents(elsewhere, projectId)).attributes.role).toEqual(['mentee', 'mentor', 'mentee', 'mentor']);
    expect((await loadCodings(elsewhere, projectId)).map((c) => c.id).sort()).toEqual(['a1', 'a2', 'b1']);
    expect((await loadCodings(elsewhere, projectId)).find((c) => c.id === 'a1')?.exemplar).toBe(true);
    expect((await loadCodings(elsewhere, projectId)).filter((c) => c.suggested === true).map((c) => c.id)).toEqual(['a2']);
    expect(await elsewhere.themes.toArray()).toEqual(await db.themes.toArray());
    expect(await elsewhere.resolutions.toArray()).toEqual(await db.resolutions.toArray());
  });

  it('refuses to restore over a project already here, leaving it untouched, and restores as a copy on request', async () => {
    const { db, projectId } = await codedProject();
    const file = readProjectFile(await exportProjectFile(db, projectId));
    const before = await dumpDatabase(db);
    await expect(importProjectFile(db, file)).rejects.toBeInstanceOf(ProjectExistsError);
    expect(await dumpDatabase(db)).toEqual(before);
    const copy = await importProjectFile(db, file, 'copy-id');
    expect(copy.name).toBe('Study (copy)');
    expect((await loadCodings(db, 'copy-id')).length).toBe(3);
  });
});

/** A round over two answers of the coded project, frozen with the codebook as it was (one code). */
async function withRound(db: Awaited<ReturnType<typeof codedProject>>['db'], projectId: string) {
  const version: CodebookVersion = {
    projectId,
    id: 'v1',
    number: 1,
    label: 'Pilot',
    createdAt: 3,
    createdBy: 'ana',
    codes: [
      { id: 'rewards', parentId: null, name: 'rewards', color: '#aa0000', definition: 'about rewards', inclusion: '', exclusion: '', example: '', order: 0 },
    ],
  };
  const round: Round = {
    projectId,
    id: 'round-1',
    number: 1,
    name: 'Pilot',
    createdAt: 4,
    createdBy: 'ana',
    sample: { size: { kind: 'share', share: 0.5 }, seed: 11, questionIds: ['q1'], waveIds: [], strata: [{ kind: 'question' }] },
    answerIds: [answerId('q1', 'baseline', 'r1'), answerId('q1', 'baseline', 'r3')],
    codebookVersionId: 'v1',
    coderIds: ['ana', 'ben'],
  };
  await saveRound(db, round, version);
  return { round, version };
}

describe('rounds and codebook versions in project files', () => {
  it('a backup carries them and restores them exactly', async () => {
    const { db, projectId } = await codedProject();
    const { round, version } = await withRound(db, projectId);
    const first = await exportProjectFile(db, projectId, '2026-11-22T00:00:00.000Z');
    const elsewhere = freshDatabase();
    await importProjectFile(elsewhere, readProjectFile(first));
    expect(await loadRounds(elsewhere, projectId)).toEqual([round]);
    expect(await loadCodebookVersions(elsewhere, projectId)).toEqual([version]);
    expect(await exportProjectFile(elsewhere, projectId, '2026-11-22T00:00:00.000Z')).toBe(first);
  });

  it('a second coder’s file restores with the round and its version, and no one’s codings, memos, coders or decisions', async () => {
    const { db, projectId } = await codedProject();
    const { round, version } = await withRound(db, projectId);
    const text = await exportSecondCoderFile(db, projectId, 'round-1');
    expect(text).not.toMatch(/"Ana"|"Ben"|Note/);
    const elsewhere = freshDatabase();
    await importProjectFile(elsewhere, readProjectFile(text));
    expect(await loadCodings(elsewhere, projectId)).toEqual([]);
    expect(await elsewhere.memos.count()).toBe(0);
    expect(await elsewhere.coders.count()).toBe(0);
    expect(await elsewhere.resolutions.count()).toBe(0);
    expect(await elsewhere.themes.count()).toBe(0);
    expect(await loadRounds(elsewhere, projectId)).toEqual([{ ...round, coderIds: [] }]);
    expect(await loadCodebookVersions(elsewhere, projectId)).toEqual([version]);
    // The codebook is the round's version: "challenges" came later and is not in it.
    expect((await elsewhere.codes.toArray()).map((c) => c.id)).toEqual(['rewards']);
    expect((await loadProjectOverview(elsewhere, projectId))!.project.answerCount).toBe(2);
  });
});

describe('coder files', () => {
  it('carry one coder’s codings and memos, and merge into another copy once, however often imported', async () => {
    const { db, projectId, coding } = await codedProject();
    // The second coder's copy starts from the project file, then codes on their own.
    const theirs = freshDatabase();
    await importProjectFile(theirs, readProjectFile(await exportProjectFile(db, projectId)));
    const carl = { ...coding('c1', 'carl', 'r3', 'rewards', [2, 5]), suggested: true };
    await commitChange(theirs, projectId, {
      label: 'code',
      forward: { ...emptyChange(), putCodings: [carl] },
      inverse: { ...emptyChange(), deleteCodings: [carl] },
    });
    const text = await exportCoderFile(theirs, projectId, { id: 'carl', name: 'Carl', color: '#1f7a3f' });
    const file = readCoderFile(text);
    expect(file.codings.map((c) => c.id)).toEqual(['c1']);

    const first = await importCoderFile(db, projectId, file);
    expect(first.report).toMatchObject({ codingsAdded: 1, codingsAlreadyPresent: 0 });
    expect(first.coderName).toBe('Carl');
    const second = await importCoderFile(db, projectId, file);
    expect(second.report).toMatchObject({ codingsAdded: 0, codingsAlreadyPresent: 1 });
    const codings = await loadCodings(db, projectId);
    expect(codings.map((c) => c.id).sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(codings.find((c) => c.id === 'c1')).toMatchObject({ start: 2, end: 5, coderId: 'carl', suggested: true });
    expect((await db.coders.get([projectId, 'carl']))?.name).toBe('Carl');
  });

  it('refuses a file whose codings refer to answers this project does not have, storing nothing', async () => {
    const { db, projectId } = await codedProject();
    const file = readCoderFile(await exportCoderFile(db, projectId, ANA));
    const other = freshDatabase();
    const { projectId: otherId } = await commitImport(
      other,
      smallBatch('Baseline', ['x1']),
      { kind: 'new', name: 'Other' },
      { fileName: 'f.csv', format: 'generic' },
    );
    const before = await dumpDatabase(other);
    await expect(importCoderFile(other, otherId, file)).rejects.toBeInstanceOf(ExchangeError);
    expect(await dumpDatabase(other)).toEqual(before);
  });
});
