// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RefiError } from './errors';
import { childText, parseXml } from './xml-reader';
import { escapeAttr, XmlWriter } from './xml-writer';

function refusal(xml: string): string {
  try {
    parseXml(xml, { what: 'The test file' });
  } catch (err) {
    expect(err).toBeInstanceOf(RefiError);
    return (err as Error).message;
  }
  throw new Error('the XML was accepted');
}

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, references, comments and PIs', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?pi x?>\n<qda:Project xmlns:qda="urn:x" xmlns="urn:y" name=\'A &amp; B\' n="1&#10;2&#x9;3">' +
        '<Description>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#128578; <![CDATA[<raw> & ]]></Description><Empty/></qda:Project>',
    );
    expect(root.name).toBe('Project');
    expect(root.attrs.get('name')).toBe('A & B');
    expect(root.attrs.get('n')).toBe('1\n2\t3');
    expect(root.attrs.has('xmlns')).toBe(false);
    expect(childText(root, 'Description')).toBe('a <b> "c" \'d\' 🙂 <raw> & ');
    expect(root.children.map((c) => c.name)).toEqual(['Description', 'Empty']);
  });

  it('reads line ends as XML does: CR LF and CR as LF, &#13; as CR; literal tabs and newlines in attributes as spaces', () => {
    const root = parseXml('<a v="x\ty\r\nz" w="&#13;&#10;"><b>1\r\n2\r3&#13;</b></a>');
    expect(root.attrs.get('v')).toBe('x y z');
    expect(root.attrs.get('w')).toBe('\r\n');
    expect(childText(root, 'b')).toBe('1\n2\n3\r');
  });

  it('refuses a DOCTYPE, entity declarations and undefined entities', () => {
    expect(refusal('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')).toMatch(/<!DOCTYPE> declaration/);
    expect(refusal('<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "file:///etc/passwd"><Project/>')).toMatch(/line 2.*DOCTYPE.*refuses DTDs/);
    expect(refusal('<x><!ENTITY a "b"></x>')).toMatch(/<!ENTITY> declaration/);
    expect(refusal('<x>&lol;</x>')).toMatch(/entity &lol; is not defined/);
  });

  it('refuses encodings other than UTF-8 (and UTF-16 already decoded)', () => {
    expect(refusal('<?xml version="1.0" encoding="ISO-8859-1"?><x/>')).toMatch(/declares the encoding "ISO-8859-1".*UTF-8/);
    expect(parseXml('<?xml version="1.0" encoding="utf-16"?><x/>').name).toBe('x');
  });

  it('refuses malformed documents with the line', () => {
    expect(refusal('<a>\n<b></a>')).toMatch(/line 2.*<\/a> closes <b>/);
    expect(refusal('<a></a><b/>')).toMatch(/content after the end/);
    expect(refusal('<a x="1" x="2"/>')).toMatch(/attribute x twice/);
    expect(refusal('<a>fish & chips</a>')).toMatch(/"&" that does not start a reference/);
    expect(refusal('<a>&#0;</a>')).toMatch(/not a character XML allows/);
    expect(refusal('<a>\u0001</a>')).toMatch(/U\+0001/);
    expect(refusal('<a>')).toMatch(/not closed/);
    expect(refusal('')).toMatch(/empty/);
    expect(refusal('<a x=1/>')).toMatch(/in quotes/);
  });

  it('limits nesting without using the call stack', () => {
    const deep = '<a>'.repeat(300) + '</a>'.repeat(300);
    expect(refusal(deep)).toMatch(/nested more than 256 deep/);
    expect(parseXml('<a>'.repeat(250) + '</a>'.repeat(250)).name).toBe('a');
  });
});

describe('XmlWriter', () => {
  it('writes what the reader reads back exactly, for any text', () => {
    // Characters XML can carry, including CR, tabs and astral ones.
    const xmlChar = fc.oneof(
      fc.constantFrom('\r', '\n', '\t', '&', '<', '>', '"', "'", ']]>', ' ', '🙂', 'é', 'e\u0301'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    const xmlText = fc.array(xmlChar, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(xmlText, xmlText, (text, attr) => {
        const w = new XmlWriter();
        w.start('Root', { value: attr }).text('T', text).empty('E', { a: attr }).end();
        const root = parseXml(w.toString());
        expect(root.attrs.get('value')).toBe(attr);
        expect(childText(root, 'T')).toBe(text);
        expect(root.children[1].attrs.get('a')).toBe(attr);
      }),
    );
  });

  it('replaces characters XML cannot carry and leaves out undefined attributes', () => {
    expect(escapeAttr('a\u0001b\uFFFE')).toBe('a\uFFFDb\uFFFD');
    const w = new XmlWriter();
    w.empty('E', { a: undefined, b: null, c: 0, d: false });
    expect(w.toString()).toContain('<E c="0" d="false"/>');
  });
});
