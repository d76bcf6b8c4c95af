// @vitest-environment node
/**
 * Files from other tools that bend the standard in ways seen in the wild:
 * offsets counting CR LF as one character or UTF-16 code units, a BOM, an
 * unexpected .qde name or folder, plainTextPath without `internal://`, and
 * content Codebench cannot hold, which must be reported.
 */
import { describe, expect, it } from 'vitest';
import type { ProjectFile } from '../exchange/project-file';
import { IMPORTED_QUESTION, IMPORTED_WAVE } from './names';
import { TextPositions, detectCounting } from './offset-quirks';
import { readQdpx } from './qdpx';
import { codedSelection, vendorQde, zipOf } from './test-support';

const NOW = Date.UTC(2025, 5, 1);
const SOURCE = (path: string, inner = '', name = 'Interview 1') =>
  `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="${name}" plainTextPath="${path}">${inner}</TextSource>`;

/** The text each coding of the project points at. */
function quotes(project: ProjectFile): string[] {
  const texts = new Map(project.answers.map((a) => [a.id, a.text]));
  return project.codings.map((c) => {
    const text = Array.from(texts.get(c.answerId)!);
    return c.start === null ? '<whole>' : text.slice(c.start, c.end!).join('');
  });
}

/** Offsets of `needle` in `text` as a tool counting CR LF as one character would write them. */
function crlfAsOne(text: string, needle: string): [number, number] {
  const flat = text.replace(/\r\n/g, '\n');
  const at = Array.from(flat.slice(0, flat.indexOf(needle))).length;
  return [at, at + Array.from(needle).length];
}

const CRLF_TEXT = 'Line one here.\r\nSecond line, with words.\r\nThird line: the target phrase here.\r\nEnd.';

describe('offsets from other tools', () => {
  it('reads standard offsets (code points, CR LF = 2) and stores the text with LF, moving the span with it', () => {
    const start = Array.from(CRLF_TEXT.slice(0, CRLF_TEXT.indexOf('target phrase'))).length;
    const zip = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(start, start + 13, 'target phrase'))), 'sources/a.txt': CRLF_TEXT });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(project.answers[0].text).toBe(CRLF_TEXT.replace(/\r\n/g, '\n'));
    expect(quotes(project)).toEqual(['target phrase']);
    expect(report.warnings).toEqual([
      'Windows line endings (CR LF) in 1 text were stored as LF, as Codebench stores all text; selections were moved with them.',
    ]);
  });

  it('detects offsets that count CR LF as one character, from selection names', () => {
    const [s, e] = crlfAsOne(CRLF_TEXT, 'target phrase');
    const [s2, e2] = crlfAsOne(CRLF_TEXT, 'Second line');
    const zip = zipOf({
      'project.qde': vendorQde(
        SOURCE('internal://a.txt', codedSelection(s, e, 'target phrase…') + codedSelection(s2, e2, 'Second line', 'EEEEEEEE-0000-0000-0000-000000000002')),
      ),
      'sources/a.txt': CRLF_TEXT,
    });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(quotes(project)).toEqual(['target phrase', 'Second line']);
    expect(report.warnings[0]).toMatch(/count a Windows line ending \(CR LF\) as one character/);
  });

  it('detects CR LF counted as one from word boundaries alone, and keeps the standard reading on a tie', () => {
    const [s, e] = crlfAsOne(CRLF_TEXT, 'target');
    const unnamed = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(s, e))), 'sources/a.txt': CRLF_TEXT });
    expect(quotes(readQdpx(unnamed, { now: NOW }).project)).toEqual(['target']);
    // Before the first line end both readings agree: nothing to detect, nothing to warn about.
    const first = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(0, 4))), 'sources/a.txt': CRLF_TEXT });
    const read = readQdpx(first, { now: NOW });
    expect(quotes(read.project)).toEqual(['Line']);
    expect(read.report.warnings.join()).not.toMatch(/as one character/);
  });

  it('detects offsets counted in UTF-16 code units (emoji counted twice)', () => {
    const text = 'Emoji 🙂🙂 first, then the target word.';
    const u = text.indexOf('target');
    const zip = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(u, u + 6, 'target'))), 'sources/a.txt': text });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(quotes(project)).toEqual(['target']);
    expect(report.warnings[0]).toMatch(/count an emoji .* as two characters/);
  });

  it('drops, and reports, a selection outside its text', () => {
    const zip = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(2, 99))), 'sources/a.txt': 'Short text.' });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(project.codings).toEqual([]);
    expect(report.dropped).toEqual(['1 text selection outside its source\'s text (or empty) ("Interview 1")', '1 coding of those selections']);
  });

  it('scores readings with the evidence described (unit)', () => {
    const t = new TextPositions('a\r\nb 🙂 c');
    expect(t.toRaw(3, 'crlf-as-one')).toBe(4);
    expect(t.toRaw(2, 'code-points')).toBe(2);
    expect(t.insideCrlf(2)).toBe(true);
    expect(t.toRaw(7, 'utf-16')).toBe(6);
    expect(t.toRaw(99, 'code-points')).toBeNull();
    expect(t.toNormalized(4)).toBe(3);
    expect(detectCounting([{ positions: new TextPositions('plain text'), selections: [{ start: 0, end: 5 }] }])).toBe('code-points');
  });
});

