import { describe, expect, it } from 'vitest';
import { viewFileStem } from './view-file-stem';

describe('viewFileStem', () => {
  it('names the project and the filter, as the exports do', () => {
    expect(viewFileStem('Mentoring study', 'Wave: 6 months · role: mentee', 'prevalence')).toMatch(/^mentoring-study-wave-6-months-role-mentee-prevalence$/);
    expect(viewFileStem('Mentoring study', '', 'prevalence')).toBe('mentoring-study-prevalence');
    expect(viewFileStem('', '', 'prevalence')).toBe('project-prevalence');
  });
});
