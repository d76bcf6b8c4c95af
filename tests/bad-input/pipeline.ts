/**
 * The real pipelines a hostile file goes through, run against fake-indexeddb,
 * and the coded project every case starts from.
 *
 * Each runner calls the same library functions, in the same order, as the
 * worker or state class that handles the file in the app (named on each
 * runner). The workers themselves are not imported: they post messages and
 * open the app's own database on load. The runners return what the user
 * would be told rather than throwing, so a case can assert on the message.
 */
import { strToU8 } from 'fflate';
import { buildBatch, checkFileSize, proposePlan, readSource, validatePlan } from '../../src/lib/import';
import { ImportError } from '../../src/lib/import/types';
import { commitImport, type ImportSummary, type ImportTarget } from '../../src/lib/db/commit-import';
import { checkStorageRoom, estimateStoredBytes } from '../../src/lib/db/storage-room';
import { commitChange } from '../../src/lib/db/coding-store';
import { addCodes } from '../../src/lib/db/codebook';
import { exportProjectFile } from '../../src/lib/db/exchange-store';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { freshDatabase } from '../../src/lib/db/test-helpers';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { flattenCodebook, parseCodebookJson, CodebookError } from '../../src/lib/codebook/codebook-json';
import { emptyChange } from '../../src/lib/coding/change';
import { sealExchange } from '../../src/lib/exchange';
import { answerId, newId, type Code, type Coding } from '../../src/lib/model/types';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { FromAnalysisWorker } from '../../src/workers/analysis-protocol';
import { handleExchangeRequest } from '../../src/workers/exchange-handler';
import type { FromExchangeWorker } from '../../src/workers/exchange-protocol';

/** What the user is told, or what was stored. */
export type Outcome =
  | { kind: 'refused'; message: string }
  /** The import preview listed problems and the Import button stays disabled (nothing is written). */
  | { kind: 'problems'; message: string }
  /** Nothing was stored yet: the app asks the user first (a coder file under their own coder id). */
  | { kind: 'asked'; message: string }
  | { kind: 'accepted'; message: string; detail?: unknown };

export const ANA = { id: 'ana', name: 'Ana', color: '#2454a6' };
export const BEN = { id: 'ben', name: 'Ben', color: '#a63d24' };

/** The survey the coded project was imported from (through the same pipeline as the cases). */
export const FIXTURE_CSV = [
  'id,role,pair,What rewarded you?,What was hard?',
  'M01,mentee,P1,"Meeting my mentor 🙂 every week kept me going.",Too little time to meet as often as we hoped.',
  'M02,mentor,P1,"Seeing M01 grow, and learning from them too.","Scheduling, mostly, with both our teaching loads"',
  'M03,mentee,P2,Nguyễn helped me find a lab 🧪.,N/A',
  'M04,mentor,P2,"Shared background: we both moved countries.",Funding for travel to the annual meeting was never confirmed',
].join('\r\n');

export interface Fixture {
  db: CodebenchDatabase;
  projectId: string;
  waveId: string;
  /** Question ids, in column order. */
  questionIds: string[];
  /** answer id of (question index, respondent id). */
  answer: (question: number, respondent: string) => string;
}

/**
 * A database holding one coded project: 4 respondents × 2 questions, two codes
 * with a subcode, whole-answer and passage codings by two coders (one an
 * exemplar), an undo history, memos, a theme and an adjudication.
 */
