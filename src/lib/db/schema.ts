/**
 * The one Dexie schema of Codebench. Every change to a store or an index is a
 * new `version(n)` below, with its upgrade function and a migration test in
 * `schema.test.ts`. Change store names and keys only with a migration.
 *
 * Layout, and why: IndexedDB costs about 50–70 µs per record in Chromium
 * whatever its size, so rows that are read together are stored together.
 * Answers live in chunks of up to ANSWER_CHUNK_SIZE per (question, wave), and
 * respondents in columnar chunks of RESPONDENT_CHUNK_SIZE: 100k respondents ×
 * 8 questions is ~260 records rather than 900,000. Measured here (800k answers,
 * fresh profile): 5,000 answers a record wrote in 0.9–1.1 s and read in 0.19 s,
 * 1,000 a record 1.4 s and 0.55 s, 250 a record 1.9 s and 1.3 s.
 */
import Dexie, { type Table, type Transaction } from 'dexie';
import type { Attribute, Code, CodebookVersion, Coder, Coding, Project, Question, Resolution, Round, Theme, Wave, WriteUpSettings } from '../model/types';
import type { Change } from '../coding/change';
import { groupByPage, splitPageKey } from '../coding/coding-pages';

export const DATABASE_NAME = 'codebench';
export const ANSWER_CHUNK_SIZE = 5000;
export const RESPONDENT_CHUNK_SIZE = 1000;

/** Up to RESPONDENT_CHUNK_SIZE respondents, stored column-wise. */
export interface RespondentChunk {
  projectId: string;
  index: number;
  ids: string[];
  /** attribute name → value per respondent ("" when unknown). */
  attributes: Record<string, string[]>;
  /** wave ids each respondent has answered in. */
  waves: string[][];
}

/** Up to ANSWER_CHUNK_SIZE non-blank answers to one question in one wave. */
export interface AnswerChunk {
  projectId: string;
  questionId: string;
  waveId: string;
  index: number;
  respondentIds: string[];
  texts: string[];
}

/**
 * An answer chunk without its texts: the same key and respondents as the
 * `answerChunks` record it copies, written with it (answer-chunks.ts). What
 * needs only which answers exist (the analysis worker's open) reads these,
 * ~1/10 of the bytes at survey sizes, and reads texts per question later.
 */
export interface AnswerKeyChunk {
  projectId: string;
  questionId: string;
  waveId: string;
  index: number;
  respondentIds: string[];
}

/** The codings of one question whose answer ids hash to one bucket (see coding-pages.ts). */
export interface CodingPage {
  projectId: string;
  questionId: string;
  bucket: number;
  codings: Coding[];
}

/** A memo: on an answer, a respondent or a code. */
export interface Memo {
  projectId: string;
  id: string;
  target: { kind: 'answer' | 'respondent' | 'code'; id: string };
  text: string;
  coderId: string;
  coderName: string;
  createdAt: number;
  updatedAt: number;
}

/** One undoable step; `undone` entries above the last done one can be redone. */
export interface HistoryEntry {
  projectId: string;
  seq: number;
  label: string;
  at: number;
  forward: Change;
  inverse: Change;
  undone: boolean;
}

export type Key2 = [string, string];

/**
 * Something derived from a project's stored data (the counts summary, the analysis index), kept so that opening the
 * project need not read everything to show it. Valid only while the project's `revision` is the one it was made
 * from: every write that changes answers, respondents, codes or codings gives the project a new revision in the
 * same transaction (revision.ts), so a stale record is never used, only replaced (derived-store.ts).
 */
export interface DerivedRecord {
  projectId: string;
  key: string;
  revision: string;
  value: unknown;
}

/**
 * The team a project syncs with (issue 17, docs/sync.md): the relay, the team's id and key, and who this browser
 * codes as in it. The key stays on this machine, like the answers; the relay never receives it.
 */
