/**
 * Coder files and project files in and out of the database. The formats and
 * the merge rules are pure (lib/exchange); this module reads what they need
 * and writes what they decide, each import in one transaction.
 */
import {
  applyMergePlan,
  coderFileFromProject,
  ExchangeError,
  planCoderMerge,
  projectFileEntities,
  secondCoderFileInput,
  writeCoderFile,
  writeProjectFile,
  type CoderFile,
  type MergeReport,
  type ProjectFile,
  type ProjectFileInput,
} from '../exchange';
import { answerParts, groupByPage, pageKeyOf, splitPageKey } from '../coding/coding-pages';
import { ANSWER_ID_SEPARATOR, answerId, type Coding } from '../model/types';
import { nameKeyed, ownValue } from '../model/name-keyed';
import { loadCodings } from './coding-store';
import { writeTransaction } from './database';
import { putAnswerChunks } from './answer-chunks';
import { loadProjectOverview, loadRespondents, type RespondentTable } from './projects';
import { projectRevision, readDerivedAt, writeDerived } from './derived-store';
import { ANSWERS_KEY, packAnswers, unpackAnswers, type RespondentColumns } from './stored-answers';
import { CODINGS_KEY, unpackCodings, type StoredCoding } from './stored-codings';
import { loadCodebookVersions, loadRounds } from './rounds';
import { loadWriteUp, writeUpRecords } from './write-up-store';
import { answersChanged, touchProject } from './revision';
import {
  ANSWER_CHUNK_SIZE,
  projectTables,
  RESPONDENT_CHUNK_SIZE,
  type AnswerChunk,
  type AnswerKeyChunk,
  type CodebenchDatabase,
  type CodingPage,
  type RespondentChunk,
} from './schema';

/** Answer texts of the given questions (all of them when `questionIds` is null), by answer id. */
async function answerTexts(db: CodebenchDatabase, projectId: string, questionIds: Iterable<string> | null): Promise<Map<string, string>> {
  const chunks: AnswerChunk[] = [];
  if (questionIds === null) chunks.push(...(await db.answerChunks.where('projectId').equals(projectId).toArray()));
  else
    for (const questionId of new Set(questionIds))
      chunks.push(...(await db.answerChunks.where('[projectId+questionId]').equals([projectId, questionId]).toArray()));
  const texts = new Map<string, string>();
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.texts.length; i++) texts.set(answerId(chunk.questionId, chunk.waveId, chunk.respondentIds[i]), chunk.texts[i]);
  }
  return texts;
}

/** One coder's codings and memos with the project's codebook, as a coder file (JSON text). */
export async function exportCoderFile(
  db: CodebenchDatabase,
  projectId: string,
  coder: { id: string; name: string; color: string },
  exportedAt = new Date().toISOString(),
): Promise<string> {
  const overview = await loadProjectOverview(db, projectId);
  if (!overview) throw new ExchangeError('That project no longer exists.');
  const codings = (await loadCodings(db, projectId)).filter((c) => c.coderId === coder.id);
  const memos = await db.memos.where('projectId').equals(projectId).toArray();
  const spanQuestions = codings.filter((c) => c.start !== null).map((c) => answerParts(c.answerId).questionId);
  const texts = await answerTexts(db, projectId, spanQuestions);
  return writeCoderFile(
    coderFileFromProject({
      exportedAt,
      project: { id: projectId, name: overview.project.name },
      coder,
      codes: overview.codes,
      codings,
      memos,
      answerText: (id) => texts.get(id),
    }),
  );
}

export interface CoderImportResult {
  coderName: string;
  report: MergeReport;
  warnings: string[];
}

/**
 * Merges another coder's file into the project, in one transaction: codes the
 * file needs, the coder, their codings and memos. Refused whole (nothing
 * stored) when a coding refers to an answer this project does not have.
 */
