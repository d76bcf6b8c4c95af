/**
 * The one rule for the names of downloaded files, in any language.
 *
 * A project called "تقييم الإرشاد" or "Łódź" is named so in its files: letters, marks and digits of every script
 * are kept (in NFC, so "é" typed two ways is one name). Only what a file system refuses, or what would make a
 * name lie, goes: the characters Windows forbids (`/ \ : * ? " < > |`), control characters, the invisible
 * direction controls (U+202E could make "txt.exe" show as "exe.txt"), leading and trailing dots and spaces, and
 * the device names Windows reserves (CON, NUL, COM1…). Whitespace becomes one hyphen so the name survives being
 * typed in a terminal. Names are capped in UTF-8 bytes (255 is the common limit; we leave room for a browser's
 * " (1)") without cutting a character in half.
 */

/** The longest name, in UTF-8 bytes, this rule makes. */
export const MAX_FILE_NAME_BYTES = 200;

export interface FileNameOptions {
  /** The cap in UTF-8 bytes (at least 16). Default {@link MAX_FILE_NAME_BYTES}. */
  maxBytes?: number;
  /** The name when nothing is left of the text; itself put through the rule. Default "file". */
  fallback?: string;
}

// Forbidden by Windows (and "/" everywhere), control characters, and whitespace of any script: one hyphen each.
const SEPARATORS = /[/\\:*?"<>|\p{Cc}\p{Z}\s\u0085\u2028\u2029]+/gu;
// Direction controls (LRM/RLM, embeddings, overrides, isolates), the BOM and other invisible format characters
// that do not belong in a name. ZWNJ and ZWJ (U+200C/D) stay: Persian and Indic spelling need them.
const INVISIBLE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/gu;
// Halves of a surrogate pair without the other half (they cannot be encoded as UTF-8).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HYPHENS = /-{2,}/g;
const EDGES = /^[.\-\s]+|[.\-\s]+$/gu;
// Windows refuses these as a name, with any extension ("con.txt"), in any case.
const RESERVED = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(?=\.|$)/iu;
// A short extension (one to three parts, ".csv", ".codebench.json.gz"), kept whole when a name is capped.
const EXTENSION = /(?:\.[\p{L}\p{N}_-]{1,16}){1,3}$/u;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

let segmenter: Intl.Segmenter | null = null;

/** The longest prefix of `text` in at most `maxBytes` UTF-8 bytes that ends on a whole character (a grapheme). */
function capBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  let bytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    const n = byteLength(segment);
    if (bytes + n > maxBytes) break;
    out += segment;
    bytes += n;
  }
  return out;
}

function clean(text: string): string {
  // NFC after the invisible characters go, so a mark they separated from its letter is composed with it.
  return text.replace(LONE_SURROGATE, '').replace(INVISIBLE, '').normalize('NFC').replace(SEPARATORS, '-').replace(HYPHENS, '-').replace(EDGES, '');
}

function trimEnd(text: string): string {
  return text.replace(/[.\-\s]+$/u, '');
}

/** `name` within `maxBytes`, an extension at its end kept whole; '' when nothing of the stem is left. */
function capName(name: string, maxBytes: number): string {
  if (byteLength(name) <= maxBytes) return name;
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  if (extension === '' || byteLength(extension) > maxBytes / 4) return trimEnd(capBytes(name, maxBytes));
  const stem = trimEnd(capBytes(name.slice(0, -extension.length), maxBytes - byteLength(extension)));
  return stem === '' ? '' : `${stem}${extension}`;
}

/** The rule, or '' when nothing of `text` is left; a part of a name cannot be a reserved device name on its own. */
function sanitize(text: string, maxBytes: number, whole: boolean): string {
  const name = capName(clean(text), maxBytes);
  // Checked after the cap, which can leave a device name ("lpt9👩🏽‍💻" capped to "lpt9"); "X_" cannot become one again.
  const reserved = whole ? RESERVED.exec(name) : null;
  return reserved ? capName(`${reserved[0]}_${name.slice(reserved[0].length)}`, maxBytes) : name;
}

const capOf = (maxBytes: number | undefined) => Math.max(16, maxBytes ?? MAX_FILE_NAME_BYTES);

/**
 * `text` as a file name safe on Windows, macOS and Linux (see the module notes): never empty (the fallback, or
 * "file", when nothing of the text is left), never over `maxBytes`, and a name it returns comes back unchanged.
 * An extension at the end (".csv") is kept whole when the name is capped.
 */
export function safeFileName(text: string, options: FileNameOptions = {}): string {
  const maxBytes = capOf(options.maxBytes);
  return sanitize(text, maxBytes, true) || sanitize(options.fallback ?? '', maxBytes, true) || 'file';
}

/**
 * A part of a name made from user text (a project, a filter, a coder) by the same rule, or '' when nothing of
 * it is left, for the caller to leave out or replace. A part is followed by more ("CON-agreement.csv"), so it is
 * not renamed as a device name; the whole name is, when it is saved ({@link downloadFile} ends with safeFileName).
 */
export function fileNamePart(text: string, maxBytes?: number): string {
  return sanitize(text, capOf(maxBytes), false);
}
