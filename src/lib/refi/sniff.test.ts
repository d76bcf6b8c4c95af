// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeQdpx } from './qdpx';
import { projectFromQdc, projectNameForCodebook } from './qdc-project';
import { readQdc } from './qdc';
import { RefiError } from './errors';
import { SNIFF_BYTES, sniffProjectFile, unopenableMessage } from './sniff';
import { refiProject } from './test-fixtures';
import { makeXlsx } from '../../../tests/fixtures/import/make-xlsx';

const text = (s: string) => new TextEncoder().encode(s);
const DIR = path.resolve('..', 'shared', 'real-files', 'refi');
const SURVEYS = path.resolve('..', 'shared', 'real-files', 'survey');

describe('sniffProjectFile: what a file is, from its first bytes', () => {
  it('tells a .qdpx (zip), a codebook (XML root CodeBook), a Codebench file (gzip or JSON) and anything else apart', () => {
    expect(sniffProjectFile(writeQdpx(refiProject()).subarray(0, SNIFF_BYTES))).toEqual({ kind: 'qdpx' });
    expect(sniffProjectFile(gzipSync(text('{"format":"codebench-project"}')))).toEqual({ kind: 'codebench' });
    expect(sniffProjectFile(text('  {"format":"codebench-project"}'))).toEqual({ kind: 'codebench' });
    const qdc = '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- exported -->\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>';
    expect(sniffProjectFile(text(qdc))).toEqual({ kind: 'qdc' });
    expect(sniffProjectFile(text('<qda:CodeBook xmlns:qda="urn:QDA-XML:codebook:1.0"/>'))).toEqual({ kind: 'qdc' });
    expect(sniffProjectFile(text('<?xml version="1.0"?><Project name="x"/>'))).toEqual({ kind: 'xml', root: 'Project' });
    expect(sniffProjectFile(text('<html><body/></html>'))).toEqual({ kind: 'xml', root: 'html' });
    expect(sniffProjectFile(text('respondent,answer\n1,yes'))).toEqual({ kind: 'unknown' });
    expect(sniffProjectFile(new Uint8Array())).toEqual({ kind: 'unknown' });
  });

  it.skipIf(!existsSync(DIR))('recognises every real file by its content', () => {
    for (const name of ['nvivo-win12-oltas.qdpx', 'maxqda24-icls.qdpx', 'atlas-blank.qdpx', 'qc120-demo.qdpx']) {
      expect(sniffProjectFile(new Uint8Array(readFileSync(path.join(DIR, name))).subarray(0, SNIFF_BYTES)), name).toEqual({ kind: 'qdpx' });
    }
    for (const name of ['atlas-win23-requal.qdc', 'openqda-mastodonmoodboard-example.qdc', 'taguette-test-codebook.qdc']) {
      expect(sniffProjectFile(new Uint8Array(readFileSync(path.join(DIR, name))).subarray(0, SNIFF_BYTES)), name).toEqual({ kind: 'qdc' });
    }
  });

  it('tells a spreadsheet or a document (zips too) from a .qdpx by its first entry, and says what it is', () => {
    const xlsx = makeXlsx([
      {
        name: 'Answers',
        rows: [
          ['id', 'answer'],
          ['1', 'yes'],
        ],
      },
    ]);
    expect(sniffProjectFile(xlsx.subarray(0, SNIFF_BYTES))).toEqual({ kind: 'office', what: 'spreadsheet' });
    const docx = zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      '_rels/.rels': strToU8('<Relationships/>'),
      'word/document.xml': strToU8('<w:document/>'),
    });
    expect(sniffProjectFile(docx.subarray(0, SNIFF_BYTES))).toEqual({ kind: 'office', what: 'document' });
    // A .qdpx whose first entry is a source (as NVivo's and MAXQDA's are), even a .docx one, is still a .qdpx.
    expect(sniffProjectFile(zipSync({ 'Sources/a.docx': docx, 'project.qde': strToU8('<Project/>') }).subarray(0, SNIFF_BYTES))).toEqual({ kind: 'qdpx' });
    expect(unopenableMessage({ kind: 'office', what: 'spreadsheet' }, 'answers.xlsx')).toMatch(/“answers\.xlsx” is a spreadsheet.*use “Import a survey…”/);
    expect(unopenableMessage({ kind: 'office', what: 'document' }, 'notes.docx')).toMatch(/“notes\.docx” is a Word document, not a project file/);
  });

  it.skipIf(!existsSync(SURVEYS))('takes no real survey workbook for a .qdpx', () => {
    for (const name of ['gforms-hotdog-fa25.xlsx', 'qualcoder-survey789.xlsx']) {
      const head = new Uint8Array(readFileSync(path.join(SURVEYS, name))).subarray(0, SNIFF_BYTES);
      expect(sniffProjectFile(head), name).toEqual({ kind: 'office', what: 'spreadsheet' });
    }
  });

  it('says what a refused file is and what to choose instead', () => {
    expect(unopenableMessage({ kind: 'xml', root: 'Project' }, 'project.qde')).toMatch(/project\.qde on its own\. Open the \.qdpx/);
    expect(unopenableMessage({ kind: 'xml', root: 'html' }, 'page.xml')).toMatch(/not a REFI-QDA codebook \(its first element is <html>/);
    expect(unopenableMessage({ kind: 'unknown' }, 'answers.csv')).toMatch(/“answers\.csv” is not a project file.*Import a survey…/);
  });
});

describe('projectFromQdc: a codebook as a new project', () => {
  const xml = `<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
    <Code guid="11111111-0000-0000-0000-000000000001" name="Calm" isCodable="true"><Code guid="11111111-0000-0000-0000-000000000002" name="Very calm" isCodable="true"/></Code>
  </Codes><Sets><Set guid="22222222-0000-0000-0000-000000000001" name="Moods"><MemberCode guid="11111111-0000-0000-0000-000000000001"/></Set></Sets></CodeBook>`;

  it('holds the codes and themes, no answers, and is named after the file', () => {
    const { project, report } = projectFromQdc(readQdc(xml), { fileName: 'Moods v2.qdc', projectId: 'p1', now: Date.UTC(2026, 0, 1) });
    expect(project.project).toMatchObject({ id: 'p1', name: 'Moods v2' });
    expect(project.codes.map((c) => [c.name, c.parentId])).toEqual([
      ['Calm', null],
      ['Very calm', '11111111-0000-0000-0000-000000000001'],
    ]);
    expect(project.themes?.map((t) => t.name)).toEqual(['Moods']);
    expect([project.answers, project.questions, project.waves, project.coders]).toEqual([[], [], [], []]);
    expect(report.kept).toEqual(['2 codes (1 at the top level)', '1 theme (set of codes)']);
    expect(projectNameForCodebook('.qdc')).toBe('Imported codebook');
  });

  it('refuses a codebook without codes', () => {
    const empty = readQdc('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>');
    expect(() => projectFromQdc(empty, { fileName: 'e.qdc', projectId: 'p', now: 0 })).toThrow(RefiError);
  });
});
