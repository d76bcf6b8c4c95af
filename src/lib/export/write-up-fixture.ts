/**
 * A small AIMMS-like project for the report's tests: four mentor–mentee pairs,
 * two waves, two questions, two coders, one double-coding round with an
 * adjudication, two codebook versions and two themes. Counts are small enough
 * to check by hand (see write-up-report.test.ts).
 */
import { buildAnalysisIndex, type AnalysisIndex } from '../analysis/analysis-index';
import { ownValue } from '../model/name-keyed';
import { answerId } from '../model/types';
import type { WriteUpData, WriteUpSource } from './write-up-report';

const code = (id: string, parentId: string | null, name: string, order: number, definition = '') => ({
  id,
  parentId,
  name,
  color: '#777777',
  definition,
  inclusion: '',
  exclusion: '',
  example: '',
  order,
});

const mentees = ['m1', 'm2', 'm3', 'm4'];
const mentors = ['t1', 't2', 't3', 't4'];

export const FIXTURE_TEXTS: Record<string, string> = {
  [answerId('Q1', 'base', 'm1')]: 'My mentor listened & helped <a lot>.',
  [answerId('Q1', 'base', 'm2')]: 'ساعدني مرشدي كثيرا',
  [answerId('Q1', 'm6', 'm1')]: 'She pushed me to apply for the promotion 🎉 and I got it.',
};

function answers(): WriteUpData['answers'] {
  const out: WriteUpData['answers'] = [];
  const add = (questionId: string, waveId: string, respondentId: string) => {
    const id = answerId(questionId, waveId, respondentId);
    out.push({ id, questionId, waveId, respondentId, text: FIXTURE_TEXTS[id] ?? `Answer of ${respondentId} to ${questionId} in ${waveId}.` });
  };
  for (const r of [...mentees, ...mentors]) add('Q1', 'base', r);
  for (const r of ['m1', 'm2']) add('Q2', 'base', r);
  for (const r of ['m1', 'm2', 'm3', ...mentors]) add('Q1', 'm6', r);
  return out;
}

let codingId = 0;
const coding = (
  questionId: string,
  waveId: string,
  respondentId: string,
  codeId: string,
  coderId: string,
  extra: { start?: number; end?: number; exemplar?: boolean } = {},
) => ({
  id: `k${++codingId}`,
  answerId: answerId(questionId, waveId, respondentId),
  codeId,
  coderId,
  start: extra.start ?? null,
  end: extra.end ?? null,
  createdAt: 0,
  ...(extra.exemplar ? { exemplar: true } : {}),
});

