/**
 * Text for XML, SVG and HTML output.
 *
 * XML 1.0 allows only tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and
 * U+10000–U+10FFFF. Other control characters (which survey exports do carry:
 * a stray U+0001 or U+000B from a copy-paste), lone surrogates and
 * U+FFFE/U+FFFF cannot be written at all, not even as character references,
 * so they are dropped: a reader would otherwise refuse the whole file.
 */

// With the `u` flag a lone surrogate is one code point, outside every allowed range.
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text without the characters XML 1.0 cannot hold. */
export function dropIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML, '');
}

// A literal CR would come back as LF: XML parsers normalise line ends, so it is written as a reference.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;' };

/**
 * Escapes text for an XML or HTML element or a quoted attribute, after
 * dropping characters XML cannot hold (so the same output is valid in both).
 */
export function escapeXml(text: string): string {
  return dropIllegalXmlChars(text).replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch]);
}