export async function importCoderFile(
  db: CodebenchDatabase,
  projectId: string,
  file: CoderFile,
  localCoder?: { id: string; name: string },
): Promise<CoderImportResult> {
  return writeTransaction(db, [db.projects, db.answerChunks, db.codes, db.coders, db.codingPages, db.memos], async () => {
    if (!(await db.projects.get(projectId))) throw new ExchangeError('That project no longer exists.');
    const [codes, coders, codings, memos] = await Promise.all([
      db.codes.where('projectId').equals(projectId).toArray(),
      db.coders.where('projectId').equals(projectId).toArray(),
      loadCodings(db, projectId),
      db.memos.where('projectId').equals(projectId).toArray(),
    ]);
    const texts = await answerTexts(
      db,
      projectId,
      file.codings.map((c) => answerParts(c.answerId).questionId),
    );
    const plan = planCoderMerge({ codes, coders, codings, memos, answerTexts: (id) => texts.get(id), ...(localCoder ? { localCoder } : {}) }, file, projectId);
    const merged = applyMergePlan({ codes, coders, codings, memos }, plan);
    if (plan.newCodes.length > 0) await db.codes.bulkPut(plan.newCodes);
    await db.coders.put(plan.coder);
    // Only the pages a coding of the file lands in (or leaves, when it replaces one) are rewritten.
    const previous = new Map(codings.map((c) => [c.id, c]));
    const pages = new Map<string, Coding[]>();
    for (const coding of plan.codings) {
      pages.set(pageKeyOf(coding.answerId), []);
      const old = previous.get(coding.id);
      if (old) pages.set(pageKeyOf(old.answerId), []);
    }
    for (const coding of merged.codings) pages.get(pageKeyOf(coding.answerId))?.push(coding);
    await writePages(db, projectId, pages);
    if (plan.memos.length > 0) await db.memos.bulkPut(plan.memos);
    await touchProject(db, projectId);
    return { coderName: plan.coder.name, report: plan.report, warnings: plan.warnings };
  });
}

async function writePages(db: CodebenchDatabase, projectId: string, pages: Map<string, Coding[]>) {
  const records: CodingPage[] = [];
  for (const [key, list] of pages) {
    const { questionId, bucket } = splitPageKey(key);
    records.push({ projectId, questionId, bucket, codings: list.map((c) => ({ ...c, projectId })) });
  }
  if (records.length > 0) await db.codingPages.bulkPut(records);
}

/** The whole project as a project file (JSON text): the backup, with everything (a second coder starts from exportSecondCoderFile). */
export async function exportProjectFile(db: CodebenchDatabase, projectId: string, exportedAt = new Date().toISOString()): Promise<string> {
  return writeProjectFile(await loadProjectData(db, projectId, exportedAt));
}

/**
 * The whole project as plain data in the project file's shape (what the
 * exports, the report and REFI-QDA are written from), read in one go.
 */
export async function loadProjectData(db: CodebenchDatabase, projectId: string, exportedAt = new Date().toISOString()): Promise<ProjectFileInput> {
  return (await readProjectData(db, projectId, exportedAt, true)).data;
}

/**
 * The project as loadProjectData gives it but with every answer's text ""
 * until `texts.load` fills it: the answers come from the text-less copies
 * (`answerKeys`), a tenth of the bytes, so whatever needs only which answers
 * exist (the analysis tables) is ready sooner.
 */
export async function loadProjectDataWithoutTexts(db: CodebenchDatabase, projectId: string): Promise<ProjectRead> {
  return readProjectData(db, projectId, new Date().toISOString(), false);
}

/** A project as read for the analysis worker: see loadProjectDataWithoutTexts and readProjectData. */
export interface ProjectRead {
  data: ProjectFileInput;
  texts: DeferredAnswerTexts;
  columns: AnswerKeyChunk[];
  /** Whether the respondents and answers came from the stored columns (stored-answers.ts). */
  storedAnswers: boolean;
  /** Whether the codings came from the stored codings (stored-codings.ts) rather than the pages. */
  storedCodings: boolean;
  /** Each of `data.codings`' answer as a position in `columns`' order (-1: not among them), when read from the record. */
  codingAnswers: Int32Array | null;
  /**
   * The project's revision the codings were read at (text-less reads only): the stored record's, or the one read
   * before the coding pages. The stored codings made from pages are written at it, so a coding landing meanwhile
   * refuses the write.
   */
  codingsRevision: string | undefined;
}

/** A chunk's place among the answers: question, wave and index joined (U+001F). */
const chunkKey = (questionId: string, waveId: string, index: number) => `${questionId}\u001f${waveId}\u001f${index}`;

