import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AnswerRow from '../../src/ui/project/answer-row.svelte';
import type { Code } from '../../src/lib/model/types';
import { answerId as makeAnswerId } from '../../src/lib/model/types';

const ANSWER = makeAnswerId('q-rewards', 'baseline', 'M01');

function code(id: string, name: string): Code {
  return { projectId: 'p1', id, parentId: null, name, color: '#1f78b4', definition: '', inclusion: '', exclusion: '', example: '', order: 0 };
}
const codeById = new Map([code('c-rew', 'Rewards'), code('c-emp', 'Empathy')].map((c) => [c.id, c]));

function setup(extra: Record<string, unknown> = {}) {
  const onaccept = vi.fn();
  const onreject = vi.fn();
  render(AnswerRow, {
    row: { position: 0, respondentId: 'M01', waveId: 'baseline', text: 'I get to give back.' },
    answerId: ANSWER,
    waveName: 'Baseline',
    attributes: [],
    codings: [],
    codeById,
    coderName: () => 'Ana',
    focused: false,
    onfocus: vi.fn(),
    onselect: vi.fn(),
    onremove: vi.fn(),
    onaccept,
    onreject,
    ...extra,
  });
  return { onaccept, onreject };
}

describe('suggestion chips on an answer', () => {
  it('shows no suggestion area when the assistant has nothing to suggest', () => {
    setup();
    expect(screen.queryByTestId('suggestions')).toBeNull();
    expect(screen.queryByTestId('queue-pick')).toBeNull();
  });

  it('shows each suggested code with its confidence, apart from the codings, and accepts or rejects one by click', async () => {
    const { onaccept, onreject } = setup({
      suggestions: [
        { codeId: 'c-rew', probability: 0.824 },
        { codeId: 'c-emp', probability: 0.51 },
      ],
    });
    const chips = screen.getAllByTestId('suggestion-chip');
    expect(chips.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Rewards 82% ×', 'Empathy 51% ×']);
    // Suggestions are not codings: the coded list stays empty.
    expect(screen.queryAllByTestId('coding-chip')).toHaveLength(0);
    expect(within(chips[0]).getByTestId('suggestion-accept')).toHaveAccessibleName('Accept the suggested Rewards, 82% sure');
    await userEvent.click(within(chips[0]).getByTestId('suggestion-accept'));
    expect(onaccept).toHaveBeenCalledWith(['c-rew']);
    await userEvent.click(within(chips[1]).getByTestId('suggestion-reject'));
    expect(onreject).toHaveBeenCalledWith(['c-emp']);
  });

  it('says on a coding that it was accepted from a suggestion', () => {
    const coding = (suggested?: boolean) => ({
      projectId: 'p1',
      id: suggested ? 's' : 'h',
      answerId: ANSWER,
      codeId: suggested ? 'c-rew' : 'c-emp',
      coderId: 'ana',
      start: null,
      end: null,
      createdAt: 1,
      ...(suggested ? { suggested } : {}),
    });
    setup({ codings: [coding(true), coding()] });
    const details = screen.getAllByTestId('coding-detail').map((d) => d.textContent?.replace(/\s+/g, ' ').trim());
    expect(details).toEqual(['whole answer · Ana · suggested', 'whole answer · Ana']);
  });

  it('says why the answer is in the "next to code" queue', () => {
    setup({ queuePick: 'random' });
    expect(screen.getByTestId('queue-pick').textContent).toMatch(/at random/);
  });
});
