// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { codePointLength } from '../coding/offsets';
import { ExchangeError } from './exchange-error';
import { readProjectFile, writeProjectFile } from './project-file';
import { A1, A2, TEXTS, sampleProjectFile } from './test-fixtures';
import type { ExchangeWriteUp } from './write-up-records';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, changed freely to build broken files
type Json = Record<string, any>;

const writeUp = (): ExchangeWriteUp => ({
  settings: { roleAttribute: 'role', redactionList: ['Aisha', 'Bob'], kept: [{ answerId: A1, start: 0, end: 3 }], showQuestion: true },
  pseudonyms: [
    { roleAttribute: 'role', ids: ['R002', 'R001', 'R999'], labels: ['Mentor 1', 'Mentee 1', 'Mentee 2'] },
    { roleAttribute: '', ids: ['R001'], labels: ['Respondent 1'] },
  ],
});

function errorAfter(edit: (doc: Json) => void): string {
  const doc = JSON.parse(writeProjectFile({ ...sampleProjectFile(), writeUp: writeUp() })) as Json;
  edit(doc);
  try {
    readProjectFile(JSON.stringify(doc));
  } catch (err) {
    expect(err).toBeInstanceOf(ExchangeError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('writeUp in the project file', () => {
  it('reads back what it wrote, pseudonym tables in attribute order and id order kept', () => {
    const file = readProjectFile(writeProjectFile({ ...sampleProjectFile(), writeUp: writeUp() }));
    expect(file.writeUp?.settings).toEqual(writeUp().settings);
    expect(file.writeUp?.pseudonyms).toEqual([writeUp().pseudonyms[1], writeUp().pseudonyms[0]]);
  });

  it('is optional: a file without it reads as before, and "not chosen" stays apart from "none"', () => {
    expect(readProjectFile(writeProjectFile(sampleProjectFile())).writeUp).toBeUndefined();
    const { roleAttribute: _unchosen, ...settings } = writeUp().settings;
    const unchosen = readProjectFile(writeProjectFile({ ...sampleProjectFile(), writeUp: { settings, pseudonyms: [] } }));
    expect(unchosen.writeUp?.settings).not.toHaveProperty('roleAttribute');
    const none = readProjectFile(writeProjectFile({ ...sampleProjectFile(), writeUp: { settings: { ...settings, roleAttribute: null }, pseudonyms: [] } }));
    expect(none.writeUp?.settings.roleAttribute).toBeNull();
  });

  it('refuses a kept span outside its answer or of an answer not in the file, naming the field', () => {
    const length = codePointLength(TEXTS[A2]);
    expect(errorAfter((d) => (d.writeUp.settings.kept = [{ answerId: A2, start: 0, end: length + 1 }]))).toMatch(
      /writeUp\.settings\.kept\[0\]: 0–\d+ is not a span/,
    );
    expect(errorAfter((d) => (d.writeUp.settings.kept = [{ answerId: 'nope', start: 0, end: 1 }]))).toMatch(/kept\[0\]\.answerId is not an answer/);
  });

  it('refuses two respondents with one label, ids without labels, and a repeated role attribute', () => {
    expect(errorAfter((d) => (d.writeUp.pseudonyms[1].labels[1] = 'mentor 1'))).toMatch(/labels\[1\].*already used by writeUp\.pseudonyms\[1\]\.labels\[0\]/);
    expect(errorAfter((d) => d.writeUp.pseudonyms[1].labels.pop())).toMatch(/has 3 ids but 2 labels/);
    expect(errorAfter((d) => (d.writeUp.pseudonyms[0].roleAttribute = 'role'))).toMatch(/roleAttribute "role" is already used/);
    expect(errorAfter((d) => (d.writeUp.settings.showQuestion = 'yes'))).toMatch(/showQuestion must be true or false/);
  });
});
