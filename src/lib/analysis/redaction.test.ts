// @vitest-environment node
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadEntityNlp } from '../nlp/entities';
import { findRedactions, placeholderFor, redact, type FindRedactionsOptions, type RedactionSpan } from './redaction';

/** "kind:text" for each span, in order. */
const found = (text: string, options?: FindRedactionsOptions) => findRedactions(text, options).map((s) => `${s.kind}:${s.text}`);

describe('findRedactions: patterns', () => {
  it('finds e-mail addresses, also inside other scripts', () => {
    expect(found('Write to aisha.khan@uni.ac.uk or A.Khan+survey@mail.example.org.')).toEqual([
      'email:aisha.khan@uni.ac.uk',
      'email:A.Khan+survey@mail.example.org',
    ]);
    expect(found('مرحبا aisha@x.org شكرا')).toEqual(['email:aisha@x.org']);
  });

  it('finds phone numbers as people write them', () => {
    expect(found('Call +44 7700 900123, 07700 900123, (555) 123-4567, 555-1234 or +1-202-555-0143.')).toEqual([
      'phone:+44 7700 900123',
      'phone:07700 900123',
      'phone:(555) 123-4567',
      'phone:555-1234',
      'phone:+1-202-555-0143',
    ]);
  });

  it('does not take dates, year ranges, counts or ids for phone numbers', () => {
    expect(found('Between 2019-2020 we had 1 000 000 visits and 10000 replies, on 12.03.2024 and 2024-03-12; ID 12345678; £1,250,000.')).toEqual([]);
    expect(found('Scores: 1 2 3 4 5 6 7 8 9 10, then 10 10 10 10 10.')).toEqual([]);
  });

  it('finds UK postcodes, US ZIP codes after a state, and street addresses', () => {
    expect(found('We moved to 12 High Street, London SW1A 1AA last year.')).toEqual(['place:12 High Street', 'place:SW1A 1AA']);
    expect(found('Her office is at 1600 Pennsylvania Ave. in DC 20500.')).toEqual(['place:1600 Pennsylvania Ave.', 'place:DC 20500']);
    expect(found('The meeting was on Baker Street. Then we left.')).toEqual(['place:Baker Street']);
    expect(found('We had 62704 answers; M1 is a motorway.')).toEqual([]);
  });
});

