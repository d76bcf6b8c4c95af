import { describe, expect, it } from 'vitest';
import { viewFileStem } from './view-file-stem';

describe('viewFileStem', () => {
  it('names the project and the filter, as the exports do', () => {
    expect(viewFileStem('Mentoring study', 'Wave: 6 months · Role: mentee, mentor', 'prevalence')).toBe(
      'Mentoring-study-Wave-6-months-Role-mentee-mentor-prevalence',
    );
    expect(viewFileStem('Mentoring study', '', 'prevalence')).toBe('Mentoring-study-prevalence');
    expect(viewFileStem('', '', 'prevalence')).toBe('project-prevalence');
    expect(viewFileStem('???', '', 'prevalence')).toBe('project-prevalence');
  });

  it('keeps the letters of any script', () => {
    expect(viewFileStem('تقييم الإرشاد', '', 'codings')).toBe('تقييم-الإرشاد-codings');
    expect(viewFileStem('Łódź', 'Wave: חורף', 'prevalence')).toBe('Łódź-Wave-חורף-prevalence');
  });

  it('stays well under the file name limit however long the names', () => {
    const stem = viewFileStem('تقييم الإرشاد '.repeat(40), 'Role: '.repeat(50), 'answers-by-code');
    expect(new TextEncoder().encode(`${stem}-raw.csv`).length).toBeLessThanOrEqual(200);
  });
});
