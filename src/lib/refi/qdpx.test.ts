// @vitest-environment node
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { projectFileFromData, writeProjectFile, type ProjectFile } from '../exchange/project-file';
import { RefiError } from './errors';
import { guidFor } from './guid';
import { QDPX_MAX_ANSWERS, readQdpx, writeQdpx } from './qdpx';
import { RA1, RA2, RA3, RA4, RA5, RTEXTS, refiProject, span } from './test-fixtures';
import { HAVE_REFI, xsdErrors } from './test-support';

/** The canonical project-file text: lists sorted by id, so two projects compare field by field. */
function canonical(file: ProjectFile): string {
  const { format: _format, version: _version, ...rest } = file;
  return writeProjectFile(rest);
}

const NOW = Date.UTC(2025, 5, 1);

describe('writeQdpx → readQdpx (our own files)', () => {
  it('gives back exactly the same project (with codebench.json)', () => {
    const input = refiProject();
    const { project, report } = readQdpx(writeQdpx(input), { now: NOW });
    expect(canonical(project)).toBe(canonical(projectFileFromData(input)));
    expect(report.dropped).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.kept).toEqual([
      '5 answers to 2 questions in 2 waves',
      '3 respondents with 2 attributes',
      '5 codes',
      '9 codings (7 coded passages)',
      '3 coders (users)',
      '3 memos',
      '2 themes (sets of codes)',
    ]);
  });

  it('keeps answers, respondents, codes, codings, coders, memos and themes from the .qde alone (no extras)', () => {
    const input = refiProject();
    const { project } = readQdpx(writeQdpx(input, { extras: false }), { now: NOW });
    const code = (id: string) => guidFor('code', id, input.project.id);

    // Answers: exact texts (emoji, combining accents, CR LF, tab) under their question, wave and respondent.
    expect(project.answers.map((a) => [a.id, a.text]).sort()).toEqual(Object.entries(RTEXTS).sort());
    expect(project.questions.map((q) => q.id).sort()).toEqual(['q-barriers', 'q-rewards']);
    expect(project.waves.map((w) => w.id).sort()).toEqual(['6-months', 'baseline']);
    // Respondents with their attributes, including R003 who has no answers.
    expect(project.respondents.map((r) => [r.id, r.attributes])).toEqual(input.respondents.map((r) => [r.id, r.attributes]));
    expect(project.attributes.map((a) => [a.name, a.values])).toEqual([
      ['role', ['Mentee', 'Mentor']],
      ['institution', ['Université de Montréal', 'Nguyễn & “Partners”']],
    ]);
    // Codes: nesting, colours, the four texts, under GUID ids.
    expect(project.codes.map((c) => [c.id, c.parentId, c.name, c.color, c.definition, c.inclusion, c.exclusion, c.example]).sort()).toEqual(
      input.codes.map((c) => [code(c.id), c.parentId && code(c.parentId), c.name, c.color, c.definition, c.inclusion, c.exclusion, c.example]).sort(),
    );
    // Codings: the same spans of the same texts (a whole-answer coding becomes the whole text).
    const spans = (file: ProjectFile, codeId: (id: string) => string) =>
      file.codings
        .map((c) => {
          const text = RTEXTS[c.answerId];
          const [s, e] = c.start === null ? [0, Array.from(text).length] : [c.start, c.end!];
          return [c.answerId, codeId(c.codeId), c.coderId, s, e, Array.from(text).slice(s, e).join('')].join('|');
        })
        .sort();
    expect(spans(project, (id) => id)).toEqual(spans(input, code));
    // Coders by id and name (memo authors become users, and so coders).
    expect(project.coders.map((c) => [c.id, c.name])).toEqual([
      ['0f0e0d0c-0b0a-4908-8706-050403020100', 'Bob'],
      ['coder-alice', 'Alice Ångström'],
      ['guest', 'A guest'],
    ]);
    // Memos on an answer, a respondent and a code, with their authors and dates.
    expect(project.memos.map((m) => [m.target.kind, m.target.id, m.text, m.coderId, m.createdAt, m.updatedAt]).sort()).toEqual(
      input.memos.map((m) => [m.target.kind, m.target.kind === 'code' ? code(m.target.id) : m.target.id, m.text, m.coderId, m.createdAt, m.updatedAt]).sort(),
    );
    // Themes with their codes.
    expect(project.themes!.map((t) => [t.name, t.description, t.codeIds])).toEqual(input.themes!.map((t) => [t.name, t.description, t.codeIds.map(code)]));
  });

  it('counts offsets in code points: spans after emoji, accents and CR LF point at the same words', () => {
    const { project } = readQdpx(writeQdpx(refiProject(), { extras: false }), { now: NOW });
    const quote = (answer: string, codeName: string) => {
      const codeId = project.codes.find((c) => c.name === codeName)!.id;
      const c = project.codings.find((x) => x.answerId === answer && x.codeId === codeId)!;
      return Array.from(RTEXTS[answer]).slice(c.start!, c.end!).join('');
    };
    expect(quote(RA1, 'Mentor')).toBe('every week');
    expect(quote(RA2, 'Funding')).toBe('Not enough funding');
    expect(quote(RA3, 'Place')).toBe('café «Zoë»');
    expect(quote(RA3, 'Support & <care>')).toBe('lab 🧪🔬');
    expect(quote(RA5, 'Place')).toBe('𝒳 math');
    expect(span(RTEXTS[RA3], 'café «Zoë»')).toEqual([33, 43]);
    expect(project.codings.find((c) => c.answerId === RA4)).toMatchObject({ start: 0, end: 3 });
  });

  it('writes the .qdpx layout of §8: project.qde, sources/<guid>.txt in UTF-8, internal:// paths', () => {
    const input = refiProject();
    const files = unzipSync(writeQdpx(input));
    const guid = guidFor('answer', RA2, input.project.id);
    expect(Object.keys(files).sort()).toEqual([
      'codebench.json',
      'project.qde',
      ...input.answers.map((a) => `sources/${guidFor('answer', a.id, input.project.id)}.txt`).sort(),
    ]);
    expect(strFromU8(files[`sources/${guid}.txt`])).toBe(RTEXTS[RA2]);
    const qde = strFromU8(files['project.qde']);
    expect(qde).toContain(`plainTextPath="internal://${guid}.txt"`);
    expect(qde).toContain('name="Q5 · Baseline · R002"');
  });

  it.skipIf(!HAVE_REFI)('writes a project.qde that validates against Project.xsd', async () => {
    const qde = strFromU8(unzipSync(writeQdpx(refiProject()))['project.qde']);
    expect(await xsdErrors(qde, 'Project.xsd')).toEqual([]);
    // And the check can fail: a selection without its required endPosition is caught.
    expect((await xsdErrors(qde.replace(/ endPosition="\d+"/, ''), 'Project.xsd')).join()).toMatch(/endPosition/);
  });

  it.skipIf(!HAVE_REFI)('writes valid XML for a project without codes, memos or themes too', async () => {
    const bare = { ...refiProject(), codes: [], codings: [], memos: [], themes: [] };
    const qde = strFromU8(unzipSync(writeQdpx(bare))['project.qde']);
    expect(qde).not.toContain('<CodeBook>');
    expect(await xsdErrors(qde, 'Project.xsd')).toEqual([]);
  });

  it('is deterministic and stable: the same project gives the same bytes, and export → import → export too', () => {
    const bytes = writeQdpx(refiProject());
    expect(writeQdpx(refiProject())).toEqual(bytes);
    expect(writeQdpx(readQdpx(bytes, { now: NOW }).project)).toEqual(bytes);
    const lean = writeQdpx(refiProject(), { extras: false });
    const once = readQdpx(lean, { now: NOW }).project;
    const twice = readQdpx(writeQdpx(once, { extras: false }), { now: NOW }).project;
    expect(canonical(twice)).toBe(canonical({ ...once, project: twice.project, exportedAt: twice.exportedAt }));
  });

  it('restores exemplar and suggested marks from the extras, and reads extras written before the suggested mark', () => {
    const input = refiProject();
    const files = unzipSync(writeQdpx(input));
    const extras = JSON.parse(strFromU8(files['codebench.json'])) as Record<string, unknown>;
    expect(extras.suggestedCodings).toEqual(['c8']);
    const marks = (file: ProjectFile) => file.codings.filter((c) => c.exemplar || c.suggested).map((c) => [c.id, c.exemplar, c.suggested]);
    expect(marks(readQdpx(zipSync(files), { now: NOW }).project)).toEqual([
      ['c2', true, undefined],
      ['c8', undefined, true],
    ]);
    // Extras of an earlier version: no list of suggested codings, so none are, and everything else comes back.
    delete extras.suggestedCodings;
    files['codebench.json'] = new TextEncoder().encode(JSON.stringify(extras));
    const { project, report } = readQdpx(zipSync(files), { now: NOW });
    expect(report.warnings).toEqual([]);
    expect(marks(project)).toEqual([['c2', true, undefined]]);
    const unmarked = { ...input, codings: input.codings.map(({ suggested: _s, ...c }) => c) };
    expect(canonical(project)).toBe(canonical(projectFileFromData(unmarked)));
    // A list that is not a list: the extras are not ours to read, and the .qde alone is.
    files['codebench.json'] = new TextEncoder().encode(JSON.stringify({ ...extras, suggestedCodings: 'c8' }));
    expect(readQdpx(zipSync(files), { now: NOW }).project.codings.some((c) => c.suggested || c.exemplar)).toBe(false);
  });

  it('ignores extras that do not belong to the .qde, with a warning', () => {
    const files = unzipSync(writeQdpx(refiProject()));
    files['project.qde'] = new TextEncoder().encode(strFromU8(files['project.qde']).replace('name="Bob"', 'name="Robert"'));
    const { project, report } = readQdpx(zipSync(files), { now: NOW });
    expect(report.warnings.join()).toMatch(/codebench\.json does not belong to this project\.qde/);
    expect(project.coders.find((c) => c.name === 'Robert')).toBeDefined();
    expect(project.codings.every((c) => c.start !== null)).toBe(true);
  });

  it('refuses to export an invalid project or one too large for a zip without zip64', () => {
    const broken = refiProject();
    broken.codings[0] = { ...broken.codings[0], end: 999 };
    expect(() => writeQdpx(broken)).toThrow(RefiError);
    expect(() => writeQdpx(broken)).toThrow(/Cannot export the project: codings\[0\]\.end \(999\) is past the end/);
    const big = refiProject();
    big.answers = Array.from({ length: QDPX_MAX_ANSWERS + 1 }, (_, i) => ({
      ...big.answers[0],
      respondentId: 'R001',
      id: '',
      questionId: 'q-rewards',
      waveId: 'baseline',
      text: `a${i}`,
    }));
    expect(() => writeQdpx(big)).toThrow(RefiError);
  });
});
