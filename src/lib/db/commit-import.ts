/**
 * Writes an ImportBatch into a project in ONE read-write transaction: either
 * every record lands or none does (cancel, a clash with stored data, a full
 * disk all abort it and leave the database exactly as it was).
 */
import Dexie from 'dexie';
import type { ImportBatch, ProgressReporter } from '../import/types';
import { ImportError } from '../import/types';
import type { Attribute, Project, Question, Wave } from '../model/types';
import { newId, uniqueSlug } from '../model/types';
import { nameKeyed, nameKeyedCopy, ownValue } from '../model/name-keyed';
import { ANSWER_CHUNK_SIZE, RESPONDENT_CHUNK_SIZE, projectTables, type AnswerChunk, type CodebenchDatabase, type RespondentChunk } from './schema';
import { answersChanged } from './revision';
import type { AnswerColumns } from './projects';
import { packOpening, type PackedOpening } from './packed-columns';
import { writeTransaction } from './database';
import { putAnswerChunks } from './answer-chunks';

export type ImportTarget = { kind: 'new'; name: string } | { kind: 'existing'; projectId: string };

export interface ImportSource {
  fileName: string;
  format: string;
}

export interface ImportSummary {
  projectId: string;
  waveNames: string[];
  respondentsAdded: number;
  respondentsMatched: number;
  answersAdded: number;
  questionsAdded: number;
  questionsMatched: number;
  /**
   * For a new project, what opening it shows first (its respondents and its
   * first question's answers), straight from the import, so the page need not
   * read back from IndexedDB what was just written (half a second at 100k).
   */
  opening?: PackedOpening;
}

export interface CommitOptions {
  onProgress?: ProgressReporter;
  /** Polled between writes; returning true aborts the transaction. */
  isCancelled?: () => boolean;
  /** Told how long each step took (ms), for the bench's breakdown. */
  onStep?: (step: string, ms: number) => void;
  now?: number;
}

/** Thrown when the user cancels; the transaction has been rolled back. */
export class ImportCancelledError extends Error {
  constructor() {
    super('Import cancelled. Nothing was stored.');
    this.name = 'ImportCancelledError';
  }
}

const ATTRIBUTE_VALUES_KEPT = 200;
/** Answer chunks per bulkPut: a cancel is heard, and progress reported, between batches. */
const WRITE_BATCH = 6;

/** What commitImport and stageImport both begin with: the clock, progress, the cancel check and the chunks to write. */
function writingOptions(batch: ImportBatch, options: CommitOptions) {
  return {
    now: options.now ?? Date.now(),
    report: options.onProgress ?? (() => {}),
    checkCancel: () => {
      if (options.isCancelled?.()) throw new ImportCancelledError();
    },
    totalChunks:
      batch.answers.reduce((sum, group) => sum + Math.ceil(group.texts.length / ANSWER_CHUNK_SIZE), 0) +
      Math.ceil(batch.respondents.length / RESPONDENT_CHUNK_SIZE),
  };
}

export async function commitImport(
  db: CodebenchDatabase,
  batch: ImportBatch,
  target: ImportTarget,
  source: ImportSource,
  options: CommitOptions = {},
): Promise<ImportSummary> {
  const { now, report, checkCancel, totalChunks } = writingOptions(batch, options);
  let chunksDone = 0;
  let stepStarted = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    options.onStep?.(name, now - stepStarted);
    stepStarted = now;
  };

  try {
    return await writeTransaction(db, projectTables(db), async () => {
      const project = await resolveProject(db, target, now);
      const projectId = project.id;

      const waveIdsByName = await mergeWaves(db, projectId, batch, source, now);
      const questionIdsByKey = await mergeQuestions(db, projectId, batch);
      await mergeAttributes(db, projectId, batch);
      checkCancel();
      step('catalogue');

      const respondentResult = await mergeRespondents(db, projectId, batch, waveIdsByName);
      chunksDone += respondentResult.chunksWritten;
      report(chunksDone, totalChunks, 'Storing respondents');
      checkCancel();
      step('respondents');

      const answersAdded = await writeAnswers(
        db,
        projectId,
        batch,
        waveIdsByName,
        questionIdsByKey,
        () => {
          chunksDone += 1;
          if (chunksDone % WRITE_BATCH === 0) report(chunksDone, totalChunks, 'Storing answers');
        },
        checkCancel,
      );
      step('answers');

      await db.projects.put({
        ...project,
        updatedAt: now,
        ...answersChanged(),
        respondentCount: respondentResult.total,
        answerCount: project.answerCount + answersAdded,
      });
      report(totalChunks, totalChunks, 'Finishing');
      step('totals');
      return {
        projectId,
        waveNames: batch.waves.map((w) => w.name),
        respondentsAdded: respondentResult.added,
        respondentsMatched: respondentResult.matched,
        answersAdded,
        questionsAdded: questionIdsByKey.added,
        questionsMatched: batch.questions.length - questionIdsByKey.added,
        ...(target.kind === 'new' ? { opening: openingOf(batch, respondentResult.columns, waveIdsByName, questionIdsByKey) } : {}),
      };
    });
  } catch (error) {
    throw translateStorageError(error);
  }
}