/**
 * The texts of answers read without them, read per question on first need
 * and written into the same answer objects (so every copy that shares them,
 * filtered or blind, sees them). A question is read once; a failed read is
 * tried again next time.
 */
export class DeferredAnswerTexts {
  #reads = new Map<string, Promise<void>>();
  #byId: Map<string, ProjectFileInput['answers'][number]> | null = null;

  constructor(
    private readonly db: CodebenchDatabase,
    private readonly projectId: string,
    /** The answers, or how to make them (the analysis worker's are made on first need: see readProjectData). */
    private readonly answers: ProjectFileInput['answers'] | (() => ProjectFileInput['answers']),
    /** Where each chunk's first answer is in `answers`, per question; null when every text is already there. */
    private readonly starts: Map<string, Map<string, number>> | null,
  ) {}

  /** Fills the texts of these questions (of every question when null) into the answers. */
  async load(questionIds: Iterable<string> | null = null): Promise<void> {
    if (this.starts === null) return;
    const reads: Promise<void>[] = [];
    for (const questionId of new Set(questionIds ?? this.starts.keys())) {
      const starts = this.starts.get(questionId);
      if (!starts) continue; // a question with no answers
      let read = this.#reads.get(questionId);
      if (!read) {
        read = this.#read(questionId, starts);
        this.#reads.set(questionId, read);
        read.catch(() => this.#reads.delete(questionId));
      }
      reads.push(read);
    }
    await Promise.all(reads);
  }

  #list(): ProjectFileInput['answers'] {
    return typeof this.answers === 'function' ? this.answers() : this.answers;
  }

  async #read(questionId: string, starts: Map<string, number>) {
    const answers = this.#list();
    await this.db.answerChunks
      .where('[projectId+questionId]')
      .equals([this.projectId, questionId])
      .each(({ waveId, index, respondentIds, texts }) => {
        const start = starts.get(chunkKey(questionId, waveId, index));
        for (let i = 0; i < texts.length; i++) {
          const at = start === undefined ? undefined : answers[start + i];
          // The copy and the chunk are written together, so they agree; should they not, the id still finds the answer.
          if (at && at.respondentId === respondentIds[i] && at.waveId === waveId && at.questionId === questionId) at.text = texts[i];
          else {
            const answer = this.#answerById(answerId(questionId, waveId, respondentIds[i]));
            if (answer) answer.text = texts[i];
          }
        }
      });
  }

  #answerById(id: string) {
    this.#byId ??= new Map(this.#list().map((a) => [a.id, a]));
    return this.#byId.get(id);
  }
}

