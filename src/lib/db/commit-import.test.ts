import { describe, expect, it } from 'vitest';
import { ImportError } from '../import/types';
import { commitImport, ImportCancelledError } from './commit-import';
import { deleteProject, listProjects, loadAnswers, loadProjectOverview, loadRespondents, renameProject, withPositions } from './projects';
import { unpackOpening } from './packed-columns';
import { ANSWER_CHUNK_SIZE, RESPONDENT_CHUNK_SIZE } from './schema';
import { dumpDatabase, freshDatabase, smallBatch } from './test-helpers';

const source = { fileName: 'baseline.csv', format: 'generic' };
const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('commitImport', () => {
  it('creates a project with waves, questions, attributes, respondents and answers', async () => {
    const db = freshDatabase();
    const summary = await commitImport(db, smallBatch('Baseline', ids(5)), { kind: 'new', name: ' Study ' }, source);
    expect(summary).toMatchObject({ respondentsAdded: 5, respondentsMatched: 0, answersAdded: 8, questionsAdded: 2 });
    const overview = (await loadProjectOverview(db, summary.projectId))!;
    expect(overview.project).toMatchObject({ name: 'Study', respondentCount: 5, answerCount: 8 });
    expect(overview.waves.map((w) => [w.id, w.name])).toEqual([['baseline', 'Baseline']]);
    expect(overview.questions.map((q) => [q.id, q.answerCounts])).toEqual([
      ['q1', { baseline: 5 }],
      ['q2', { baseline: 3 }],
    ]);
    expect(overview.attributes[0]).toMatchObject({ name: 'role', values: ['mentee', 'mentor'] });
    const answers = await loadAnswers(db, summary.projectId, 'q2', ['baseline']);
    expect(answers.respondentIds).toEqual(['r1', 'r3', 'r5']);
    expect(answers.texts[1]).toBe('hard for r3');
  });

  it('hands a new project its opening: exactly what reading back its respondents and first question gives', async () => {
    const db = freshDatabase();
    // Two waves in one file, the later one listed first among the answers, and more respondents than one chunk.
    const many = ids(RESPONDENT_CHUNK_SIZE + 7);
    const batch = smallBatch('Baseline', many);
    const later = smallBatch('6 months', ['r2', 'r5']);
    batch.waves.push(...later.waves);
    batch.answers.unshift(...later.answers);
    for (const r of batch.respondents) if (r.id === 'r2' || r.id === 'r5') r.waves.push('6 months');
    const summary = await commitImport(db, batch, { kind: 'new', name: 'S' }, source);
    const opening = unpackOpening(summary.opening!);
    const overview = (await loadProjectOverview(db, summary.projectId))!;
    expect(opening.questionId).toBe(overview.questions[0].id);
    const stored = await loadAnswers(
      db,
      summary.projectId,
      opening.questionId,
      overview.waves.map((w) => w.id),
    );
    expect(opening.answers).toEqual(stored);
    expect(opening.answers.waveIds.at(-1)).toBe('6-months');
    expect(withPositions(opening.respondents)).toEqual(await loadRespondents(db, summary.projectId));
    // Into an existing project the import has only part of the answers: no opening.
    const again = await commitImport(db, smallBatch('Wave 3', ['r1']), { kind: 'existing', projectId: summary.projectId }, source);
    expect(again.opening).toBeUndefined();
  });

  it('stores attributes and waves named like Object.prototype members, and joins a later wave to them', async () => {
    const db = freshDatabase();
    const batch = smallBatch('constructor', ['r1', 'r2'], { attributes: ['__proto__', 'constructor'] });
    batch.respondents[0].attributes = Object.fromEntries([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
    batch.respondents[1].attributes = Object.fromEntries([['constructor', 'c']]);
    const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'S' }, source);
    const later = smallBatch('valueOf', ['r2', 'r3'], { attributes: ['toString'] });
    later.respondents[0].attributes = Object.fromEntries([['toString', 'd']]);
    later.respondents[1].attributes = {};
    await commitImport(db, later, { kind: 'existing', projectId }, source);
    const respondents = await loadRespondents(db, projectId);
    expect(Object.entries(respondents.attributes)).toEqual([
      ['__proto__', ['a', '', '']],
      ['constructor', ['b', 'c', '']],
      ['toString', ['', 'd', '']],
    ]);
    expect(respondents.attributes['valueOf']).toBeUndefined();
    const overview = (await loadProjectOverview(db, projectId))!;
    expect(overview.attributes.map((a) => [a.name, a.values])).toEqual([
      ['__proto__', ['a']],
      ['constructor', ['b', 'c']],
      ['toString', ['d']],
    ]);
    expect(overview.questions.map((q) => Object.entries(q.answerCounts))).toEqual([
      [
        ['constructor', 2],
        ['valueof', 2],
      ],
      [
        ['constructor', 1],
        ['valueof', 1],
      ],
    ]);
  });

  it('stores the label the file gave an attribute, and keeps it when a later wave has none', async () => {
    const db = freshDatabase();
    const first = await commitImport(db, smallBatch('Baseline', ids(2), { attributeLabels: { role: 'Role' } }), { kind: 'new', name: 'S' }, source);
    await commitImport(db, smallBatch('6 months', ids(2)), { kind: 'existing', projectId: first.projectId }, source);
    const overview = await loadProjectOverview(db, first.projectId);
    expect(overview?.attributes.map((a) => [a.name, a.label])).toEqual([['role', 'Role']]);
  });

  it('joins a second wave to the same respondents by ID and adds new ones', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(4)), { kind: 'new', name: 'S' }, source);
    const second = smallBatch('6 months', ['r2', 'r4', 'x9']);
    const summary = await commitImport(db, second, { kind: 'existing', projectId }, source);
    expect(summary).toMatchObject({ respondentsAdded: 1, respondentsMatched: 2, questionsAdded: 0, questionsMatched: 2 });
    const respondents = await loadRespondents(db, projectId);
    expect(respondents.ids).toEqual(['r1', 'r2', 'r3', 'r4', 'x9']);
    expect(respondents.waves[respondents.positionOf.get('r2')!]).toEqual(['baseline', '6-months']);
    expect(respondents.attributes.role).toHaveLength(5);
    const answers = await loadAnswers(db, projectId, 'q1', ['baseline', '6-months']);
    expect(answers.waveIds).toEqual(['baseline', 'baseline', 'baseline', 'baseline', '6-months', '6-months', '6-months']);
    expect((await loadProjectOverview(db, projectId))!.project.respondentCount).toBe(5);
  });

  it('refuses a respondent already answered in the same wave and leaves the database exactly as it was', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(3)), { kind: 'new', name: 'S' }, source);
    const before = await dumpDatabase(db);
    const again = smallBatch('baseline', ['r9', 'r2']);
    await expect(commitImport(db, again, { kind: 'existing', projectId }, source)).rejects.toThrow(/Respondent "r2" already has answers in wave "baseline"/);
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('rolls back everything when cancelled midway through a large import', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(3)), { kind: 'new', name: 'S' }, source);
    const before = await dumpDatabase(db);
    let polls = 0;
    // Four chunks a question are enough to cancel midway (after the second poll); 100k rows took 7 s on a busy machine.
    const big = smallBatch('Wave 2', ids(ANSWER_CHUNK_SIZE * 4, 'n'));
    await expect(commitImport(db, big, { kind: 'existing', projectId }, source, { isCancelled: () => ++polls > 2 })).rejects.toBeInstanceOf(
      ImportCancelledError,
    );
    expect(polls).toBeGreaterThan(2);
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('reports progress up to the total', async () => {
    const db = freshDatabase();
    const seen: [number, number][] = [];
    await commitImport(db, smallBatch('B', ids(ANSWER_CHUNK_SIZE * 3)), { kind: 'new', name: 'S' }, source, {
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen.length).toBeGreaterThan(2);
    const [lastDone, total] = seen.at(-1)!;
    expect(lastDone).toBe(total);
    expect(seen.every(([d], i) => i === 0 || d >= seen[i - 1][0])).toBe(true);
  });

  it('stores answers in chunks rather than one record each', async () => {
    const db = freshDatabase();
    await commitImport(db, smallBatch('B', ids(ANSWER_CHUNK_SIZE * 2.5)), { kind: 'new', name: 'S' }, source);
    // q1: 2.5 chunks' worth of answers → 3 chunks; q2 (every other respondent): 1.25 → 2 chunks
    expect(await db.answerChunks.count()).toBe(5);
    expect(await db.respondentChunks.count()).toBe(Math.ceil((ANSWER_CHUNK_SIZE * 2.5) / RESPONDENT_CHUNK_SIZE));
  });

  it('translates a full disk into a clear message', async () => {
    const db = freshDatabase();
    db.answerChunks.bulkPut = (() => {
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    }) as unknown as typeof db.answerChunks.bulkPut;
    await expect(commitImport(db, smallBatch('B', ids(3)), { kind: 'new', name: 'S' }, source)).rejects.toThrow(/no room left/);
    expect(await listProjects(db)).toEqual([]);
  });

  it('refuses a new project without a name', async () => {
    const db = freshDatabase();
    await expect(commitImport(db, smallBatch('B', ids(1)), { kind: 'new', name: '  ' }, source)).rejects.toBeInstanceOf(ImportError);
  });
});

describe('projects', () => {
  it('renames, refusing an empty name, and deletes everything a project holds', async () => {
    const db = freshDatabase();
    const a = await commitImport(db, smallBatch('B', ids(3)), { kind: 'new', name: 'A' }, source);
    const b = await commitImport(db, smallBatch('B', ids(2)), { kind: 'new', name: 'B' }, source);
    await renameProject(db, a.projectId, 'Renamed');
    await expect(renameProject(db, a.projectId, ' ')).rejects.toThrow(/needs a name/);
    expect((await listProjects(db)).map((p) => p.name).sort()).toEqual(['B', 'Renamed']);
    await deleteProject(db, a.projectId);
    expect((await listProjects(db)).map((p) => p.id)).toEqual([b.projectId]);
    for (const table of db.tables) {
      if (table.name === 'projects') continue;
      expect(await table.where('projectId').equals(a.projectId).count()).toBe(0);
    }
    expect(await db.answerChunks.where('projectId').equals(b.projectId).count()).toBe(2);
  });
});
