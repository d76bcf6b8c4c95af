// @vitest-environment node
/**
 * Issue 12's REFI details: question texts travel with each answer (and come
 * back when codebench.json is lost on the way through another tool), the
 * "for NVivo" offsets, XML indentation trimmed from descriptions, a program's
 * own user (ATLAS.ti) not taken for a coder, and document sets as an attribute.
 */
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { trimIndentation } from './description';
import { readQdc } from './qdc';
import { readQdpx, writeQdpx } from './qdpx';
import { nvivoText } from './project-to-refi';
import { RA1, RA2, RA3, RA5, RTEXTS, refiProject, span } from './test-fixtures';
import { codedSelection, HAVE_REFI, vendorQde, xsdErrors, zipOf } from './test-support';

const NOW = Date.UTC(2026, 0, 1);

/** Our .qdpx as another tool gives it back: no codebench.json, its own origin and source names. */
function throughOtherTool(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes);
  delete files['codebench.json'];
  const qde = strFromU8(files['project.qde'])
    .replace('origin="Codebench"', 'origin="NVivo 12"')
    .replace(/(<TextSource [^>]*name=")[^"]*"/g, '$1Document"');
  files['project.qde'] = new TextEncoder().encode(qde);
  return zipSync(files);
}

describe('question texts on answers', () => {
  it("writes each answer's question key, label and text and its wave's name as variables of its source", () => {
    const qde = strFromU8(unzipSync(writeQdpx(refiProject()))['project.qde']);
    for (const name of ['Question key', 'Question label', 'Question text', 'Wave name']) expect(qde).toContain(`name="${name}"`);
    expect(qde).toContain('<TextValue>What kept you going?</TextValue>');
    expect(qde).toContain('<TextValue>Rewards</TextValue>');
  });

  it('gives back question keys, labels and texts and wave names from the .qde alone, also after another tool rewrote it', () => {
    const original = refiProject();
    for (const bytes of [writeQdpx(original, { extras: false }), throughOtherTool(writeQdpx(original))]) {
      const { project, report } = readQdpx(bytes, { now: NOW });
      const questions = project.questions.map((q) => [q.id, q.key, q.label, q.text]).sort();
      expect(questions).toEqual(original.questions.map((q) => [q.id, q.key, q.label, q.text]).sort());
      expect(project.waves.map((w) => [w.id, w.name]).sort()).toEqual(original.waves.map((w) => [w.id, w.name]).sort());
      // They describe the answer, not the respondent: no attribute named after them.
      expect(project.attributes.map((a) => a.name).sort()).toEqual(['institution', 'role']);
      expect(project.answers.map((a) => a.id).sort()).toEqual(original.answers.map((a) => a.id).sort());
      expect(report.dropped).toEqual([]);
    }
  });

  it('without those variables (an older file) the ids stand in, as before', () => {
    const files = unzipSync(writeQdpx(refiProject(), { extras: false }));
    files['project.qde'] = new TextEncoder().encode(
      strFromU8(files['project.qde']).replace(
        /<VariableValue>\s*<VariableRef targetGUID="[^"]*"\s*\/>\s*<TextValue>(What kept you going\?|What got in the way\?\r?\n?[^<]*|Rewards|Barriers|Q5|Q6)<\/TextValue>\s*<\/VariableValue>/g,
        '',
      ),
    );
    const { project } = readQdpx(zipSync(files), { now: NOW });
    expect(project.questions.find((q) => q.id === 'q-rewards')).toMatchObject({ key: 'q-rewards', text: '' });
  });
});