async function readProjectData(db: CodebenchDatabase, projectId: string, exportedAt: string, withTexts: boolean): Promise<ProjectRead> {
  const overview = await loadProjectOverview(db, projectId);
  if (!overview) throw new ExchangeError('That project no longer exists.');
  const [[respondents, keyed, storedAnswers], codingsRead, memos, themes, resolutions, rounds, codebookVersions, writeUp] = await Promise.all([
    withTexts ? Promise.all([loadRespondents(db, projectId), answerChunksOf(db, projectId, true), false] as const) : respondentsAndKeys(db, projectId),
    withTexts ? loadCodings(db, projectId).then((codings) => ({ codings, stored: null, revision: undefined })) : storedCodingsOrPages(db, projectId),
    db.memos.where('projectId').equals(projectId).toArray(),
    db.themes.where('projectId').equals(projectId).toArray(),
    db.resolutions.where('projectId').equals(projectId).toArray(),
    loadRounds(db, projectId),
    loadCodebookVersions(db, projectId),
    loadWriteUp(db, projectId),
  ]);
  const chunks: (AnswerKeyChunk & { texts?: string[] })[] = keyed;
  const waveRank = new Map(overview.waves.map((w, i) => [w.id, i]));
  const questionRank = new Map(overview.questions.map((q, i) => [q.id, i]));
  chunks.sort(
    (a, b) => questionRank.get(a.questionId)! - questionRank.get(b.questionId)! || waveRank.get(a.waveId)! - waveRank.get(b.waveId)! || a.index - b.index,
  );
  const textless = chunks.some((c) => c.texts === undefined);
  // Where each chunk's first answer will be, so texts read later find their answers.
  const starts = textless ? new Map<string, Map<string, number>>() : null;
  if (starts) {
    let at = 0;
    for (const { questionId, waveId, index, respondentIds } of chunks) {
      let ofQuestion = starts.get(questionId);
      if (!ofQuestion) starts.set(questionId, (ofQuestion = new Map()));
      ofQuestion.set(chunkKey(questionId, waveId, index), at);
      at += respondentIds.length;
    }
  }
  // The stored codings point into the answers in this order: unpacked now, or the pages read when not recognised.
  let codings: StoredCoding[] | null = codingsRead.codings?.map(stripProject) ?? null;
  let codingAnswers: Int32Array | null = null;
  let { revision: codingsRevision } = codingsRead;
  if (codings === null) {
    const unpacked = unpackCodings(codingsRead.stored, chunks);
    if (unpacked) ({ codings, answerAt: codingAnswers } = unpacked);
    else {
      codingsRevision = await projectRevision(db, projectId).catch(() => undefined);
      codings = (await loadCodings(db, projectId)).map(stripProject);
    }
  }
  let made: ProjectFileInput['answers'] | null = null;
  const answersOf = () => (made ??= answersOfChunks(chunks));
  // A coder who coded in this project is in it even if registering them was still on its way.
  const coders = new Map(overview.coders.map((c) => [c.id, c]));
  for (const coding of codings)
    if (!coders.has(coding.coderId)) coders.set(coding.coderId, { projectId, id: coding.coderId, name: 'Unnamed coder', color: '#666666' });
  const { project } = overview;
  const strip = <T extends { projectId: string }>({ projectId: _omit, ...rest }: T) => rest;
  const data: ProjectFileInput = {
    exportedAt,
    project: { id: project.id, name: project.name, createdAt: project.createdAt, updatedAt: project.updatedAt },
    waves: overview.waves.map(strip),
    questions: overview.questions.map(({ projectId: _p, answerCounts: _c, ...q }) => q),
    attributes: overview.attributes.map(({ name, order, values, label }) => ({ name, order, values, ...(label ? { label } : {}) })),
    respondents: respondentObjects(respondents),
    answers: textless ? [] : answersOf(),
    codes: overview.codes.map(strip),
    coders: [...coders.values()].map(strip),
    codings,
    memos: memos.map(strip),
    themes: themes.map(strip),
    resolutions: resolutions.map(strip),
    rounds: rounds.map(strip),
    codebookVersions: codebookVersions.map(strip),
    writeUp,
  };
  // Read without texts, the answers are made on first need: the analysis index is built from the chunks (returned in
  // the answers' order), and the tables read no answer object, so opening Analysis makes none (~100 MB at 100k).
  if (textless) Object.defineProperty(data, 'answers', { get: answersOf, enumerable: true, configurable: true });
  return {
    data,
    texts: new DeferredAnswerTexts(db, projectId, answersOf, starts),
    columns: chunks,
    storedAnswers,
    storedCodings: codingAnswers !== null,
    codingAnswers,
    codingsRevision,
  };
}

const stripProject = ({ projectId: _omit, ...rest }: Coding): StoredCoding => rest;

/**
 * The stored codings' record when it was made at the project's current revision (unpacked by the caller once the
 * answers it points into are read), else every coding page, with the revision read before them.
 */
async function storedCodingsOrPages(
  db: CodebenchDatabase,
  projectId: string,
): Promise<{ codings: Coding[] | null; stored: unknown; revision: string | undefined }> {
  let revision: string | undefined;
  try {
    const read = await readDerivedAt<unknown>(db, projectId, CODINGS_KEY);
    if (read.value !== null) return { codings: null, stored: read.value, revision: read.revision };
    revision = read.revision;
  } catch (error) {
    console.warn('Codebench: the stored codings could not be read; reading the coding pages instead.', error);
    revision = await projectRevision(db, projectId).catch(() => undefined);
  }
  return { codings: await loadCodings(db, projectId), stored: null, revision };
}

