/**
 * Personal data inside quote text: found for the author to review, then
 * replaced with `[name]`, `[email]`, `[phone]` or `[place]` in quotes and
 * exports (issue 13; applied in publishing.ts). The stored answers never change; only the text a quote or export
 * prints goes through {@link redact}.
 *
 * What is found, each as a span with UTF-16 offsets (JS string indices):
 * - patterns: e-mail addresses, phone numbers, UK postcodes, US ZIP codes
 *   after a state code, street addresses ("12 High Street", "Baker Street");
 * - the author's list of names and words, as whole words, case-insensitive;
 * - capitalised-name heuristics: a title and a capitalised word ("Dr Smith",
 *   "Mrs. Patel"), a relation and a capitalised word ("my mentor Aisha"), two
 *   or more capitalised words in a row not at a sentence start ("I met Aisha
 *   Khan"), and a capitalised word after "live in", "moved to"… (a place);
 * - with `useEntities`, wink-nlp's entities. The lite English model has no
 *   person, place or phone entity: it adds e-mail addresses and @mentions.
 *
 * Heuristics err towards finding: the author reviews every span and can keep
 * any word (`accepted: false`). To keep false positives down, a capitalised
 * word alone is never a name (a sentence start, "I", "English", "Zoom"), and
 * days, months and the pronoun I never start or extend a name.
 */
import { findEntities } from '../nlp/entities';

export type RedactionKind = 'name' | 'email' | 'phone' | 'place' | 'listed';

/** How a span was found, for the review list ("from your list", "looks like a name"). */
export type RedactionSource = 'pattern' | 'list' | 'heuristic' | 'entity';

export interface RedactionSpan {
  /** UTF-16 offsets into the text: `text.slice(start, end)` is the span's text. */
  start: number;
  end: number;
  kind: RedactionKind;
  text: string;
  source: RedactionSource;
  /** The author's decision: false keeps the text as it is; true or missing redacts it. */
  accepted?: boolean;
}

export interface FindRedactionsOptions {
  /** The author's list: names and other words to redact wherever they appear as whole words, in any case. */
  names?: readonly string[];
  /** Add wink-nlp's entities (e-mail addresses, @mentions); needs `loadEntityNlp()` to have finished. */
  useEntities?: boolean;
}

export interface RedactOptions {
  /** Called for each span the author has not refused; return false to keep the span's text. */
  decide?: (span: RedactionSpan) => boolean;
  /** The text that replaces a span of this kind; `[name]`, `[email]`, `[phone]`, `[place]` unless told. */
  placeholder?: (kind: RedactionKind) => string;
}

const PLACEHOLDERS: Record<RedactionKind, string> = { name: '[name]', email: '[email]', phone: '[phone]', place: '[place]', listed: '[name]' };

/** The default replacement text for a kind; words from the author's list read as `[name]`. */
export function placeholderFor(kind: RedactionKind): string {
  return PLACEHOLDERS[kind];
}

// Starting only where the address can start keeps a long run of letters from being rescanned at every position.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// A run of digits with the separators phone numbers are written with; checked further in isPhone.
const PHONE = /(?<![\p{L}\p{N}])(?:\+\s?)?(?:\(\d{1,5}\)[\s.-]?)?\d(?:[\s.-]?\d|[\s.-]?\(\d{1,5}\)){5,16}(?![\p{L}\p{N}])/gu;
// Royal Mail's postcode shapes, in capitals as they are written.
const UK_POSTCODE = /(?<![\p{L}\p{N}])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/gu;
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
// A five-digit number is a ZIP code only after a state code: alone it is far more often a count or an amount.
const US_ZIP = new RegExp(`(?<![\\p{L}\\p{N}])(?:${US_STATES}),?\\s+\\d{5}(?:-\\d{4})?(?![\\p{L}\\p{N}])`, 'gu');
// No "Dr": it is far more often a title than a drive. A full stop belongs to the street only after an abbreviation.
const STREET_TYPES =
  'Street|Road|Avenue|Lane|Drive|Close|Way|Court|Place|Crescent|Terrace|Boulevard|Gardens|Grove|Square|Hill|Row|Mews|Parkway|Walk|(?:St|Rd|Ave|Ln|Ct|Blvd)\\b\\.?';
const STREET = new RegExp(`(?<![\\p{L}\\p{N}])(?:\\d{1,5}[A-Za-z]?,?\\s+)?(?:\\p{Lu}[\\p{L}\\p{M}'’-]*\\s+){1,3}(?:${STREET_TYPES})(?![\\p{L}\\p{N}])`, 'gu');

