// @vitest-environment node
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { wordTokens } from '../nlp/lemmatize';
import { AnswerIndex, IncompatibleIndexError, type SearchDoc, type SearchHit } from './answer-index';

const DOCS: SearchDoc[] = [
  { id: 'a', text: 'My mentor helped me build confidence.' },
  { id: 'b', text: 'I was mentored by Siobhán; the mentors were great.' },
  { id: 'c', text: 'We shared background and values, which helped.' },
  { id: 'd', text: 'The background that we shared made it easier.' },
  { id: 'e', text: 'Mentoring sessions boosted my self-confidence.' },
  { id: 'f', text: 'Meetings with Nguyễn’s team were useful 😀' },
  { id: 'g', text: 'Time management was hard. I felt unsupported.' },
  { id: 'h', text: 'She is a role model for women in medicine.' },
  { id: 'i', text: 'Our shared  Background matters' },
  { id: 'j', text: 'A confidnce boost' },
  { id: 'k', text: 'A shared background; I shared a lot of it.' },
  { id: 'l', text: 'The mentorship scheme' },
];
const TEXTS = new Map(DOCS.map((d) => [d.id, d.text]));
const getText = (id: string) => TEXTS.get(id);

let index: AnswerIndex;
beforeAll(async () => {
  index = await AnswerIndex.create();
  index.addAll(DOCS);
});

const ids = (query: string, idx: AnswerIndex = index) =>
  idx
    .search(query, getText)
    .map((h) => h.id)
    .sort();
/** The highlighted substrings of each hit, by id. */
function marked(query: string, idx: AnswerIndex = index): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of idx.search(query, getText)) out[h.id] = h.ranges.map(([s, e]) => getText(h.id)!.slice(s, e));
  return out;
}

describe('AnswerIndex.search: word forms', () => {
  it('"mentoring" finds mentor, mentored, mentors and Mentoring, and marks those words', () => {
    expect(ids('mentoring ')).toEqual(['a', 'b', 'e']);
    expect(marked('mentoring ')).toEqual({ a: ['mentor'], b: ['mentored', 'mentors'], e: ['Mentoring'] });
  });

  it('"women" and "woman" find each other', () => {
    expect(ids('woman ')).toEqual(['h']);
    expect(marked('women ')).toEqual({ h: ['women'] });
  });

  it('"meeting" finds "Meetings"', () => {
    expect(marked('meeting ')).toEqual({ f: ['Meetings'] });
  });

  it('names match without their accents, and are marked whole', () => {
    expect(marked('siobhan ')).toEqual({ b: ['Siobhán'] });
    expect(marked('Nguyen ')).toEqual({ f: ['Nguyễn’s'] });
  });

  it('finds a compound by its parts and marks only the part', () => {
    expect(marked('confidence ')).toMatchObject({ a: ['confidence'], e: ['confidence'] });
    expect(marked('self-confidence ')).toEqual({ e: ['self-confidence'] });
  });

  it('finds emoji', () => {
    expect(ids('😀')).toEqual(['f']);
  });
});

describe('AnswerIndex.search: prefix', () => {
  it('"ment" finds mentor and its forms while it is being typed', () => {
    expect(ids('ment')).toEqual(['a', 'b', 'e', 'l']);
    expect(marked('ment')).toEqual({ a: ['mentor'], b: ['mentored', 'mentors'], e: ['Mentoring'], l: ['mentorship'] });
  });

  it('a finished word (space after it) is not a prefix', () => {
    expect(ids('ment ')).toEqual([]);
  });

  it('finds written forms by prefix even when their lemma differs ("meetin" → "Meetings")', () => {
    expect(marked('meetin')).toEqual({ f: ['Meetings'] });
  });

  it('only the last term is a prefix', () => {
    expect(ids('ment help')).toEqual([]);
    expect(ids('help ment')).toEqual(['a']);
  });
});

describe('AnswerIndex.search: typos', () => {
  it('"mentro" finds mentor, "confidnce" finds confidence', () => {
    expect(ids('mentro ')).toEqual(['a', 'b', 'e']);
    expect(ids('confidnce ')).toEqual(['a', 'e', 'j']);
  });

  it('finds answers with typos in them', () => {
    expect(marked('confidence ').j).toEqual(['confidnce']);
  });

  it('allows only a swap of adjacent letters in a 4-letter term', () => {
    expect(ids('tiem ')).toEqual(['g']);
    expect(ids('tome ')).toEqual([]);
  });

  it('is not applied to short terms', () => {
    expect(ids('mi ')).toEqual([]);
  });
});