/** Each respondent with their non-blank attribute values (one loop over the columns: 100k respondents at survey scale). */
function respondentObjects({ ids, attributes, waves }: Pick<RespondentTable, 'ids' | 'attributes' | 'waves'>): ProjectFileInput['respondents'] {
  const columns = Object.entries(attributes);
  const out: ProjectFileInput['respondents'] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const values = nameKeyed<string>();
    for (const [name, column] of columns) {
      const value = column[i];
      if (value !== '') values[name] = value;
    }
    out[i] = { id: ids[i], attributes: values, waves: waves[i] };
  }
  return out;
}

/** One answer per respondent of each chunk, in chunk order (texts "" where the chunk has none). */
function answersOfChunks(chunks: readonly (AnswerKeyChunk & { texts?: string[] })[]): ProjectFileInput['answers'] {
  // One loop and a template rather than flatMap and answerId's join: the same ids, in a fraction of the time over 700k answers.
  const answers: ProjectFileInput['answers'] = [];
  const sep = ANSWER_ID_SEPARATOR;
  for (const { questionId, waveId, respondentIds, texts } of chunks) {
    const prefix = `${questionId}${sep}${waveId}${sep}`;
    if (texts)
      for (let i = 0; i < texts.length; i++)
        answers.push({ id: prefix + respondentIds[i], questionId, waveId, respondentId: respondentIds[i], text: texts[i] });
    else
      for (let i = 0; i < respondentIds.length; i++)
        answers.push({ id: prefix + respondentIds[i], questionId, waveId, respondentId: respondentIds[i], text: '' });
  }
  return answers;
}

/**
 * The respondents and text-less answer chunks, from the stored record of them (stored-answers.ts) when one was made
 * at the project's current answers revision, else read chunk by chunk; a full read then stores the record for the
 * next open. The record is a shortcut only: a failed or unrecognised read falls back, a failed write is logged.
 */
async function respondentsAndKeys(
  db: CodebenchDatabase,
  projectId: string,
): Promise<readonly [Pick<RespondentTable, 'ids' | 'attributes' | 'waves'>, (AnswerKeyChunk & { texts?: string[] })[], boolean]> {
  // Read before the chunks, so a record made from them is refused if an import lands meanwhile (writeDerived checks it).
  let revision: string | undefined;
  try {
    const stored = await readDerivedAt<unknown>(db, projectId, ANSWERS_KEY, 'answers');
    revision = stored.revision;
    const unpacked = stored.value === null ? null : unpackAnswers(projectId, stored.value);
    if (unpacked) return [unpacked.respondents, unpacked.chunks, true];
  } catch (error) {
    console.warn('Codebench: the stored answer columns could not be read; reading the answers instead.', error);
    // The record alone may be unreadable: the full read below then stores a good one at the project's revision.
    revision = await projectRevision(db, projectId, 'answers').catch(() => undefined);
  }
  const [respondents, keyed] = await Promise.all([loadRespondents(db, projectId), answerChunksOf(db, projectId, false)]);
  if (revision !== undefined) storeAnswersLater(db, projectId, revision, respondents, keyed);
  return [respondents, keyed, false];
}

/** Stores the packed columns after the caller's work (the open it was read for goes first); a failure is logged. */
function storeAnswersLater(db: CodebenchDatabase, projectId: string, revision: string, respondents: RespondentColumns, chunks: readonly AnswerKeyChunk[]) {
  setTimeout(() => {
    void (async () => {
      try {
        await writeDerived(db, projectId, ANSWERS_KEY, revision, packAnswers(respondents, chunks), 'answers');
      } catch (error) {
        console.warn('Codebench: the answer columns could not be stored (the next open reads the answers again).', error);
      }
    })();
  }, 0);
}

/**
 * A project's answer chunks, or only their text-less copies. A project whose
 * copies are missing (chunks written by a test fixture or a tool straight
 * into answerChunks) is read with its texts, so it is never read as empty.
 */
async function answerChunksOf(db: CodebenchDatabase, projectId: string, withTexts: boolean): Promise<(AnswerKeyChunk & { texts?: string[] })[]> {
  if (!withTexts) {
    const keys = await db.answerKeys.where('projectId').equals(projectId).toArray();
    if (keys.length > 0 || (await db.answerChunks.where('projectId').equals(projectId).count()) === 0) return keys;
  }
  return db.answerChunks.where('projectId').equals(projectId).toArray();
}

