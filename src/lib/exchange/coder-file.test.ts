// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { answerId, type Code, type Coding } from '../model/types';
import { coderFileFromProject, readCoderFile, writeCoderFile, type CoderFileInput } from './coder-file';
import { ExchangeError } from './exchange-error';
import { answerFingerprint } from './fingerprint';
import type { ExchangeMemo } from './records';
import { A1, A2, A3, T0, TEXTS, sampleCoderFile } from './test-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, changed freely to build broken files
type Json = Record<string, any>;

/** The sample file as parsed JSON, changed by `edit`, then read: the error message. */
function errorAfter(edit: (doc: Json) => void): string {
  const doc = JSON.parse(writeCoderFile(sampleCoderFile())) as Json;
  edit(doc);
  try {
    readCoderFile(JSON.stringify(doc));
  } catch (err) {
    expect(err).toBeInstanceOf(ExchangeError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('writeCoderFile / readCoderFile', () => {
  it('reads back what it wrote, lists sorted by id', () => {
    const input = sampleCoderFile();
    const file = readCoderFile(writeCoderFile(input));
    expect(file).toEqual({
      ...input,
      format: 'codebench-coder',
      version: 1,
      codebook: [...input.codebook].sort((a, b) => (a.id < b.id ? -1 : 1)),
      codings: [...input.codings].sort((a, b) => (a.id < b.id ? -1 : 1)),
    });
  });

  it('carries the suggested and exemplar marks, each written only when true; a file without them reads as unmarked', () => {
    const input = sampleCoderFile();
    input.codings = input.codings.map((c) => (c.id === 'k-2' ? { ...c, suggested: true, exemplar: true } : c.id === 'k-1' ? { ...c, suggested: false } : c));
    const text = writeCoderFile(input);
    expect(text.match(/"suggested":true/g)).toHaveLength(1);
    expect(text).not.toContain('"suggested":false');
    const file = readCoderFile(text);
    const byId = new Map(file.codings.map((c) => [c.id, c]));
    expect(byId.get('k-2')).toMatchObject({ suggested: true, exemplar: true });
    expect(byId.get('k-1')).not.toHaveProperty('suggested');
    expect(byId.get('k-3')).not.toHaveProperty('suggested');
    expect(writeCoderFile(file)).toBe(text);
    // A file written before the mark existed (the sample has none) reads as it did.
    expect(readCoderFile(writeCoderFile(sampleCoderFile())).codings.every((c) => !('suggested' in c))).toBe(true);
  });

  it('writes the same bytes again after reading (canonical), whatever the input order', () => {
    const input = sampleCoderFile();
    const text = writeCoderFile(input);
    expect(writeCoderFile(readCoderFile(text))).toBe(text);
    const shuffled = { ...input, codebook: [...input.codebook].reverse(), codings: [...input.codings].reverse() };
    expect(writeCoderFile(shuffled)).toBe(text);
  });

  it('lays the file out one field, list item or map entry per line', () => {
    const text = writeCoderFile({
      exportedAt: '2025-03-01T09:30:00.000Z',
      project: { id: 'p', name: 'P' },
      coder: { id: 'c', name: 'C', color: '#000000' },
      codebook: [{ id: 'x', parentId: null, name: 'X', color: '#ffffff', definition: '', inclusion: '', exclusion: '', example: '', order: 0 }],
      codings: [{ id: 'k', answerId: 'q\u001fw\u001fr', codeId: 'x', coderId: 'c', start: 1, end: 2, createdAt: 5 }],
      memos: [],
      answerFingerprints: { 'q\u001fw\u001fr': '0123abcd' },
    });
    expect(text).toBe(
      [
        '{',
        '  "format": "codebench-coder",',
        '  "version": 1,',
        '  "exportedAt": "2025-03-01T09:30:00.000Z",',
        '  "project": {"id":"p","name":"P"},',
        '  "coder": {"id":"c","name":"C","color":"#000000"},',
        '  "codebook": [',
        '    {"id":"x","parentId":null,"name":"X","color":"#ffffff","definition":"","inclusion":"","exclusion":"","example":"","order":0}',
        '  ],',
        '  "codings": [',
        '    {"id":"k","answerId":"q\\u001fw\\u001fr","codeId":"x","coderId":"c","start":1,"end":2,"createdAt":5}',
        '  ],',
        '  "memos": [],',
        '  "answerFingerprints": {',
        '    "q\\u001fw\\u001fr": "0123abcd"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps emoji, CRLF, lone surrogates and the answer id separator exactly', () => {
    const input = sampleCoderFile();
    input.memos[0].text = 'a\r\nb\rc 👩🏽‍🔬 \ud800 end';
    const file = readCoderFile(writeCoderFile(input));
    expect(file.memos[0].text).toBe('a\r\nb\rc 👩🏽‍🔬 \ud800 end');
    expect(file.codebook.find((c) => c.id === 'support')!.definition).toBe('Help received.\r\nAny kind 🤝.');
    expect(file.codings.map((c) => c.answerId)).toContain(A1);
  });

  it('drops model fields the format does not carry (projectId)', () => {
    const input = sampleCoderFile();
    const withProject: CoderFileInput = {
      ...input,
      codebook: input.codebook.map((c): Code => ({ ...c, projectId: 'p-1' })),
      codings: input.codings.map((c): Coding => ({ ...c, projectId: 'p-1' })),
    };
    expect(writeCoderFile(withProject)).toBe(writeCoderFile(input));
    expect(writeCoderFile(withProject)).not.toContain('projectId');
  });

  it('reads a file without answerFingerprints, and a leading byte-order mark', () => {
    const doc = JSON.parse(writeCoderFile(sampleCoderFile())) as Json;
    delete doc.answerFingerprints;
    expect(readCoderFile('\ufeff' + JSON.stringify(doc)).answerFingerprints).toEqual({});
  });

  it('ignores properties it does not know, so later additions can be skipped', () => {
    const doc = JSON.parse(writeCoderFile(sampleCoderFile())) as Json;
    doc.extra = 1;
    doc.codings[0].confidence = 0.5;
    expect(writeCoderFile(readCoderFile(JSON.stringify(doc)))).toBe(writeCoderFile(sampleCoderFile()));
  });

  it('round-trips any valid file (fast-check)', () => {
    const text = fc.string({ unit: anyCodePoint, maxLength: 20 });
    const id = fc.string({ unit: anyCodePoint, minLength: 1, maxLength: 8 });
    const whole = fc.nat({ max: 2 ** 40 });
    const color = fc.integer({ min: 0, max: 0xffffff }).map((n) => '#' + n.toString(16).padStart(6, '0'));
    const file = fc
      .record({
        codeIds: fc.uniqueArray(id, { minLength: 1, maxLength: 6 }),
        codingIds: fc.uniqueArray(id, { maxLength: 6 }),
        memoIds: fc.uniqueArray(id, { maxLength: 3 }),
        texts: fc.array(text, { minLength: 6, maxLength: 6 }),
        numbers: fc.array(whole, { minLength: 6, maxLength: 6 }),
        color,
        spans: fc.array(fc.option(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 50 })), { nil: null }), { minLength: 6, maxLength: 6 }),
        marks: fc.array(fc.record({ exemplar: fc.boolean(), suggested: fc.boolean() }), { minLength: 6, maxLength: 6 }),
      })
      .map(({ codeIds, codingIds, memoIds, texts, numbers, color, spans, marks }): CoderFileInput => ({
        exportedAt: new Date(numbers[0] % 8.64e15).toISOString(),
        project: { id: codeIds[0], name: texts[0] },
        coder: { id: 'me', name: texts[1], color },
        // Names made unique so the tree is valid; every code at the top level.
        codebook: codeIds.map((cid, i) => ({
          id: cid,
          parentId: null,
          name: `${texts[2]}#${i}`,
          color,
          definition: texts[3],
          inclusion: '',
          exclusion: texts[4],
          example: '',
          order: i,
        })),
        codings: codingIds.map((kid, i) => {
          const span = spans[i];
          return {
            id: kid,
            answerId: answerId('q', texts[i % 6], kid),
            codeId: codeIds[i % codeIds.length],
            coderId: 'me',
            start: span === null ? null : span[0],
            end: span === null ? null : span[0] + span[1],
            createdAt: numbers[i],
            // Written only when true, so only true is generated: what is read back equals what was written.
            ...(marks[i].exemplar ? { exemplar: true } : {}),
            ...(marks[i].suggested ? { suggested: true } : {}),
          };
        }),
        memos: memoIds.map((mid, i) => ({
          id: mid,
          target: { kind: 'code', id: codeIds[0] },
          text: texts[5],
          coderId: 'me',
          coderName: texts[1],
          createdAt: numbers[i],
          updatedAt: numbers[i] + 1,
        })),
        answerFingerprints: Object.fromEntries(codingIds.map((kid) => [answerId('q', 'w', kid), answerFingerprint(kid)])),
      }));
    fc.assert(
      fc.property(file, (input) => {
        const text1 = writeCoderFile(input);
        const read = readCoderFile(text1);
        expect(read.codings).toEqual([...input.codings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
        expect(read.memos.length).toBe(input.memos.length);
        expect(read.answerFingerprints).toEqual(input.answerFingerprints);
        expect(writeCoderFile(read)).toBe(text1);
      }),
    );
  });
});

describe('readCoderFile: format and version', () => {
  it('refuses text that is not JSON', () => {
    expect(() => readCoderFile('{"format":')).toThrow(/^This file is not valid JSON \(/);
  });

  it('refuses other formats by name', () => {
    expect(errorAfter((d) => delete d.format)).toBe(
      'This is not a Codebench exchange file: "format" is missing (expected "codebench-coder" or "codebench-project").',
    );
    expect(errorAfter((d) => (d.format = 'qdpx'))).toBe(
      'This is not a Codebench exchange file: "format" is the text "qdpx" (expected "codebench-coder" or "codebench-project").',
    );
    expect(errorAfter((d) => (d.format = 'codebench-codebook'))).toBe('This is a Codebench codebook, not a coder or project file.');
    expect(errorAfter((d) => (d.format = 'codebench-project'))).toBe('This is a Codebench project file, not a Codebench coder file.');
    expect(() => readCoderFile('[1]')).toThrow('This is not a Codebench file: it holds a list, not an object.');
  });

  it('refuses newer versions, and versions that are not whole numbers', () => {
    expect(errorAfter((d) => (d.version = 3))).toBe('This file was written by a newer Codebench (format version 3); this version reads up to 1.');
    expect(errorAfter((d) => (d.version = '1'))).toBe('"version" must be a whole number ≥ 1, but it is the text "1".');
    expect(errorAfter((d) => (d.version = 0))).toBe('"version" must be a whole number ≥ 1, but it is number 0.');
    expect(errorAfter((d) => delete d.version)).toBe('"version" must be a whole number ≥ 1, but it is missing.');
  });
});

describe('readCoderFile: each broken field is named', () => {
  const cases: [string, (d: Json) => void, string][] = [
    [
      'exportedAt',
      (d) => (d.exportedAt = 'yesterday'),
      'exportedAt must be a date and time such as "2025-03-01T09:30:00.000Z", but it is the text "yesterday".',
    ],
    ['project', (d) => (d.project = null), 'project must be an object, but it is null.'],
    ['project.id', (d) => (d.project.id = ''), 'project.id must be non-empty text, but it is the text "".'],
    ['project.name', (d) => delete d.project.name, 'project.name must be text, but it is missing.'],
    ['coder.id', (d) => (d.coder.id = 7), 'coder.id must be non-empty text, but it is number 7.'],
    ['coder.color', (d) => (d.coder.color = 'teal'), 'coder.color must be a colour of the form "#rrggbb", but it is the text "teal".'],
    ['codebook', (d) => (d.codebook = {}), 'codebook must be a list, but it is an object.'],
    ['codebook[1].name', (d) => (d.codebook[1].name = '  '), 'codebook[1].name is empty; every code needs a name.'],
    ['codebook[0].order', (d) => (d.codebook[0].order = 1.5), 'codebook[0].order must be a whole number ≥ 0, but it is number 1.5.'],
    ['codebook[0].definition', (d) => (d.codebook[0].definition = null), 'codebook[0].definition must be text, but it is null.'],
    ['codebook[2].parentId', (d) => (d.codebook[2].parentId = 'gone'), 'codebook[2].parentId "gone" is not the id of a code in codebook.'],
    ['codebook duplicate id', (d) => (d.codebook[1].id = d.codebook[0].id), 'codebook[1]: the id "barriers" is already used by codebook[0].'],
    [
      'codebook parent loop',
      (d) => (d.codebook[1].parentId = 'support-mentor'),
      'codebook[1]: the code "Support" is inside itself (its parents loop back to it).',
    ],
    [
      'codebook sibling names',
      (d) => (d.codebook[1].name = 'barriers'),
      'codebook[1]: two top-level codes are named "Barriers" and "barriers"; names must differ (ignoring case).',
    ],
    ['codings[0]', (d) => (d.codings[0] = 'k'), 'codings[0] must be an object, but it is the text "k".'],
    ['codings[1].id', (d) => (d.codings[1].id = ''), 'codings[1].id must be non-empty text, but it is the text "".'],
    ['codings[0].start', (d) => (d.codings[0].start = -1), 'codings[0].start must be a whole number ≥ 0 or null, but it is number -1.'],
    ['codings[0].start text', (d) => (d.codings[0].start = '3'), 'codings[0].start must be a whole number ≥ 0 or null, but it is the text "3".'],
    ['codings[0].end', (d) => (d.codings[0].end = 0), 'codings[0].end must be a whole number greater than start (0), but it is number 0.'],
    ['codings[0].end null', (d) => (d.codings[0].end = null), 'codings[0].end must be a whole number greater than start (0), but it is null.'],
    ['codings[1].end', (d) => (d.codings[1].end = 4), 'codings[1].end must be null when start is null (the whole answer is coded), but it is number 4.'],
    ['codings[0].createdAt', (d) => delete d.codings[0].createdAt, 'codings[0].createdAt must be a whole number ≥ 0, but it is missing.'],
    ['codings[0].codeId', (d) => (d.codings[0].codeId = 'nope'), 'codings[0].codeId "nope" is not a code in this file\'s codebook.'],
    [
      'codings[0].coderId',
      (d) => (d.codings[0].coderId = 'bob'),
      'codings[0].coderId "bob" is not this file\'s coder ("coder-alice"); a coder file holds one coder\'s codings.',
    ],
    ['codings duplicate id', (d) => (d.codings[2].id = d.codings[0].id), 'codings[2]: the id "k-1" is already used by codings[0].'],
    ['codings[0].exemplar', (d) => (d.codings[0].exemplar = 'yes'), 'codings[0].exemplar must be true or false, but it is the text "yes".'],
    ['codings[0].suggested', (d) => (d.codings[0].suggested = 'yes'), 'codings[0].suggested must be true or false, but it is the text "yes".'],
    ['codings[1].suggested null', (d) => (d.codings[1].suggested = null), 'codings[1].suggested must be true or false, but it is null.'],
    ['memos[0].target', (d) => (d.memos[0].target = 'x'), 'memos[0].target must be an object, but it is the text "x".'],
    [
      'memos[0].target.kind',
      (d) => (d.memos[0].target.kind = 'wave'),
      'memos[0].target.kind must be "answer", "respondent" or "code", but it is the text "wave".',
    ],
    ['memos[0].updatedAt', (d) => (d.memos[0].updatedAt = 1e300), 'memos[0].updatedAt must be a whole number ≥ 0, but it is number 1e+300.'],
    ['memos duplicate id', (d) => d.memos.push({ ...d.memos[0] }), 'memos[1]: the id "m-1" is already used by memos[0].'],
    ['answerFingerprints', (d) => (d.answerFingerprints = []), 'answerFingerprints must be an object, but it is a list.'],
    ['answerFingerprints entry', (d) => (d.answerFingerprints = { a: 'XYZ' }), 'answerFingerprints["a"] must be 8 lower-case hex digits, but it is "XYZ".'],
  ];
  it.each(cases)('%s', (_name, edit, message) => {
    expect(errorAfter(edit)).toBe(message);
  });

  it('names where the problem is', () => {
    const doc = JSON.parse(writeCoderFile(sampleCoderFile())) as Json;
    doc.codings[1].start = 2.5;
    try {
      readCoderFile(JSON.stringify(doc));
    } catch (err) {
      expect((err as ExchangeError).where).toBe('codings[1].start');
    }
    expect.assertions(1);
  });

  it('refuses to write a file it could not read back', () => {
    const input = sampleCoderFile();
    input.codings[0].start = 5;
    input.codings[0].end = 5;
    expect(() => writeCoderFile(input)).toThrow(
      'Cannot write the coder file: codings[1].end must be a whole number greater than start (5), but it is number 5.',
    );
    expect(() => writeCoderFile({ ...sampleCoderFile(), exportedAt: 'now' })).toThrow(ExchangeError);
  });
});

describe('coderFileFromProject', () => {
  it("keeps the coder's codings and memos, the whole codebook, and fingerprints the answers with passages", () => {
    const sample = sampleCoderFile();
    const other: Coding = { projectId: 'p-1', id: 'k-bob', answerId: A2, codeId: 'support', coderId: 'bob', start: 0, end: 3, createdAt: T0 };
    const bobMemo: ExchangeMemo = { ...sample.memos[0], id: 'm-bob', coderId: 'bob', coderName: 'Bob' };
    const input = coderFileFromProject({
      exportedAt: sample.exportedAt,
      project: sample.project,
      coder: sample.coder,
      codes: sample.codebook,
      codings: [...sample.codings, other],
      memos: [...sample.memos, bobMemo],
      answerText: (id) => TEXTS[id],
    });
    expect(input.codings.map((c) => c.id).sort()).toEqual(['k-1', 'k-2', 'k-3']);
    expect(input.memos.map((m) => m.id)).toEqual(['m-1']);
    expect(input.codebook).toHaveLength(3);
    // k-2 codes the whole of A2, so A2 needs no fingerprint.
    expect(input.answerFingerprints).toEqual({ [A1]: answerFingerprint(TEXTS[A1]), [A3]: answerFingerprint(TEXTS[A3]) });
    expect(readCoderFile(writeCoderFile(input)).answerFingerprints).toEqual(input.answerFingerprints);
  });
});