export async function codedProject(): Promise<Fixture> {
  const db = freshDatabase();
  const outcome = await importSurvey(db, strToU8(FIXTURE_CSV), 'baseline.csv', { kind: 'new', name: 'AIMMS mentoring' }, 'Baseline');
  if (outcome.kind !== 'accepted') throw new Error(`The fixture survey did not import: ${outcome.message}`);
  const projectId = (outcome.detail as ImportSummary).projectId;
  const overview = (await loadProjectOverview(db, projectId))!;
  const waveId = overview.waves[0].id;
  const questionIds = overview.questions.map((q) => q.id);
  if (questionIds.length !== 2) throw new Error(`The fixture survey should give 2 questions, not ${questionIds.length}`);
  const answer = (question: number, respondent: string) => answerId(questionIds[question], waveId, respondent);
  const code = (id: string, name: string, parentId: string | null, order: number): Code => ({
    projectId,
    id,
    parentId,
    name,
    color: '#aa3300',
    definition: `About ${name}.`,
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  });
  const codes = [code('rewards', 'Rewards', null, 0), code('rewards-growth', 'Growth', 'rewards', 0), code('challenges', 'Challenges', null, 1)];
  let n = 0;
  const coding = (coder: string, q: number, respondent: string, codeId: string, span: [number, number] | null = null, exemplar = false): Coding => ({
    projectId,
    id: `k${++n}`,
    answerId: answer(q, respondent),
    codeId,
    coderId: coder,
    start: span?.[0] ?? null,
    end: span?.[1] ?? null,
    createdAt: 1_000 + n,
    ...(exemplar ? { exemplar: true } : {}),
  });
  const codings = [
    coding('ana', 0, 'M01', 'rewards', [0, 17], true),
    coding('ana', 0, 'M02', 'rewards-growth'),
    coding('ana', 1, 'M01', 'challenges'),
    coding('ben', 0, 'M01', 'rewards'),
    coding('ben', 1, 'M02', 'challenges', [0, 10]),
  ];
  await commitChange(db, projectId, { label: 'Add codes', forward: { ...emptyChange(), putCodes: codes }, inverse: { ...emptyChange(), deleteCodes: codes } });
  await commitChange(db, projectId, {
    label: 'Code answers',
    forward: { ...emptyChange(), putCodings: codings },
    inverse: { ...emptyChange(), deleteCodings: codings },
  });
  const theme = {
    projectId,
    id: 'theme-1',
    name: 'Growth through mentoring',
    description: 'Rewards and growth',
    codeIds: ['rewards'],
    withSubcodes: true,
    order: 0,
  };
  await commitChange(db, projectId, {
    label: 'Add a theme',
    forward: { ...emptyChange(), putThemes: [theme] },
    inverse: { ...emptyChange(), deleteThemes: [theme] },
  });
  await db.coders.bulkPut([
    { projectId, ...ANA },
    { projectId, ...BEN },
  ]);
  await db.memos.bulkPut([
    {
      projectId,
      id: 'memo-1',
      target: { kind: 'answer', id: answer(0, 'M01') },
      text: 'Weekly meetings 🙂',
      coderId: 'ana',
      coderName: 'Ana',
      createdAt: 10,
      updatedAt: 11,
    },
    {
      projectId,
      id: 'memo-2',
      target: { kind: 'code', id: 'rewards' },
      text: 'Broad on purpose',
      coderId: 'ana',
      coderName: 'Ana',
      createdAt: 12,
      updatedAt: 12,
    },
  ]);
  await db.resolutions.put({
    projectId,
    answerId: answer(1, 'M02'),
    decision: 'second',
    coderIds: ['ana', 'ben'],
    codeIds: ['challenges'],
    resolvedBy: 'Ana',
    at: 20,
  });
  return { db, projectId, waveId, questionIds, answer };
}

/** The fixture project as a project file (JSON text, sealed with its checksum), what "Share → Project file" writes before gzip. */
export async function fixtureProjectText(fixture: Fixture): Promise<string> {
  return new TextDecoder().decode(await sealExchange(await exportProjectFile(fixture.db, fixture.projectId, '2026-12-01T00:00:00.000Z')));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A survey file through the import worker's path (src/workers/import-worker.ts,
 * `read` then `commit`): checkFileSize → readSource → proposePlan → validatePlan;
 * the preview's problems block the import, as the dialog does; then buildBatch →
 * checkStorageRoom → commitImport (one transaction). The worker reports an
 * ImportError's message as it is and wraps any other error.
 */
export async function importSurvey(db: CodebenchDatabase, bytes: Uint8Array, fileName: string, target: ImportTarget, waveName?: string): Promise<Outcome> {
  try {
    checkFileSize(bytes.length, fileName);
    const table = await readSource(bytes, fileName);
    const proposed = proposePlan(table, waveName ? { waveName } : {});
    const plan = waveName ? { ...proposed, waveName } : proposed;
    const problems = validatePlan(table, plan);
    if (problems.length > 0) return { kind: 'problems', message: problems.join('\n') };
    const batch = buildBatch(table, plan);
    checkStorageRoom(estimateStoredBytes(batch.answers.flatMap((g) => g.texts)), undefined);
    const summary = await commitImport(db, batch, target, { fileName: table.fileName, format: table.format });
    return { kind: 'accepted', message: [...table.notes].join('\n'), detail: { ...summary, table, plan } };
  } catch (error) {
    if (error instanceof ImportError) return { kind: 'refused', message: error.message };
    return { kind: 'refused', message: `The import failed: ${messageOf(error)}. Nothing was stored.` };
  }
}