/**
 * The project file a second coder starts from: answers and codebook (of the round's version when a round is
 * named), no one's codings, memos or coders (lib/exchange/second-coder.ts).
 */
export async function exportSecondCoderFile(
  db: CodebenchDatabase,
  projectId: string,
  roundId: string | null,
  exportedAt = new Date().toISOString(),
): Promise<string> {
  return writeProjectFile(secondCoderFileInput(await loadProjectData(db, projectId, exportedAt), roundId));
}

export class ProjectExistsError extends ExchangeError {
  constructor(readonly projectName: string) {
    super(`This project (“${projectName}”) is already in this browser. Open it, or restore the file as a copy.`);
  }
}

/**
 * Restores a project file as a project, in one transaction. The file's
 * project id is kept (so coder files from other copies merge into it), unless
 * `asCopyId` is given; a project with that id already here is refused.
 */
export async function importProjectFile(db: CodebenchDatabase, file: ProjectFile, asCopyId?: string): Promise<{ projectId: string; name: string }> {
  const entities = projectFileEntities(file, asCopyId ?? file.project.id);
  const projectId = entities.project.id;
  if (asCopyId) entities.project.name = `${entities.project.name} (copy)`;
  await writeTransaction(db, projectTables(db), async () => {
    const existing = await db.projects.get(projectId);
    if (existing) throw new ProjectExistsError(existing.name);
    await db.projects.add({ ...entities.project, ...answersChanged() });
    await db.waves.bulkAdd(entities.waves);
    await db.questions.bulkAdd(entities.questions);
    await db.attributes.bulkAdd(entities.attributes);
    await db.respondentChunks.bulkAdd(
      respondentChunks(
        projectId,
        entities.respondents,
        entities.attributes.map((a) => a.name),
      ),
    );
    await putAnswerChunks(db, answerChunks(projectId, entities.answers), 'add');
    await db.codes.bulkAdd(entities.codes);
    await db.coders.bulkAdd(entities.coders);
    await writePages(db, projectId, groupByPage(entities.codings));
    await db.memos.bulkAdd(entities.memos);
    await db.themes.bulkAdd(entities.themes);
    await db.resolutions.bulkAdd(entities.resolutions);
    await db.codebookVersions.bulkAdd(entities.codebookVersions);
    await db.rounds.bulkAdd(entities.rounds);
    if (entities.writeUp) await db.writeUp.bulkAdd(writeUpRecords(projectId, entities.writeUp));
  });
  return { projectId, name: entities.project.name };
}

function respondentChunks(projectId: string, respondents: ProjectFile['respondents'], attributeNames: string[]): RespondentChunk[] {
  const chunks: RespondentChunk[] = [];
  for (let start = 0, index = 0; start < respondents.length; start += RESPONDENT_CHUNK_SIZE, index++) {
    const slice = respondents.slice(start, start + RESPONDENT_CHUNK_SIZE);
    const attributes = nameKeyed<string[]>();
    for (const name of attributeNames) attributes[name] = slice.map((r) => ownValue(r.attributes, name) ?? '');
    chunks.push({ projectId, index, ids: slice.map((r) => r.id), attributes, waves: slice.map((r) => r.waves.slice()) });
  }
  return chunks;
}

/** Answers in file order, chunked per (question, wave) as an import stores them. */
function answerChunks(projectId: string, answers: ProjectFile['answers']): AnswerChunk[] {
  const groups = new Map<string, AnswerChunk[]>();
  const chunks: AnswerChunk[] = [];
  for (const answer of answers) {
    const key = `${answer.questionId}\u001f${answer.waveId}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    let chunk = list.at(-1);
    if (!chunk || chunk.texts.length >= ANSWER_CHUNK_SIZE) {
      chunk = { projectId, questionId: answer.questionId, waveId: answer.waveId, index: list.length, respondentIds: [], texts: [] };
      list.push(chunk);
      chunks.push(chunk);
    }
    chunk.respondentIds.push(answer.respondentId);
    chunk.texts.push(answer.text);
  }
  return chunks;
}