describe('findRedactions: the author’s list', () => {
  it('matches whole words in any case, accents included, and names spread over spaces', () => {
    const names = ['Bob', 'josé', 'Aisha Khan'];
    expect(found('bob said BOB and Bobby; José and JOSÉ came; aisha  khan too.', { names })).toEqual([
      'listed:bob',
      'listed:BOB',
      'listed:José',
      'listed:JOSÉ',
      'listed:aisha  khan',
    ]);
  });

  it('leaves the possessive outside the span and ignores blank entries', () => {
    expect(found("it was bob's idea", { names: ['Bob', '  ', ''] })).toEqual(['listed:bob']);
  });

  it('finds a whole-word match that overlaps a part-word one', () => {
    expect(found('xa a a', { names: ['a a'] })).toEqual(['listed:a a']);
    expect(findRedactions('xa a a', { names: ['a a'] })[0]).toMatchObject({ start: 3, end: 6 });
    // A part-word match starting with an emoji: the next try starts after the whole emoji.
    expect(found('a😀 😀', { names: ['😀'] })).toEqual(['listed:😀']);
  });

  it('property: finds what a whole-word, case-insensitive regular expression finds', () => {
    // Text without capitals, digits or @ so that no other rule finds a span around a listed one; the names have capitals.
    const lower = fc.constantFrom('a', 'b', ' ', '.', 'é', '😀');
    const any = fc.constantFrom('a', 'A', 'b', ' ', '.', 'é', 'É', '😀');
    fc.assert(
      fc.property(fc.string({ unit: lower, maxLength: 30 }), fc.string({ unit: any, minLength: 1, maxLength: 4 }), (t, name) => {
        fc.pre(name.trim() !== '');
        const body = name
          .trim()
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\s+/g, '\\s+');
        const reference = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])${body}(?![\\p{L}\\p{M}\\p{N}_])`, 'giu');
        const expected = [...t.matchAll(reference)].map((m) => [m.index, m.index + m[0].length]);
        const spans = findRedactions(t, { names: [name] }).filter((s) => s.source === 'list');
        expect(spans.map((s) => [s.start, s.end])).toEqual(expected);
      }),
    );
  });

  it('takes regular-expression characters literally', () => {
    expect(found('Ask J.R. (the tutor) or JxR.', { names: ['J.R.', '(the'] })).toEqual(['listed:J.R.', 'listed:(the']);
  });
});

describe('findRedactions: names', () => {
  it('finds a title and a capitalised word', () => {
    expect(found('Dr Smith was kind, and Mrs. Patel helped; Prof Ana Lima too.')).toEqual(['name:Dr Smith', 'name:Mrs. Patel', 'name:Prof Ana Lima']);
  });

  it('leaves the possessive outside a name', () => {
    const text = "Dr Khan's advice and Aisha Khan’s help";
    expect(redact(text, findRedactions(text))).toBe("[name]'s advice and [name]’s help");
  });

  it('takes a run ending in Ward, Hospital, House… for a place, and one with Team, Group, Service… for neither', () => {
    expect(found('I stayed on Cherry Ward at Melton Hospital, helped by the Community Nursing Team and Carer Support Group.')).toEqual([
      'place:Cherry Ward',
      'place:Melton Hospital',
    ]);
  });

  it('finds a relation and a capitalised word', () => {
    expect(found('Honestly my mentor Aisha changed everything, as did my manager, Sarah Jones.')).toEqual(['name:Aisha', 'name:Sarah Jones']);
  });

  it('finds two capitalised words in a row, accents and hyphens included', () => {
    expect(found('I met Aisha Khan, then Nguyễn Thị Hoa and Jean-Luc O’Brien.')).toEqual(['name:Aisha Khan', 'name:Nguyễn Thị Hoa', 'name:Jean-Luc O’Brien']);
    // Decomposed accents (e + combining acute) are part of the word.
    expect(found('I met Jose\u0301 Garci\u0301a there.')).toEqual(['name:Jose\u0301 Garci\u0301a']);
  });

  it('drops the sentence’s first word when it may be capitalised only for that', () => {
    expect(found('Yesterday Aisha Khan called.')).toEqual(['name:Aisha Khan']);
  });

  it('finds places after "live in", "moved to", "came from"', () => {
    expect(found('I live in Leeds but moved to Cardiff; my family came from São Paulo.')).toEqual(['place:Leeds', 'place:Cardiff', 'place:São Paulo']);
  });

  it('keeps false positives down', () => {
    const clean = [
      'I think I’m fine and I’ll manage.',
      'Aisha was great.', // a sentence start alone
      'English was hard for me, and Zoom crashed.', // one capitalised word mid-sentence
      'On Monday in March we met; see you in May June perhaps.',
      'The NHS and the BBC helped.',
      'We joined the Mentor Programme and the Peer Support Scheme.',
      'The Mentor Programme was fine.',
      'I liked all of These', // a determiner as the last word
      'Fine. These', // and alone at a sentence start
      'i met aisha khan on monday', // nothing capitalised
      'שלום, مرحبا بكم في البرنامج',
    ];
    for (const text of clean) expect(found(text), text).toEqual([]);
  });

  it('gives offsets in UTF-16 units, emoji before the span included', () => {
    const text = '😀😀 Dr Smith 👍🏽 and my mentor Zoë';
    const spans = findRedactions(text);
    expect(spans.map((s) => [s.start, s.end])).toEqual([
      [5, 13],
      [33, 36],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('keeps one span where several rules find the same words', () => {
    const spans = findRedactions('I met Aisha Khan at 12 Baker Street.', { names: ['Aisha Khan'] });
    expect(spans.map((s) => `${s.kind}/${s.source}:${s.text}`)).toEqual(['listed/list:Aisha Khan', 'place/pattern:12 Baker Street']);
  });
});

describe('findRedactions: wink-nlp entities', () => {
  it('says to load entity recognition first', () => {
    expect(() => findRedactions('hi @bob', { useEntities: true })).toThrow('Entity recognition is not loaded yet: await loadEntityNlp() first');
  });

  it('adds @mentions as names and e-mail addresses once', async () => {
    await loadEntityNlp();
    const text = 'Thanks @aisha_k 😀 — write to a.k@uni.ac.uk';
    expect(found(text, { useEntities: true })).toEqual(['name:@aisha_k', 'email:a.k@uni.ac.uk']);
    expect(found(text)).toEqual(['email:a.k@uni.ac.uk']);
    expect(findRedactions(text, { useEntities: true })[0]).toMatchObject({ start: 7, end: 15, source: 'entity' });
  });
});

describe('redact', () => {
  const text = 'My mentor Aisha (aisha@x.org, 07700 900123) lives in Leeds. 😀 مرحبا';

  it('replaces each span with its placeholder and leaves the rest, RTL text and emoji included', () => {
    expect(redact(text, findRedactions(text))).toBe('My mentor [name] ([email], [phone]) lives in [place]. 😀 مرحبا');
  });

  it('keeps the spans the author refused, by flag or by hook', () => {
    const spans = findRedactions(text).map((s) => (s.kind === 'place' ? { ...s, accepted: false } : s));
    expect(redact(text, spans)).toBe('My mentor [name] ([email], [phone]) lives in Leeds. 😀 مرحبا');
    expect(redact(text, spans, { decide: (s) => s.kind !== 'name' })).toBe('My mentor Aisha ([email], [phone]) lives in Leeds. 😀 مرحبا');
  });

  it('merges overlapping spans into one placeholder of the longest one’s kind', () => {
    const spans: RedactionSpan[] = [
      { start: 3, end: 10, kind: 'name', text: '', source: 'heuristic' },
      { start: 0, end: 5, kind: 'listed', text: '', source: 'list' },
      { start: 8, end: 20, kind: 'place', text: '', source: 'pattern' },
      { start: 20, end: 22, kind: 'phone', text: '', source: 'pattern' },
    ];
    expect(redact('abcdefghijklmnopqrstuvwxyz', spans)).toBe('[place][phone]wxyz');
    const byOne: RedactionSpan[] = [
      { start: 4, end: 9, kind: 'place', text: '', source: 'pattern' },
      { start: 0, end: 5, kind: 'name', text: '', source: 'heuristic' },
    ];
    expect(redact('abcdefghij', byOne)).toBe('[name]j');
  });

  it('takes another placeholder', () => {
    expect(redact('Dr Smith said', findRedactions('Dr Smith said'), { placeholder: (k) => `<${k}>` })).toBe('<name> said');
    expect(placeholderFor('listed')).toBe('[name]');
  });

  it('refuses spans outside the text', () => {
    expect(() => redact('short', [{ start: 2, end: 9, kind: 'name', text: '', source: 'list' }])).toThrow(RangeError);
  });

  const spanOf = (length: number) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: length }),
        fc.integer({ min: 0, max: length }),
        fc.constantFrom('name', 'email', 'phone', 'place', 'listed' as const),
        fc.boolean(),
      )
      .map(([a, b, kind, accepted]): RedactionSpan => ({ start: Math.min(a, b), end: Math.max(a, b), kind, text: '', source: 'pattern', accepted }));

  it('property: the text outside the accepted spans is unchanged and in order', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }).chain((t) => fc.tuple(fc.constant(t), fc.array(spanOf(t.length), { maxLength: 8 }))),
        ([t, spans]) => {
          const covered = new Array<boolean>(t.length).fill(false);
          for (const s of spans) if (s.accepted) for (let i = s.start; i < s.end; i++) covered[i] = true;
          const outside = Array.from({ length: t.length }, (_, i) => (covered[i] ? '' : t[i])).join('');
          expect(redact(t, spans, { placeholder: () => '' })).toBe(outside);
        },
      ),
    );
  });

  const fragment = fc.constantFrom(
    'Dr Smith',
    'my mentor Aisha',
    'aisha@x.org',
    '07700 900123',
    'SW1A 1AA',
    'I',
    'the',
    'Monday',
    '😀',
    'Zoë',
    'مرحبا',
    'Nguyễn Thị Hoa',
    '.',
    ',',
    '\n',
    '2019-2020',
    'live in Leeds',
    '12 High Street',
    'These',
    'Those Aisha',
    'Dr',
    'my mentor',
  );
  const sentence = fc.array(fragment, { maxLength: 20 }).map((parts) => parts.join(' '));

  // Any UTF-16 unit (lone surrogates included) mixed with pieces the rules look for; fast-check's own 'binary' unit
  // spends over a second building its tables on first use.
  const anyText = fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('😀', 'Dr ', 'Aisha ', 'Khan', '@', '.', ' ', '\n', '0', '7', 'SW1A 1AA', 'Street'),
    ),
    maxLength: 60,
  });

  it('property: any text, lone surrogates included, gives spans on their text', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (t, names) => {
        for (const s of findRedactions(t, { names })) expect(t.slice(s.start, s.end)).toBe(s.text);
      }),
    );
  });

  it('property: spans match their text, are ordered, none inside another, and redaction keeps what lies between them', () => {
    fc.assert(
      fc.property(sentence, (t) => {
        const spans = findRedactions(t, { names: ['Leeds', 'zoë'] });
        for (const s of spans) expect(t.slice(s.start, s.end)).toBe(s.text);
        for (let k = 1; k < spans.length; k++) {
          expect(spans[k].start).toBeGreaterThanOrEqual(spans[k - 1].start);
          expect(spans[k].end).toBeGreaterThan(spans[k - 1].end);
        }
        const out = redact(t, spans);
        // Every gap between spans appears in the output, in order.
        let at = 0;
        let from = 0;
        for (const s of [...spans, { start: t.length, end: t.length }]) {
          if (s.start > from) {
            const piece = t.slice(from, s.start);
            const found = out.indexOf(piece, at);
            expect(found).toBeGreaterThanOrEqual(0);
            at = found + piece.length;
          }
          from = Math.max(from, s.end);
        }
        expect(out.startsWith(t.slice(0, spans[0]?.start ?? t.length))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('findRedactions on long text', () => {
  // Pasted blobs and Title-Case essays: the right answer on long input. (Speed is not asserted here, since a test
  // must not depend on the machine; the e-mail pattern starts only where an address can start, which took 30 000
  // letters without a space from about a second to milliseconds.)
  it('reads long runs without a space and long runs of capitalised words', () => {
    expect(findRedactions('a'.repeat(30_000))).toEqual([]);
    expect(findRedactions('Ab'.repeat(15_000))).toEqual([]);
    expect(findRedactions('1'.repeat(30_000))).toEqual([]);
    const titleCase = 'Aa '.repeat(10_000);
    expect(findRedactions(titleCase)).toMatchObject([{ start: 3, end: titleCase.length - 1, kind: 'name' }]);
  });
});

describe('findRedactions on the AIMMS sample', () => {
  it('finds nothing in answers that name nobody, though they speak of Black and East Asian women', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(resolve('sample-data', 'aimms-plain.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const questions = Object.keys(rows[0]).slice(5);
    expect(questions).toContain('Shared background');
    const flagged = rows.flatMap((r) => questions.flatMap((q) => findRedactions(r[q] ?? '').map((s) => `${r.respondent_id} ${q}: ${s.text}`)));
    expect(flagged).toEqual([]);
  });
});

describe('findRedactions on real answers', () => {
  // 10,334 NHS patient-experience answers (see ../shared/real-files/README.md): staff names, wards and hospitals,
  // and writers who capitalise every word ("It Is nIce to get In the garden").
  const file = resolve('..', 'shared', 'real-files', 'labelled', 'nhs-patient-experience-phase1.csv');
  const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const results = rows.map((r) => r.feedback ?? '').map((text) => ({ text, spans: findRedactions(text) }));
  const texts = (kind: string) => results.flatMap((r) => r.spans.filter((s) => s.kind === kind).map((s) => s.text));

  it('places every span on its text', () => {
    expect(results.length).toBeGreaterThan(10_000);
    for (const { text, spans } of results) for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('finds staff names and the wards and hospitals a reader could recognise', () => {
    const names = texts('name');
    // 11 in the file, one of them "Dr Schofield's" (the possessive stays outside the span).
    expect(names.filter((t) => t === 'Dr Schofield')).toHaveLength(11);
    expect(names).toEqual(expect.arrayContaining(['Lesley', 'Tina', 'Dr Khan', "Mrs Watson-O'Neil", 'Dr Chris Scofield', 'Nurse Sharon']));
    expect(texts('place')).toEqual(expect.arrayContaining(['Cherry Ward', 'Melton Hospital', 'Horizon Day Centre', 'Manor Road']));
  });

  it('takes neither capitalised ordinary words nor services for names', () => {
    const names = new Set(texts('name'));
    for (const wrong of ['In', 'Is', 'It Is', 'In It', 'Thank You', 'Mental Health', 'Community Nursing Team', 'Support Group', 'Staff Members'])
      expect(names.has(wrong), wrong).toBe(false);
  });
});
