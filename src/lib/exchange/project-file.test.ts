// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { ExchangeError } from './exchange-error';
import { projectFileEntities } from './project-entities';
import { readProjectFile, writeProjectFile, type ProjectFileInput } from './project-file';
import { A1, A2, A3, A4, T0, TEXTS, sampleProjectFile } from './test-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, changed freely to build broken files
type Json = Record<string, any>;

function errorAfter(edit: (doc: Json) => void): string {
  const doc = JSON.parse(writeProjectFile(sampleProjectFile())) as Json;
  edit(doc);
  try {
    readProjectFile(JSON.stringify(doc));
  } catch (err) {
    expect(err).toBeInstanceOf(ExchangeError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('writeProjectFile / readProjectFile', () => {
  it('reads back what it wrote', () => {
    const input = sampleProjectFile();
    const file = readProjectFile(writeProjectFile(input));
    expect(file.format).toBe('codebench-project');
    expect(file.version).toBe(1);
    expect(file.project).toEqual(input.project);
    expect(file.waves.map((w) => w.id)).toEqual(['6-months', 'baseline']);
    expect(file.waves.find((w) => w.id === 'baseline')).toEqual(input.waves[0]);
    expect(file.questions.map((q) => q.id)).toEqual(['q-barriers', 'q-rewards']);
    expect(file.attributes.map((a) => a.name)).toEqual(['institution', 'role']);
    expect(file.attributes[0].values).toEqual(['Uni B', 'Uni A']); // first-seen order kept
    expect(file.respondents).toEqual(input.respondents); // project order kept
    expect(new Set(file.answers.map((a) => a.id))).toEqual(new Set([A1, A2, A3, A4]));
    for (const a of file.answers) expect(a.text).toBe(TEXTS[a.id]);
    expect(file.codings).toHaveLength(3);
    expect(file.memos[0].text).toBe('Weekly 🙂\r\nmeetings');
  });

  it('carries an attribute’s label through the file and into the project, and reads a file without one', () => {
    const input = sampleProjectFile();
    input.attributes = input.attributes.map((a) => (a.name === 'role' ? { ...a, label: 'Role' } : a));
    const text = writeProjectFile(input);
    const file = readProjectFile(text);
    expect(file.attributes.map((a) => a.label)).toEqual([undefined, 'Role']);
    expect(writeProjectFile(file)).toBe(text);
    expect(projectFileEntities(file).attributes.map((a) => a.label)).toEqual([undefined, 'Role']);
  });

  it('carries the suggested mark into the file and the project, and reads a file without it as by hand', () => {
    const input = sampleProjectFile();
    input.codings = input.codings.map((c) => (c.id === 'k-3' ? { ...c, suggested: true } : c));
    const text = writeProjectFile(input);
    const file = readProjectFile(text);
    expect(file.codings.filter((c) => c.suggested === true).map((c) => c.id)).toEqual(['k-3']);
    expect(writeProjectFile(file)).toBe(text);
    expect(projectFileEntities(file).codings.find((c) => c.id === 'k-3')).toMatchObject({ suggested: true, projectId: 'p-1' });
    const older = readProjectFile(writeProjectFile(sampleProjectFile()));
    expect(older.codings.some((c) => 'suggested' in c)).toBe(false);
  });

  it('writes identical bytes after reading (export → import → export)', () => {
    const text = writeProjectFile(sampleProjectFile());
    expect(writeProjectFile(readProjectFile(text))).toBe(text);
  });

  it('groups answers by question then wave, keeping the order within a group', () => {
    const input = sampleProjectFile();
    input.respondents.push({ id: 'R000', attributes: {}, waves: ['baseline'] });
    const r0 = answerId('q-rewards', 'baseline', 'R000');
    input.answers.push({ id: r0, questionId: 'q-rewards', waveId: 'baseline', respondentId: 'R000', text: 'Last' });
    const order = readProjectFile(writeProjectFile(input)).answers.map((a) => a.id);
    expect(order).toEqual([A4, A3, A2, A1, r0]);
  });

  it('stores answers as their three parts, not the joined id', () => {
    const text = writeProjectFile(sampleProjectFile());
    expect(text).toContain('{"questionId":"q-rewards","waveId":"baseline","respondentId":"R002","text":"Too little time.\\r\\nNot enough funding either."}');
    const answersLine = text.split('\n').find((line) => line.includes('"Too little time.'))!;
    expect(answersLine).not.toContain('\\u001f');
  });

  it('leaves blank attribute values out and sorts attribute keys and respondent waves', () => {
    const input = sampleProjectFile();
    input.respondents[1] = { id: 'R001', attributes: { role: 'mentee', institution: '' }, waves: ['baseline', '6-months'] };
    const text = writeProjectFile(input);
    expect(text).toContain('{"id":"R001","attributes":{"role":"mentee"},"waves":["6-months","baseline"]}');
    expect(text).toContain('{"id":"R002","attributes":{"institution":"Uni A","role":"mentor"},"waves":["baseline"]}');
  });

  it('keeps an attribute called "__proto__" as data', () => {
    const input = sampleProjectFile();
    input.attributes.push({ name: '__proto__', order: 2, values: ['x'] });
    input.respondents[0].attributes = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    const file = readProjectFile(writeProjectFile(input));
    expect(Object.getOwnPropertyNames(file.respondents[0].attributes)).toEqual(['__proto__']);
    expect(Object.entries(file.respondents[0].attributes)).toEqual([['__proto__', 'x']]);
  });

  it('reads no inherited value for an attribute called "constructor" that a respondent has no value for', () => {
    const input = sampleProjectFile();
    input.attributes.push({ name: 'constructor', order: 2, values: ['x'] });
    const file = readProjectFile(writeProjectFile(input));
    expect(file.respondents[0].attributes['constructor']).toBeUndefined();
    expect(projectFileEntities(file).respondents[0].attributes['constructor']).toBeUndefined();
  });

  it('round-trips generated projects byte for byte (fast-check)', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9-]{1,6}$/), { minLength: 1, maxLength: 8 }),
        fc.array(text, { minLength: 16, maxLength: 16 }),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        (respondentIds, texts, present) => {
          const input = sampleProjectFile();
          input.codings = [];
          input.memos = [];
          input.respondents = respondentIds.map((id, i) => ({
            id,
            attributes: i % 2 ? { role: texts[i] } : ({} as Record<string, string>),
            waves: ['6-months', 'baseline'],
          }));
          input.answers = [];
          respondentIds.forEach((r, i) => {
            for (const [k, q] of ['q-rewards', 'q-barriers'].entries()) {
              if (!present[(i * 2 + k) % 16]) continue;
              input.answers.push({ id: answerId(q, 'baseline', r), questionId: q, waveId: 'baseline', respondentId: r, text: texts[(i + k) % 16] });
            }
          });
          const first = writeProjectFile(input);
          const read = readProjectFile(first);
          expect(read.respondents).toEqual(input.respondents);
          expect(writeProjectFile(read)).toBe(first);
        },
      ),
    );
  });
});