/**
 * Stores a batch as a NEW project that nobody sees yet: the project record
 * carries `staging`, which every list and loader skips (see staging.ts), until
 * publishStaged clears it. Unlike commitImport this is not one transaction:
 * the catalogue and respondents go in one, then the answers in many small ones,
 * so no store is held for seconds while the user is still reading the preview.
 * A cancel or a failure deletes what was staged before this throws.
 */
export async function stageImport(
  db: CodebenchDatabase,
  batch: ImportBatch,
  source: ImportSource,
  projectId: string,
  options: CommitOptions = {},
): Promise<ImportSummary> {
  const { now, report, checkCancel, totalChunks } = writingOptions(batch, options);
  let chunksDone = 0;
  let created = false;
  try {
    checkCancel();
    const catalogue = await writeTransaction(db, [db.projects, db.waves, db.questions, db.attributes, db.respondentChunks], async () => {
      const project: Project = { id: projectId, name: '', createdAt: now, updatedAt: now, respondentCount: 0, answerCount: 0, staging: { startedAt: now } };
      await db.projects.add(project);
      const waveIdsByName = await mergeWaves(db, projectId, batch, source, now);
      const questionIdsByKey = await mergeQuestions(db, projectId, batch);
      await mergeAttributes(db, projectId, batch);
      const respondents = await mergeRespondents(db, projectId, batch, waveIdsByName);
      return { waveIdsByName, questionIdsByKey, respondents };
    });
    created = true;
    chunksDone += catalogue.respondents.chunksWritten;
    report(chunksDone, totalChunks, 'Storing respondents');
    checkCancel();
    // Outside any transaction: each batch of answer chunks commits on its own.
    const answersAdded = await writeAnswers(
      db,
      projectId,
      batch,
      catalogue.waveIdsByName,
      catalogue.questionIdsByKey,
      () => {
        chunksDone += 1;
        if (chunksDone % WRITE_BATCH === 0) report(chunksDone, totalChunks, 'Storing answers');
      },
      checkCancel,
    );
    await db.projects.update(projectId, { respondentCount: catalogue.respondents.total, answerCount: answersAdded, ...answersChanged() });
    report(totalChunks, totalChunks, 'Stored');
    return {
      projectId,
      waveNames: batch.waves.map((w) => w.name),
      respondentsAdded: catalogue.respondents.added,
      respondentsMatched: 0,
      answersAdded,
      questionsAdded: catalogue.questionIdsByKey.added,
      questionsMatched: 0,
      opening: openingOf(batch, catalogue.respondents.columns, catalogue.waveIdsByName, catalogue.questionIdsByKey),
    };
  } catch (error) {
    if (created) await deleteStaged(db, projectId).catch((failed: unknown) => console.error(failed));
    throw translateStorageError(error);
  }
}

/**
 * Makes a staged project visible under its name: one small transaction over
 * the project record, however many answers were staged.
 */
export async function publishStaged(db: CodebenchDatabase, projectId: string, name: string, now = Date.now()): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new ImportError('Give the new project a name.');
  try {
    await writeTransaction(db, [db.projects], async () => {
      const project = await db.projects.get(projectId);
      if (!project?.staging) throw new ImportError('The prepared import was removed before it was finished. Nothing was stored. Import the file again.');
      const { staging: _staging, ...published } = project;
      await db.projects.put({ ...published, name: trimmed, createdAt: now, updatedAt: now, ...answersChanged() });
    });
  } catch (error) {
    throw translateStorageError(error);
  }
}

