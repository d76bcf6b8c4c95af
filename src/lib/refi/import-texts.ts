/**
 * The texts of an imported project's sources: read from the archive (or the
 * XML), decoded, and checked — a source whose text is missing, external or
 * blank is reported with the codings it held — and the Codebench variables
 * (Question, Wave, Respondent) that say where an answer of ours belongs.
 */
import { isBlank } from '../import/blank';
import { ANSWER_VARIABLES } from './names';
import { TextPositions } from './offset-quirks';
import type { RefiTextSource } from './refi-model';
import type { ReportBuilder } from './report';
import { decodeSourceText } from './text-decode';

/** A text file looked up by a `plainTextPath`: its bytes, or why there are none. */
export type TextLookup = (plainTextPath: string) => { bytes: Uint8Array } | { missing: 'external' | 'not-found' };

export interface Loaded {
  source: RefiTextSource;
  positions: TextPositions;
  /** The question, wave and respondent from Codebench's variables, when present. */
  place?: { questionId: string; waveId: string; respondentId: string };
}

/** Reads and decodes every text source; drops (and reports) those without readable, non-blank text. */
export function loadTexts(
  input: { refi: { sources: readonly RefiTextSource[] }; lookup: TextLookup },
  variableNames: Map<string, string>,
  r: ReportBuilder,
): Loaded[] {
  const out: Loaded[] = [];
  let boms = 0;
  let utf16 = 0;
  const notUtf8: string[] = [];
  for (const source of input.refi.sources) {
    const codingCount = source.codings.length + source.selections.reduce((n, s) => n + s.codings.length, 0);
    const lost = (key: string, one: string, many: string) => {
      r.drop(key, one, many, 1, source.name);
      r.drop('lostCodings', 'coding of those sources', 'codings of those sources', codingCount);
    };
    let raw: string;
    if (source.plainTextContent !== undefined) {
      raw = source.plainTextContent;
    } else if (source.plainTextPath !== undefined) {
      const found = input.lookup(source.plainTextPath);
      if ('missing' in found) {
        if (found.missing === 'external')
          lost('external', 'text source stored outside the .qdpx (an external file)', 'text sources stored outside the .qdpx (external files)');
        else lost('missing', 'text source whose text file is missing from the archive', 'text sources whose text files are missing from the archive');
        continue;
      }
      const decoded = decodeSourceText(found.bytes);
      raw = decoded.text;
      if (decoded.warning === 'bom') boms++;
      if (decoded.warning === 'utf-16') utf16++;
      if (decoded.warning === 'not-utf-8') notUtf8.push(source.name ?? source.guid);
    } else {
      lost('noText', 'text source with neither text nor a text file', 'text sources with neither text nor a text file');
      continue;
    }
    if (isBlank(raw)) {
      lost('blank', 'text source with no text (blank)', 'text sources with no text (blank)');
      continue;
    }
    const values = new Map(source.values.map((v) => [variableNames.get(v.variableGuid), v.value]));
    const q = values.get(ANSWER_VARIABLES.question);
    const w = values.get(ANSWER_VARIABLES.wave);
    const resp = values.get(ANSWER_VARIABLES.respondent);
    // The ids must be usable as parts of an answer id (no U+001F), or the source is filed as a document.
    const place = q && w && resp && [q, w, resp].every((x) => !x.includes('\u001f')) ? { questionId: q, waveId: w, respondentId: resp } : undefined;
    out.push({ source, positions: new TextPositions(raw), place });
  }
  if (boms > 0)
    r.warn(`${boms === 1 ? '1 text file starts' : `${boms} text files start`} with a byte-order mark; it was removed and is not counted in offsets.`);
  if (utf16 > 0) r.warn(`${utf16 === 1 ? '1 text file is' : `${utf16} text files are`} UTF-16 rather than UTF-8; it was read as UTF-16.`);
  if (notUtf8.length > 0)
    r.warn(
      `${notUtf8.length === 1 ? '1 text file is' : `${notUtf8.length} text files are`} not UTF-8 (${notUtf8
        .slice(0, 3)
        .map((n) => JSON.stringify(n))
        .join(', ')}); read as Windows-1252. Check accented letters.`,
    );
  return out;
}