describe('code keys in the project file', () => {
  it('are carried with each code, a cleared key ("") too, and a file without them reads as before', () => {
    const input = sampleProjectFile();
    input.codes = input.codes.map((c, i) => ({ ...c, shortcut: i === 0 ? '' : String(i) }));
    const text = writeProjectFile(input);
    const file = readProjectFile(text);
    expect(Object.fromEntries(file.codes.map((c) => [c.id, c.shortcut]))).toEqual(Object.fromEntries(input.codes.map((c) => [c.id, c.shortcut])));
    expect(
      projectFileEntities(file)
        .codes.map((c) => c.shortcut)
        .sort(),
    ).toEqual(input.codes.map((c) => c.shortcut).sort());
    expect(writeProjectFile(file)).toBe(text);
    expect(readProjectFile(writeProjectFile(sampleProjectFile())).codes.every((c) => !('shortcut' in c))).toBe(true);
  });

  it('refuses a key a code cannot have', () => {
    expect(
      errorAfter((doc) => {
        doc.codes[0].shortcut = 'j';
      }),
    ).toMatch(/codes\[0\]\.shortcut must be a digit 1–9 or a letter a–z/);
  });
});

describe('readProjectFile: format, version and broken fields', () => {
  it('refuses a coder file and newer versions', () => {
    expect(errorAfter((d) => (d.format = 'codebench-coder'))).toBe('This is a Codebench coder file, not a Codebench project file.');
    expect(errorAfter((d) => (d.version = 2))).toBe('This file was written by a newer Codebench (format version 2); this version reads up to 1.');
  });

  const cases: [string, (d: Json) => void, string][] = [
    ['project.createdAt', (d) => (d.project.createdAt = -5), 'project.createdAt must be a whole number ≥ 0, but it is number -5.'],
    ['waves', (d) => delete d.waves, 'waves must be a list, but it is missing.'],
    ['waves[0].sourceFile', (d) => (d.waves[0].sourceFile = 3), 'waves[0].sourceFile must be text, but it is number 3.'],
    [
      'waves[1].id separator',
      (d) => (d.waves[1].id = 'a\u001fb'),
      'waves[1].id must not contain the character U+001F, which separates the parts of answer ids.',
    ],
    ['waves duplicate', (d) => (d.waves[1].id = d.waves[0].id), 'waves[1]: the id "6-months" is already used by waves[0].'],
    ['questions[0].key', (d) => (d.questions[0].key = null), 'questions[0].key must be text, but it is null.'],
    ['attributes[0].values', (d) => (d.attributes[0].values = [1]), 'attributes[0].values[0] must be text, but it is number 1.'],
    ['attributes duplicate', (d) => (d.attributes[1].name = d.attributes[0].name), 'attributes[1]: the name "institution" is already used by attributes[0].'],
    [
      'respondents[0].attributes',
      (d) => (d.respondents[0].attributes.cohort = '2024'),
      'respondents[0].attributes["cohort"]: "cohort" is not among the attributes.',
    ],
    ['respondents[0].attributes value', (d) => (d.respondents[0].attributes.role = 2), 'respondents[0].attributes["role"] must be text, but it is number 2.'],
    ['respondents[0].waves', (d) => d.respondents[0].waves.push('12-months'), 'respondents[0].waves[1] "12-months" is not among the waves.'],
    [
      'respondents[0].waves duplicate',
      (d) => d.respondents[0].waves.push('baseline'),
      'respondents[0].waves[1]: the wave "baseline" is already used by respondents[0].waves[0].',
    ],
    ['respondents duplicate', (d) => (d.respondents[1].id = 'R002'), 'respondents[1]: the id "R002" is already used by respondents[0].'],
    ['answers[0].questionId', (d) => (d.answers[0].questionId = 'q-x'), 'answers[0].questionId "q-x" is not among the questions.'],
    ['answers[0].waveId', (d) => (d.answers[0].waveId = 'w-x'), 'answers[0].waveId "w-x" is not among the waves.'],
    ['answers[0].respondentId', (d) => (d.answers[0].respondentId = 'R404'), 'answers[0].respondentId "R404" is not among the respondents.'],
    [
      "answers outside the respondent's waves",
      (d) => (d.answers[0].waveId = '6-months'),
      'answers[0]: respondent "R002" answers in wave "6-months", which is not among that respondent\'s waves.',
    ],
    ['answers[1].text', (d) => (d.answers[1].text = ''), 'answers[1].text is empty; blank answers are not stored.'],
    [
      'answers duplicate',
      (d) => d.answers.push({ ...d.answers[0], text: 'again' }),
      'answers[4]: respondent "R002" has two answers to question "q-barriers" in wave "baseline".',
    ],
    ['codes[0].color', (d) => (d.codes[0].color = '#12345'), 'codes[0].color must be a colour of the form "#rrggbb", but it is the text "#12345".'],
    ['coders[0].name', (d) => (d.coders[0].name = undefined), 'coders[0].name must be text, but it is missing.'],
    ['codings[0].answerId', (d) => (d.codings[0].answerId = 'q\u001fw\u001fr'), 'codings[0].answerId the text "q\\u001fw\\u001fr" is not among the answers.'],
    ['codings[0].codeId', (d) => (d.codings[0].codeId = 'gone'), 'codings[0].codeId "gone" is not among the codes.'],
    ['codings[0].coderId', (d) => (d.codings[0].coderId = 'bob'), 'codings[0].coderId "bob" is not among the coders.'],
    ['codings[0].end', (d) => (d.codings[0].end = 200), "codings[0].end (200) is past the end of its answer's text (53 characters)."],
    ['codings[0].suggested', (d) => (d.codings[0].suggested = 1), 'codings[0].suggested must be true or false, but it is number 1.'],
  ];
  it.each(cases)('%s', (_name, edit, message) => {
    expect(errorAfter(edit)).toBe(message);
  });

  it('counts a passage in code points, so an emoji is one character', () => {
    // A3 is 31 code points ("…lab 🧪🔬."), 33 UTF-16 units.
    const doc = JSON.parse(writeProjectFile(sampleProjectFile())) as Json;
    doc.codings[2].end = 31;
    expect(readProjectFile(JSON.stringify(doc)).codings[2].end).toBe(31);
    expect(errorAfter((d) => (d.codings[2].end = 32))).toBe("codings[2].end (32) is past the end of its answer's text (31 characters).");
  });
});

