/**
 * File names for what the page saves itself (the Prevalence tab's CSV and chart): the project and the filter,
 * as `exportStem` names the worker's exports, so a file found later says what it counts.
 */
import { slugify } from '../model/types';

/** "study-wave-6-months-role-mentee-prevalence"; "study-prevalence" when nothing is filtered. */
export function viewFileStem(projectName: string, filterDescription: string, what: string): string {
  const project = (projectName.trim() && slugify(projectName).slice(0, 60)) || 'project';
  const filter = filterDescription.trim() ? slugify(filterDescription).slice(0, 50) : '';
  return [project, filter, what].filter(Boolean).join('-');
}