const TITLES = new Set([
  'Dr',
  'Mr',
  'Mrs',
  'Ms',
  'Miss',
  'Mx',
  'Prof',
  'Professor',
  'Sir',
  'Dame',
  'Rev',
  'Revd',
  'Fr',
  'Lord',
  'Lady',
  'Doctor',
  'Nurse',
  'Matron',
  'Sister',
]);
const RELATIONS = new Set(
  (
    'mentor mentee friend manager boss supervisor colleague teacher tutor lecturer partner husband wife son daughter ' +
    'mother mum mom father dad brother sister coach adviser advisor doctor nurse counsellor counselor cousin aunt ' +
    'uncle neighbour neighbor grandmother grandfather gran nan grandma grandpa boyfriend girlfriend fiancé fiancée ' +
    'therapist matron consultant midwife receptionist carer psychiatrist psychologist physio surgeon dentist pharmacist ' +
    'classmate buddy colleagues named called'
  ).split(' '),
);
// Capitalised words after these name a thing ("the Mentor Programme", "a Zoom Call"), rarely a person.
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'our', 'your', 'its', 'their']);
// Never part of a name: capitalised for other reasons, or by writers who capitalise every word ("It Is Good").
const NOT_NAMES = new Set(
  (
    "I I'm I’m I've I’ve I'd I’d I'll I’ll Monday Tuesday Wednesday Thursday Friday Saturday Sunday " +
    'January February March April May June July August September October November December ' +
    'A An And Are As At Be But By For From Had Has Have He Her Him His If In Is It Its Me My No Not Of On Or Our She So ' +
    'That The Their Them They This To Us Very Was We Were What When Which Who With You Your Yes Thank Thanks Please All ' +
    // Who people are, not who they are by name: "only Black women can mentor Black women", "I'm East Asian".
    'Black White Asian African Caribbean British English Scottish Welsh Irish American European Indian Pakistani ' +
    'Bangladeshi Chinese Hispanic Latino Latina Latinx Arab Muslim Christian Jewish Hindu Sikh Buddhist Catholic ' +
    'Gay Lesbian Trans Queer Deaf Covid'
  ).split(' '),
);
// A run of capitalised words with one of these names a service or a group, not a person: "Community Nursing Team".
const THING_WORDS = new Set(
  'Team Teams Group Groups Service Services Health Act Club Member Members Staff Session Sessions Programme Program Scheme Course Class Department Care'.split(
    ' ',
  ),
);
// A run ending with one of these is a place, and one a reader could recognise: "Cherry Ward", "Melton Hospital".
const PLACE_WORDS = new Set('Hospital Ward House Centre Center Clinic Surgery Practice School College University Grange Hall Park Village Estate'.split(' '));
// "live in Leeds", "moved to Cardiff", "came from Lagos": the capitalised words after these are a place.
// The cue ends in one of these: checking the word before first saves running the cue on every capitalised word.
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'to', 'near', 'from']);
const PLACE_CUE =
  /(?:\b(?:live|lives|lived|living|based|born|raised|grew up|move|moved|moving|relocated|work|works|worked|working|study|studies|studied|studying)\s+(?:in|at|to|near|from)|\b(?:come|comes|came|coming)\s+from|\bnear)\s+$/iu;

interface Word {
  start: number;
  end: number;
  text: string;
  capitalised: boolean;
}

const WORD = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*/gu;

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    // Capitalised, not in capitals: "Aisha", "O'Brien", "McDonald"; not "NHS" or "OK".
    const capitalised = /^\p{Lu}/u.test(w) && /\p{Ll}/u.test(w);
    out.push({ start: m.index, end: m.index + w.length, text: w, capitalised });
  }
  return out;
}

/** True when only spaces (no line break, no punctuation) lie between two words. */
function spaced(text: string, a: Word, b: Word): boolean {
  return /^[ \t\u00a0]+$/.test(text.slice(a.end, b.start));
}

/** True when the word at `index` begins a sentence (or a line, or the text), after any opening quotes or brackets. */
function atSentenceStart(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /[\s"'“‘«([*•\-–—]/u.test(text[i])) {
    if (text[i] === '\n') return true;
    i--;
  }
  return i < 0 || /[.!?…:;]/u.test(text[i]);
}

function nameLike(w: Word | undefined): w is Word {
  return w !== undefined && w.capitalised && !NOT_NAMES.has(w.text) && !TITLES.has(w.text);
}

