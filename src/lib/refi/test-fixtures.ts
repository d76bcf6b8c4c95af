/**
 * A small project that exercises every part of the .qdpx mapping: emoji and
 * other characters outside the BMP before spans, accents (precomposed and
 * combining), Windows line ends inside answers and descriptions, XML's
 * special characters in names, slug and UUID ids, nested codes, whole-answer
 * codings, two codes on one span, an exemplar, a coding accepted from the assistant's suggestions, memos on each kind of target,
 * a respondent without answers and themes (one without codes).
 */
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange/envelope';
import type { ProjectFile } from '../exchange/project-file';
import { answerId } from '../model/types';

export const RA1 = answerId('q-rewards', 'baseline', 'R001');
export const RA2 = answerId('q-rewards', 'baseline', 'R002');
export const RA3 = answerId('q-rewards', '6-months', 'R001');
export const RA4 = answerId('q-barriers', 'baseline', 'R002');
export const RA5 = answerId('q-barriers', '6-months', 'R001');

export const RTEXTS: Record<string, string> = {
  [RA1]: 'Meeting my mentor 🙂 every week kept me going.\nThanks!',
  [RA2]: 'Too little time.\r\nNot enough funding either.\r\n',
  [RA3]: 'Nguyễn helped me find a lab 🧪🔬 — café «Zoë» & <friends>.',
  [RA4]: 'N/A',
  [RA5]: 'Tab\there; e\u0301 combining; 𝒳 math; end',
};

const T0 = Date.UTC(2025, 2, 1, 9, 30);
const UUID_CODE = '2b7e1516-28ae-4d2a-8f3c-9a1b2c3d4e5f';
const UUID_CODER = '0f0e0d0c-0b0a-4908-8706-050403020100';

