/**
 * The Change tab over a table whose split values share a label (a blank value and a value written "(no value)"
 * both read "(no value)"): every column group is drawn, keyed by position, not by label.
 */
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import ChangeTab from '../../src/ui/analysis/change-tab.svelte';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import type { Wave } from '../../src/lib/model/types';
import type { TransitionsResult } from '../../src/workers/analysis-protocol';

const WAVES: Wave[] = [
  { projectId: 'p', id: 'a', name: 'Baseline', order: 0, importedAt: 0, sourceFile: 'a.csv', sourceFormat: 'generic' },
  { projectId: 'p', id: 'b', name: '6 months', order: 1, importedAt: 0, sourceFile: 'b.csv', sourceFormat: 'generic' },
];
const counts = (n: number) => ({ answeredBoth: n, kept: 1, gained: 0, lost: 0, never: n - 1 });

describe('ChangeTab', () => {
  it('draws split values that share a label as columns of their own', () => {
    const analysis = new AnalysisState(() => ({ onmessage: null, postMessage() {}, terminate() {} }));
    const data: TransitionsResult = {
      kind: 'transitions',
      options: { targets: 'codes', coders: { kind: 'all' }, questionId: null, waveA: 'a', waveB: 'b', splitBy: 'role' },
      waveAName: 'Baseline',
      waveBName: '6 months',
      splitBy: 'role',
      splitValues: ['', '(no value)'],
      splitLabels: ['(no value)', '(no value)'],
      rows: [{ key: 'code:time', target: { kind: 'code', codeId: 'time' }, label: 'Time', overall: counts(5), groups: [counts(2), counts(3)] }],
      basis: 'All answers.',
      filterLabel: '',
    };
    analysis.writeUp.transitions = { data, requestId: 1, ms: 1, key: 'k' };
    render(ChangeTab, { analysis, waves: WAVES, attributes: [], depthOf: () => 0 });
    const table = screen.getByTestId('transitions');
    expect([...table.querySelectorAll('thead th.outer')].map((th) => th.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      'All answered both: 5',
      '(no value) answered both: 2',
      '(no value) answered both: 3',
    ]);
    expect(within(table).getAllByTestId('transitions-cell')).toHaveLength(12);
  });
});