describe('AnswerIndex.search: phrases and AND', () => {
  it('"shared background" in quotes finds only that exact phrase', () => {
    expect(ids('"shared background"')).toEqual(['c', 'i', 'k']);
    expect(ids('“shared background”')).toEqual(['c', 'i', 'k']);
    expect(marked('"shared background"')).toEqual({
      c: ['shared background'],
      i: ['shared  Background'],
      k: ['shared background'],
    });
  });

  it('without quotes, the words may be anywhere', () => {
    expect(ids('shared background ')).toEqual(['c', 'd', 'i', 'k']);
    expect(marked('shared background ').d).toEqual(['background', 'shared']);
  });

  it('all terms must match', () => {
    expect(ids('mentor confidence ')).toEqual(['a', 'e']);
    expect(ids('mentor zebra ')).toEqual([]);
  });

  it('phrases and terms combine with AND', () => {
    expect(ids('"shared background" helped ')).toEqual(['c']);
    expect(marked('"shared background" helped ')).toEqual({ c: ['shared background', 'helped'] });
    expect(ids('"shared background" "which helped"')).toEqual(['c']);
  });

  it('an unclosed quote is a phrase still being typed', () => {
    expect(ids('"shared backg')).toEqual(['c', 'i', 'k']);
    expect(ids('"shared ba')).toEqual(['c', 'i', 'k']);
    expect(ids('"sh')).toEqual(['c', 'd', 'h', 'i', 'k']); // shared, She
    expect(marked('"shared backg')).toEqual({ c: ['shared backg'], i: ['shared  Backg'], k: ['shared backg'] });
  });

  it('a quoted single word matches that word exactly, without other forms', () => {
    expect(ids('"mentors"')).toEqual(['b']);
  });

  it('an empty query finds nothing', () => {
    expect(index.search('', getText)).toEqual([]);
    expect(index.search('  "" ?! ', getText)).toEqual([]);
  });
});

describe('AnswerIndex.search: results', () => {
  it('ranks exact matches above prefix matches', () => {
    const hits = index.search('mentor', getText);
    expect(hits.map((h) => h.id)).toContain('l');
    expect(hits[hits.length - 1].id).toBe('l'); // "mentorship", by prefix only
    expect(hits.every((h, i) => i === 0 || hits[i - 1].score >= h.score)).toBe(true);
  });

  it('orders equal scores by id', async () => {
    const idx = await AnswerIndex.create();
    const docs = ['q3', 'q1', 'q2'].map((id) => ({ id, text: 'same mentor text' }));
    idx.addAll(docs);
    const get = () => 'same mentor text';
    expect(idx.search('mentor ', get).map((h) => h.id)).toEqual(['q1', 'q2', 'q3']);
    expect(idx.search('"mentor text"', get).map((h) => h.id)).toEqual(['q1', 'q2', 'q3']);
  });

  it('accepts a SearchQuery object and a filter', () => {
    expect(
      index
        .search({ text: 'mentoring ' }, getText, { filter: (id) => id !== 'b' })
        .map((h) => h.id)
        .sort(),
    ).toEqual(['a', 'e']);
    expect(index.search('"shared background"', getText, { filter: (id) => id === 'k' }).map((h) => h.id)).toEqual(['k']);
  });

  it('find gives the same hits, and ranges on demand', () => {
    const found = index.find('"shared background" helped ', getText);
    const hits = index.search('"shared background" helped ', getText);
    expect(found.hits).toEqual(hits.map(({ id, score }) => ({ id, score })));
    expect(found.ranges(getText('c')!)).toEqual(hits[0].ranges);
  });
});