describe('projectFileEntities', () => {
  it('gives model records with the cached totals recomputed', () => {
    const entities = projectFileEntities(readProjectFile(writeProjectFile(sampleProjectFile())), 'p-new');
    expect(entities.project).toEqual({ id: 'p-new', name: 'AIMMS evaluation', createdAt: T0 - 1000, updatedAt: T0, respondentCount: 2, answerCount: 4 });
    expect(entities.questions.find((q) => q.id === 'q-rewards')!.answerCounts).toEqual({ '6-months': 1, baseline: 2 });
    expect(entities.questions.find((q) => q.id === 'q-barriers')!.answerCounts).toEqual({ baseline: 1 });
    expect(entities.waves.every((w) => w.projectId === 'p-new')).toBe(true);
    expect(entities.codings.every((c) => c.projectId === 'p-new')).toBe(true);
    expect(entities.memos[0]).toMatchObject({ projectId: 'p-new', id: 'm-1' });
    expect(entities.answers.find((a) => a.id === A3)).toEqual({ id: A3, questionId: 'q-rewards', waveId: '6-months', respondentId: 'R001', text: TEXTS[A3] });
  });

  it('counts answers in waves whose ids are Object.prototype names', () => {
    const input = sampleProjectFile();
    input.waves.push({ id: 'constructor', name: 'constructor', order: 2, importedAt: T0, sourceFile: 'c.csv', sourceFormat: 'generic' });
    input.answers.push({ id: answerId('q-barriers', 'constructor', 'R001'), questionId: 'q-barriers', waveId: 'constructor', respondentId: 'R001', text: 'x' });
    input.respondents.find((r) => r.id === 'R001')!.waves.push('constructor');
    const entities = projectFileEntities(readProjectFile(writeProjectFile(input)));
    expect(Object.entries(entities.questions.find((q) => q.id === 'q-barriers')!.answerCounts)).toEqual([
      ['baseline', 1],
      ['constructor', 1],
    ]);
    expect(entities.questions.find((q) => q.id === 'q-rewards')!.answerCounts['constructor']).toBeUndefined();
  });

  it("keeps the file's project id by default", () => {
    expect(projectFileEntities(readProjectFile(writeProjectFile(sampleProjectFile()))).project.id).toBe('p-1');
  });
});

describe('writeProjectFile refuses what it could not read back', () => {
  it('an answer whose id does not match its parts', () => {
    const input: ProjectFileInput = sampleProjectFile();
    input.answers[0] = { ...input.answers[0], id: 'other' };
    expect(() => writeProjectFile(input)).toThrow('Cannot write the project file: answers[0].id does not match its question, wave and respondent.');
  });

  it('a coding by a coder the project does not list', () => {
    const input = sampleProjectFile();
    input.coders = [];
    expect(() => writeProjectFile(input)).toThrow(/^Cannot write the project file: codings\[\d\]\.coderId "coder-alice" is not among the coders\.$/);
  });
});
