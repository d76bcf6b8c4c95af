/** Small, valid documents for the exchange tests. */
import { answerId } from '../model/types';
import type { CoderFileInput } from './coder-file';
import type { ProjectFileInput } from './project-file';

export const A1 = answerId('q-rewards', 'baseline', 'R001');
export const A2 = answerId('q-rewards', 'baseline', 'R002');
export const A3 = answerId('q-rewards', '6-months', 'R001');
export const A4 = answerId('q-barriers', 'baseline', 'R002');

export const TEXTS: Record<string, string> = {
  [A1]: 'Meeting my mentor 🙂 every week kept me going.\nThanks!',
  [A2]: 'Too little time.\r\nNot enough funding either.',
  [A3]: 'Nguyễn helped me find a lab 🧪🔬.',
  [A4]: 'N/A',
};

export const T0 = Date.UTC(2025, 2, 1, 9, 30);

export function sampleCoderFile(): CoderFileInput {
  return {
    exportedAt: '2025-03-01T09:30:00.000Z',
    project: { id: 'p-1', name: 'AIMMS evaluation' },
    coder: { id: 'coder-alice', name: 'Alice', color: '#1f78b4' },
    codebook: [
      {
        id: 'support',
        parentId: null,
        name: 'Support',
        color: '#009e73',
        definition: 'Help received.\r\nAny kind 🤝.',
        inclusion: '',
        exclusion: '',
        example: '',
        order: 0,
      },
      {
        id: 'support-mentor',
        parentId: 'support',
        name: 'Mentor',
        color: '#0088a8',
        definition: '',
        inclusion: 'Names the mentor',
        exclusion: '',
        example: '“my mentor”',
        order: 0,
      },
      {
        id: 'barriers',
        parentId: null,
        name: 'Barriers',
        color: '#d55e00',
        definition: '',
        inclusion: '',
        exclusion: '',
        example: '',
        order: 1,
      },
    ],
    codings: [
      { id: 'k-2', answerId: A2, codeId: 'barriers', coderId: 'coder-alice', start: null, end: null, createdAt: T0 + 2 },
      { id: 'k-1', answerId: A1, codeId: 'support-mentor', coderId: 'coder-alice', start: 0, end: 17, createdAt: T0 + 1 },
      { id: 'k-3', answerId: A3, codeId: 'support', coderId: 'coder-alice', start: 28, end: 30, createdAt: T0 + 3 },
    ],
    memos: [
      {
        id: 'm-1',
        target: { kind: 'answer', id: A1 },
        text: 'Weekly 🙂\r\nmeetings',
        coderId: 'coder-alice',
        coderName: 'Alice',
        createdAt: T0,
        updatedAt: T0 + 10,
      },
    ],
    answerFingerprints: {},
  };
}

export function sampleProjectFile(): ProjectFileInput {
  return {
    exportedAt: '2025-03-02T10:00:00.000Z',
    project: { id: 'p-1', name: 'AIMMS evaluation', createdAt: T0 - 1000, updatedAt: T0 },
    waves: [
      { id: 'baseline', name: 'Baseline', order: 0, importedAt: T0 - 900, sourceFile: 'baseline.csv', sourceFormat: 'qualtrics' },
      { id: '6-months', name: '6 months', order: 1, importedAt: T0 - 800, sourceFile: 'six.csv', sourceFormat: 'plain' },
    ],
    questions: [
      { id: 'q-rewards', key: 'Q5', label: 'Rewards', text: 'What was rewarding?', order: 0 },
      { id: 'q-barriers', key: 'Q6', label: 'Barriers', text: 'What got in the way?', order: 1 },
    ],
    attributes: [
      { name: 'role', order: 0, values: ['mentee', 'mentor'] },
      { name: 'institution', order: 1, values: ['Uni B', 'Uni A'] },
    ],
    respondents: [
      { id: 'R002', attributes: { role: 'mentor', institution: 'Uni A' }, waves: ['baseline'] },
      { id: 'R001', attributes: { role: 'mentee' }, waves: ['6-months', 'baseline'] },
    ],
    answers: [A2, A1, A3, A4].map((id) => {
      const [questionId, waveId, respondentId] = id.split('\u001f');
      return { id, questionId, waveId, respondentId, text: TEXTS[id] };
    }),
    codes: sampleCoderFile().codebook,
    coders: [{ id: 'coder-alice', name: 'Alice', color: '#1f78b4' }],
    codings: sampleCoderFile().codings,
    memos: sampleCoderFile().memos,
  };
}