export interface TeamRecord {
  projectId: string;
  teamId: string;
  relayUrl: string;
  /** The team key, 32 bytes. */
  key: Uint8Array;
  /** 'lead' made the team; 'member' sees everyone's codings; 'blind' codes a round blind until the lead reveals it. */
  role: 'lead' | 'member' | 'blind';
  /** The round a blind coder was invited to. */
  roundId?: string;
  /** The coder this browser codes as in the team. */
  coderId: string;
  joinedAt: number;
  /** Off: this browser neither sends nor receives until the coder connects again. */
  paused?: boolean;
}

/**
 * One space's outer document (the sealed log: ciphertext only) as this browser last held it, so work done offline
 * is sent when the connection returns and a reload need not fetch everything again.
 */
export interface SyncSpaceRecord {
  projectId: string;
  space: string;
  /** Y.encodeStateAsUpdate of the outer document. */
  state: Uint8Array;
  savedAt: number;
}

/**
 * A local write of a team project, kept in the same transaction as the write itself until the team's spaces hold it
 * sealed and kept (state/sync.svelte.ts): a reload or a crash in between cannot lose it for the team.
 */
export interface SyncOutboxRecord {
  seq?: number;
  projectId: string;
  /** What was written (state/coding.svelte.ts LocalWrite): plain data. */
  write: {
    change?: Change;
    memo?: Memo;
    memoDeleted?: { id: string; coderId: string };
    coder?: Coder;
  };
}

/** Pseudonyms per record: 100k respondents are 10 records, read together with the settings. */
export const PSEUDONYM_CHUNK_SIZE = 10_000;

/**
 * How a project's quotes are published (write-up-store.ts), kept out of the project record so the project list
 * never reads it: the settings (key "settings"), and the pseudonyms given under each role attribute in chunks
 * (key "pseudonyms", U+001F, the attribute, U+001F, the chunk's index).
 */
export type WriteUpRecord =
  | { projectId: string; key: 'settings'; kind: 'settings'; settings: WriteUpSettings }
  | { projectId: string; key: string; kind: 'pseudonyms'; roleAttribute: string; index: number; ids: string[]; labels: string[] };

/** Version 1's stores, kept so the migration tests can build a version-1 database. */
export const SCHEMA_V1 = {
  projects: 'id, updatedAt',
  waves: '[projectId+id], projectId',
  questions: '[projectId+id], projectId',
  attributes: '[projectId+name], projectId',
  respondentChunks: '[projectId+index], projectId',
  answerChunks: '[projectId+questionId+waveId+index], projectId, [projectId+questionId]',
  codes: '[projectId+id], projectId',
  coders: '[projectId+id], projectId',
  codings: '[projectId+id], projectId, [projectId+answerId], [projectId+codeId]',
};

/** What version 2 changed, kept so the migration tests can build a version-2 database. */
export const SCHEMA_V2_CHANGES = {
  codings: null,
  codingPages: '[projectId+questionId+bucket], projectId, [projectId+questionId]',
  memos: '[projectId+id], projectId',
  history: '[projectId+seq], projectId',
};

/** What version 3 changed. */
export const SCHEMA_V3_CHANGES = {
  resolutions: '[projectId+answerId], projectId',
};

/** What version 6 changed. */
export const SCHEMA_V6_CHANGES = {
  writeUp: '[projectId+key], projectId',
};

/** What version 7 changed. */
export const SCHEMA_V7_CHANGES = {
  answerKeys: '[projectId+questionId+waveId+index], projectId, [projectId+questionId]',
};

/** What version 8 changed. */
export const SCHEMA_V8_CHANGES = {
  derived: '[projectId+key], projectId',
};

/** What version 9 changed. */
export const SCHEMA_V9_CHANGES = {
  teams: 'projectId',
  syncSpaces: '[projectId+space], projectId',
  syncOutbox: '++seq, projectId',
};

/** What version 5 changed. */
export const SCHEMA_V5_CHANGES = {
  rounds: '[projectId+id], projectId',
  codebookVersions: '[projectId+id], projectId',
};

