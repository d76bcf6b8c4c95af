// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerIndex } from './answer-index';
import { AnswerScan } from './answer-scan';

/** What the index finds for each query, as the worker asks it (a mask over the answers in list order), and what the scan finds. */
async function both(texts: string[], queries: string[], opts: { slices?: number; order?: 'same' | 'reversed' } = {}) {
  const index = await AnswerIndex.create();
  // The index is built in another order than the list: masks must still line up with the list.
  const docs = texts.map((text, i) => ({ id: `d${i}`, text }));
  index.addAll(opts.order === 'reversed' ? [...docs].reverse() : docs);
  const get = (id: string) => texts[Number(id.slice(1))];
  const table = index.positionTable((id) => Number(id.slice(1)));
  const scan = await AnswerScan.create(texts);
  if (opts.slices) scan.keyNext(opts.slices);
  return queries.map((query) => {
    const expected = index.matchPositions(query, get, table, texts.length);
    const actual = scan.matchPositions(query);
    return {
      query,
      expected: { mask: [...expected.mask], count: expected.count, ranges: texts.map((t, i) => (expected.mask[i] ? expected.ranges(t) : [])) },
      actual: { mask: [...actual.mask], count: actual.count, ranges: texts.map((t, i) => (actual.mask[i] ? actual.ranges(t) : [])) },
    };
  });
}

const DOCS = [
  'My mentor helped me build confidence.',
  'I was mentored by Siobhán; the mentors were great.',
  'We shared background and values, which helped.',
  'The background that we shared made it easier.',
  'Mentoring sessions boosted my self-confidence.',
  'Meetings with Nguyễn’s team were useful 😀',
  'Time management was hard. I felt unsupported.',
  'She is a role model for women in medicine.',
  'Our shared  Background matters',
  'A confidnce boost',
  'A shared background; I shared a lot of it.',
  'The mentorship scheme',
  'Trainings on well-being and wellbeing, 3.5 days',
  '',
];

/** The query grammar of query.ts and the index's rules, one or more queries each. */
const GRAMMAR: Record<string, string[]> = {
  'word forms': ['mentoring ', 'women ', 'woman ', 'Siobhan ', 'training '],
  prefixes: ['m', 'me', 'men', 'ment', 'meetin', 'backg', 'sel', 'well-'],
  typos: ['mentro ', 'confidnce ', 'confidence ', 'tiem ', 'ment ', 'mentorring ', 'trainigs '],
  compounds: ['confidence ', 'well-being ', 'self-confidence', 'being'],
  'AND of terms': ['mentor confidence', 'shared background ', 'background shared'],
  phrases: ['"shared background"', '“Shared Background”', '"background that we"', '"a lot of it"', '"3.5 days"'],
  'open phrases': ['"shared back', '"shared', '"sh', '"mentor'],
  'terms with phrases': ['mentor "background"', '"shared background" lot', 'helped "shared background'],
  'nothing to match': ['', '   ', '""', '" "', '!!', 'zzzz'],
  'numbers and emoji': ['3.5', '3', '😀', 'days 3'],
};

describe('AnswerScan: the same answers and highlights as AnswerIndex', () => {
  for (const [rule, queries] of Object.entries(GRAMMAR)) {
    it(rule, async () => {
      for (const r of await both(DOCS, queries)) expect(r.actual, r.query).toEqual(r.expected);
    });
  }

  it('finds something for the rules tested (the comparison is not vacuous)', async () => {
    const found = (await both(DOCS, ['mentoring ', 'ment', 'mentro ', '"shared background"', '"shared back', 'confidence '])).map((r) => r.actual.count);
    expect(found).toEqual([3, 4, 3, 3, 3, 3]);
  });

  it('answers a search asked before every answer is keyed, keying the rest first', async () => {
    const texts = DOCS.slice(0, 12);
    const scan = await AnswerScan.create(texts);
    expect(scan.keyNext(3)).toBe(false);
    expect(scan.progress).toBe(3);
    expect(scan.complete).toBe(false);
    const r = scan.matchPositions('mentoring ');
    expect(scan.complete).toBe(true);
    expect([...r.mask]).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    for (const q of await both(texts, ['mentoring ', '"shared background"', 'ment'], { slices: 5 })) expect(q.actual, q.query).toEqual(q.expected);
  });

  it('lines its mask up with the answers as given, whatever order the index was built in', async () => {
    for (const r of await both(DOCS, ['mentor', 'shared ', '"shared background"'], { order: 'reversed' })) expect(r.actual, r.query).toEqual(r.expected);
  });

  const VOCAB = [
    'mentor',
    'mentors',
    'mentoring',
    'mentored',
    'Mentor’s',
    'mentorship',
    'meeting',
    'meetings',
    'met',
    'mental',
    'women',
    'woman',
    'confidence',
    'self-confidence',
    'confidnce',
    'shared',
    'background',
    'backgrounds',
    'Siobhán',
    'Nguyễn',
    'time',
    'timing',
    'tiem',
    'support',
    'supportive',
    'unsupported',
    "don't",
    'I',
    'we',
    'the',
    'a',
    'of',
    'career',
    'promotion',
    'family',
    'culture',
    '3.5',
    '10,000',
    '😀',
    'evening',
    'colour',
    'color',
    'well-being',
    'wellbeing',
    'trainings',
    'trained',
    'felt',
    'feeling',
  ];
  const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '; ', ' — ', '\n', ' (', ') ', ' “', '” ', '  ', '-'];
  const docText = fc
    .array(fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...SEPARATORS)), { minLength: 0, maxLength: 14 })
    .map((parts) => parts.map(([w, s]) => w + s).join(''));
  const corpus = fc.array(docText, { minLength: 1, maxLength: 12 });
  const word = fc.constantFrom(...VOCAB);
  /** What a coder types: a word, its start, a typo (swap, drop, change), several words, phrases closed or open, anything at all. */
  const typed = fc.oneof(
    word,
    fc.tuple(word, fc.integer({ min: 1, max: 8 })).map(([w, n]) => w.slice(0, n)),
    fc.tuple(word, fc.nat()).map(([w, i]) => {
      const at = w.length > 1 ? i % (w.length - 1) : 0;
      return w.slice(0, at) + (w[at + 1] ?? '') + w[at] + w.slice(at + 2);
    }),
    fc.tuple(word, fc.nat()).map(([w, i]) => w.slice(0, i % w.length) + w.slice((i % w.length) + 1)),
    fc.tuple(word, fc.nat(), fc.constantFrom('a', 'e', 'x', 'é')).map(([w, i, c]) => w.slice(0, i % w.length) + c + w.slice((i % w.length) + 1)),
    fc.tuple(word, word, fc.constantFrom('', ' ')).map(([a, b, end]) => `${a} ${b}${end}`),
    fc.tuple(word, word, fc.boolean()).map(([a, b, closed]) => `"${a} ${b}${closed ? '"' : ''}`),
    fc.tuple(word, word, word).map(([a, b, c]) => `${a} “${b} ${c}”`),
    fc.string({ maxLength: 12 }),
  );

  it('on random answers and queries (property)', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.array(typed, { minLength: 1, maxLength: 4 }), fc.nat(), fc.boolean(), async (texts, queries, slices, reversed) => {
        const results = await both(texts, queries, { slices: slices % (texts.length + 1), order: reversed ? 'reversed' : 'same' });
        for (const r of results) expect(r.actual, r.query).toEqual(r.expected);
      }),
      { numRuns: 300 },
    );
  });
});