/** Code points of `needle` in `haystack` as [start, end). */
export function span(haystack: string, needle: string): [number, number] {
  const at = haystack.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in ${haystack}`);
  const start = Array.from(haystack.slice(0, at)).length;
  return [start, start + Array.from(needle).length];
}

export function refiProject(): ProjectFile {
  const [m1s, m1e] = span(RTEXTS[RA1], 'every week');
  const [t2s, t2e] = span(RTEXTS[RA2], 'Not enough funding');
  const [c3s, c3e] = span(RTEXTS[RA3], 'café «Zoë»');
  const [l3s, l3e] = span(RTEXTS[RA3], 'lab 🧪🔬');
  const [x5s, x5e] = span(RTEXTS[RA5], '𝒳 math');
  return {
    format: PROJECT_FORMAT,
    version: EXCHANGE_VERSION,
    exportedAt: '2025-03-02T10:00:00.000Z',
    project: { id: 'p-refi', name: 'AIMMS “évaluation” <2025> & co', createdAt: T0, updatedAt: T0 + 86_400_000 },
    waves: [
      { id: 'baseline', name: 'Baseline', order: 0, importedAt: T0, sourceFile: 'baseline.csv', sourceFormat: 'qualtrics' },
      { id: '6-months', name: '6 months', order: 1, importedAt: T0 + 1000, sourceFile: 'six.csv', sourceFormat: 'csv' },
    ],
    questions: [
      { id: 'q-rewards', key: 'Q5', label: 'Rewards', text: 'What kept you going?', order: 0 },
      { id: 'q-barriers', key: 'Q6', label: 'Barriers', text: 'What got in the way?\r\nBe specific.', order: 1 },
    ],
    attributes: [
      { name: 'role', order: 0, values: ['Mentee', 'Mentor'] },
      { name: 'institution', order: 1, values: ['Université de Montréal', 'Nguyễn & “Partners”'] },
    ],
    respondents: [
      { id: 'R001', attributes: { role: 'Mentee', institution: 'Université de Montréal' }, waves: ['baseline', '6-months'] },
      { id: 'R002', attributes: { role: 'Mentor', institution: 'Nguyễn & “Partners”' }, waves: ['baseline'] },
      { id: 'R003', attributes: { role: 'Mentee' }, waves: ['baseline'] },
    ],
    answers: [RA1, RA2, RA4, RA3, RA5].map((id) => {
      const [questionId, waveId, respondentId] = id.split('\u001f');
      return { id, questionId, waveId, respondentId, text: RTEXTS[id] };
    }),
    codes: [
      {
        id: 'support',
        parentId: null,
        name: 'Support & <care>',
        color: '#009e73',
        definition: 'Help received.\r\nAny kind 🤝.',
        inclusion: 'Named people.',
        exclusion: 'Money — see “Funding”.',
        example: 'My mentor kept me going.',
        order: 0,
      },
      {
        id: 'support-mentor',
        parentId: 'support',
        name: 'Mentor',
        color: '#d55e00',
        definition: '',
        inclusion: '',
        exclusion: '',
        example: 'Weekly meetings.',
        order: 0,
      },
      {
        id: UUID_CODE,
        parentId: 'support-mentor',
        name: 'Weekly',
        color: '#1f78b4',
        definition: 'See the Example: mid-line is not a label.',
        inclusion: '',
        exclusion: 'Monthly.',
        example: '',
        order: 1,
      },
      { id: 'funding', parentId: null, name: 'Funding', color: '#b85c93', definition: '', inclusion: '', exclusion: '', example: '', order: 2 },
      { id: 'place', parentId: null, name: 'Place', color: '#b07a00', definition: 'Where it happened.', inclusion: '', exclusion: '', example: '', order: 5 },
    ],
    coders: [
      { id: 'coder-alice', name: 'Alice Ångström', color: '#1f78b4' },
      { id: UUID_CODER, name: 'Bob', color: '#cc6677' },
    ],
    codings: [
      { id: 'c1', answerId: RA1, codeId: 'support-mentor', coderId: 'coder-alice', start: m1s, end: m1e, createdAt: T0 + 1 },
      { id: 'c2', answerId: RA1, codeId: UUID_CODE, coderId: UUID_CODER, start: m1s, end: m1e, createdAt: T0 + 2, exemplar: true },
      { id: 'c3', answerId: RA1, codeId: 'support', coderId: 'coder-alice', start: null, end: null, createdAt: T0 + 3 },
      { id: 'c4', answerId: RA2, codeId: 'funding', coderId: UUID_CODER, start: t2s, end: t2e, createdAt: T0 + 4 },
      { id: '9d1c7c4e-1111-4abc-8def-000000000005', answerId: RA3, codeId: 'place', coderId: 'coder-alice', start: c3s, end: c3e, createdAt: T0 + 5 },
      { id: 'c6', answerId: RA3, codeId: 'support', coderId: 'coder-alice', start: l3s, end: l3e, createdAt: T0 + 6 },
      { id: 'c7', answerId: RA4, codeId: 'funding', coderId: 'coder-alice', start: 0, end: 3, createdAt: T0 + 7 },
      { id: 'c8', answerId: RA4, codeId: 'place', coderId: 'coder-alice', start: null, end: null, createdAt: T0 + 8, suggested: true },
      { id: 'c9', answerId: RA5, codeId: 'place', coderId: UUID_CODER, start: x5s, end: x5e, createdAt: T0 + 9 },
    ],
    memos: [
      {
        id: 'm1',
        target: { kind: 'answer', id: RA2 },
        text: 'Check with the PI.\r\nFunding 💸 came later.',
        coderId: 'coder-alice',
        coderName: 'Alice Ångström',
        createdAt: T0 + 10,
        updatedAt: T0 + 20,
      },
      {
        id: 'm2',
        target: { kind: 'respondent', id: 'R001' },
        text: 'Switched labs in year 2.',
        coderId: UUID_CODER,
        coderName: 'Bob',
        createdAt: T0 + 11,
        updatedAt: T0 + 11,
      },
      {
        id: 'm3',
        target: { kind: 'code', id: 'support' },
        text: 'Split into mentor / peer?',
        coderId: 'guest',
        coderName: 'A guest',
        createdAt: T0 + 12,
        updatedAt: T0 + 13,
      },
    ],
    themes: [
      {
        id: 'theme-growth',
        name: 'Personal & professional growth',
        description: 'Reported together.',
        codeIds: ['support', 'place'],
        withSubcodes: true,
        order: 0,
      },
      { id: 'theme-empty', name: 'To do', description: '', codeIds: [], withSubcodes: false, order: 1 },
    ],
  };
}
