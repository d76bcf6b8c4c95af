/**
 * Text files that are obviously not a survey table — a web page saved as
 * .csv, JSON, XML, one of Codebench's own files — recognised from their first
 * characters, so the user hears what the file is instead of a question about
 * respondent IDs in a table parsed out of markup.
 */

/** How much of the start of a text file the checks read. */
export const NOT_A_SURVEY_SAMPLE_CHARS = 2048;

const CODEBENCH_FILES: Record<string, string> = {
  'codebench-project': 'a Codebench project file, not a survey export. Open it with “Open a project file…” on the start page.',
  'codebench-coder': 'a Codebench coder file, not a survey export. Open the project it belongs to and merge it with Share… → “Import a coder file…”.',
  'codebench-codebook': 'a Codebench codebook, not a survey export. Open the project and load it with “Load a codebook file…” in the codebook panel.',
};

const AGAIN = 'Export the survey results as CSV or Excel (.xlsx) and import that.';

/**
 * The message for a file whose text starts as `start` (already decoded, without
 * a byte-order mark) when it is plainly not a survey table; null otherwise.
 */
export function notASurveyMessage(start: string, fileName: string): string | null {
  const head = start.slice(0, NOT_A_SURVEY_SAMPLE_CHARS).trimStart();
  const file = `"${fileName}"`;
  if (/^<!doctype\s+html/i.test(head) || /^(?:<!--[\s\S]*?-->\s*)*<(?:html|head|body|meta|title|script|div|p|h1)[\s>]/i.test(head)) {
    return `${file} is a web page (HTML), not a survey export: the survey tool or the browser probably saved an error or sign-in page instead of the data. Download the export again (as CSV or Excel) and import that.`;
  }
  // A root element followed by another tag: a header cell such as "<ID>" is followed by a delimiter instead.
  if (/^<\?xml[\s?]/i.test(head) || /^<[a-z][\w:.-]*(?:\s[^>]*)?>\s*</i.test(head)) {
    if (/<html[\s>]/i.test(head)) {
      return `${file} is a web page (XHTML), not a survey export: the survey tool or the browser probably saved an error or sign-in page instead of the data. Download the export again (as CSV or Excel) and import that.`;
    }
    return `${file} is an XML document, not a survey export. ${AGAIN}`;
  }
  if (/^\{\s*(?:"|\}|$)/.test(head) || /^\[\s*(?:[{["\]]|$)/.test(head)) {
    const format = /^\{\s*"format"\s*:\s*"([^"]*)"/.exec(head)?.[1];
    const known = format === undefined ? undefined : CODEBENCH_FILES[format];
    return known ? `${file} is ${known}` : `${file} holds JSON data, not a survey table. ${AGAIN}`;
  }
  return null;
}
