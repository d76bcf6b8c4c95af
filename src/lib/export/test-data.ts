/** A small project for the export tests, with emoji, a multi-line answer and hostile texts. */
import type { ExchangeCode } from '../exchange/records';
import { answerId, ASSISTANT_CODER_ID, CONSENSUS_CODER_ID } from '../model/types';
import fc from 'fast-check';
import type { CoderSelection, ExportCoding, ExportSource } from './source';
import type { LongExportOptions } from './csv-long';
import type { ColumnPlacement } from './csv-long-columns';
import { ProjectLookup } from './project-lookup';
import type { AnswerChunkKey, AnswerChunkReader, AnswerTextChunk } from './csv-long-stream';

export const A1 = answerId('q-rewards', 'baseline', 'R1');
export const A2 = answerId('q-rewards', 'baseline', 'R2');
export const A3 = answerId('q-rewards', '6-months', 'R1');
export const A4 = answerId('q-barriers', 'baseline', 'R3');
export const A5 = answerId('q-barriers', 'baseline', 'R1');

export const TEXTS: Record<string, string> = {
  [A1]: 'Meeting my mentor 🙂 every week kept me going.\nThanks!',
  [A2]: 'Too little time, "really".',
  [A3]: 'Nguyễn helped me find a lab 🧪🔬.',
  [A4]: '=HYPERLINK("http://evil.example","click")',
  [A5]: '-5 funding cuts',
};

function code(id: string, name: string, parentId: string | null, order: number, extra: Partial<ExchangeCode> = {}): ExchangeCode {
  return { id, parentId, name, color: '#333333', definition: '', inclusion: '', exclusion: '', example: '', order, ...extra };
}

export function sampleSource(): ExportSource {
  return {
    project: { name: 'AIMMS <pilot> & co' },
    waves: [
      { id: '6-months', name: '6 months', order: 1 },
      { id: 'baseline', name: 'Baseline', order: 0 },
    ],
    questions: [
      { id: 'q-barriers', key: 'Q6', label: 'Barriers', order: 1 },
      { id: 'q-rewards', key: 'Q5', label: 'Rewards', order: 0 },
    ],
    attributes: [
      { name: 'institution', order: 1, values: ['Uni A'] },
      { name: 'role', order: 0, values: ['mentee', 'mentor'] },
    ],
    respondents: [
      { id: 'R1', attributes: { role: 'mentee', institution: 'Uni A' } },
      { id: 'R2', attributes: { role: 'mentor' } },
      { id: 'R3', attributes: {} },
    ],
    answers: [A5, A4, A3, A2, A1].map((id) => {
      const [questionId, waveId, respondentId] = id.split('\u001f');
      return { id, questionId, waveId, respondentId, text: TEXTS[id] };
    }),
    codes: [
      code('barriers', 'Barriers', null, 1, { definition: 'What got in the way.' }),
      code('barriers-time', 'Time', 'barriers', 0, { inclusion: 'Mentions time | workload', exclusion: 'Money', example: '“too little time”' }),
      code('rewards', 'Rewards', null, 0, { definition: 'What was rewarding.\nAny kind.' }),
      code('rewards-mentor', 'Mentor <script>alert(1)</script>', 'rewards', 1),
      code('rewards-career', 'Career', 'rewards', 0),
    ],
    coders: [
      { id: 'alice', name: 'Alice' },
      { id: 'bob', name: 'Bob' },
      { id: 'consensus', name: 'Consensus' },
    ],
    codings: [
      { id: 'k1', answerId: A1, codeId: 'rewards-mentor', coderId: 'alice', start: 0, end: 17, exemplar: true },
      { id: 'k2', answerId: A1, codeId: 'rewards-mentor', coderId: 'bob', start: 0, end: 17, suggested: true },
      { id: 'k3', answerId: A3, codeId: 'rewards-career', coderId: 'alice', start: 28, end: 30, exemplar: true },
      { id: 'k4', answerId: A2, codeId: 'barriers-time', coderId: 'alice', start: null, end: null, exemplar: true },
      { id: 'k5', answerId: A4, codeId: 'barriers', coderId: 'consensus', start: null, end: null },
      { id: 'k6', answerId: A2, codeId: 'rewards', coderId: 'bob', start: null, end: null },
    ],
    themes: [
      { id: 't2', name: 'Obstacles', description: 'Time & money.', codeIds: ['barriers-time'], withSubcodes: false, order: 1 },
      { id: 't1', name: 'Growth <b>', description: 'Personal & professional development.', codeIds: ['rewards'], withSubcodes: true, order: 0 },
    ],
  };
}

/** A minimal RFC 4180 reader, to check that what we write reads back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

export interface StoredChunk extends AnswerChunkKey, AnswerTextChunk {}

/** Answers stored as chunks of `size` per (question, wave), as an import stores them, with the reads counted. */
export function storeChunks(source: ExportSource, size: number, leaveOut: (id: string) => boolean = () => false) {
  const chunks: StoredChunk[] = [];
  const open = new Map<string, StoredChunk>();
  const counts = new Map<string, number>();
  for (const answer of source.answers) {
    if (leaveOut(answer.id)) continue;
    const group = `${answer.questionId}\u001f${answer.waveId}`;
    let chunk = open.get(group);
    if (!chunk || chunk.texts.length >= size) {
      const index = counts.get(group) ?? 0;
      counts.set(group, index + 1);
      chunk = { questionId: answer.questionId, waveId: answer.waveId, index, respondentIds: [], texts: [] };
      open.set(group, chunk);
      chunks.push(chunk);
    }
    (chunk.respondentIds as string[]).push(answer.respondentId);
    (chunk.texts as string[]).push(answer.text);
  }
  const reads: AnswerChunkKey[] = [];
  const reader: AnswerChunkReader = {
    keys: async () => chunks.map(({ questionId, waveId, index }) => ({ questionId, waveId, index })).reverse(),
    read: async (key) => {
      reads.push(key);
      await Promise.resolve();
      const found = chunks.find((c) => c.questionId === key.questionId && c.waveId === key.waveId && c.index === key.index);
      return found && { respondentIds: [...found.respondentIds], texts: [...found.texts] };
    },
  };
  return { chunks, reader, reads };
}

