/**
 * Filtering answers by an attribute called "constructor" or "__proto__" finds
 * the respondents with that value, and a respondent without one has none
 * (the respondents' table here is a plain object, as a worker message gives it).
 */
import { describe, expect, it } from 'vitest';
import { AnswerView } from '../../src/lib/state/answer-view.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { ProjectState } from '../../src/lib/state/project.svelte';
import { database } from '../../src/lib/db/database';
import { withPositions } from '../../src/lib/db/projects';
import { render } from '@testing-library/svelte';
import FilterBar from '../../src/ui/project/filter-bar.svelte';

describe('AnswerView filters by attributes named like Object.prototype members', () => {
  it('matches own values only', () => {
    const project = new ProjectState(database);
    project.projectId = 'p';
    project.questionId = 'q1';
    project.answers = { respondentIds: ['E01', 'E02', 'E03'], waveIds: ['b', 'b', 'b'], texts: ['one', 'two', 'three'] };
    project.respondents = withPositions({
      ids: ['E01', 'E02', 'E03'],
      attributes: JSON.parse('{"__proto__":["Uni A","","Uni A"],"constructor":["mentee","mentor",""]}') as Record<string, string[]>,
      waves: [['b'], ['b'], ['b']],
    });
    const coder = new CoderState();
    const view = new AnswerView(project, new CodingWorkspace(database, coder), coder);
    expect(project.attributeOf('E03', 'toString')).toBe('');
    view.setAttribute('constructor', 'mentee');
    expect(view.visible).toEqual([0]);
    view.setAttribute('__proto__', 'Uni A');
    expect(view.visible).toEqual([0]);
    view.setAttribute('constructor', '');
    expect(view.visible).toEqual([0, 2]);
  });

  it('shows "Any constructor" in the filter bar until a value is chosen', () => {
    const project = new ProjectState(database);
    const coder = new CoderState();
    const view = new AnswerView(project, new CodingWorkspace(database, coder), coder);
    const attributes = ['constructor', 'toString'].map((name, order) => ({ projectId: 'p', name, order, values: ['mentee', 'mentor'] }));
    const { getByTestId } = render(FilterBar, { props: { view, waves: [], attributes, codes: [], coders: [], counts: () => 0 } });
    const select = getByTestId('filter-attribute-constructor') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(select.selectedOptions[0]?.textContent).toBe('Any constructor');
    expect((getByTestId('filter-attribute-toString') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('Any toString');
  });
});
