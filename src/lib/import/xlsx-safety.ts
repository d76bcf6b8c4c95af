/**
 * Checks an .xlsx archive before the spreadsheet library unpacks it.
 * read-excel-file inflates every part at once into memory and trusts the zip's
 * headers, so a 1.5 MB zip bomb drove a tab to 3.2 GB before failing. Here the
 * archive gets the checks a .qdpx gets (src/lib/zip/zip-safety.ts): entry count,
 * each part's declared size and ratio, and the total, before anything is
 * inflated; then each part is inflated as a stream and discarded, stopping the
 * moment it produces more than it declared. Only an archive that passes reaches
 * the library, which then cannot inflate more than what was declared and checked.
 *
 * The XML parts are also refused if they carry a document type declaration.
 * read-excel-file ignores DTDs (an entity reference reads as its literal text,
 * so there is no XXE or entity expansion today), but Excel never writes one,
 * so a DOCTYPE means a crafted file and the next parser might honour it.
 */
import {
  BOMB_KINDS,
  checkDeclaredSizes,
  formatBytes,
  inflateEntry,
  joinChunks,
  listZipEntries,
  UnsafeZipError,
  type ZipLimits,
  type ZipProblem,
} from '../zip/zip-safety';
import { ImportError } from './types';

/**
 * Limits for a survey workbook. A real 100k-row export unpacks to a few hundred
 * MB of XML (3M cells at ~35 bytes, plus the answers' text); 1 GiB leaves room
 * for that and matches the largest CSV the import takes (MAX_IMPORT_BYTES), so
 * no file refused here would have been readable as text either. Sheet XML
 * compresses 5–30 times, a sheet of one repeated value up to ~100; 200 times
 * is beyond any real part but far below a bomb's 1,000+. A workbook has tens of
 * parts, hundreds with many sheets and pictures, so 10,000 is generous.
 */
export const XLSX_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
};

const WORKBOOK_PART = 'xl/workbook.xml';
const isXmlPart = (name: string) => /\.(xml|rels|vml)$/i.test(name);

export interface CheckedXlsx {
  /** The workbook part (sheet names), inflated during the check; absent if the archive has none. */
  workbook: Uint8Array | undefined;
}

/**
 * Checks every part of the archive, keeping only xl/workbook.xml.
 * @param damaged the error for an archive that is merely unreadable (not a zip, a broken entry).
 * @throws ImportError naming the problem: a possible zip bomb or a DOCTYPE; else `damaged()`.
 */
export function checkXlsxArchive(bytes: Uint8Array, fileName: string, damaged: () => ImportError, limits: ZipLimits = XLSX_ZIP_LIMITS): CheckedXlsx {
  let workbook: Uint8Array | undefined;
  let part = '';
  try {
    const entries = listZipEntries(bytes, limits).filter((e) => !e.isDirectory);
    checkDeclaredSizes(entries, limits);
    let used = 0;
    for (const entry of entries) {
      part = entry.name;
      const scan = isXmlPart(entry.name) ? declarationScanner(() => doctypeRefusal(fileName, entry.name)) : undefined;
      const kept: Uint8Array[] = [];
      used += inflateEntry(bytes, entry, limits.maxTotalBytes - used, (chunk) => {
        scan?.(chunk);
        if (entry.name === WORKBOOK_PART) kept.push(chunk);
      });
      if (entry.name === WORKBOOK_PART) workbook = joinChunks(kept);
    }
  } catch (error) {
    if (error instanceof UnsafeZipError) throw BOMB_KINDS.has(error.problem.kind) ? refusal(error.problem, fileName, limits) : damaged();
    if (error instanceof RangeError) throw refusal({ kind: 'over-budget', name: part }, fileName, limits);
    throw error;
  }
  return { workbook };
}

const AGAIN = 'Nothing was imported. Open it in Excel and save it again as .xlsx or CSV, then import that.';

function refusal(problem: ZipProblem, fileName: string, limits: ZipLimits): ImportError {
  const file = JSON.stringify(fileName);
  const bomb = 'it may be a zip bomb or damaged, so Codebench stopped before unpacking it.';
  switch (problem.kind) {
    case 'too-many-entries':
      return new ImportError(
        `${file} lists ${problem.count.toLocaleString('en')} files, more than a spreadsheet holds (at most ${problem.maxEntries.toLocaleString('en')}) — ${bomb} ${AGAIN}`,
      );
    case 'ratio':
      return new ImportError(
        `${file} would unpack its part "${problem.name}" from ${formatBytes(problem.compressedSize)} to ${formatBytes(problem.size)}, more than ${problem.maxRatio} times its size — ${bomb} ${AGAIN}`,
      );
    case 'over-declared':
      return new ImportError(
        `${file} would unpack its part "${problem.name}" to more than the ${formatBytes(problem.size)} its header declares — ${bomb} ${AGAIN}`,
      );
    default:
      return new ImportError(`This spreadsheet (${file}) would unpack to more than ${formatBytes(limits.maxTotalBytes)} — ${bomb} ${AGAIN}`);
  }
}

function doctypeRefusal(fileName: string, part: string): ImportError {
  return new ImportError(
    `${JSON.stringify(fileName)} is refused: its part "${part}" declares a document type (<!DOCTYPE>), which Excel never writes and which can make a reader fetch other files or expand text without end. ${AGAIN}`,
  );
}

const LT = 0x3c;
const BANG = 0x21;
const DECLARATIONS = ['DOCTYPE', 'ENTITY'].map((word) => new TextEncoder().encode(word));
/** Enough of the previous chunk to find a declaration split across two chunks ("<!DOCTYPE" is 9 bytes). */
const SEAM = 9;

/**
 * A scanner fed an XML part chunk by chunk; it throws `refuse()` at the first
 * "<!DOCTYPE" or "<!ENTITY". In well-formed XML a literal "<" in text is
 * escaped, so these bytes can only be markup (or sit in a comment or CDATA,
 * which Excel does not write either). UTF-8 and ASCII-compatible parts only:
 * read-excel-file reads no other encoding.
 */
export function declarationScanner(refuse: () => Error): (chunk: Uint8Array) => void {
  let tail = new Uint8Array(0);
  return (chunk) => {
    const seam = new Uint8Array(tail.length + Math.min(chunk.length, SEAM));
    seam.set(tail);
    seam.set(chunk.subarray(0, SEAM), tail.length);
    if (hasDeclaration(seam) || hasDeclaration(chunk)) throw refuse();
    tail = chunk.length >= SEAM ? chunk.slice(chunk.length - SEAM) : seam.slice(Math.max(0, seam.length - SEAM));
  };
}

function hasDeclaration(bytes: Uint8Array): boolean {
  // "!" is rare in sheet XML, and indexOf on bytes is a fast native scan.
  for (let at = bytes.indexOf(BANG, 1); at !== -1; at = bytes.indexOf(BANG, at + 1)) {
    if (bytes[at - 1] !== LT) continue;
    if (DECLARATIONS.some((word) => word.every((b, i) => bytes[at + 1 + i] === b))) return true;
  }
  return false;
}