describe('archive layout and text files', () => {
  it('strips a BOM from a source file without counting it, and says so', () => {
    const zip = zipOf({
      'project.qde': vendorQde(SOURCE('internal://a.txt', codedSelection(4, 9, 'brown'))),
      'sources/a.txt': new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('The brown fox')]),
    });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(project.answers[0].text).toBe('The brown fox');
    expect(quotes(project)).toEqual(['brown']);
    expect(report.warnings).toEqual(['1 text file starts with a byte-order mark; it was removed and is not counted in offsets.']);
  });

  it('takes the single .qde whatever its name and folder, and finds Sources/ in any case', () => {
    const zip = zipOf({ 'Export/My Project.QDE': vendorQde(SOURCE('internal://ABC.txt', codedSelection(0, 3))), 'Export/Sources/abc.TXT': 'One two' });
    expect(quotes(readQdpx(zip, { now: NOW }).project)).toEqual(['One']);
  });

  it('reads plainTextPath without internal:// (as qc writes it) and inline PlainTextContent', () => {
    const zip = zipOf({
      'project.qde': vendorQde(
        SOURCE('doc.txt', codedSelection(0, 3)) +
          `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000002" name="Inline"><PlainTextContent>Inline text&#13;
here</PlainTextContent><Coding guid="DDDDDDDD-0000-0000-0000-000000000009"><CodeRef targetGUID="cccccccc-0000-0000-0000-000000000001"/></Coding></TextSource>`,
      ),
      'sources/doc.txt': 'Bare path',
    });
    const { project } = readQdpx(zip, { now: NOW });
    expect(project.answers.map((a) => [a.respondentId, a.text])).toEqual([
      ['Interview 1', 'Bare path'],
      ['Inline', 'Inline text\nhere'],
    ]);
    // A coding of the whole source is a whole-answer coding; GUID case does not matter.
    expect(quotes(project)).toEqual(['Bar', '<whole>']);
  });

  it("files other tools' sources under one question and wave, with case variables as attributes and unique respondent names", () => {
    const variables = '<Variables><Variable guid="F0000000-0000-0000-0000-000000000001" name="age" typeOfVariable="Integer"/></Variables>';
    const cases = `<Cases><Case guid="F1000000-0000-0000-0000-000000000001" name="Mabel"><VariableValue><VariableRef targetGUID="F0000000-0000-0000-0000-000000000001"/><IntegerValue>25</IntegerValue></VariableValue><SourceRef targetGUID="BBBBBBBB-0000-0000-0000-000000000001"/></Case>
      <Case guid="F1000000-0000-0000-0000-000000000002" name="Nobody"/></Cases>`;
    const twin = SOURCE('internal://b.txt', '', 'Interview 1').replace('000000000001"', '000000000002"');
    const zip = zipOf({
      'project.qde': vendorQde(SOURCE('internal://a.txt') + twin, { variables, cases }),
      'sources/a.txt': 'First',
      'sources/b.txt': 'Second',
    });
    const { project, report } = readQdpx(zip, { now: NOW, fileName: 'study.qdpx' });
    expect(project.questions.map((q) => [q.id, q.label])).toEqual([[IMPORTED_QUESTION.id, IMPORTED_QUESTION.label]]);
    expect(project.waves.map((w) => [w.id, w.name, w.sourceFile, w.sourceFormat])).toEqual([[IMPORTED_WAVE.id, IMPORTED_WAVE.name, 'study.qdpx', 'refi-qda']]);
    expect(project.respondents).toEqual([
      { id: 'Interview 1', attributes: { age: '25', Case: 'Mabel' }, waves: [IMPORTED_WAVE.id] },
      { id: 'Interview 1 (2)', attributes: {}, waves: [IMPORTED_WAVE.id] },
    ]);
    expect(report.dropped).toEqual(['1 case without a text source Codebench could read ("Nobody")']);
  });

  it("keeps the text of a PDF's plain-text representation, and reports the PDF regions, media and missing files", () => {
    const pdf = `<PDFSource guid="A0000000-0000-0000-0000-000000000001" name="Report.pdf" path="internal://r.pdf">
      <PDFSelection guid="A0000000-0000-0000-0000-000000000002" page="0" firstX="1" firstY="1" secondX="2" secondY="2"><Coding guid="A0000000-0000-0000-0000-000000000003"><CodeRef targetGUID="CCCCCCCC-0000-0000-0000-000000000001"/></Coding></PDFSelection>
      <Representation guid="A0000000-0000-0000-0000-000000000004" plainTextPath="internal://r.txt">${codedSelection(4, 8, 'text')}</Representation></PDFSource>`;
    const media = '<AudioSource guid="A0000000-0000-0000-0000-000000000005" name="Talk.m4a" path="relative:///talk.m4a"/>';
    const external = '<TextSource guid="A0000000-0000-0000-0000-000000000006" name="Far.txt" plainTextPath="absolute:///C:/data/far.txt"/>';
    const missing = '<TextSource guid="A0000000-0000-0000-0000-000000000007" name="Gone.txt" plainTextPath="internal://gone.txt"/>';
    const zip = zipOf({ 'project.qde': vendorQde(pdf + media + external + missing), 'sources/r.txt': 'PDF text here', 'sources/r.pdf': '%PDF-1.4' });
    const { project, report } = readQdpx(zip, { now: NOW });
    expect(project.answers.map((a) => [a.respondentId, a.text])).toEqual([['Report.pdf', 'PDF text here']]);
    expect(quotes(project)).toEqual(['text']);
    expect(report.dropped).toEqual([
      '1 PDF region selection (an area of a page)',
      '1 coding of a picture, audio, video or PDF region',
      '1 audio source',
      '1 text source stored outside the .qdpx (an external file) ("Far.txt")',
      '1 text source whose text file is missing from the archive ("Gone.txt")',
    ]);
  });

  it('turns notes into memos on what they are attached to, and reports notes on nothing', () => {
    const selection = codedSelection(0, 3).replace(
      '</PlainTextSelection>',
      '<NoteRef targetGUID="90000000-0000-0000-0000-000000000001"/></PlainTextSelection>',
    );
    const source = `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Doc" plainTextPath="internal://a.txt"><Description>About this doc</Description>${selection}<NoteRef targetGUID="90000000-0000-0000-0000-000000000002"/></TextSource>`;
    const codes =
      '<Code guid="CCCCCCCC-0000-0000-0000-000000000001" name="Topic" isCodable="true"><NoteRef targetGUID="90000000-0000-0000-0000-000000000003"/></Code>';
    const notes = `<Notes>
      <Note guid="90000000-0000-0000-0000-000000000001" name="On a quote" creatingUser="AAAAAAAA-0000-0000-0000-000000000001" creationDateTime="2024-05-01T10:00:00"><PlainTextContent>Quote note</PlainTextContent></Note>
      <Note guid="90000000-0000-0000-0000-000000000002"><PlainTextContent>Doc note</PlainTextContent></Note>
      <Note guid="90000000-0000-0000-0000-000000000003" plainTextPath="internal://n3.txt"/>
      <Note guid="90000000-0000-0000-0000-000000000004" name="Plan"><PlainTextContent>Project plan</PlainTextContent></Note></Notes>`;
    const zip = zipOf({ 'project.qde': vendorQde(source, { codes, after: notes }), 'sources/a.txt': 'One two', 'sources/n3.txt': 'Code note' });
    const { project, report } = readQdpx(zip, { now: NOW });
    const answer = project.answers[0].id;
    expect(project.memos.map((m) => [m.target.kind, m.target.id, m.text, m.coderName]).sort()).toEqual(
      [
        ['answer', answer, 'On a quote\n\nQuote note', 'Vera'],
        // Notes without a creatingUser are put under one "Imported from …" coder.
        ['answer', answer, 'Doc note', 'Imported from OtherTool 1.0'],
        ['code', 'cccccccc-0000-0000-0000-000000000001', 'Code note', 'Imported from OtherTool 1.0'],
        ['answer', answer, 'About this doc', 'Imported from OtherTool 1.0'],
      ].sort(),
    );
    expect(project.memos.find((m) => m.text.startsWith('On a quote'))!.createdAt).toBe(Date.UTC(2024, 4, 1, 10));
    expect(report.dropped).toEqual(['1 note not attached to a document, case or code ("Plan")']);
  });
});