export class CodebenchDatabase extends Dexie {
  projects!: Table<Project, string>;
  waves!: Table<Wave, Key2>;
  questions!: Table<Question, Key2>;
  attributes!: Table<Attribute, Key2>;
  respondentChunks!: Table<RespondentChunk, [string, number]>;
  answerChunks!: Table<AnswerChunk, [string, string, string, number]>;
  answerKeys!: Table<AnswerKeyChunk, [string, string, string, number]>;
  codes!: Table<Code, Key2>;
  coders!: Table<Coder, Key2>;
  codingPages!: Table<CodingPage, [string, string, number]>;
  memos!: Table<Memo, Key2>;
  history!: Table<HistoryEntry, [string, number]>;
  resolutions!: Table<Resolution, Key2>;
  themes!: Table<Theme, Key2>;
  rounds!: Table<Round, Key2>;
  codebookVersions!: Table<CodebookVersion, Key2>;
  writeUp!: Table<WriteUpRecord, Key2>;
  derived!: Table<DerivedRecord, Key2>;
  teams!: Table<TeamRecord, string>;
  syncSpaces!: Table<SyncSpaceRecord, Key2>;
  syncOutbox!: Table<SyncOutboxRecord, number>;

  constructor(name = DATABASE_NAME) {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    // v2: codings move from one record each into pages per (question, bucket);
    // memos and the undo history get stores of their own.
    this.version(2).stores(SCHEMA_V2_CHANGES).upgrade(moveCodingsIntoPages);
    // v3: adjudications of disagreements between coders, one per answer.
    this.version(3).stores(SCHEMA_V3_CHANGES);
    // v4: themes (named sets of codes) for the write-up.
    this.version(4).stores({
      themes: '[projectId+id], projectId',
    });
    // v5: double-coding rounds and the codebook versions they were coded with.
    this.version(5).stores(SCHEMA_V5_CHANGES);
    // v6: how quotes are published: pseudonyms, the redaction list and the spans kept (issue 13).
    this.version(6).stores(SCHEMA_V6_CHANGES);
    // v7: a text-less copy of every answer chunk, so opening Analysis need not read every text (issue 15).
    this.version(7).stores(SCHEMA_V7_CHANGES).upgrade(copyAnswerKeys);
    // v8: what is derived from a project's data (counts, the analysis index), valid for one revision (issue 15).
    this.version(8).stores(SCHEMA_V8_CHANGES);
    // v9: team sync through a relay (issue 17): the project's team, and each space's sealed log as last synced.
    this.version(9).stores(SCHEMA_V9_CHANGES);
  }
}

async function moveCodingsIntoPages(tx: Transaction) {
  const old = await tx.table<Coding>('codings').toArray();
  const byProject = new Map<string, Coding[]>();
  for (const coding of old) {
    const list = byProject.get(coding.projectId) ?? [];
    list.push(coding);
    byProject.set(coding.projectId, list);
  }
  const pages: CodingPage[] = [];
  for (const [projectId, codings] of byProject) {
    for (const [key, list] of groupByPage(codings)) {
      const { questionId, bucket } = splitPageKey(key);
      pages.push({ projectId, questionId, bucket, codings: list });
    }
  }
  await tx.table<CodingPage>('codingPages').bulkPut(pages);
}

/** Fills `answerKeys` from the answer chunks already stored, one chunk at a time (never every text at once). */
export async function copyAnswerKeys(tx: Transaction) {
  const keys: AnswerKeyChunk[] = [];
  await tx
    .table<AnswerChunk>('answerChunks')
    .each(({ projectId, questionId, waveId, index, respondentIds }) => keys.push({ projectId, questionId, waveId, index, respondentIds }));
  await tx.table<AnswerKeyChunk>('answerKeys').bulkPut(keys);
}

/** Every table that holds a project's data, for whole-project transactions (delete, import). */
export function projectTables(db: CodebenchDatabase) {
  return [
    db.projects,
    db.waves,
    db.questions,
    db.attributes,
    db.respondentChunks,
    db.answerChunks,
    db.answerKeys,
    db.codes,
    db.coders,
    db.codingPages,
    db.memos,
    db.history,
    db.resolutions,
    db.themes,
    db.rounds,
    db.codebookVersions,
    db.writeUp,
    db.derived,
    db.teams,
    db.syncSpaces,
    db.syncOutbox,
  ];
}