describe('offsets for NVivo', () => {
  it('nvivoText: line ends CR LF, offsets in UTF-16 units of that text', () => {
    const { text, offsets } = nvivoText('a🙂b\nc\r\nd');
    expect(text).toBe('a🙂b\r\nc\r\nd');
    // Code points: a 🙂 b \n c \r \n d → UTF-16 of the written text.
    expect(offsets).toEqual([0, 1, 3, 4, 6, 7, 8, 9, 10]);
    expect(nvivoText('')).toEqual({ text: '', offsets: [0] });
  });

  it('writes CR LF texts and UTF-16 offsets, and reads its own "for NVivo" file back to the same codings', () => {
    const original = refiProject();
    const bytes = writeQdpx(original, { offsets: 'nvivo' });
    const files = unzipSync(bytes);
    const qde = strFromU8(files['project.qde']);
    expect(qde).toContain('origin="Codebench (for NVivo)"');
    const texts = Object.entries(files)
      .filter(([n]) => n.startsWith('sources/'))
      .map(([, b]) => strFromU8(b));
    expect(texts.some((t) => t.includes('going.\r\nThanks!'))).toBe(true);
    expect(texts.every((t) => !/[^\r]\n/.test(t))).toBe(true);
    // "every week" after 🙂 in RA1: code points 20–30, UTF-16 21–31.
    expect(span(RTEXTS[RA1], 'every week')).toEqual([20, 30]);
    expect(qde).toMatch(/startPosition="21" endPosition="31"/);
    expect(strFromU8(unzipSync(writeQdpx(original))['project.qde'])).toMatch(/startPosition="20" endPosition="30"/);

    const { project, report } = readQdpx(bytes, { now: NOW });
    const key = (c: { answerId: string; codeId: string; start: number | null; end: number | null }) => `${c.answerId}|${c.codeId}|${c.start}|${c.end}`;
    // RA2 was stored with CR LF: it comes back with LF (as every text from NVivo does), its coding on the same words.
    const notRa2 = (c: { answerId: string }) => c.answerId !== RA2;
    expect(project.codings.filter(notRa2).map(key).sort()).toEqual(original.codings.filter(notRa2).map(key).sort());
    for (const id of [RA1, RA3, RA5]) expect(project.answers.find((a) => a.id === id)!.text).toBe(original.answers.find((a) => a.id === id)!.text);
    const ra2 = project.answers.find((a) => a.id === RA2)!.text;
    expect(ra2).toBe(RTEXTS[RA2].replace(/\r\n/g, '\n'));
    const selected = (text: string, c: { start: number | null; end: number | null }) => Array.from(text).slice(c.start!, c.end!).join('');
    const before = original.codings.find((c) => c.answerId === RA2)!;
    const after = project.codings.find((c) => c.answerId === RA2 && c.codeId === before.codeId)!;
    expect(selected(ra2, after)).toBe(selected(RTEXTS[RA2], before).replace(/\r\n/g, '\n'));
    expect(report.warnings).toEqual([]);
  });
});

describe.skipIf(!HAVE_REFI)('schema', () => {
  it('the .qde with the answer details, standard and for NVivo, is valid against Project.xsd', async () => {
    for (const offsets of ['code-points', 'nvivo'] as const) {
      const qde = strFromU8(unzipSync(writeQdpx(refiProject(), { offsets }))['project.qde']);
      expect(await xsdErrors(qde, 'Project.xsd'), offsets).toEqual([]);
    }
  });
});