function isPhone(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  // Dates and year ranges have the digits of a phone number but not its shape.
  if (/^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/.test(match)) return false;
  if (/^\d{4}\s*[-–]\s*\d{4}$/.test(match)) return false;
  // Counts ("1 000 000") have no leading 0, +, or brackets and fewer digits than a full number.
  // Ratings and lists ("1 2 3 4 5 6 7 8 9 10", "10 10 10 10 10") have no group of three digits; phone numbers do.
  if (!/\d{3}/.test(match)) return false;
  return /^[+(0]/.test(match) || digits.length >= 10 || /^\d{3}[-.\s]\d{4}$/.test(match);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

/** The code point ending at `i` (a surrogate pair read whole), or "" at the start. */
function codePointBefore(text: string, i: number): string {
  if (i <= 0) return '';
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(i - 2, i);
  }
  return text[i - 1];
}

/** True when no letter, mark, digit or underscore touches the span on either side. */
function wholeWord(text: string, start: number, end: number): boolean {
  const after = end < text.length ? String.fromCodePoint(text.codePointAt(end) as number) : '';
  return !WORD_CHAR.test(codePointBefore(text, start)) && !WORD_CHAR.test(after);
}

const listedPatterns = new Map<string, RegExp | null>();

/**
 * A case-insensitive pattern for one entry of the author's list, or null for a blank one. Word boundaries are
 * checked by {@link wholeWord} rather than by letter classes in the pattern: compiling those took about 0.7 ms per
 * entry, so a list of 20 names over 500 quotes would spend seconds compiling. Cached: the same list serves every quote.
 */
function listedPattern(name: string): RegExp | null {
  let pattern = listedPatterns.get(name);
  if (pattern !== undefined) return pattern;
  const clean = name.trim();
  pattern = clean ? new RegExp(escapeRegExp(clean).replace(/\s+/g, '\\s+'), 'giu') : null;
  if (listedPatterns.size > 1000) listedPatterns.clear();
  listedPatterns.set(name, pattern);
  return pattern;
}

/**
 * Spans of personal data in `text`, in order of start. A span found inside a
 * longer one is left out; spans that partly overlap are both kept (the review
 * shows both, and {@link redact} merges them).
 */
export function findRedactions(text: string, options: FindRedactionsOptions = {}): RedactionSpan[] {
  const found: RedactionSpan[] = [];
  const add = (start: number, end: number, kind: RedactionKind, source: RedactionSource) => {
    // "Dr Khan's" → "[name]'s": the possessive is not part of the name.
    if (source === 'heuristic' && /['’]s$/.test(text.slice(start, end))) end -= 2;
    if (end > start) found.push({ start, end, kind, text: text.slice(start, end), source });
  };

  for (const name of options.names ?? []) {
    const pattern = listedPattern(name);
    if (!pattern) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const end = m.index + m[0].length;
      // Not a whole word: look again from the next code point, as a whole-word match may overlap this one. (From
      // inside a surrogate pair the engine would start again at the pair, and find the same match for ever.)
      if (wholeWord(text, m.index, end)) add(m.index, end, 'listed', 'list');
      else pattern.lastIndex = m.index + ((text.codePointAt(m.index) as number) > 0xffff ? 2 : 1);
    }
  }
  for (const m of text.matchAll(EMAIL)) add(m.index, m.index + m[0].length, 'email', 'pattern');
  for (const m of text.matchAll(PHONE)) {
    // The pattern may take a trailing separator; a phone number ends on a digit.
    const match = m[0].replace(/[\s.-]+$/, '');
    if (isPhone(match)) add(m.index, m.index + match.length, 'phone', 'pattern');
  }
  for (const m of text.matchAll(UK_POSTCODE)) add(m.index, m.index + m[0].length, 'place', 'pattern');
  for (const m of text.matchAll(US_ZIP)) add(m.index, m.index + m[0].length, 'place', 'pattern');
  for (const m of text.matchAll(STREET)) {
    // Words capitalised for other reasons ("The", "On", a day) are not part of the street's name.
    let start = m.index;
    const words = wordsOf(m[0]);
    while (words.length > 1 && (NOT_NAMES.has(words[0].text) || /^(?:The|A|An|On|In|At|To|From|Of|And)$/.test(words[0].text))) {
      words.shift();
      start = m.index + words[0].start;
    }
    if (words.length >= 2 || /^\d/.test(m[0])) add(start, m.index + m[0].length, 'place', 'pattern');
  }

  const words = wordsOf(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    // A title and a capitalised word, with an optional full stop: "Dr Smith", "Mrs. Patel", "Prof Ana Lima".
    if (TITLES.has(w.text) && nameLike(words[i + 1])) {
      const gap = text.slice(w.end, words[i + 1].start);
      if (/^\.?[ \t\u00a0]+$/.test(gap)) {
        let j = i + 1;
        while (nameLike(words[j + 1]) && spaced(text, words[j], words[j + 1])) j++;
        add(w.start, words[j].end, 'name', 'heuristic');
        i = j;
        continue;
      }
    }
    // A relation and a capitalised word: "my mentor Aisha", "my manager, Sarah Jones".
    if (RELATIONS.has(w.text) && nameLike(words[i + 1]) && /^,?[ \t\u00a0]+$/.test(text.slice(w.end, words[i + 1].start))) {
      let j = i + 1;
      while (nameLike(words[j + 1]) && spaced(text, words[j], words[j + 1])) j++;
      add(words[i + 1].start, words[j].end, 'name', 'heuristic');
      i = j;
      continue;
    }
    if (!nameLike(w)) continue;
    // A capitalised word after "live in", "moved to"…: a place.
    const previous = words[i - 1];
    if (previous !== undefined && PLACE_PREPOSITIONS.has(previous.text.toLowerCase()) && PLACE_CUE.test(text.slice(Math.max(0, w.start - 40), w.start))) {
      let j = i;
      while (j - i < 3 && nameLike(words[j + 1]) && spaced(text, words[j], words[j + 1])) j++;
      add(w.start, words[j].end, 'place', 'heuristic');
      i = j;
      continue;
    }
    // Two or more capitalised words in a row. At a sentence start the first may be capitalised only for that.
    let j = i;
    while (nameLike(words[j + 1]) && spaced(text, words[j], words[j + 1])) j++;
    const first = atSentenceStart(text, w.start) ? i + 1 : i;
    const run = words.slice(first, j + 1);
    const before = words[first - 1];
    if (run.length >= 2) {
      const afterDeterminer = before !== undefined && DETERMINERS.has(before.text.toLowerCase()) && spaced(text, before, run[0]);
      if (!afterDeterminer && !run.some((r) => THING_WORDS.has(r.text)))
        add(run[0].start, run[run.length - 1].end, PLACE_WORDS.has(run[run.length - 1].text) ? 'place' : 'name', 'heuristic');
    }
    i = j;
  }

  if (options.useEntities) {
    for (const e of findEntities(text)) {
      if (e.type === 'EMAIL') add(e.start, e.end, 'email', 'entity');
      else if (e.type === 'MENTION') add(e.start, e.end, 'name', 'entity');
    }
  }
  return dropContained(found);
}

/** Order by start (longest first), and leave out any span lying inside one already kept; the first found wins a tie. */
function dropContained(spans: RedactionSpan[]): RedactionSpan[] {
  const sorted = spans.map((s, i) => [s, i] as const).sort(([a, i], [b, j]) => a.start - b.start || b.end - a.end || i - j);
  const out: RedactionSpan[] = [];
  let reach = -1;
  for (const [s] of sorted) {
    if (s.end <= reach) continue;
    out.push(s);
    reach = Math.max(reach, s.end);
  }
  return out;
}

/**
 * `text` with each span the author accepted replaced by its placeholder.
 * Spans with `accepted: false`, or refused by `options.decide`, are kept as
 * they are. Overlapping accepted spans merge into one placeholder, of the
 * kind of the longest span among them; text outside the spans is unchanged.
 *
 * @throws RangeError when a span's offsets are not inside the text.
 */
export function redact(text: string, spans: readonly RedactionSpan[], options: RedactOptions = {}): string {
  const placeholder = options.placeholder ?? placeholderFor;
  const chosen = spans.filter((s) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length))
      throw new RangeError(`A redaction span (${s.start}–${s.end}) lies outside the text (length ${text.length}); find the spans again for this text`);
    return s.end > s.start && s.accepted !== false && (options.decide?.(s) ?? true);
  });
  chosen.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let k = 0; k < chosen.length;) {
    const start = chosen[k].start;
    let end = chosen[k].end;
    let longest = chosen[k];
    k++;
    while (k < chosen.length && chosen[k].start < end) {
      if (chosen[k].end - chosen[k].start > longest.end - longest.start) longest = chosen[k];
      end = Math.max(end, chosen[k].end);
      k++;
    }
    out += text.slice(at, start) + placeholder(longest.kind);
    at = end;
  }
  return out + text.slice(at);
}
