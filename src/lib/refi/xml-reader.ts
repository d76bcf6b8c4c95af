/**
 * A small, strict XML reader for REFI-QDA files: pure string scanning, so it
 * runs in Node and in a Web Worker, where there is no DOMParser.
 *
 * It reads what QDA-XML uses — elements, attributes, character data, CDATA,
 * comments, processing instructions, the five predefined entities and
 * character references — and refuses the rest. In particular any `<!DOCTYPE`
 * or `<!ENTITY` is an error: no REFI-QDA file needs one, and a DTD is how
 * entity-expansion ("billion laughs") and external-entity attacks get in.
 * Anything malformed (a tag left open, a stray `&`, a second root) is an error
 * naming the line, rather than a guess.
 *
 * Namespaces are not resolved: QDA-XML puts every element in one default
 * namespace, so elements are matched by local name (a prefix is dropped) and
 * attributes by the name as written.
 */
import { RefiError } from './errors';

export interface XmlElement {
  /** Local name: the prefix, if any, is dropped ("qda:Code" → "Code"). */
  name: string;
  /** Attributes by name as written, without namespace declarations (`xmlns`, `xmlns:*`). */
  attrs: Map<string, string>;
  children: XmlElement[];
  /** The character data directly inside this element (not its children's), references decoded. */
  text: string;
  /**
   * The namespace of the element's own name when this element declares it
   * (`xmlns="…"`, or `xmlns:qda="…"` on a `qda:` element), so a reader can say
   * when a document is in another namespace than it expects.
   */
  namespace?: string;
}

export interface XmlReadOptions {
  /** What the document is, for messages: "project.qde", "the codebook". */
  what?: string;
  /** Deepest element nesting accepted (the root is 1). */
  maxDepth?: number;
}

export const XML_MAX_DEPTH = 256;

// XML 1.0's Name production: ZWNJ, ZWJ and surrogate halves are single characters of it.
const NAME =
  // eslint-disable-next-line no-misleading-character-class -- see above
  /^[A-Za-z_:\u00C0-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF][\w.\-:\u00B7\u00C0-\u02FF\u0300-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]*$/;
// Characters XML 1.0 does not allow anywhere, even escaped (line endings are already \n here).
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Encodings a JavaScript string can have come from without damage to the text. */
const READABLE_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'utf-16', 'utf-16le', 'utf-16be']);

/**
 * Parses a whole XML document and returns its root element. Throws RefiError
 * on anything it does not read (see the module comment).
 */
export function parseXml(source: string, options: XmlReadOptions = {}): XmlElement {
  return new Reader(source, options).document();
}

class Reader {
  private readonly s: string;
  private i = 0;
  private readonly what: string;
  private readonly maxDepth: number;

  constructor(source: string, options: XmlReadOptions) {
    // XML parsers see every CR LF and lone CR as LF (XML 1.0 §2.11); a CR that
    // must survive is written as &#13;, which is decoded after this.
    let text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    this.s = text;
    this.what = options.what ?? 'the XML document';
    this.maxDepth = options.maxDepth ?? XML_MAX_DEPTH;
  }

  private fail(message: string, at = this.i): never {
    let line = 1;
    for (let k = this.s.indexOf('\n'); k !== -1 && k < at; k = this.s.indexOf('\n', k + 1)) line++;
    throw new RefiError(`${this.what} is not XML Codebench can read (line ${line}): ${message}`);
  }

  document(): XmlElement {
    const bad = FORBIDDEN_CHAR.exec(this.s);
    if (bad) this.fail(`it contains the character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which XML does not allow.`, bad.index);
    if (this.s.startsWith('<?xml') && /[\s?]/.test(this.s[5] ?? '')) this.declaration();
    this.misc();
    if (this.s[this.i] !== '<') this.fail(this.i >= this.s.length ? 'it is empty.' : 'text before the first element.');
    const root = this.element();
    this.misc();
    if (this.i < this.s.length) this.fail('content after the end of the root element.');
    return root;
  }

  private declaration() {
    const end = this.s.indexOf('?>');
    if (end === -1) this.fail('the XML declaration is not closed.');
    const decl = this.s.slice(0, end);
    const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(decl)?.[1];
    if (encoding !== undefined && !READABLE_ENCODINGS.has(encoding.toLowerCase())) {
      throw new RefiError(`${this.what} declares the encoding ${JSON.stringify(encoding)}. REFI-QDA files are UTF-8; save or export it again as UTF-8.`);
    }
    this.i = end + 2;
  }