describe('descriptions from other tools', () => {
  it('trimIndentation drops blank first and last lines and the indentation the lines share', () => {
    expect(trimIndentation('\n        All emotions.\n    ')).toBe('All emotions.');
    expect(trimIndentation('\n    First line.\n      Indented more.\n\n    Last.\n  ')).toBe('First line.\n  Indented more.\n\nLast.');
    expect(trimIndentation('Plain text, kept.')).toBe('Plain text, kept.');
    expect(trimIndentation('Line one\r\nLine two')).toBe('Line one\r\nLine two');
    expect(trimIndentation('   \n  \n')).toBe('');
  });

  it('a .qdc description indented in the XML is read without the indentation', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="11111111-0000-0000-0000-000000000001" name="Calm" isCodable="true">
    <Description>
      Low arousal.

      Inclusion criteria: Says so.
    </Description>
  </Code>
</Codes></CodeBook>`;
    expect(readQdc(xml).codes[0]).toMatchObject({ definition: 'Low arousal.', inclusion: 'Says so.' });
  });
});

describe('users and sets of other tools', () => {
  const ATLAS_USERS = '<User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Vera"/><User guid="AAAAAAAA-0000-0000-0000-000000000002" name="ATLAS.ti"/>';

  it('ATLAS.ti\'s built-in user is no coder: what it made goes to the project\'s creator, else to an "Imported from" coder', () => {
    const byAtlas = codedSelection(0, 5).replace('creatingUser="AAAAAAAA-0000-0000-0000-000000000001"', 'creatingUser="AAAAAAAA-0000-0000-0000-000000000002"');
    const source = `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Doc" plainTextPath="internal://a.txt">${byAtlas}</TextSource>`;
    const qde = vendorQde(source, { users: ATLAS_USERS, origin: 'ATLAS.ti for Windows 23.2' });
    const withCreator = qde.replace(
      'origin="ATLAS.ti for Windows 23.2"',
      'origin="ATLAS.ti for Windows 23.2" creatingUserGUID="AAAAAAAA-0000-0000-0000-000000000001"',
    );
    const one = readQdpx(zipOf({ 'project.qde': withCreator, 'sources/a.txt': 'Hello there' }), { now: NOW });
    expect(one.project.coders.map((c) => c.name)).toEqual(['Vera']);
    expect(one.project.codings.map((c) => c.coderId)).toEqual(['AAAAAAAA-0000-0000-0000-000000000001'.toLowerCase()]);
    const two = readQdpx(zipOf({ 'project.qde': qde, 'sources/a.txt': 'Hello there' }), { now: NOW });
    expect(two.project.coders.map((c) => c.name)).toEqual(['Vera', 'Imported from ATLAS.ti for Windows 23.2']);
    expect(two.project.codings[0].coderId).toBe('refi-import');
    for (const read of [one, two])
      expect(read.report.warnings.join(' ')).toMatch(/"ATLAS\.ti" is the program itself.*attributed to the user who made the text selection or document/);
  });

  it("says nothing of ATLAS.ti's built-in user when it made nothing in the file; what it coded in someone's selection is theirs", () => {
    const source = (selection: string) =>
      `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Doc" plainTextPath="internal://a.txt">${selection}</TextSource>`;
    const read = (selection: string) =>
      readQdpx(zipOf({ 'project.qde': vendorQde(source(selection), { users: ATLAS_USERS, origin: 'ATLAS.ti 23' }), 'sources/a.txt': 'Hello there' }), {
        now: NOW,
      });
    const byVera = read(codedSelection(0, 5));
    expect(byVera.project.coders.map((c) => c.name)).toEqual(['Vera']);
    expect(byVera.report.warnings.join(' ')).not.toMatch(/program itself/);
    // The coding is ATLAS.ti's, its selection Vera's: Vera's, and the report says why.
    const inVeras = read(
      codedSelection(0, 5)
        .replace('<PlainTextSelection ', '<PlainTextSelection creatingUser="AAAAAAAA-0000-0000-0000-000000000001" ')
        .replace(
          '<Coding guid="DDDDDDDD-0000-0000-0000-000000000001" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"',
          '<Coding guid="DDDDDDDD-0000-0000-0000-000000000001" creatingUser="AAAAAAAA-0000-0000-0000-000000000002"',
        ),
    );
    expect(inVeras.project.codings.map((c) => c.coderId)).toEqual(['aaaaaaaa-0000-0000-0000-000000000001']);
    expect(inVeras.report.warnings.join(' ')).toMatch(/"ATLAS\.ti" is the program itself/);
  });

  it('a set of documents becomes the attribute "Document set" of their respondents; a document in two sets has both', () => {
    const sources = ['1', '2', '3']
      .map((n) => `<TextSource guid="BBBBBBBB-0000-0000-0000-00000000000${n}" name="Doc ${n}" plainTextPath="internal://${n}.txt"/>`)
      .join('');
    const sets = `<Sets>
      <Set guid="99999999-0000-0000-0000-000000000001" name="Spring"><MemberSource targetGUID="BBBBBBBB-0000-0000-0000-000000000001"/><MemberSource targetGUID="BBBBBBBB-0000-0000-0000-000000000002"/></Set>
      <Set guid="99999999-0000-0000-0000-000000000002" name="Pilot"><MemberSource targetGUID="BBBBBBBB-0000-0000-0000-000000000002"/></Set>
      <Set guid="99999999-0000-0000-0000-000000000003" name="Gone"><MemberSource targetGUID="BBBBBBBB-0000-0000-0000-000000000009"/></Set>
    </Sets>`;
    const { project, report } = readQdpx(
      zipOf({ 'project.qde': vendorQde(sources, { after: sets }), 'sources/1.txt': 'one', 'sources/2.txt': 'two', 'sources/3.txt': 'three' }),
      {
        now: NOW,
      },
    );
    const set = (id: string) => project.respondents.find((r) => r.id === id)!.attributes['Document set'];
    expect([set('Doc 1'), set('Doc 2'), set('Doc 3')]).toEqual(['Spring', 'Spring; Pilot', undefined]);
    expect(report.kept).toContain('2 sets of documents as the attribute "Document set" of the respondents whose texts they hold');
    expect(report.dropped).toEqual(['1 set of documents none of whose texts could be read ("Gone")']);
  });

  it('a respondent whose answers are in different sets has them all, in the order of the sets, without a warning', () => {
    // R001 answered three times; one answer is in "Spring", another in "Pilot" (our file, from a tool that grouped documents).
    const files = unzipSync(writeQdpx(refiProject(), { extras: false }));
    const member = (guid: string) => `<MemberSource targetGUID="${guid}"/>`;
    const sets = `<Set guid="99999999-0000-0000-0000-000000000001" name="Spring">${member('1878735a-163c-548d-a7d4-4e52ecd84c1b')}</Set>
      <Set guid="99999999-0000-0000-0000-000000000002" name="Pilot">${member('ee89b867-cd42-5e2f-9c4f-7d02521718b0')}</Set>`;
    const qde = strFromU8(files['project.qde']);
    expect(qde).toContain('<TextSource guid="ee89b867-cd42-5e2f-9c4f-7d02521718b0"');
    files['project.qde'] = new TextEncoder().encode(
      qde.includes('<Sets>') ? qde.replace('<Sets>', `<Sets>${sets}`) : qde.replace('</Project>', `<Sets>${sets}</Sets></Project>`),
    );
    const { project, report } = readQdpx(zipSync(files), { now: NOW });
    const set = (id: string) => project.respondents.find((r) => r.id === id)!.attributes['Document set'];
    expect([set('R001'), set('R002')]).toEqual(['Spring; Pilot', undefined]);
    expect(project.attributes.find((a) => a.name === 'Document set')?.values).toEqual(['Spring; Pilot']);
    expect(report.warnings.join(' ')).not.toMatch(/given twice/);
  });
});
