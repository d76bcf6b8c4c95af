// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AIMMS_WAVE_NAMES, aimmsInput } from './aimms-fixture';
import { NO_FILTER, answerMatcher, describeFilter, filterKey, isNoFilter, normaliseFilter, respondentMatcher, type ViewFilter } from './view-filter';

const input = aimmsInput();
const answers = [...input.answers];
const attributeOf = input.attributeOf;
const names = { question: (id: string) => `Question ${id}`, wave: (id: string) => AIMMS_WAVE_NAMES[id] ?? id };
const filter = (f: Partial<ViewFilter>): ViewFilter => ({ ...NO_FILTER, ...f });

describe('ViewFilter', () => {
  it('NO_FILTER keeps every answer and is recognised', () => {
    expect(isNoFilter(NO_FILTER)).toBe(true);
    expect(answers.filter(answerMatcher(NO_FILTER, attributeOf))).toHaveLength(answers.length);
    expect(isNoFilter(filter({ waveIds: [] }))).toBe(false);
    expect(isNoFilter(filter({ attributes: [{ name: 'role', values: ['Mentee'] }] }))).toBe(false);
  });

  it('keeps mentees at 6 months: 12 answers (E01–E12 answered Q1 at 6 months)', () => {
    const keep = answerMatcher(filter({ waveIds: ['m6'], attributes: [{ name: 'role', values: ['Mentee'] }] }), attributeOf);
    const kept = answers.filter(keep);
    expect(kept.map((a) => a.respondentId)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10', 'E11', 'E12']);
    expect(new Set(kept.map((a) => a.waveId))).toEqual(new Set(['m6']));
  });

  it('filters by question: Q2 has the 8 odd-numbered mentees at baseline', () => {
    expect(answers.filter(answerMatcher(filter({ questionIds: ['Q2'] }), attributeOf))).toHaveLength(8);
  });

  it('"" keeps respondents without a value; an empty list keeps nobody', () => {
    const noPair = respondentMatcher(filter({ attributes: [{ name: 'pair', values: [''] }] }), attributeOf);
    expect(['E01', 'X01', 'M17'].filter(noPair)).toEqual(['X01']);
    expect(answers.filter(answerMatcher(filter({ attributes: [{ name: 'role', values: [] }] }), attributeOf))).toEqual([]);
    expect(answers.filter(answerMatcher(filter({ waveIds: [] }), attributeOf))).toEqual([]);
  });

  it('needs every attribute entry to hold (two entries for one attribute keep what they share)', () => {
    const f = filter({
      attributes: [
        { name: 'role', values: ['Mentor'] },
        { name: 'pair', values: ['Pair 1', 'Pair 17'] },
      ],
    });
    expect(['E01', 'M01', 'M02', 'M17'].filter(respondentMatcher(f, attributeOf))).toEqual(['M01', 'M17']);
    const twice = filter({
      attributes: [
        { name: 'role', values: ['Mentor', 'Mentee'] },
        { name: 'role', values: ['Mentor'] },
      ],
    });
    expect(['E01', 'M01'].filter(respondentMatcher(twice, attributeOf))).toEqual(['M01']);
  });

  it('asks for a respondent attribute once per respondent', () => {
    let calls = 0;
    const counting = (r: string, n: string) => {
      calls += 1;
      return attributeOf(r, n);
    };
    const kept = answers.filter(answerMatcher(filter({ attributes: [{ name: 'role', values: ['Mentee'] }] }), counting));
    expect(kept.length).toBeGreaterThan(0);
    expect(calls).toBe(new Set(answers.map((a) => a.respondentId)).size);
  });

  describe('filterKey', () => {
    it('is the same whatever the order of lists, entries and repeats', () => {
      const a = filter({
        questionIds: ['Q1', 'Q2'],
        waveIds: ['m6'],
        attributes: [
          { name: 'role', values: ['Mentee', 'Mentor'] },
          { name: 'pair', values: ['Pair 1'] },
        ],
      });
      const b = filter({
        questionIds: ['Q2', 'Q1', 'Q2'],
        waveIds: ['m6'],
        attributes: [
          { name: 'pair', values: ['Pair 1'] },
          { name: 'role', values: ['Mentor', 'Mentee'] },
        ],
      });
      expect(filterKey(a)).toBe(filterKey(b));
    });

    it('tells apart null (every), [] (none) and different values', () => {
      const keys = [
        NO_FILTER,
        filter({ waveIds: [] }),
        filter({ questionIds: [] }),
        filter({ waveIds: ['base'] }),
        filter({ attributes: [{ name: 'role', values: [''] }] }),
        filter({ attributes: [{ name: 'role', values: [] }] }),
      ].map(filterKey);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('gives equal keys only to filters that keep the same answers (random filters over the AIMMS study)', () => {
      const f = fc.record({
        questionIds: fc.option(fc.subarray(['Q1', 'Q2', 'Q1'])),
        waveIds: fc.option(fc.subarray(['base', 'm6'])),
        attributes: fc.array(fc.record({ name: fc.constantFrom('role', 'pair'), values: fc.subarray(['Mentee', 'Mentor', 'Pair 1', 'Pair 2', '']) }), {
          maxLength: 3,
        }),
      });
      fc.assert(
        fc.property(f, f, (x, y) => {
          const keptX = answers.filter(answerMatcher(x, attributeOf)).map((a) => a.id);
          const keptY = answers.filter(answerMatcher(y, attributeOf)).map((a) => a.id);
          if (filterKey(x) === filterKey(y)) expect(keptX).toEqual(keptY);
          // A shuffled copy has the same key.
          const shuffled: ViewFilter = {
            questionIds: x.questionIds && [...x.questionIds].reverse(),
            waveIds: x.waveIds && [...x.waveIds].reverse(),
            attributes: [...x.attributes].reverse(),
          };
          expect(filterKey(shuffled)).toBe(filterKey(x));
        }),
      );
    });
  });

  describe('describeFilter', () => {
    it('is empty for no filter', () => {
      expect(describeFilter(NO_FILTER, names)).toBe('');
    });

    it('names questions, waves and attribute values, values in natural order', () => {
      const f = filter({ questionIds: ['Q1', 'Q2'], waveIds: ['m6'], attributes: [{ name: 'Role', values: ['Mentor', 'Mentee'] }] });
      expect(describeFilter(f, names)).toBe('Questions: Question Q1, Question Q2 · Wave: 6 months · Role: Mentee, Mentor');
    });

    it('reads "" as "(no value)", last, and an empty list as "none"', () => {
      const f = filter({
        questionIds: ['Q1'],
        waveIds: [],
        attributes: [
          { name: 'pair', values: ['', 'Pair 10', 'Pair 2'] },
          { name: 'role', values: [] },
        ],
      });
      expect(describeFilter(f, names)).toBe('Question: Question Q1 · Waves: none · pair: Pair 2, Pair 10, (no value) · role: none');
    });
  });

  describe('normaliseFilter', () => {
    const known = { questionIds: ['Q1', 'Q2'], waveIds: ['base', 'm6'], attributes: ['role', 'pair'] };

    it('drops ids and attributes no longer in the project', () => {
      const f = filter({
        questionIds: ['Q1', 'Q9'],
        waveIds: ['m6', 'gone'],
        attributes: [
          { name: 'role', values: ['Mentee'] },
          { name: 'site', values: ['A'] },
        ],
      });
      expect(normaliseFilter(f, known)).toEqual({ questionIds: ['Q1'], waveIds: ['m6'], attributes: [{ name: 'role', values: ['Mentee'] }] });
    });

    it('widens a list whose every id has gone to every question (wave), and keeps an empty list empty', () => {
      expect(normaliseFilter(filter({ questionIds: ['Q9'], waveIds: [] }), known)).toEqual({ questionIds: null, waveIds: [], attributes: [] });
    });

    it('keeps a filter that is all known as it is', () => {
      const f = filter({ questionIds: ['Q2'], waveIds: null, attributes: [{ name: 'pair', values: ['', 'Pair 3'] }] });
      expect(normaliseFilter(f, known)).toEqual(f);
    });
  });
});