/**
 * A project or coder file through the exchange worker's own handler
 * (src/workers/exchange-handler.ts, what exchange-worker.ts runs): an `import`
 * request with the intent the user chose it under — "Open a project file…" on
 * the start page, or "Import a coder file…" in the open project as Ana.
 */
export async function openExchangeFile(
  db: CodebenchDatabase,
  bytes: Uint8Array,
  intent: { kind: 'project' } | { kind: 'coder'; projectId: string; localCoder: { id: string; name: string } },
): Promise<Outcome> {
  const replies: FromExchangeWorker[] = [];
  await handleExchangeRequest(
    db,
    {
      type: 'import',
      requestId: 1,
      file: new Blob([bytes as BlobPart]),
      intent: intent.kind,
      projectId: intent.kind === 'coder' ? intent.projectId : null,
      localCoder: intent.kind === 'coder' ? intent.localCoder : null,
      asCopy: false,
      ownCoderConfirmed: false,
    },
    (message) => replies.push(message),
  );
  const reply = replies.find((r) => r.type !== 'progress');
  switch (reply?.type) {
    case 'error':
      return { kind: 'refused', message: reply.message };
    case 'project-exists':
      return { kind: 'refused', message: `This project (“${reply.name}”) is already in this browser.` };
    case 'own-coder-file':
      return {
        kind: 'asked',
        message: `${reply.fileCoderName}'s file carries your coder id: ${reply.codings} codings and ${reply.memos} memos would be added as yours.`,
      };
    case 'coder-imported':
      return { kind: 'accepted', message: reply.warnings.join('\n'), detail: reply };
    case 'project-imported':
      return { kind: 'accepted', message: [`Restored “${reply.name}”.`, ...reply.warnings].join('\n'), detail: reply };
    default:
      return { kind: 'refused', message: `no reply from the exchange handler (${reply?.type})` };
  }
}

/**
 * A codebook JSON file loaded into the open project: what
 * AppState.#addCodebook does (src/lib/state/app.svelte.ts): parseCodebookJson →
 * flattenCodebook → refuse top-level names already taken → store the codes. The
 * state class stores them through the workspace's undoable change; here
 * db/codebook's addCodes stores them (same clash rule, one transaction).
 */
export async function loadCodebook(db: CodebenchDatabase, projectId: string, text: string): Promise<Outcome> {
  try {
    const codebook = parseCodebookJson(text);
    const codes = flattenCodebook(codebook, projectId, () => newId());
    const added = await addCodes(db, projectId, codes);
    return { kind: 'accepted', message: `${added} codes added`, detail: codes };
  } catch (error) {
    return { kind: 'refused', message: error instanceof CodebookError ? `This codebook can't be loaded: ${error.message}` : messageOf(error) };
  }
}

/**
 * REFI-QDA files through the analysis worker's handler (src/workers/analysis-handler.ts,
 * the same AnalysisSession the worker runs): `import-qdpx` restores a .qdpx as a
 * project; `read-qdc` reads a codebook for the open project.
 */
export async function openRefiFile(db: CodebenchDatabase, projectId: string, bytes: Uint8Array, fileName: string): Promise<Outcome> {
  const session = new AnalysisSession(db);
  const file = new Blob([bytes as BlobPart]);
  const { message } = fileName.endsWith('.qdc')
    ? await session.handle({ type: 'read-qdc', requestId: 1, projectId, version: 0, file, fileName })
    : await session.handle({ type: 'import-qdpx', requestId: 1, file, fileName, asCopy: false });
  return refiOutcome(message);
}

function refiOutcome(message: FromAnalysisWorker): Outcome {
  switch (message.type) {
    case 'error':
      return { kind: 'refused', message: message.message };
    case 'project-exists':
      return { kind: 'refused', message: `This project (“${message.name}”) is already in this browser.` };
    case 'qdc':
      return { kind: 'accepted', message: message.warnings.join('\n'), detail: message };
    case 'qdpx-imported':
      return { kind: 'accepted', message: [...message.report.kept, ...message.report.dropped, ...message.report.warnings].join('\n'), detail: message };
    default:
      return { kind: 'refused', message: `unexpected reply ${message.type}` };
  }
}
