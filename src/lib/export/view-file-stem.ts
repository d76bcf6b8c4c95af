/**
 * File names for what the page saves itself (the Prevalence tab's CSV and chart): the project and the filter,
 * as `exportStem` names the worker's exports, so a file found later says what it counts.
 */
import { fileNamePart } from './file-name';

/** Room for the project and the filter in a name, in UTF-8 bytes: with a suffix it stays under MAX_FILE_NAME_BYTES. */
const PROJECT_BYTES = 100;
const FILTER_BYTES = 60;

/**
 * "Mentoring-study-Wave-6-months-Role-mentee-prevalence"; "تقييم-الإرشاد-prevalence" when nothing is filtered;
 * "project-prevalence" when the project's name has nothing a file name can keep.
 */
export function viewFileStem(projectName: string, filterDescription: string, what: string): string {
  const project = fileNamePart(projectName, PROJECT_BYTES) || 'project';
  // The description's own separators ("Wave: 6 months · Role: mentee, mentor") would only add noise to a name.
  const filter = fileNamePart(filterDescription.replace(/\s*[·,;]\s*/g, ' '), FILTER_BYTES);
  return [project, filter, what].filter(Boolean).join('-');
}