describe('AnswerIndex: changes', () => {
  it('adds in chunks with progress, removes and replaces', async () => {
    const progress: [number, number][] = [];
    const idx = await AnswerIndex.create({ chunkSize: 4, onProgress: (done, total) => progress.push([done, total]) });
    idx.addAll(DOCS);
    expect(progress).toEqual([
      [4, 12],
      [8, 12],
      [12, 12],
    ]);
    expect(idx.size).toBe(12);
    expect(idx.remove('a')).toBe(true);
    expect(idx.remove('a')).toBe(false);
    expect(idx.has('a')).toBe(false);
    expect(ids('mentoring ', idx)).toEqual(['b', 'e']);
    idx.replace({ id: 'b', text: 'Nothing to see' });
    TEXTS.set('z', 'a new mentor');
    idx.replace({ id: 'z', text: 'a new mentor' });
    expect(ids('mentoring ', idx)).toEqual(['e', 'z']);
    TEXTS.delete('z');
  });

  it('stops adding when the signal is aborted', async () => {
    const controller = new AbortController();
    const idx = await AnswerIndex.create({
      chunkSize: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 4) controller.abort();
      },
    });
    await expect(idx.addAllAsync(DOCS)).rejects.toThrow();
    expect(idx.size).toBe(4);
    expect(() => idx.addAll(DOCS.slice(4))).toThrow();
  });
});

describe('AnswerIndex: toJSON / fromJSON', () => {
  const queries = ['mentoring ', 'ment', 'mentro ', 'meetin', '"shared background"', 'shared background helped ', 'siobhan ', 'confidence ', '😀'];

  it('round-trips through JSON and structured clone with the same results', () => {
    const viaString = AnswerIndex.fromJSON(JSON.stringify(index));
    const viaClone = AnswerIndex.fromJSON(structuredClone(index.toJSON()));
    for (const q of queries) {
      expect(viaString.search(q, getText)).toEqual(index.search(q, getText));
      expect(viaClone.search(q, getText)).toEqual(index.search(q, getText));
    }
  });

  it('load awaits wink-nlp and restores', async () => {
    const restored = await AnswerIndex.load(index.toJSON());
    expect(restored.size).toBe(index.size);
  });

  it('rejects data that is not a serialised index of this version', () => {
    expect(() => AnswerIndex.fromJSON({})).toThrow(IncompatibleIndexError);
    expect(() => AnswerIndex.fromJSON('not json')).toThrow(IncompatibleIndexError);
    expect(() => AnswerIndex.fromJSON({ ...index.toJSON(), keyVersion: -1 })).toThrow(IncompatibleIndexError);
    expect(() => AnswerIndex.fromJSON({ ...index.toJSON(), version: 99 })).toThrow(IncompatibleIndexError);
    const json = index.toJSON();
    expect(() => AnswerIndex.fromJSON({ ...json, minisearch: { ...json.minisearch, serializationVersion: 99 } })).toThrow(IncompatibleIndexError);
  });
});