/** Answer chunks deleted per transaction when a staging is thrown away. */
const DELETE_SLICE = 48;

/**
 * Deletes a staged project and all it holds; a project already published (or gone) is left alone. Its answers
 * go first, a slice per transaction, while the project record still says it is staged (so no reader sees the
 * half-deleted project, and a crash part way is swept again): one transaction over 800k answers would hold every
 * project store for seconds, stalling the project being opened and coding in other tabs.
 */
export async function deleteStaged(db: CodebenchDatabase, projectId: string, slice = DELETE_SLICE): Promise<boolean> {
  for (;;) {
    const more = await writeTransaction(db, [db.projects, db.answerChunks, db.answerKeys], async () => {
      if (!(await db.projects.get(projectId))?.staging) return false;
      const keys = await db.answerChunks.where('projectId').equals(projectId).limit(slice).primaryKeys();
      await db.answerChunks.bulkDelete(keys);
      await db.answerKeys.bulkDelete(keys);
      return keys.length === slice;
    });
    if (!more) break;
  }
  return writeTransaction(db, projectTables(db), async () => {
    const project = await db.projects.get(projectId);
    if (!project?.staging) return false;
    for (const table of projectTables(db)) if (table !== db.projects) await table.where('projectId').equals(projectId).delete();
    await db.projects.delete(projectId);
    return true;
  });
}

/** The first question's answers in the order loadAnswers gives them (wave by wave, then as imported). */
function openingOf(
  batch: ImportBatch,
  respondents: { ids: string[]; attributes: Record<string, string[]>; waves: string[][] },
  waveIdsByName: Map<string, string>,
  questionIdsByKey: Map<string, string>,
): PackedOpening | undefined {
  const first = batch.questions[0];
  if (!first) return undefined;
  const waveRank = new Map<string, number>();
  for (const { name } of batch.waves) {
    const id = waveIdsByName.get(name)!;
    if (!waveRank.has(id)) waveRank.set(id, waveRank.size);
  }
  const groups = batch.answers
    .filter((group) => group.questionKey === first.key)
    .map((group) => ({ group, waveId: waveIdsByName.get(group.waveName)! }))
    .sort((a, b) => waveRank.get(a.waveId)! - waveRank.get(b.waveId)!);
  const answers: AnswerColumns = { respondentIds: [], waveIds: [], texts: [] };
  for (const { group, waveId } of groups) {
    for (let i = 0; i < group.texts.length; i++) {
      answers.respondentIds.push(group.respondentIds[i]);
      answers.waveIds.push(waveId);
      answers.texts.push(group.textOf ? group.textOf(i) : group.texts[i]);
    }
  }
  // The columns the stored respondent chunks were cut from: the same rows, not read back.
  return packOpening(questionIdsByKey.get(first.key)!, respondents, answers);
}

function translateStorageError(error: unknown): unknown {
  const name = (error as { name?: string })?.name;
  const inner = (error as { inner?: { name?: string } })?.inner?.name;
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new ImportError(
      'The browser has no room left to store this file. Nothing was stored. ' +
        'Free some disk space, or delete projects you no longer need, and import again.',
    );
  }
  return error;
}

async function resolveProject(db: CodebenchDatabase, target: ImportTarget, now: number): Promise<Project> {
  if (target.kind === 'existing') {
    const project = await db.projects.get(target.projectId);
    if (!project) throw new ImportError('The project to import into no longer exists.');
    return project;
  }
  const name = target.name.trim();
  if (!name) throw new ImportError('Give the new project a name.');
  const project: Project = { id: newId(), name, createdAt: now, updatedAt: now, respondentCount: 0, answerCount: 0 };
  await db.projects.add(project);
  return project;
}

