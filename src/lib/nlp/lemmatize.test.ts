// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { addKnownForms, indexKeys, knownForms, lemmaInfo, lemmatizeTerm, normalizeWord } from './lemmatize';
import { getNlp, isNlpLoaded, loadNlp } from './wink';

beforeAll(async () => {
  await loadNlp();
});

describe('loadNlp', () => {
  it('loads one shared instance, then gives it synchronously', async () => {
    expect(isNlpLoaded()).toBe(true);
    const [a, b] = await Promise.all([loadNlp(), loadNlp()]);
    expect(a).toBe(b);
    expect(getNlp()).toBe(a);
    expect(a.readDoc('The mentors were mentoring.').tokens().out(a.its.pos)).toContain('VERB');
  });
});

describe('lemmatizeTerm', () => {
  it('gives mentoring, mentored, mentors and mentor one key', () => {
    const keys = ['mentoring', 'mentored', 'mentors', 'mentor', 'Mentoring', 'MENTORS', "mentor's", 'mentor’s'].map(lemmatizeTerm);
    expect(new Set(keys)).toEqual(new Set(['mentor']));
  });

  it('gives meeting and meetings one key', () => {
    expect(lemmatizeTerm('meetings')).toBe(lemmatizeTerm('meeting'));
    // The -ing noun also meets its verb: "meeting" and "met" ("meet").
    expect(lemmatizeTerm('meeting')).toBe(lemmatizeTerm('met'));
  });

  it('gives women and woman one key, and other irregular forms their lemma', () => {
    expect(lemmatizeTerm('women')).toBe('woman');
    expect(lemmatizeTerm('woman')).toBe('woman');
    expect(lemmatizeTerm('children')).toBe('child');
    expect(lemmatizeTerm('went')).toBe('go');
  });

  it('reads -ing nouns as verbs when wink knows the verb, and leaves other -ing nouns alone', () => {
    expect(lemmatizeTerm('training')).toBe(lemmatizeTerm('trained'));
    expect(lemmatizeTerm('trainings')).toBe(lemmatizeTerm('trains'));
    expect(lemmatizeTerm('feeling')).toBe(lemmatizeTerm('felt'));
    expect(lemmatizeTerm('morning')).toBe('morning');
    expect(lemmatizeTerm('evening')).toBe('evening');
    expect(lemmatizeTerm('evenings')).toBe('evening');
    expect(lemmatizeTerm('nothing')).toBe('nothing');
  });

  it('strips a plural -s from words wink does not know', () => {
    expect(lemmatizeTerm('mentees')).toBe('mentee');
    expect(lemmatizeTerm('mentee')).toBe('mentee');
  });

  it('maps British spellings as wink does', () => {
    expect(lemmatizeTerm('organised')).toBe(lemmatizeTerm('organized'));
    expect(lemmatizeTerm('colours')).toBe(lemmatizeTerm('color'));
  });

  it('folds accents and case, so names match however they are typed', () => {
    expect(lemmatizeTerm('Siobhán')).toBe('siobhan');
    expect(lemmatizeTerm('SIOBHAN')).toBe('siobhan');
    expect(lemmatizeTerm('Nguyễn')).toBe('nguyen');
    expect(lemmatizeTerm('Nguye\u0302\u0303n')).toBe('nguyen');
    expect(lemmatizeTerm('Łukasz')).toBe('lukasz');
  });

  it('keeps numbers, contractions wink splits, emoji and other scripts as written (normalised)', () => {
    expect(lemmatizeTerm('3.5')).toBe('3.5');
    expect(lemmatizeTerm("don't")).toBe("don't");
    expect(lemmatizeTerm('don’t')).toBe("don't");
    expect(lemmatizeTerm('😀')).toBe('😀');
    expect(lemmatizeTerm('👍🏽')).toBe('👍');
    expect(lemmatizeTerm('课')).toBe('课');
  });

  it('is memoised and stable', () => {
    const first = lemmaInfo('Supervisors');
    expect(lemmaInfo('Supervisors')).toBe(first);
    expect(first).toMatchObject({ surface: 'supervisors', key: 'supervisor', parts: null, keys: ['supervisor'] });
  });
});

describe('lemmaInfo', () => {
  it('keys a compound whole and by its parts, with the parts’ offsets', () => {
    const info = lemmaInfo('Self-confidence');
    expect(info.key).toBe('self-confidence');
    expect(info.parts).toEqual([
      { start: 0, end: 4, key: 'self' },
      { start: 5, end: 15, key: 'confidence' },
    ]);
    expect(info.keys).toEqual(['self-confidence', 'self', 'confidence']);
    expect(lemmaInfo('co-workers').keys).toContain('worker');
  });

  it('records the inflected forms of indexed words, not of words only looked up', () => {
    expect(lemmatizeTerm('Helped')).toBe('help');
    expect(knownForms().has('helped')).toBe(false);
    expect(indexKeys('Helped')).toBe('help');
    expect(knownForms().get('helped')).toBe('help');
    expect(knownForms().has('help')).toBe(false);
    expect(indexKeys('co-workers')).toEqual(['co-worker', 'co', 'worker']);
    expect(knownForms().get('co-workers')).toBe('co-worker');
    expect(knownForms().get('workers')).toBe('worker');
    addKnownForms([['zzzforms', 'zzzform']]);
    expect(knownForms().get('zzzforms')).toBe('zzzform');
  });
});

describe('normalizeWord', () => {
  it('lower-cases, straightens apostrophes, folds accents, drops variation selectors and skin tones', () => {
    expect(normalizeWord('Mentor’s')).toBe("mentor's");
    expect(normalizeWord('Café')).toBe('cafe');
    expect(normalizeWord('İstanbul')).toBe('istanbul');
    expect(normalizeWord('Straße')).toBe('strasse');
    expect(normalizeWord('❤️')).toBe('❤');
    expect(normalizeWord('👍🏿')).toBe('👍');
    // Indic vowel signs are not accents.
    expect(normalizeWord('हिंदी')).toBe('हिंदी');
  });
});