describe('AnswerIndex: properties', () => {
  const VOCAB = [
    'mentor',
    'mentors',
    'mentoring',
    'mentored',
    'Mentor’s',
    'meeting',
    'meetings',
    'met',
    'women',
    'woman',
    'confidence',
    'self-confidence',
    'shared',
    'background',
    'backgrounds',
    'Siobhán',
    'Nguyễn',
    'time',
    'timing',
    'support',
    'supportive',
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
    '😀',
    'evening',
    'colour',
  ];
  const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '; ', ' — ', '\n', ' (', ') ', ' “', '” '];
  const docText = fc
    .array(fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 14 })
    .map((parts) => parts.map(([w, s]) => w + s).join(''));
  const corpus = fc.array(docText, { minLength: 1, maxLength: 12 });

  async function build(texts: string[]) {
    const idx = await AnswerIndex.create();
    const docs = texts.map((text, i) => ({ id: `d${i}`, text }));
    idx.addAll(docs);
    const get = (id: string) => docs[Number(id.slice(1))]?.text;
    return { idx, docs, get };
  }

  function checkRanges(hits: SearchHit[], get: (id: string) => string | undefined) {
    for (const h of hits) {
      const text = get(h.id)!;
      let prevEnd = -1;
      for (const [s, e] of h.ranges) {
        expect(s).toBeGreaterThan(prevEnd);
        expect(e).toBeGreaterThan(s);
        expect(e).toBeLessThanOrEqual(text.length);
        prevEnd = e;
      }
    }
  }

  it('a word taken from an answer finds that answer, and every hit’s ranges lie in its text, sorted and apart', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.nat(), fc.nat(), fc.boolean(), async (texts, di, wi, finished) => {
        const { idx, docs, get } = await build(texts);
        const doc = docs[di % docs.length];
        const tokens = wordTokens(doc.text);
        fc.pre(tokens.length > 0);
        const word = tokens[wi % tokens.length].word;
        const hits = idx.search(finished ? `${word} ` : word, get);
        expect(hits.map((h) => h.id)).toContain(doc.id);
        expect(hits.find((h) => h.id === doc.id)!.ranges.length).toBeGreaterThan(0);
        checkRanges(hits, get);
      }),
      { numRuns: 150 },
    );
  });

  it('two words of an answer find it (AND), and a quoted run of its words finds it as a phrase', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.nat(), fc.nat(), fc.nat(), async (texts, di, a, b) => {
        const { idx, docs, get } = await build(texts);
        const doc = docs[di % docs.length];
        const tokens = wordTokens(doc.text);
        fc.pre(tokens.length > 1);
        const i = a % (tokens.length - 1);
        const j = b % tokens.length;
        const hits = idx.search(`${tokens[i].word} ${tokens[j].word} `, get);
        expect(hits.map((h) => h.id)).toContain(doc.id);
        checkRanges(hits, get);
        // Two adjacent words with only whitespace between them form a phrase.
        const between = doc.text.slice(tokens[i].end, tokens[i + 1].start);
        if (/^\s+$/.test(between)) {
          const phrase = `"${tokens[i].word} ${tokens[i + 1].word}"`;
          const phraseHits = idx.search(phrase, get);
          expect(phraseHits.map((h) => h.id)).toContain(doc.id);
          checkRanges(phraseHits, get);
          for (const h of phraseHits) {
            const text = get(h.id)!;
            // Overlapping occurrences ("Mentor’s Mentor’s mentor") merge into one range, which starts with the phrase.
            for (const [s, e] of h.ranges)
              expect(
                text
                  .slice(s, e)
                  .replace(/\s+/g, ' ')
                  .toLowerCase()
                  .startsWith(`${tokens[i].word} ${tokens[i + 1].word}`.toLowerCase()),
              ).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a round-tripped index gives the same results (property)', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.constantFrom(...VOCAB), async (texts, word) => {
        const { idx, get } = await build(texts);
        const restored = AnswerIndex.fromJSON(JSON.parse(JSON.stringify(idx)));
        expect(restored.search(word, get)).toEqual(idx.search(word, get));
      }),
      { numRuns: 50 },
    );
  });

  /** What a coder types: a word, its start, a typo, two words, a phrase (closed or still open). */
  const typed = fc.oneof(
    fc.constantFrom(...VOCAB),
    fc.tuple(fc.constantFrom(...VOCAB), fc.integer({ min: 1, max: 8 })).map(([w, n]) => w.slice(0, n)),
    fc.tuple(fc.constantFrom(...VOCAB), fc.nat()).map(([w, i]) => {
      const at = w.length > 1 ? i % (w.length - 1) : 0;
      return w.slice(0, at) + (w[at + 1] ?? '') + w[at] + w.slice(at + 2);
    }),
    fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB), fc.constantFrom('', ' ')).map(([a, b, end]) => `${a} ${b}${end}`),
    fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB), fc.boolean()).map(([a, b, closed]) => `"${a} ${b}${closed ? '"' : ''}`),
    fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB)).map(([a, b]) => `${a} "${b}"`),
  );

  it('match finds exactly the answers find ranks, with the same highlights, also after answers are removed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.array(typed, { minLength: 1, maxLength: 4 }), fc.nat(), async (texts, queries, drop) => {
        const { idx, docs, get } = await build(texts);
        if (docs.length > 1) idx.remove(docs[drop % docs.length].id);
        for (const query of queries) {
          const found = idx.find(query, get);
          const matched = idx.match(query, get);
          expect([...matched.ids].sort()).toEqual(found.hits.map((h) => h.id).sort());
          for (const id of matched.ids) expect(matched.ranges(get(id)!)).toEqual(found.ranges(get(id)!));
          // The same set as a mask over a list in another order (the answer list's positions).
          const order = docs.map((d) => d.id).reverse();
          const table = idx.positionTable((id) => {
            const at = order.indexOf(id);
            return at < 0 ? undefined : at;
          });
          const positions = idx.matchPositions(query, get, table, order.length);
          expect(order.filter((_, i) => positions.mask[i] === 1).sort()).toEqual([...matched.ids].sort());
          expect(positions.count).toBe(matched.ids.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
