/**
 * The filter bar on its own: multi-select lists with "All", short question names with the full text on hover,
 * Escape closing a list with focus back on it, the one-line scope, one-click clear, and blind mode's one coder.
 */
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import FilterBar from '../../src/ui/analysis/filter-bar.svelte';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import type { Attribute, Coder, Question, Wave } from '../../src/lib/model/types';
import { BLIND_CODER_CONTEXT } from '../../src/ui/analysis/labels';

const WAVES: Wave[] = [
  { projectId: 'p', id: 'six', name: '6 months', order: 1, importedAt: 0, sourceFile: 'b.csv', sourceFormat: 'generic' },
  { projectId: 'p', id: 'base', name: 'Baseline', order: 0, importedAt: 0, sourceFile: 'a.csv', sourceFormat: 'generic' },
];
const QUESTIONS: Question[] = [
  { projectId: 'p', id: 'q1', key: 'Q1', label: 'Expectations', text: 'What are your expectations of the scheme?', order: 0, answerCounts: {} },
  { projectId: 'p', id: 'q2', key: 'Q2', label: 'Rewards', text: 'What have been the rewards?', order: 1, answerCounts: {} },
];
const ATTRIBUTES: Attribute[] = [{ projectId: 'p', name: 'role', order: 0, values: ['mentor', 'mentee'] }];
const CODERS: Coder[] = [{ projectId: 'p', id: 'ana', name: 'Ana', color: '#000000' }];

function setup() {
  const analysis = new AnalysisState(() => ({ onmessage: null, postMessage() {}, terminate() {} }));
  let changes = 0;
  const onchange = analysis.filter.onchange;
  analysis.filter.onchange = () => {
    changes++;
    onchange();
  };
  render(FilterBar, { analysis, coders: CODERS, questions: QUESTIONS, waves: WAVES, attributes: ATTRIBUTES });
  return { analysis, changes: () => changes, user: userEvent.setup() };
}

describe('FilterBar', () => {
  it('chooses questions and waves, names them in one line, and clears in one click', async () => {
    const { analysis, changes, user } = setup();
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: All answers · All coders');
    expect(screen.getByTestId('filter-clear')).toBeDisabled();

    const questions = screen.getByTestId('filter-questions');
    await user.click(questions.querySelector('summary')!);
    // Short names, the full wording on hover.
    expect(within(questions).getByText('Q2').closest('label')).toHaveAttribute('title', 'What have been the rewards?');
    await user.click(within(questions).getByRole('checkbox', { name: 'Q1' }));
    expect(analysis.filter.questionIds).toEqual(['q2']);
    // Ticking every one again is "All", so questions added later are in.
    await user.click(within(questions).getByRole('checkbox', { name: 'Q1' }));
    expect(analysis.filter.questionIds).toBeNull();
    await user.click(within(questions).getByRole('checkbox', { name: 'Q1' }));

    const waves = screen.getByTestId('filter-waves');
    await user.click(waves.querySelector('summary')!);
    // Waves in the project's order, not the order given.
    expect(
      within(waves)
        .getAllByRole('checkbox')
        .map((b) => b.closest('label')!.textContent!.trim()),
    ).toEqual(['All waves', 'Baseline', '6 months']);
    await user.click(within(waves).getByRole('checkbox', { name: 'Baseline' }));
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: Question: Q2 · Wave: 6 months · All coders');
    expect(changes()).toBe(4);

    await user.click(screen.getByTestId('filter-clear'));
    expect(analysis.filter.isEmpty).toBe(true);
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: All answers · All coders');
  });

  it('closes a list with Escape and gives focus back to it', async () => {
    const { user } = setup();
    const waves = screen.getByTestId('filter-waves') as HTMLDetailsElement;
    const summary = waves.querySelector('summary')!;
    // Enter on a <summary> opens it in browsers; jsdom only follows a click.
    await user.click(summary);
    expect(waves.open).toBe(true);
    await user.tab();
    expect(within(waves).getByRole('checkbox', { name: 'All waves' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(waves.open).toBe(false);
    expect(summary).toHaveFocus();
  });

  it('closes a list when the focus leaves it', async () => {
    const { user } = setup();
    const questions = screen.getByTestId('filter-questions') as HTMLDetailsElement;
    await user.click(questions.querySelector('summary')!);
    expect(questions.open).toBe(true);
    // All, Q1, Q2, then out to the waves.
    await user.tab();
    await user.tab();
    await user.tab();
    expect(within(questions).getByRole('checkbox', { name: 'Q2' })).toHaveFocus();
    expect(questions.open).toBe(true);
    await user.tab();
    expect(screen.getByTestId('filter-waves').querySelector('summary')).toHaveFocus();
    expect(questions.open).toBe(false);
  });

  it('filters respondents by an attribute’s values in natural order, with (no value), and takes the condition away', async () => {
    const { analysis, user } = setup();
    await user.selectOptions(screen.getByTestId('filter-add-attribute'), 'role');
    const role = screen.getByTestId('filter-attribute-role');
    // A condition with no values yet keeps everyone: it does not read "None".
    expect(role.querySelector('summary')).toHaveTextContent('role Choose values…');
    expect(role.querySelector('summary .label')).toHaveAttribute('dir', 'auto');
    await user.click(role.querySelector('summary')!);
    expect(
      within(role)
        .getAllByRole('checkbox')
        .map((b) => b.closest('label')!.textContent!.trim()),
    ).toEqual(['mentee', 'mentor', '(no value)']);
    await user.click(within(role).getByRole('checkbox', { name: '(no value)' }));
    await user.click(within(role).getByRole('checkbox', { name: 'mentee' }));
    expect(analysis.filter.attributes).toEqual([{ name: 'role', values: ['mentee', ''] }]);
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('role: mentee, (no value)');
    await user.click(screen.getByRole('button', { name: 'Stop filtering by role' }));
    expect(analysis.filter.attributes).toEqual([]);
    expect(screen.queryByTestId('filter-attribute-role')).toBeNull();
  });

  it('the coding set is one choice for every tab', async () => {
    const { analysis, user } = setup();
    await user.selectOptions(screen.getByTestId('filter-coders'), 'coder:ana');
    expect(analysis.filter.coders).toEqual({ kind: 'coder', coderId: 'ana' });
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('All answers · Ana’s codings');
  });
});

describe('FilterBar in blind mode', () => {
  it('counts "Your codings", never another coder, the Final set or all coders', async () => {
    const analysis = new AnalysisState(() => ({ onmessage: null, postMessage() {}, terminate() {} }));
    const coders: Coder[] = [...CODERS, { projectId: 'p', id: 'ben', name: 'Ben', color: '#111111' }];
    for (const choice of [{ kind: 'final' }, { kind: 'all' }, { kind: 'coder', coderId: 'ben' }] as const) {
      analysis.filter.coders = choice;
      const { unmount } = render(FilterBar, {
        props: { analysis, coders, questions: QUESTIONS, waves: WAVES, attributes: ATTRIBUTES },
        context: new Map([[BLIND_CODER_CONTEXT, () => 'ana']]),
      });
      const scope = screen.getByTestId('filter-scope');
      expect(scope).toHaveTextContent('Counting: All answers · Your codings');
      expect(scope.textContent).not.toMatch(/Ben|Ana|Final|All coders/);
      unmount();
    }
  });
});
