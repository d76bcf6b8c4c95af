/**
 * How selection offsets in another tool's .qdpx count characters, and the
 * conversion to Codebench's (code points of the text as stored).
 *
 * The standard (§10.2) counts Unicode code points from 0; Codebench reads the
 * end as exclusive, as every sample file does (qc writes whole lines as
 * [start of line, start of next line)). Two deviations are known in the wild:
 *
 * - "crlf-as-one": tools that hold text with Windows line endings but count a
 *   CR LF as one character (their editor's view of the text). Offsets after
 *   the first line end then fall short by one per line end above them.
 * - "utf-16": tools built on .NET/Java/JavaScript strings that count UTF-16
 *   code units, so every emoji or other character outside the BMP before a
 *   selection shifts it by one.
 *
 * A file's convention is not declared, so it is inferred from evidence over
 * all its selections (one tool wrote them all): a reading that puts ends
 * outside the text, inside a CR LF pair or inside a surrogate pair loses
 * points; one whose selected text matches the selection's name (ATLAS.ti and
 * others name a quotation by its first words) or whose ends fall on word
 * boundaries gains them. The standard reading wins ties, and is the only one
 * tried when the texts have no CR LF and nothing outside the BMP (then all
 * readings agree).
 */
import { OffsetMap } from '../coding/offsets';

export type OffsetCounting = 'code-points' | 'crlf-as-one' | 'utf-16';

/** One source's text (as in its file, BOM removed) and the positions of its selections, as written. */
export interface OffsetEvidence {
  text: string;
  selections: readonly { start: number; end: number; name?: string }[];
}

const WORD = /[\p{L}\p{N}_]/u;

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One source text's positions: its code points, its CR LF pairs, and the
 * conversions between the ways offsets may have been counted.
 */
export class TextPositions {
  readonly raw: string;
  /** The text with every CR LF and lone CR as LF (Codebench's stored form of other tools' texts). */
  readonly normalized: string;
  /** Code points of `raw`. */
  readonly length: number;
  private readonly map: OffsetMap;
  /** Code point index of the CR of each CR LF pair, ascending. */
  private readonly crlf: number[] = [];
  /** crlf[k] - k: where each pair's line end sits once pairs count as one. */
  private readonly crlfAsOne: number[] = [];
  private cps: number[] | null = null;

  constructor(raw: string) {
    this.raw = raw;
    this.map = new OffsetMap(raw);
    this.length = this.map.codePointLength;
    this.normalized = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
    if (raw.includes('\r\n')) {
      let cp = 0;
      for (let i = 0; i < raw.length; i++, cp++) {
        const unit = raw.charCodeAt(i);
        if (unit === 13 && raw.charCodeAt(i + 1) === 10) {
          this.crlf.push(cp);
          this.crlfAsOne.push(cp - this.crlfAsOne.length);
        } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < raw.length) {
          const next = raw.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++;
        }
      }
    }
  }

  get hasCrlf(): boolean {
    return this.crlf.length > 0;
  }

  get hasAstral(): boolean {
    return this.length !== this.raw.length;
  }

  /** The code point offset in `raw` that `offset` means under `counting`, or null when it lies outside the text. */
  toRaw(offset: number, counting: OffsetCounting): number | null {
    if (!Number.isSafeInteger(offset) || offset < 0) return null;
    switch (counting) {
      case 'code-points':
        return offset <= this.length ? offset : null;
      case 'crlf-as-one': {
        const r = offset + lowerBound(this.crlfAsOne, offset);
        return r <= this.length ? r : null;
      }
      case 'utf-16':
        return offset <= this.raw.length ? this.map.toCodePoint(offset) : null;
    }
  }

  /** True when the raw code point offset falls between the CR and the LF of a pair. */
  insideCrlf(r: number): boolean {
    const k = lowerBound(this.crlf, r - 1);
    return k < this.crlf.length && this.crlf[k] === r - 1;
  }

  /** True when a UTF-16 offset falls inside a surrogate pair. */
  insideSurrogatePair(utf16: number): boolean {
    return this.map.toUtf16(this.map.toCodePoint(utf16)) !== utf16;
  }

  /** A raw code point offset as an offset into `normalized` (a CR LF pair becomes one LF). */
  toNormalized(r: number): number {
    return r - lowerBound(this.crlf, r);
  }

  /** The raw text between two code point offsets. */
  slice(start: number, end: number): string {
    return String.fromCodePoint(...this.codePoints().slice(start, end));
  }

  private codePoints(): number[] {
    if (!this.cps) this.cps = Array.from(this.raw, (ch) => ch.codePointAt(0)!);
    return this.cps;
  }

  /** True at the text's edges and wherever word characters start or stop. */
  isWordBoundary(r: number): boolean {
    const cps = this.codePoints();
    if (r <= 0 || r >= cps.length) return true;
    return WORD.test(String.fromCodePoint(cps[r - 1])) !== WORD.test(String.fromCodePoint(cps[r]));
  }
}

function cleanName(name: string | undefined): string {
  return (name ?? '')
    .replace(/(…|\.\.\.)\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Evidence for one reading of one selection: higher is more plausible. */
function score(t: TextPositions, sel: { start: number; end: number; name?: string }, counting: OffsetCounting): number {
  const start = t.toRaw(sel.start, counting);
  const end = t.toRaw(sel.end, counting);
  if (start === null || end === null || end <= start) return -10;
  let points = 0;
  if (counting !== 'crlf-as-one') points -= 5 * (Number(t.insideCrlf(start)) + Number(t.insideCrlf(end)));
  if (counting === 'utf-16') points -= 5 * (Number(t.insideSurrogatePair(sel.start)) + Number(t.insideSurrogatePair(sel.end)));
  const name = cleanName(sel.name);
  if (name.length >= 4 && end - start <= 4096) {
    const selected = cleanName(t.slice(start, end));
    if (selected.startsWith(name) || (selected.length >= 4 && name.startsWith(selected))) points += 4;
  }
  points += Number(t.isWordBoundary(start)) + Number(t.isWordBoundary(end));
  return points;
}

/** The counting that best explains a file's selections (see the module comment). */
export function detectCounting(sources: readonly { positions: TextPositions; selections: OffsetEvidence['selections'] }[]): OffsetCounting {
  const candidates: OffsetCounting[] = ['code-points'];
  if (sources.some((s) => s.positions.hasCrlf && s.selections.length > 0)) candidates.push('crlf-as-one');
  if (sources.some((s) => s.positions.hasAstral && s.selections.length > 0)) candidates.push('utf-16');
  if (candidates.length === 1) return 'code-points';
  let best: OffsetCounting = 'code-points';
  let bestScore = -Infinity;
  for (const counting of candidates) {
    let total = 0;
    for (const s of sources) {
      // Only texts where the readings differ carry evidence.
      if (counting === 'crlf-as-one' && !s.positions.hasCrlf) continue;
      if (counting === 'utf-16' && !s.positions.hasAstral) continue;
      for (const sel of s.selections) total += score(s.positions, sel, counting) - score(s.positions, sel, 'code-points');
    }
    if (counting === 'code-points') total = 0;
    if (total > bestScore) {
      best = counting;
      bestScore = total;
    }
  }
  return best;
}