async function mergeWaves(db: CodebenchDatabase, projectId: string, batch: ImportBatch, source: ImportSource, now: number): Promise<Map<string, string>> {
  const existing = await db.waves.where('projectId').equals(projectId).toArray();
  const byName = new Map(existing.map((w) => [w.name.trim().toLowerCase(), w]));
  const taken = new Set(existing.map((w) => w.id));
  const ids = new Map<string, string>();
  let order = existing.length;
  for (const { name } of batch.waves) {
    const found = byName.get(name.trim().toLowerCase());
    if (found) {
      ids.set(name, found.id);
      continue;
    }
    const wave: Wave = {
      projectId,
      id: uniqueSlug(name, taken),
      name: name.trim(),
      order: order++,
      importedAt: now,
      sourceFile: source.fileName,
      sourceFormat: source.format,
    };
    await db.waves.add(wave);
    ids.set(name, wave.id);
  }
  return ids;
}

async function mergeQuestions(db: CodebenchDatabase, projectId: string, batch: ImportBatch): Promise<Map<string, string> & { added: number }> {
  const existing = await db.questions.where('projectId').equals(projectId).toArray();
  const byKey = new Map(existing.map((q) => [q.key, q]));
  const taken = new Set(existing.map((q) => q.id));
  const ids = Object.assign(new Map<string, string>(), { added: 0 });
  let order = existing.length;
  for (const question of batch.questions) {
    const found = byKey.get(question.key);
    if (found) {
      ids.set(question.key, found.id);
      continue;
    }
    const stored: Question = {
      projectId,
      id: uniqueSlug(question.key, taken),
      key: question.key,
      label: question.label,
      text: question.text,
      order: order++,
      answerCounts: nameKeyed(),
    };
    await db.questions.add(stored);
    ids.set(question.key, stored.id);
    ids.added++;
  }
  return ids;
}

async function mergeAttributes(db: CodebenchDatabase, projectId: string, batch: ImportBatch) {
  const existing = await db.attributes.where('projectId').equals(projectId).toArray();
  const byName = new Map(existing.map((a) => [a.name, a]));
  let order = existing.length;
  for (const name of batch.attributes) {
    const attribute: Attribute = byName.get(name) ?? { projectId, name, order: order++, values: [] };
    // A label the project already has stays (a later wave's file may lack the header row that gave it).
    const label = attribute.label ?? ownValue(batch.attributeLabels, name);
    if (label) attribute.label = label;
    const values = new Set(attribute.values);
    for (const respondent of batch.respondents) {
      if (values.size >= ATTRIBUTE_VALUES_KEPT) break;
      const value = ownValue(respondent.attributes, name);
      if (value) values.add(value);
    }
    await db.attributes.put({ ...attribute, values: [...values] });
  }
}

/**
 * Joins the file's respondents to those already stored, by ID. A respondent
 * who already has answers in one of this file's waves is a clash: the import
 * stops rather than overwrite or duplicate them.
 */
async function mergeRespondents(db: CodebenchDatabase, projectId: string, batch: ImportBatch, waveIdsByName: Map<string, string>) {
  const chunks = await db.respondentChunks.where('projectId').equals(projectId).sortBy('index');
  const ids: string[] = [];
  const waves: string[][] = [];
  // Keyed by attribute names, which may be "__proto__" or "constructor".
  const attributes = nameKeyed<string[]>();
  for (const chunk of chunks) {
    const offset = ids.length;
    ids.push(...chunk.ids);
    waves.push(...chunk.waves);
    for (const [name, values] of Object.entries(chunk.attributes)) {
      const column = (attributes[name] ??= []);
      column.length = offset;
      for (let i = 0; i < values.length; i++) column[offset + i] = values[i];
    }
  }
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));

  let added = 0;
  let matched = 0;
  for (const respondent of batch.respondents) {
    const waveIds = respondent.waves.map((name) => waveIdsByName.get(name) ?? name);
    let at = position.get(respondent.id);
    if (at === undefined) {
      at = ids.length;
      ids.push(respondent.id);
      waves.push([]);
      position.set(respondent.id, at);
      added++;
    } else {
      matched++;
      const clash = waveIds.find((w) => waves[at!].includes(w));
      if (clash) {
        const waveName = [...waveIdsByName].find(([, id]) => id === clash)?.[0] ?? clash;
        throw new ImportError(
          `Respondent "${respondent.id}" already has answers in wave "${waveName}" from an earlier import. ` +
            'Nothing was stored. Give this file another wave name, or remove the respondent from it.',
        );
      }
    }
    for (const w of waveIds) if (!waves[at].includes(w)) waves[at].push(w);
    for (const [name, value] of Object.entries(respondent.attributes)) {
      const column = (attributes[name] ??= []);
      if (!column[at] && value) column[at] = value;
    }
  }

  // Columns must be dense arrays of strings for every respondent.
  for (const column of Object.values(attributes)) {
    for (let i = 0; i < ids.length; i++) if (column[i] === undefined) column[i] = '';
    column.length = ids.length;
  }

  await db.respondentChunks.where('projectId').equals(projectId).delete();
  const rebuilt: RespondentChunk[] = [];
  for (let start = 0, index = 0; start < ids.length; start += RESPONDENT_CHUNK_SIZE, index++) {
    const end = start + RESPONDENT_CHUNK_SIZE;
    const columns = nameKeyed<string[]>();
    for (const [name, values] of Object.entries(attributes)) columns[name] = values.slice(start, end);
    rebuilt.push({ projectId, index, ids: ids.slice(start, end), attributes: columns, waves: waves.slice(start, end) });
  }
  await db.respondentChunks.bulkPut(rebuilt);
  return { added, matched, total: ids.length, columns: { ids, attributes, waves }, chunksWritten: Math.ceil(batch.respondents.length / RESPONDENT_CHUNK_SIZE) };
}

