import { describe, expect, it } from 'vitest';
import {
  completePseudonyms,
  defaultRoleAttribute,
  emptyWriteUpSettings,
  keepDecision,
  labelProblem,
  pseudonymKeyRows,
  pseudonymMap,
  pseudonymTable,
  publishQuote,
  publishedAttribution,
  quotePieces,
  roleAttributeOf,
  type QuoteToPublish,
} from './publishing';
import { codePointLength } from '../coding/offsets';

const attribute = (name: string, values: string[]) => ({ name, values });

describe('defaultRoleAttribute', () => {
  it('takes an attribute named like role, type or group with 2 to 6 values, role first', () => {
    expect(defaultRoleAttribute([attribute('pair', ['1', '2']), attribute('role', ['mentor', 'mentee'])])).toBe('role');
    expect(defaultRoleAttribute([attribute('Respondent type', ['staff', 'student', 'alumni'])])).toBe('Respondent type');
    expect(defaultRoleAttribute([attribute('participant_group', ['a', 'b'])])).toBe('participant_group');
    expect(defaultRoleAttribute([attribute('group', ['a', 'b']), attribute('Role', ['x', 'y'])])).toBe('Role');
  });

  it('takes none when the name does not fit or the values are too few or too many', () => {
    expect(defaultRoleAttribute([attribute('institution', ['a', 'b'])])).toBeNull();
    expect(defaultRoleAttribute([attribute('prototype', ['a', 'b'])])).toBeNull();
    expect(defaultRoleAttribute([attribute('role', ['mentor', 'Mentor ', ''])])).toBeNull();
    expect(defaultRoleAttribute([attribute('role', ['a', 'b', 'c', 'd', 'e', 'f', 'g'])])).toBeNull();
    expect(defaultRoleAttribute([])).toBeNull();
  });

  it('gives way to the author: their choice, none, or none when their attribute is gone', () => {
    const attributes = [attribute('role', ['mentor', 'mentee']), attribute('pair', ['1', '2'])];
    expect(roleAttributeOf(emptyWriteUpSettings(), attributes)).toBe('role');
    expect(roleAttributeOf({ ...emptyWriteUpSettings(), roleAttribute: 'pair' }, attributes)).toBe('pair');
    expect(roleAttributeOf({ ...emptyWriteUpSettings(), roleAttribute: null }, attributes)).toBeNull();
    expect(roleAttributeOf({ ...emptyWriteUpSettings(), roleAttribute: 'cohort' }, attributes)).toBeNull();
  });
});

describe('pseudonyms, stored', () => {
  const ids = ['E10', 'M01', 'E2', 'E01'];
  const roles = ['mentee', 'mentor', 'mentee', 'mentee'];

  it('labels everyone once, then keeps every label when respondents are added later', () => {
    const first = completePseudonyms(ids, (i) => roles[i], new Map());
    expect(first.changed).toBe(true);
    expect(Object.fromEntries(first.map)).toEqual({ E01: 'Mentee 1', E2: 'Mentee 2', E10: 'Mentee 3', M01: 'Mentor 1' });
    const again = completePseudonyms(ids, (i) => roles[i], first.map);
    expect(again.changed).toBe(false);
    // A later import: E03 sorts before E10 but gets the next free number, and nobody is renumbered.
    const later = completePseudonyms([...ids, 'E03'], (i) => [...roles, 'mentee'][i], first.map);
    expect(later.changed).toBe(true);
    expect(later.map.get('E03')).toBe('Mentee 4');
    expect(later.map.get('E10')).toBe('Mentee 3');
  });

  it('round-trips a map through its stored table, per role attribute', () => {
    const map = new Map([
      ['E01', 'Mentee 1'],
      ['M01', 'Aisha (mentor)'],
    ]);
    const tables = [pseudonymTable('role', map), pseudonymTable(null, new Map([['E01', 'Respondent 1']]))];
    expect(tables[1].roleAttribute).toBe('');
    expect(pseudonymMap(tables, 'role')).toEqual(map);
    expect(pseudonymMap(tables, null).get('E01')).toBe('Respondent 1');
    expect(pseudonymMap(tables, 'pair').size).toBe(0);
  });

  it('refuses a blank label and one another respondent has, in any case', () => {
    const map = new Map([
      ['E01', 'Mentee 1'],
      ['E02', 'Mentee 2'],
    ]);
    expect(labelProblem(map, 'E01', 'Mentee 1')).toBeNull();
    expect(labelProblem(map, 'E01', 'Aisha')).toBeNull();
    expect(labelProblem(map, 'E01', '  ')).toMatch(/cannot be empty/);
    expect(labelProblem(map, 'E01', ' mentee 2 ')).toMatch(/“mentee 2” is already the pseudonym of another respondent/);
  });

  it('lists the key in the respondents’ order with the roles, then labels of respondents no longer here', () => {
    const map = new Map([
      ['E01', 'Mentee 1'],
      ['M01', 'Mentor 1'],
      ['GONE', 'Mentee 9'],
    ]);
    expect(pseudonymKeyRows(['M01', 'E01'], (i) => ['mentor', 'mentee'][i], map)).toEqual([
      { respondentId: 'M01', role: 'mentor', pseudonym: 'Mentor 1' },
      { respondentId: 'E01', role: 'mentee', pseudonym: 'Mentee 1' },
      { respondentId: 'GONE', role: '', pseudonym: 'Mentee 9' },
    ]);
  });
});

