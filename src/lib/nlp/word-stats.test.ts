// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { lemmatizeTerm } from './lemmatize';
import { loadNlp } from './wink';
import { distinctiveWords, isContraction, isStopWord, keywordsInContext, wordFrequencies, type TextRef } from './word-stats';

beforeAll(async () => {
  await loadNlp();
});

const answers = (...texts: string[]): TextRef[] => texts.map((text, i) => ({ id: `a${i + 1}`, text }));

describe('wordFrequencies', () => {
  it('drops wink’s stop words, and forms whose lemma is one ("got" with "get")', () => {
    const words = wordFrequencies(answers('The mentor was really helpful and I got it, didn’t I?')).map((w) => w.lemma);
    expect(words).toEqual(['helpful', 'mentor']);
    expect(['the', 'was', 'really', 'and', 'I', 'got', 'it', 'didn’t'].every(isStopWord)).toBe(true);
    expect(isStopWord('mentor')).toBe(false);
  });

  it('merges word forms by lemma, counting occurrences and answers', () => {
    const words = wordFrequencies(answers('Mentoring helped.', 'I was mentored, and mentoring again.', 'Mentors! My mentor.'));
    expect(words[0]).toEqual({ lemma: 'mentor', count: 5, answers: 3, forms: ['mentoring', 'mentor', 'mentored', 'mentors'] });
    expect(words[1]).toMatchObject({ lemma: 'help', count: 1, answers: 1, forms: ['helped'] });
  });

  it('leaves out numbers and emoji unless asked, and extra stop words in any form', () => {
    const texts = answers('3 mentors 🙂 and 10,000 sessions');
    expect(wordFrequencies(texts).map((w) => w.lemma)).toEqual(['mentor', 'session']);
    expect(
      wordFrequencies(texts, { keepNonLetters: true })
        .map((w) => w.lemma)
        .sort(),
    ).toEqual(['10,000', '3', 'mentor', 'session', '🙂']);
    expect(wordFrequencies(texts, { stopWords: ['Session'] }).map((w) => w.lemma)).toEqual(['mentor']);
  });

  it('counts no contraction as a word, nor a piece of one, but a possessive as its noun', () => {
    const texts = answers(
      "I'm glad I've had a mentor; I’m sure she's the reason we're here.",
      "Don't worry, it's fine: we can't and won't stop. Let's meet; they'd said you'll come.",
      "My mentor's advice? I ' m not sure, don't ask. Y'all shan't mind, ain't it so?",
    );
    const words = wordFrequencies(texts).map((w) => w.lemma);
    expect(words).toEqual(['mentor', 'sure', 'advice', 'ask', 'come', 'fine', 'glad', 'meet', 'mind', 'reason', 'stop', 'worry']);
    for (const w of ["i'm", 'I’m', "don't", "it's", "we've", "can't", "won't", "shan't", "let's", "they'd", "you'll", "'m", "n't", "'s", 'm', 've'])
      expect([w, isContraction(w)]).toEqual([w, true]);
    for (const w of ["mentor's", "o'clock", 'mentor', "rock'n'roll"]) expect([w, isContraction(w)]).toEqual([w, false]);
    expect(["i'm", "we've", "let's", "shan't"].every(isStopWord)).toBe(true);
    expect(wordFrequencies(texts).find((w) => w.lemma === 'mentor')).toMatchObject({ count: 2, forms: ['mentor', "mentor's"] });
  });

  it('counts words of other scripts as typed, one by one', () => {
    const words = wordFrequencies(answers('الإرشاد ساعدني كثيرًا', 'الإرشاد مفيد')).map((w) => [w.lemma, w.count]);
    expect(words).toEqual([
      ['الإرشاد', 2],
      ['ساعدني', 1],
      ['كثيرًا', 1],
      ['مفيد', 1],
    ]);
  });

  it('counts a compound as itself', () => {
    expect(wordFrequencies(answers('Self-confidence grew; confidence too.')).map((w) => [w.lemma, w.count])).toEqual([
      ['confidence', 1],
      ['grow', 1],
      ['self-confidence', 1],
    ]);
  });
});