export function writeUpData(): WriteUpData {
  codingId = 0;
  const codes = [
    code('R', null, 'Rewards', 0, 'Benefits of taking part.'),
    code('C', 'R', 'Career', 0, 'Promotion, new roles.'),
    code('S', null, 'Support', 1, 'Help given by the mentor.'),
    code('U', null, 'Unused', 2),
  ];
  const v1 = codes.filter((c) => c.id !== 'U').map((c) => (c.id === 'S' ? { ...c, definition: 'Help.' } : c));
  return {
    project: { id: 'p', name: 'AIMMS sample', createdAt: 0, updatedAt: 0 },
    waves: [
      { id: 'm6', name: '6 months', order: 1, importedAt: 0, sourceFile: 'b.csv', sourceFormat: 'csv' },
      { id: 'base', name: 'Baseline', order: 0, importedAt: 0, sourceFile: 'a.csv', sourceFormat: 'csv' },
    ],
    questions: [
      { id: 'Q2', key: 'Q2', label: 'Career', text: 'How has the programme changed your career plans?', order: 1 },
      { id: 'Q1', key: 'Q1', label: 'Support', text: 'What support did your mentor give you, and what difference did it make?', order: 0 },
    ],
    attributes: [
      { name: 'role', order: 0, values: ['Mentor', 'Mentee'] },
      { name: 'pair', order: 1, values: ['p1', 'p2', 'p3', 'p4'] },
    ],
    respondents: [
      ...mentees.map((id, i) => ({ id, attributes: { role: 'Mentee', pair: `p${i + 1}` }, waves: ['base', 'm6'] })),
      ...mentors.map((id, i) => ({ id, attributes: { role: 'Mentor', pair: `p${i + 1}` }, waves: ['base', 'm6'] })),
    ],
    answers: answers(),
    codes,
    coders: [
      { id: 'alice', name: 'Alice', color: '#000000' },
      { id: 'bob', name: 'Bob', color: '#111111' },
    ],
    codings: [
      coding('Q1', 'base', 'm1', 'S', 'alice', { exemplar: true }),
      coding('Q1', 'base', 'm2', 'S', 'alice', { exemplar: true }),
      coding('Q1', 'base', 'm3', 'C', 'alice'),
      coding('Q1', 'base', 't1', 'S', 'alice'),
      coding('Q1', 'm6', 'm1', 'C', 'alice', { start: 0, end: 42, exemplar: true }),
      coding('Q1', 'base', 'm1', 'S', 'bob'),
      coding('Q1', 'base', 'm2', 'S', 'bob'),
      coding('Q1', 'base', 'm3', 'S', 'bob'),
    ],
    themes: [
      { id: 'T1', name: 'Relationship', description: 'How mentor and mentee worked together.', codeIds: ['S'], withSubcodes: false, order: 0 },
      { id: 'T2', name: 'Rewards', description: '', codeIds: ['R'], withSubcodes: true, order: 1 },
    ],
    rounds: [
      {
        id: 'r1',
        number: 1,
        name: 'Pilot',
        createdAt: Date.UTC(2026, 0, 10),
        createdBy: 'alice',
        sample: { size: { kind: 'count', count: 4 }, seed: 7, questionIds: ['Q1'], waveIds: ['base'], strata: [{ kind: 'attribute', name: 'role' }] },
        answerIds: mentees.map((r) => answerId('Q1', 'base', r)),
        codebookVersionId: 'v1',
        coderIds: ['alice', 'bob'],
      },
    ],
    resolutions: [
      { answerId: answerId('Q1', 'base', 'm3'), decision: 'first', coderIds: ['alice', 'bob'], codeIds: ['R', 'C', 'S'], resolvedBy: 'alice', at: 0 },
    ],
    codebookVersions: [
      { id: 'v2', number: 2, label: 'After the pilot', createdAt: Date.UTC(2026, 0, 20), createdBy: 'alice', codes },
      { id: 'v1', number: 1, label: 'Round 1', createdAt: Date.UTC(2026, 0, 10), createdBy: 'alice', codes: v1 },
    ],
  };
}

/** The index of every answer with every coding, waves and questions in project order. */
export function writeUpIndex(data: WriteUpData): AnalysisIndex {
  const attributes = new Map(data.respondents.map((r) => [r.id, r.attributes]));
  return buildAnalysisIndex({
    answers: data.answers,
    attributeOf: (id, name) => ownValue(attributes.get(id), name) ?? '',
    codes: data.codes.map((c) => ({ ...c, projectId: 'p' })),
    themes: (data.themes ?? []).map((t) => ({ ...t, projectId: 'p' })),
    codings: data.codings.map((c) => ({ ...c, projectId: 'p' })),
    waveIds: [...data.waves].sort((a, b) => a.order - b.order).map((w) => w.id),
    questionIds: [...data.questions].sort((a, b) => a.order - b.order).map((q) => q.id),
  });
}

export function writeUpSource(overrides: Partial<WriteUpSource> = {}): WriteUpSource {
  const data = overrides.data ?? writeUpData();
  const roles = new Map(data.respondents.map((r) => [r.id, r.attributes.role]));
  const waves = new Map(data.waves.map((w) => [w.id, w.name]));
  return {
    data,
    index: writeUpIndex(data),
    coders: { kind: 'coder', coderId: 'alice' },
    codings: data.codings,
    attribution: (a) => `${roles.get(a.respondentId) ?? 'Respondent'} ${a.respondentId}, ${waves.get(a.waveId)}`,
    codingSet: 'Coding set: Alice',
    filter: '',
    generatedAt: new Date(Date.UTC(2026, 1, 1)),
    ...overrides,
  };
}
