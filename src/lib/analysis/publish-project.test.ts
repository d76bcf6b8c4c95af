// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { Publisher, publisherOf, pseudonymousSource } from './publish-project';
import { answerId } from '../model/types';
import type { ExportSource } from '../export/source';

const respondents: { id: string; attributes: Record<string, string> }[] = [
  { id: 'E2', attributes: { role: 'mentee' } },
  { id: 'M1', attributes: { role: 'mentor' } },
  { id: 'E10', attributes: { role: 'mentee' } },
  { id: 'X', attributes: {} },
];
const attributes = [{ name: 'role', values: ['mentee', 'mentor'] }];

describe('Publisher', () => {
  it('labels everyone under the likely role attribute, keeping stored labels', () => {
    const publisher = new Publisher({
      attributes,
      respondents,
      writeUp: { settings: { redactionList: [], kept: [], showQuestion: false }, pseudonyms: [{ roleAttribute: 'role', ids: ['E10'], labels: ['Mentee 1'] }] },
    });
    expect(publisher.roleAttribute).toBe('role');
    expect(Object.fromEntries(publisher.pseudonyms)).toEqual({ E10: 'Mentee 1', E2: 'Mentee 2', M1: 'Mentor 1', X: 'Respondent 1' });
    expect(publisher.pseudonym('nobody')).toBe('Respondent');
    expect(publisher.keyRows().slice(1)).toEqual([
      ['respondent ID', 'role (role)', 'pseudonym'],
      ['E2', 'mentee', 'Mentee 2'],
      ['M1', 'mentor', 'Mentor 1'],
      ['E10', 'mentee', 'Mentee 1'],
      ['X', '', 'Respondent 1'],
    ]);
  });

  it('is kept for the same data and made again when the write-up is read again', () => {
    const data = { attributes, respondents, writeUp: { settings: { redactionList: [], kept: [], showQuestion: false }, pseudonyms: [] } };
    expect(publisherOf(data)).toBe(publisherOf({ ...data }));
    const again = { ...data, writeUp: { ...data.writeUp, settings: { ...data.writeUp.settings, roleAttribute: null } } };
    expect(publisherOf(again).pseudonym('M1')).toBe('Respondent 3');
  });
});

describe('pseudonymousSource', () => {
  it('replaces every respondent id, in answers and the answer ids codings point to, and nothing else', () => {
    const a = answerId('q1', 'w1', 'E2');
    const source = {
      project: { name: 'P' },
      waves: [],
      questions: [],
      attributes: [],
      respondents: [{ id: 'E2', attributes: { role: 'mentee' } }],
      answers: [{ id: a, questionId: 'q1', waveId: 'w1', respondentId: 'E2', text: 'E2 said so' }],
      codes: [],
      coders: [],
      codings: [{ id: 'c1', answerId: a, codeId: 'x', coderId: 'ana', start: null, end: null }],
    } as unknown as ExportSource;
    const out = pseudonymousSource(source, (id) => (id === 'E2' ? 'Mentee 1' : id));
    expect(out.respondents[0]).toEqual({ id: 'Mentee 1', attributes: { role: 'mentee' } });
    expect(out.answers[0]).toEqual({ id: answerId('q1', 'w1', 'Mentee 1'), questionId: 'q1', waveId: 'w1', respondentId: 'Mentee 1', text: 'E2 said so' });
    expect(out.codings[0].answerId).toBe(answerId('q1', 'w1', 'Mentee 1'));
    expect(source.respondents[0].id).toBe('E2');
  });
});
