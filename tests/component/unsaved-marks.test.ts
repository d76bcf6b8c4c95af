import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import AnswerRow from '../../src/ui/project/answer-row.svelte';
import MemoPanel from '../../src/ui/project/memo-panel.svelte';
import type { Code, Coding } from '../../src/lib/model/types';
import type { Memo } from '../../src/lib/db/schema';
import { answerId } from '../../src/lib/model/types';

// Issue 10 §1: what the database has not taken is marked on screen, never shown as saved.

const ANSWER = answerId('q1', 'baseline', 'R07');
const code: Code = {
  projectId: 'p',
  id: 'c1',
  parentId: null,
  name: 'Rewards',
  color: '#1f78b4',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
};
const coding = (id: string): Coding => ({ projectId: 'p', id, answerId: ANSWER, codeId: 'c1', coderId: 'ana', start: null, end: null, createdAt: 1 });
const memo = (id: string, text: string): Memo => ({
  projectId: 'p',
  id,
  target: { kind: 'answer', id: ANSWER },
  text,
  coderId: 'ana',
  coderName: 'Ana',
  createdAt: 1,
  updatedAt: 1,
});

describe('not saved, on screen', () => {
  it('marks an unsaved coding chip, and only that one', () => {
    render(AnswerRow, {
      row: { position: 0, respondentId: 'R07', waveId: 'baseline', text: 'It helped' },
      answerId: ANSWER,
      waveName: 'Baseline',
      attributes: [],
      codings: [coding('saved'), coding('pending')],
      codeById: new Map([[code.id, code]]),
      coderName: () => 'Ana',
      focused: false,
      onfocus: vi.fn(),
      onselect: vi.fn(),
      onremove: vi.fn(),
      unsaved: new Set(['pending']),
    });
    const chips = screen.getAllByTestId('coding-chip');
    expect(chips.map((chip) => within(chip).queryByTestId('coding-unsaved')?.textContent ?? null)).toEqual([null, 'Not saved']);
  });

  it('marks an unsaved memo', () => {
    render(MemoPanel, {
      memos: [memo('m1', 'Stored note'), memo('m2', 'Pending note')],
      label: 'Memo',
      currentCoderId: 'ana',
      onsave: async () => true,
      onremove: vi.fn(),
      unsaved: new Set(['m2']),
    });
    const memos = screen.getAllByTestId('memo');
    expect(memos.map((m) => within(m).queryByTestId('memo-unsaved') !== null)).toEqual([false, true]);
  });
});
