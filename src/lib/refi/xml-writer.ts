/**
 * Writes XML as text, indented two spaces per level. Escaping is chosen so a
 * conforming reader gets every string back exactly: a CR is written as &#13;
 * (a bare one would read back as LF), and tabs and line ends inside attribute
 * values as character references (bare ones would read back as spaces).
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) become U+FFFD; Codebench never stores them in practice.
 */

export type XmlAttrs = Record<string, string | number | boolean | undefined | null>;

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Anything escapeText or escapeAttr might change; most names and values have none of it.
const SPECIAL = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text content: & < > escaped, CR kept as &#13;. */
export function escapeText(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value in double quotes: also " and whitespace other than the space escaped. */
export function escapeAttr(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrText(attrs: XmlAttrs | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue; // optional attribute left out
    out += ` ${name}="${escapeAttr(String(value))}"`;
  }
  return out;
}

/** Builds a document element by element; `toString` returns it with the XML declaration. */
export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private readonly open: string[] = [];

  private readonly indents: string[] = [];

  private indent(): string {
    const depth = this.open.length;
    return (this.indents[depth] ??= '\n' + '  '.repeat(depth));
  }

  /** `<name attrs>`; children follow until `end()`. */
  start(name: string, attrs?: XmlAttrs): this {
    this.parts.push(`${this.indent()}<${name}${attrText(attrs)}>`);
    this.open.push(name);
    return this;
  }

  /** Closes the innermost open element. */
  end(): this {
    const name = this.open.pop();
    if (name === undefined) throw new Error('XmlWriter.end() without an open element');
    this.parts.push(`${this.indent()}</${name}>`);
    return this;
  }

  /** `<name attrs/>`. */
  empty(name: string, attrs?: XmlAttrs): this {
    this.parts.push(`${this.indent()}<${name}${attrText(attrs)}/>`);
    return this;
  }

  /** `<name attrs>text</name>`, the text exactly as given (no indentation inside). */
  text(name: string, text: string, attrs?: XmlAttrs): this {
    this.parts.push(`${this.indent()}<${name}${attrText(attrs)}>${escapeText(text)}</${name}>`);
    return this;
  }

  toString(): string {
    if (this.open.length > 0) throw new Error(`XmlWriter: <${this.open[this.open.length - 1]}> is still open`);
    return this.parts.join('') + '\n';
  }
}
