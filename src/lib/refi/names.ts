/**
 * Names and values shared by the writer and the reader of .qdpx files: the
 * variables that carry an answer's question, wave and respondent, the extras
 * file, and the question and wave other tools' documents are filed under.
 */

/** `origin` written into our files; a file whose origin starts with it is treated as Codebench's own. */
export const CODEBENCH_ORIGIN = 'Codebench';
/**
 * `origin` of our files written for NVivo (CR LF, UTF-16 offsets): reading one
 * back converts them again rather than taking them as code points.
 */
export const CODEBENCH_NVIVO_ORIGIN = 'Codebench (for NVivo)';

/**
 * Variables on each answer's `<TextSource>` holding the ids of its question,
 * wave and respondent, so the answer's place is recoverable from the .qde
 * alone, whatever tool the file passed through.
 */
export const ANSWER_VARIABLES = {
  question: 'Question',
  wave: 'Wave',
  respondent: 'Respondent',
} as const;

/**
 * Variables on each answer's `<TextSource>` describing its question and wave
 * for people (and for the way back when codebench.json was lost): REFI gives
 * sources variable values, and tools keep them as document attributes.
 */
export const ANSWER_DETAIL_VARIABLES = {
  questionKey: 'Question key',
  questionLabel: 'Question label',
  questionText: 'Question text',
  waveName: 'Wave name',
} as const;

/** Every variable Codebench writes on answers (none of them a respondent's attribute). */
export const ANSWER_VARIABLE_NAMES: ReadonlySet<string> = new Set([...Object.values(ANSWER_VARIABLES), ...Object.values(ANSWER_DETAIL_VARIABLES)]);

/** The attribute naming the document sets (REFI `<Set>`s of sources) an imported text belongs to. */
export const DOCUMENT_SET_ATTRIBUTE = 'Document set';

/** The extras file at the root of our .qdpx (extras.ts). */
export const EXTRAS_FILE = 'codebench.json';

/** Where other tools' text sources go: one question, one wave per file. */
export const IMPORTED_QUESTION = { id: 'imported-documents', label: 'Imported documents' } as const;
export const IMPORTED_WAVE = { id: 'imported', name: 'Imported' } as const;

/** Format of `sourceFormat` on the wave of an imported file. */
export const REFI_SOURCE_FORMAT = 'refi-qda';

/** Shortens a text to `max` code points, ending with "…" when cut (selection names). */
export function excerpt(text: string, max = 60): string {
  // Only the head is looked at: selections may be long.
  const flat = text
    .slice(0, max * 4)
    .replace(/\s+/g, ' ')
    .trim();
  const cps = Array.from(flat);
  const cut = cps.length > max || text.length > max * 4;
  return cut ? cps.slice(0, max).join('').trimEnd() + '…' : flat;
}

/** Milliseconds as the xsd:dateTime REFI uses (UTC, with milliseconds). */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** An xsd:dateTime as milliseconds; a value without a zone is read as UTC. Undefined when unreadable. */
export function parseDateTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}