  /** Whitespace, comments and processing instructions outside the root; refuses a DOCTYPE. */
  private misc() {
    for (;;) {
      this.space();
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<?', this.i)) this.instruction();
      else if (this.s.startsWith('<!', this.i)) this.declarationMarkup();
      else return;
    }
  }

  // Scanned by character code: a regex exec per call allocated enough to make GC the main cost.
  private space() {
    let i = this.i;
    for (let c = this.s.charCodeAt(i); c === 32 || c === 9 || c === 10; c = this.s.charCodeAt(++i));
    this.i = i;
  }

  private comment() {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end === -1) this.fail('a comment is not closed.');
    this.i = end + 3;
  }

  private instruction() {
    const end = this.s.indexOf('?>', this.i + 2);
    if (end === -1) this.fail('a processing instruction is not closed.');
    if (/^<\?xml[\s?]/i.test(this.s.slice(this.i, this.i + 6))) this.fail('an XML declaration that is not at the very start.');
    this.i = end + 2;
  }

  /** `<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`…: refused, never expanded. */
  private declarationMarkup(): never {
    const word = /^<!([A-Za-z]*)/.exec(this.s.slice(this.i, this.i + 12))?.[1]?.toUpperCase() ?? '';
    if (word === 'DOCTYPE' || word === 'ENTITY') {
      this.fail(
        `it contains a <!${word}> declaration. Codebench refuses DTDs and entity declarations in imported files, because they can make a small file expand without limit or read other files.`,
      );
    }
    this.fail(`unexpected markup "<!${word}".`);
  }

  /** A name: runs to the first character that cannot continue one, then is checked whole. */
  private name(): string {
    const start = this.i;
    let i = start;
    for (; i < this.s.length; i++) {
      const c = this.s.charCodeAt(i);
      // space and controls, " ' / < = > ?
      if (c <= 32 || c === 34 || c === 39 || c === 47 || c === 60 || c === 61 || c === 62 || c === 63) break;
    }
    if (i === start) this.fail('a name was expected.');
    const name = this.s.slice(start, i);
    if (!NAME.test(name)) this.fail(`${JSON.stringify(name)} is not a valid XML name.`, start);
    this.i = i;
    return name;
  }

  private element(): XmlElement {
    // Iterative, with an explicit stack: the depth limit, not the JS call stack, bounds nesting.
    const stack: { qname: string; el: XmlElement }[] = [];
    let root: XmlElement | undefined;
    for (;;) {
      const { qname, el, selfClosing } = this.startTag();
      if (stack.length > 0) stack[stack.length - 1].el.children.push(el);
      else root = el;
      if (!selfClosing) {
        stack.push({ qname, el });
        if (stack.length > this.maxDepth) this.fail(`elements are nested more than ${this.maxDepth} deep.`);
      }
      // Content until the next start tag, or until the stack empties.
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        this.content(top.el);
        if (this.s.startsWith('</', this.i)) {
          this.i += 2;
          const closing = this.name();
          if (closing !== top.qname) this.fail(`</${closing}> closes <${top.qname}>.`);
          this.space();
          if (this.s[this.i] !== '>') this.fail(`the end tag </${closing}> is not closed.`);
          this.i++;
          stack.pop();
        } else {
          break; // a child's start tag
        }
      }
      if (stack.length === 0) return root!;
    }
  }

  private startTag(): { qname: string; el: XmlElement; selfClosing: boolean } {
    if (this.s[this.i] !== '<') this.fail('a start tag was expected.');
    this.i++;
    const qname = this.name();
    const attrs = new Map<string, string>();
    const colon = qname.indexOf(':');
    const ownDeclaration = colon === -1 ? 'xmlns' : `xmlns:${qname.slice(0, colon)}`;
    let namespace: string | undefined;
    for (;;) {
      const before = this.i;
      this.space();
      const c = this.s[this.i];
      if (c === '>') {
        this.i++;
        return { qname, el: makeElement(qname, attrs, namespace), selfClosing: false };
      }
      if (c === '/' && this.s[this.i + 1] === '>') {
        this.i += 2;
        return { qname, el: makeElement(qname, attrs, namespace), selfClosing: true };
      }
      if (c === undefined) this.fail(`the tag <${qname}> is not closed.`);
      if (this.i === before) this.fail(`attributes of <${qname}> must be separated by spaces.`);
      const attr = this.name();
      this.space();
      if (this.s[this.i] !== '=') this.fail(`the attribute ${attr} of <${qname}> has no value.`);
      this.i++;
      this.space();
      const quote = this.s[this.i];
      if (quote !== '"' && quote !== "'") this.fail(`the value of ${attr} must be in quotes.`);
      const end = this.s.indexOf(quote, this.i + 1);
      if (end === -1) this.fail(`the value of ${attr} is not closed.`);
      const raw = this.s.slice(this.i + 1, end);
      if (raw.includes('<')) this.fail(`the value of ${attr} contains "<".`, this.i);
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal tabs and line ends read as spaces.
      const value = this.references(raw.replace(/[\t\n]/g, ' '), this.i + 1);
      if (attrs.has(attr)) this.fail(`<${qname}> has the attribute ${attr} twice.`);
      if (attr === ownDeclaration) namespace = value;
      if (attr !== 'xmlns' && !attr.startsWith('xmlns:')) attrs.set(attr, value);
      this.i = end + 1;
    }
  }

  /** Character data, CDATA, comments and PIs up to the next start or end tag. */
  private content(el: XmlElement) {
    for (;;) {
      const lt = this.s.indexOf('<', this.i);
      if (lt === -1) this.fail(`<${el.name}> is not closed.`, this.s.length);
      if (lt > this.i) {
        const raw = this.s.slice(this.i, lt);
        if (raw.includes(']]>')) this.fail('"]]>" in text.', this.i + raw.indexOf(']]>'));
        el.text += this.references(raw, this.i);
        this.i = lt;
      }
      if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i + 9);
        if (end === -1) this.fail('a CDATA section is not closed.');
        el.text += this.s.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (this.s.startsWith('<!--', this.i)) {
        this.comment();
      } else if (this.s.startsWith('<?', this.i)) {
        this.instruction();
      } else if (this.s.startsWith('<!', this.i)) {
        this.declarationMarkup();
      } else {
        return; // "</" or a start tag
      }
    }
  }

  /** Decodes the predefined entities and character references; refuses any other entity. */
  private references(raw: string, at: number): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      out += raw.slice(from, amp);
      const semi = raw.indexOf(';', amp);
      const ref = semi === -1 ? '' : raw.slice(amp + 1, semi);
      if (semi === -1 || ref.length === 0 || ref.length > 12) this.fail('a "&" that does not start a reference (write &amp;).', at + amp);
      if (ref[0] === '#') {
        const hex = ref[1] === 'x';
        const digits = ref.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) this.fail(`the character reference &${ref}; is malformed.`, at + amp);
        const cp = parseInt(digits, hex ? 16 : 10);
        if (!isXmlChar(cp)) this.fail(`the character reference &${ref}; is not a character XML allows.`, at + amp);
        out += String.fromCodePoint(cp);
      } else {
        const ch = PREDEFINED[ref];
        if (ch === undefined) this.fail(`the entity &${ref}; is not defined (only &lt; &gt; &amp; &quot; &apos; are).`, at + amp);
        out += ch;
      }
      from = semi + 1;
    }
    return out + raw.slice(from);
  }
}

function makeElement(qname: string, attrs: Map<string, string>, namespace: string | undefined): XmlElement {
  const colon = qname.indexOf(':');
  const el: XmlElement = { name: colon === -1 ? qname : qname.slice(colon + 1), attrs, children: [], text: '' };
  if (namespace !== undefined) el.namespace = namespace;
  return el;
}

/**
 * A warning when the root declares a namespace other than `expected` (none when
 * it declares none): the document is still read by element names, since tools
 * differ, but the user is told what was assumed.
 */
export function namespaceWarning(root: XmlElement, expected: string, what: string): string | null {
  if (root.namespace === undefined || root.namespace === expected) return null;
  return `${what} is in the XML namespace ${JSON.stringify(root.namespace)}, not REFI-QDA's ${JSON.stringify(expected)}; it was read by its element names, so check what came in.`;
}

/** A code point XML 1.0 allows (the Char production). */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

// ---------------------------------------------------------------------------
// Helpers for walking the tree

/** The child elements with this local name, in document order. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The first child element with this local name. */
export function childNamed(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** The text of the first child with this name ("" when there is none). */
export function childText(el: XmlElement, name: string): string {
  return childNamed(el, name)?.text ?? '';
}