describe('keywordsInContext', () => {
  const texts = answers('Before 🙂 we met, mentoring was new.\nNow my mentor 👍🏽 and I meet weekly', 'Nothing about it.', 'Mentored.');

  it('finds every form of the lemma, with code point offsets that slice back to the word', () => {
    const lines = keywordsInContext(texts, 'mentored');
    expect(lines.map((l) => [l.answerId, l.match])).toEqual([
      ['a1', 'mentoring'],
      ['a1', 'mentor'],
      ['a3', 'Mentored'],
    ]);
    const byId = new Map(texts.map((t) => [t.id, t.text]));
    for (const line of lines) {
      expect([...byId.get(line.answerId)!].slice(line.start, line.end).join('')).toBe(line.match);
    }
    // The emoji before "mentoring" takes two UTF-16 units (so the word starts at 18 there) but one code point.
    expect(texts[0].text.indexOf('mentoring')).toBe(18);
    expect(lines[0]).toMatchObject({ start: 17, end: 26 });
  });

  it('shows a window of words either side on one line, and says when the answer goes on', () => {
    const [first, second, third] = keywordsInContext(texts, 'mentor', { window: 2 });
    expect(first).toMatchObject({ left: 'we met, ', right: ' was new', moreLeft: true, moreRight: true });
    expect(second).toMatchObject({ left: 'Now my ', right: ' 👍🏽 and', moreLeft: true, moreRight: true });
    expect(third).toMatchObject({ left: '', right: '.', moreLeft: false, moreRight: false });
    expect(keywordsInContext(texts, 'mentor', { limit: 2 })).toHaveLength(2);
  });

  it('gives as many lines as wordFrequencies counts, word by word', () => {
    const corpus = answers('Mentors met; meetings helped.', 'My mentor’s meeting was useful, mentoring too.', 'Self-confidence!');
    for (const { lemma, count } of wordFrequencies(corpus)) expect(keywordsInContext(corpus, lemma)).toHaveLength(count);
  });
});

describe('distinctiveWords', () => {
  it('never finds a contraction distinctive, however often one side writes it', () => {
    const result = distinctiveWords(answers("I'm sure I'm glad, I’m sure we've grown.", "Don't know. Can't say, won't say."), answers('Funding was short.'));
    expect(result.words.map((w) => w.lemma).sort()).toEqual(['fund', 'glad', 'grow', 'know', 'short', 'sure'].sort());
  });

  it('computes the weighted log-odds z-score with the pooled-count prior (hand-worked)', () => {
    // Group: mentor ×2, advice ×1 (3 words). Rest: funding ×2, advice ×1 (3 words). α₀ = 6; α = pooled counts: 2, 2, 2.
    const result = distinctiveWords(answers('mentor mentor advice'), answers('funding funding advice'));
    const fund = lemmatizeTerm('funding');
    expect(result.words.map((w) => [w.lemma, w.groupCount, w.restCount])).toEqual([
      ['mentor', 2, 0],
      ['advice', 1, 1],
      [fund, 0, 2],
    ]);
    // mentor: δ = log((2+2)/(3+6−2−2)) − log((0+2)/(3+6−0−2)), σ² = 1/4 + 1/2.
    const delta = Math.log(4 / 5) - Math.log(2 / 7);
    expect(result.words[0].delta).toBeCloseTo(delta, 12);
    expect(result.words[0].z).toBeCloseTo(delta / Math.sqrt(0.75), 12);
    expect(result.words[1].z).toBeCloseTo(0, 12);
    expect(result.words[2].z).toBeCloseTo(-delta / Math.sqrt(0.75), 12);
    expect(result).toMatchObject({ groupAnswers: 1, restAnswers: 1, groupWords: 3, restWords: 3, priorWeight: 6 });
    expect(result.method).toMatch(/Monroe, Colaresi & Quinn 2008/);
    expect(result.method).toMatch(/1 answers of the group \(3 words\)/);
  });

  it('ranks words the group uses more above shared words, and the rest’s words below, on a toy corpus', () => {
    const group = answers('My mentor helped me a lot.', 'The mentor gave great advice.', 'Mentoring sessions were great.');
    const rest = answers('Funding was too short.', 'Funding delays hurt the project.', 'A great lab but little funding.');
    const { words } = distinctiveWords(group, rest);
    const z = new Map(words.map((w) => [w.lemma, w.z]));
    const fund = lemmatizeTerm('funding');
    expect(z.get('mentor')).toBeGreaterThan(0);
    expect(z.get(fund)).toBeLessThan(0);
    expect(z.get('mentor')).toBeGreaterThan(z.get('great')!);
    expect(z.get('great')).toBeGreaterThan(z.get(fund)!);
    expect(words[0].lemma).toBe('mentor');
    expect(words.at(-1)!.lemma).toBe(fund);
    // Sorted by z, most typical of the group first.
    for (let i = 1; i < words.length; i++) expect(words[i - 1].z).toBeGreaterThanOrEqual(words[i].z);
  });

  it('keeps every score finite with an empty side, a single word, or a minimum count', () => {
    expect(distinctiveWords([], []).words).toEqual([]);
    const one = distinctiveWords(answers('mentor'), answers('mentor'));
    expect(one.words).toEqual([{ lemma: 'mentor', z: 0, delta: 0, groupCount: 1, restCount: 1 }]);
    const lopsided = distinctiveWords(answers('mentor advice'), []);
    for (const w of lopsided.words) expect(Number.isFinite(w.z)).toBe(true);
    expect(distinctiveWords(answers('mentor mentor advice'), answers('funding'), { minCount: 2 }).words.map((w) => w.lemma)).toEqual(['mentor']);
  });
});