describe('publishQuote', () => {
  const pseudonyms = new Map([['E07', 'Mentee 7']]);
  const quote = (answerText: string, start: number | null = null, end: number | null = null): QuoteToPublish => ({
    answerId: 'q1\u001f6m\u001fE07',
    answerText,
    start,
    end,
    respondentId: 'E07',
    waveName: '6 months',
    questionLabel: 'Rewards',
  });

  it('attributes to the pseudonym and the wave, never the raw id, and names the question when asked', () => {
    const published = publishQuote(quote('It was good.'), { settings: emptyWriteUpSettings(), pseudonyms });
    expect(published.attribution).toBe('Mentee 7, 6 months');
    expect(published.attribution).not.toContain('E07');
    expect(publishQuote(quote('It was good.'), { settings: { ...emptyWriteUpSettings(), showQuestion: true }, pseudonyms }).attribution).toBe(
      'Mentee 7, 6 months, Rewards',
    );
    expect(publishQuote({ ...quote('x'), respondentId: 'E99' }, { settings: emptyWriteUpSettings(), pseudonyms }).attribution).toBe('Respondent, 6 months');
    expect(publishedAttribution('Mentor 3', '', 'Q1', false)).toBe('Mentor 3');
  });

  it('replaces names, e-mail addresses and the author’s words, and leaves the rest of the text as it was', () => {
    const settings = { ...emptyWriteUpSettings(), redactionList: ['Bob'] };
    const published = publishQuote(quote('  My mentor Aisha Khan wrote to me at aisha@uni.ac.uk, and bob helped.  '), { settings, pseudonyms });
    expect(published.original).toBe('My mentor Aisha Khan wrote to me at aisha@uni.ac.uk, and bob helped.');
    expect(published.text).toBe('My mentor [name] wrote to me at [email], and [name] helped.');
    expect(published.spans.map((s) => [s.kind, s.text, s.kept])).toEqual([
      ['name', 'Aisha Khan', false],
      ['email', 'aisha@uni.ac.uk', false],
      ['listed', 'bob', false],
    ]);
  });

  it('keeps a span the author kept, by its place in the stored answer, and only that one', () => {
    const text = 'I met Aisha Khan, then Aisha Khan again.';
    const first = publishQuote(quote(text), { settings: emptyWriteUpSettings(), pseudonyms });
    expect(first.text).toBe('I met [name], then [name] again.');
    const settings = { ...emptyWriteUpSettings(), kept: [keepDecision('q1\u001f6m\u001fE07', first.spans[0])] };
    const again = publishQuote(quote(text), { settings, pseudonyms });
    expect(again.text).toBe('I met Aisha Khan, then [name] again.');
    expect(again.spans.map((s) => s.kept)).toEqual([true, false]);
    // Another answer with the same text is not affected.
    expect(publishQuote({ ...quote(text), answerId: 'other' }, { settings, pseudonyms }).text).toBe('I met [name], then [name] again.');
  });

  it('converts between UTF-16 spans and code point codings, with emoji before and inside the quote', () => {
    const answer = '😀😀 Hello. 🎉 I met Aisha Khan 🙂 and Dr Smith. Bye';
    // The coding: from "🎉" to the end of "Smith." in code points.
    const cpStart = [...answer].indexOf('🎉');
    const cpEnd = codePointLength(answer.slice(0, answer.indexOf('. Bye') + 1));
    const published = publishQuote(quote(answer, cpStart, cpEnd), { settings: emptyWriteUpSettings(), pseudonyms });
    expect(published.original).toBe('🎉 I met Aisha Khan 🙂 and Dr Smith.');
    expect(published.text).toBe('🎉 I met [name] 🙂 and [name].');
    const [aisha, smith] = published.spans;
    expect(published.original.slice(aisha.start, aisha.end)).toBe('Aisha Khan');
    // The stored decision points at the same words in the answer, counted in code points.
    expect([...answer].slice(aisha.answerStart, aisha.answerEnd).join('')).toBe('Aisha Khan');
    expect([...answer].slice(smith.answerStart, smith.answerEnd).join('')).toBe('Dr Smith');
    // Kept by code points, it stays kept when the whole answer is quoted (other UTF-16 offsets, same code points).
    const settings = { ...emptyWriteUpSettings(), kept: [keepDecision('q1\u001f6m\u001fE07', smith)] };
    const whole = publishQuote(quote(answer), { settings, pseudonyms });
    expect(whole.text).toBe('😀😀 Hello. 🎉 I met [name] 🙂 and Dr Smith. Bye');
  });

  it('cuts the original into plain text and marked spans for review', () => {
    const published = publishQuote(quote('Ask Dr Smith 🙂 or call 020 7946 0958.'), { settings: emptyWriteUpSettings(), pseudonyms });
    const pieces = quotePieces(published);
    expect(pieces.map((p) => p.text).join('')).toBe(published.original);
    expect(pieces.filter((p) => p.kind === 'span').map((p) => p.text)).toEqual(['Dr Smith', '020 7946 0958']);
  });
});