/** What the long CSV properties vary besides the answers: respondents, codings as tuples, chunk size and options. */
export const LONG_PROJECT = {
  respondents: fc.uniqueArray(fc.constantFrom('R1', 'R2', 'R3', 'R4', '=R5', 'R,6', 'R7'), { minLength: 1 }),
  codings: fc.array(
    fc.tuple(
      fc.nat(30),
      fc.constantFrom('rewards', 'barriers-time', 'rewards-mentor', 'gone'),
      fc.constantFrom('alice', 'bob', CONSENSUS_CODER_ID, 'carol', ASSISTANT_CODER_ID),
      fc.option(fc.tuple(fc.nat(6), fc.nat(6))),
      fc.boolean(),
      fc.boolean(),
    ),
    { maxLength: 40 },
  ),
  size: fc.integer({ min: 1, max: 4 }),
  bom: fc.boolean(),
  neutraliseFormulas: fc.boolean(),
  coder: fc.constantFrom<CoderSelection | undefined>(undefined, 'any', 'consensus', { coderId: 'bob' }),
  rename: fc.boolean(),
  rowsPerChunk: fc.integer({ min: 1, max: 5 }),
  prefetch: fc.integer({ min: 1, max: 4 }),
};

type LongProject = { [K in keyof typeof LONG_PROJECT]: (typeof LONG_PROJECT)[K] extends fc.Arbitrary<infer T> ? T : never };

/** The respondents, some with attributes (one a formula, one with a comma). */
export function respondentsOf(ids: readonly string[]): { id: string; attributes: Record<string, string> }[] {
  return ids.map((id, i) => ({ id, attributes: i % 3 ? { role: i % 2 ? 'mentor' : '=mentee', institution: 'Uni, A' } : ({} as Record<string, string>) }));
}

/** The codings of the tuples on these answers; most are of the answers, every 30th index names one the project lacks. */
export function codingsOf(tuples: LongProject['codings'], answers: readonly { id: string }[]): ExportCoding[] {
  return tuples.map(([a, codeId, coderId, span, exemplar, suggested], i) => ({
    id: `c${i % 7}`,
    answerId: a === 30 || answers.length === 0 ? answerId('q-rewards', 'baseline', 'nobody') : answers[a % answers.length].id,
    codeId,
    coderId,
    start: span ? Math.min(...span) : null,
    end: span ? Math.max(...span) : null,
    ...(exemplar ? { exemplar: true } : {}),
    ...(suggested ? { suggested: true } : {}),
  }));
}

/** The long CSV's options a property drew, respondents renamed (when drawn) to distinct names. */
export function longOptionsOf(
  p: Pick<LongProject, 'bom' | 'neutraliseFormulas' | 'coder' | 'rename'>,
  respondents: readonly { id: string }[],
): LongExportOptions & { bom: boolean; neutraliseFormulas: boolean } {
  const names = new Map(respondents.map((r, i) => [r.id, `P${respondents.length - i}`]));
  return {
    bom: p.bom,
    neutraliseFormulas: p.neutraliseFormulas,
    ...(p.coder ? { coder: p.coder } : {}),
    ...(p.rename ? { renameRespondent: (id: string) => names.get(id) ?? 'Respondent' } : {}),
  };
}

/** A random project (LONG_PROJECT with answers) as a source, its answers stored in display order as an import stores them. */
export function displayOrderedSource(p: {
  respondents: readonly string[];
  codings: LongProject['codings'];
  answers: readonly (readonly [string, string, number, string])[];
}): ExportSource {
  const base = sampleSource();
  const respondents = respondentsOf(p.respondents);
  const seen = new Set<string>();
  const unordered = p.answers
    .map(([questionId, waveId, r, text]) => {
      const respondentId = respondents[r % respondents.length].id;
      return { id: answerId(questionId, waveId, respondentId), questionId, waveId, respondentId, text };
    })
    .filter((a) => !seen.has(a.id) && seen.add(a.id));
  const answers = new ProjectLookup({ ...base, respondents, answers: unordered }).orderedAnswers().slice();
  return { ...base, respondents, answers, codings: codingsOf(p.codings, answers) };
}

/** Each coding's answer as its position among the chunks' answers, as the analysis worker knows it; -1 where none. */
export function placementOf(source: ExportSource, chunks: ReturnType<typeof storeChunks>['chunks']): ColumnPlacement {
  const at = new Map<string, number>();
  let n = 0;
  for (const c of chunks) for (const r of c.respondentIds) at.set(answerId(c.questionId, c.waveId, r), n++);
  return { columns: chunks, positions: Int32Array.from(source.codings, (c) => at.get(c.answerId) ?? -1) };
}
