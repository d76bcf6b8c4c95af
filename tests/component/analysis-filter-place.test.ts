import { describe, expect, it } from 'vitest';
import { AnalysisFilter } from '../../src/lib/state/analysis-filter.svelte';

const shape = { waves: [{ id: 'w1', order: 0 }], attributes: [{ name: 'role', order: 0 }], questions: [{ id: 'q1' }] };
const filter = { questionIds: null, waveIds: ['w1'], attributes: [{ name: 'role', values: ['mentee'] }] };

describe('AnalysisFilter.place (the filter bar from the URL)', () => {
  it('waits for its project to open when the bar shows another, then opens with it', () => {
    const bar = new AnalysisFilter();
    let changes = 0;
    bar.onchange = () => changes++;
    bar.place('p1', filter, { kind: 'consensus' });
    expect(bar.waveIds).toBeNull();
    bar.open('p1', shape);
    expect(bar.projectId).toBe('p1');
    expect(bar.filter).toEqual(filter);
    expect(bar.coders).toEqual({ kind: 'consensus' });
    expect(changes).toBe(0);
  });

  it('shows a new place at once for the open project, asks again only when it differs, and no coding set means the default', () => {
    const bar = new AnalysisFilter();
    bar.open('p1', shape);
    let changes = 0;
    bar.onchange = () => changes++;
    bar.place('p1', filter, null);
    expect(bar.filter).toEqual(filter);
    expect(bar.coders).toEqual({ kind: 'all' });
    expect(changes).toBe(1);
    bar.place('p1', filter, null);
    expect(changes).toBe(1);
  });
});
