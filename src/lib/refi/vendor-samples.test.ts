// @vitest-environment node
/**
 * The three files from other tools in ../shared/refi-qda/vendor-samples (see
 * its README). Counts asserted here were read from the files themselves.
 */
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { IMPORTED_QUESTION, IMPORTED_WAVE } from './names';
import { readQdpx } from './qdpx';
import { HAVE_REFI, refiFile } from './test-support';

const NOW = Date.UTC(2025, 5, 1);
const read = (name: string) => readQdpx(refiFile(`vendor-samples/${name}`), { now: NOW, fileName: name });

describe.skipIf(!HAVE_REFI)('vendor samples', () => {
  it('NVivo for Mac 15: 262 nested codes and 2 users; its 2 sources are blank, and the report says so', () => {
    const { project, report } = read('nvivo-mac15.qdpx');
    expect(project.codes).toHaveLength(262);
    expect(project.codes.filter((c) => c.parentId === null).map((c) => c.name)).toEqual(['rq1_definition', 'rq2_curriculum_and_instruction', 'rq3_process']);
    const programming = project.codes.filter((c) => c.name === 'programming');
    expect(programming.map((c) => project.codes.find((p) => p.id === c.parentId)!.name).sort()).toEqual(['competencies', 'cs_as_programming']);
    expect(project.codes.find((c) => c.name === 'rq1_definition')!.id).toBe('34653336-3766-3235-6466-363134396437');
    expect(project.coders.map((c) => [c.id, c.name])).toEqual([
      ['CP', 'chrisp'],
      ['C', 'cp'],
    ]);
    expect(project.answers).toEqual([]);
    expect(project.codings).toEqual([]);
    expect(project.project.name).toBe('qc project');
    expect(report.kept).toEqual(['262 codes', '2 coders (users)']);
    expect(report.dropped).toEqual(['2 text sources with no text (blank) ("66653866-6334-3535-3435-366637306566", "33663939-3636-3632-3038-613431643463")']);
    expect(report.warnings).toEqual([]);
  });

  it('qc 1.3.2 (QualCoder-style): bare plainTextPaths, 2 sources, 158 selections with 205 codings', () => {
    const { project, report } = read('qc-demo.qdpx');
    expect(project.codes).toHaveLength(262);
    expect(project.coders.map((c) => [c.id, c.name])).toEqual([['39633935-3331-3962-6632-373436373264', 'cp']]);
    expect(project.questions.map((q) => q.id)).toEqual([IMPORTED_QUESTION.id]);
    expect(project.waves.map((w) => [w.id, w.sourceFile])).toEqual([[IMPORTED_WAVE.id, 'qc-demo.qdpx']]);
    // Sources without names are named after their files.
    expect(project.respondents.map((r) => r.id)).toEqual(['board_2017', 'admin-1']);
    const board = project.answers.find((a) => a.respondentId === 'board_2017')!;
    expect(board.id).toBe(answerId(IMPORTED_QUESTION.id, IMPORTED_WAVE.id, 'board_2017'));
    expect(Array.from(board.text)).toHaveLength(52543);
    expect(project.answers.find((a) => a.respondentId === 'admin-1')!.text).toHaveLength(31906);
    expect(project.codings).toHaveLength(205);
    expect(new Set(project.codings.map((c) => `${c.start}:${c.end}`)).size).toBe(158);
    expect(project.codings.every((c) => c.answerId === board.id && c.coderId === '39633935-3331-3962-6632-373436373264')).toBe(true);
    // "line:6" is [320, 400): the whole sixth line (counted from 0), its line end included.
    const line6 = project.codings.find((c) => c.id === '66323339-6466-3364-3266-616537386633')!;
    expect([line6.start, line6.end]).toEqual([320, 400]);
    expect(board.text.slice(320, 400)).toBe('This district goal is engage every student in joyful, purposeful learning that \n');
    expect(project.codes.find((c) => c.id === line6.codeId)).toBeDefined();
    expect(report.kept).toEqual([
      `2 text sources as answers to the question "${IMPORTED_QUESTION.label}" (wave "${IMPORTED_WAVE.name}")`,
      '2 respondents',
      '262 codes',
      '205 codings (158 coded passages)',
      '1 coder (user)',
    ]);
    expect(report.dropped).toEqual([]);
  });

  it('ATLAS.ti 8.4 ("skyloom"): Project.qde and an empty Sources/; codes and code sets kept, every loss reported', () => {
    const { project, report } = read('skyloom-test.qdpx');
    expect(project.codes).toHaveLength(14);
    expect(project.codes.find((c) => c.name === 'Coke::diet Coke')).toMatchObject({ color: '#966450', definition: 'non sucré', parentId: null });
    expect(project.codes.find((c) => c.name === 'milk')!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(project.coders.map((c) => c.name)).toEqual(['Friedrich Markgraf', 'Sebastian Petrausch']);
    expect(project.themes!.map((t) => [t.name, t.codeIds.length])).toEqual([
      ['Feelings', 6],
      ['negative feelings', 4],
      ['Breakfast food', 6],
      ['<3', 0],
      ['positive feelings', 3],
    ]);
    // Its text files are not in the archive: nothing to code, and the report says so.
    expect(project.answers).toEqual([]);
    expect(project.codings).toEqual([]);
    expect(report.dropped).toEqual([
      '1 picture source (image)',
      '3 selections in picture, audio or video sources',
      '7 codings of pictures, audio, video or PDF regions',
      '4 PDF region selections (areas of a page)',
      '1 audio source',
      '2 video sources',
      '3 transcripts of audio or video',
      '1 graph (network view)',
      '8 text sources whose text files are missing from the archive ("1960s Coca Cola commercial - Audio.docx", "1960s Coca Cola commercial - Visual.docx", "1994 Diet Coke-Diet Coke Break.docx", …)',
      '9 codings of those sources',
      '1 link between two items (other than a memo and what it is about) ("Memo-Quotation Relation")',
      '2 notes not attached to a document, case or code ("Research Plan", "My favorite Coke ad")',
      '11 sets of documents none of whose texts could be read ("Mabel", "gender: male", "Simon", …)',
    ]);
    expect(report.kept).toEqual(['14 codes', '2 coders (users)', '5 themes (sets of codes)']);
  });
});