/** A chunk's texts; a staged batch's deferred answers are decoded here, so only the chunks being written are strings. */
function chunkTexts(group: ImportBatch['answers'][number], start: number, end: number): string[] {
  const { textOf } = group;
  if (!textOf) return group.texts.slice(start, end);
  const texts = new Array<string>(end - start);
  for (let i = start; i < end; i++) texts[i - start] = textOf(i);
  return texts;
}

async function writeAnswers(
  db: CodebenchDatabase,
  projectId: string,
  batch: ImportBatch,
  waveIdsByName: Map<string, string>,
  questionIdsByKey: Map<string, string>,
  onChunk: () => void,
  checkCancel: () => void,
): Promise<number> {
  const questions = new Map((await db.questions.where('projectId').equals(projectId).toArray()).map((q) => [q.id, q]));
  let added = 0;
  let pending: AnswerChunk[] = [];
  /**
   * The write in flight: the next chunks are made (a staged batch decodes their texts here) while the database
   * stores these, rather than after; one write at a time, as before.
   */
  let writing: Promise<void> | undefined;
  const settle = async () => {
    const last = writing;
    writing = undefined;
    if (last) await last;
    checkCancel();
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const chunks = pending;
    pending = [];
    await settle();
    writing = putAnswerChunks(db, chunks);
    // Awaited by the next settle(); marked handled now, so a failure is not reported as unhandled in between.
    writing.catch(() => {});
    // Inside the one-transaction import, putAnswerChunks is a sub-transaction of it: a query of the parent run
    // beside it ended it early ("Transaction committed too early", the 10,000-column case). Overlap only when
    // each write is a transaction of its own (staging).
    if (Dexie.currentTransaction) await settle();
  };

  for (const group of batch.answers) {
    const questionId = questionIdsByKey.get(group.questionKey)!;
    const waveId = waveIdsByName.get(group.waveName)!;
    const last = await db.answerChunks
      .where('[projectId+questionId+waveId+index]')
      .between([projectId, questionId, waveId, Dexie.minKey], [projectId, questionId, waveId, Dexie.maxKey])
      .last();
    let index = last ? last.index + 1 : 0;
    for (let start = 0; start < group.texts.length; start += ANSWER_CHUNK_SIZE) {
      pending.push({
        projectId,
        questionId,
        waveId,
        index: index++,
        respondentIds: group.respondentIds.slice(start, start + ANSWER_CHUNK_SIZE),
        texts: chunkTexts(group, start, Math.min(group.texts.length, start + ANSWER_CHUNK_SIZE)),
      });
      onChunk();
      if (pending.length >= WRITE_BATCH) await flush();
    }
    const question = questions.get(questionId)!;
    // Read back from IndexedDB with Object.prototype: a wave id may be "constructor".
    const counts = nameKeyedCopy(question.answerCounts);
    counts[waveId] = (counts[waveId] ?? 0) + group.texts.length;
    question.answerCounts = counts;
    added += group.texts.length;
  }
  await flush();
  await settle();
  await db.questions.bulkPut([...questions.values()]);
  return added;
}
