// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../agreement/csv-cell';
import { sampleProjectFile } from '../exchange/test-fixtures';
import { answerId, ASSISTANT_CODER_ID } from '../model/types';
import { pseudonymousSource } from '../analysis/publish-project';
import { canRenameRows, longCsvChunks, longCsvToString, longTable } from './csv-long';
import { csvChunks } from './csv-stream';
import type { ExportSource } from './source';
import { parseCsv, sampleSource, TEXTS, A2 } from './test-data';

const HEADER = ['respondent', 'role', 'institution', 'question', 'wave', 'code', 'themes', 'coder', 'quote', 'start', 'end', 'exemplar', 'origin'];

describe('long CSV', () => {
  it('writes one row per coding in answer order, with paths, themes, coder names and code point quotes', () => {
    const rows = parseCsv(longCsvToString(sampleSource()));
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1)).toEqual([
      [
        'R1',
        'mentee',
        'Uni A',
        'Rewards',
        'Baseline',
        'Rewards › Mentor <script>alert(1)</script>',
        'Growth <b>',
        'Alice',
        'Meeting my mentor',
        '0',
        '17',
        'yes',
        'hand',
      ],
      [
        'R1',
        'mentee',
        'Uni A',
        'Rewards',
        'Baseline',
        'Rewards › Mentor <script>alert(1)</script>',
        'Growth <b>',
        'Bob',
        'Meeting my mentor',
        '0',
        '17',
        'no',
        'suggestion',
      ],
      ['R2', 'mentor', '', 'Rewards', 'Baseline', 'Rewards', 'Growth <b>', 'Bob', TEXTS[A2], '', '', 'no', 'hand'],
      ['R2', 'mentor', '', 'Rewards', 'Baseline', 'Barriers › Time', 'Obstacles', 'Alice', TEXTS[A2], '', '', 'yes', 'hand'],
      ['R1', 'mentee', 'Uni A', 'Rewards', '6 months', 'Rewards › Career', 'Growth <b>', 'Alice', '🧪🔬', '28', '30', 'yes', 'hand'],
      ['R3', '', '', 'Barriers', 'Baseline', 'Barriers', '', 'Consensus', `'=HYPERLINK("http://evil.example","click")`, '', '', 'no', 'hand'],
    ]);
  });

  it('keeps a whole-answer quote whole, line breaks included, and writes start and end as numbers', () => {
    const source = sampleSource();
    source.codings = [{ id: 'x', answerId: source.answers[4].id, codeId: 'rewards', coderId: 'alice', start: null, end: null }];
    const table = longTable(source);
    const [row] = [...table.rows];
    expect(row[8]).toBe('Meeting my mentor 🙂 every week kept me going.\nThanks!');
    expect(row.slice(9, 11)).toEqual([null, null]);
    const text = longCsvToString(source);
    expect(text).toContain('"Meeting my mentor 🙂 every week kept me going.\nThanks!"');
    const spans = longTable(sampleSource());
    const first = [...spans.rows][0];
    expect(typeof first[9]).toBe('number');
    expect(typeof first[10]).toBe('number');
  });

  it('lists one coder, the consensus, or everyone', () => {
    const coders = (coder: Parameters<typeof longCsvToString>[1]) =>
      parseCsv(longCsvToString(sampleSource(), coder))
        .slice(1)
        .map((r) => r[7]);
    expect(coders({ coder: { coderId: 'bob' } })).toEqual(['Bob', 'Bob']);
    expect(coders({ coder: 'consensus' })).toEqual(['Consensus']);
    expect(coders({})).toHaveLength(6);
    expect(coders({ coder: 'any' })).toEqual(['Alice', 'Bob', 'Bob', 'Alice', 'Alice']);
  });

  it('streams in chunks of whole CRLF lines that join to the same text', () => {
    const source = sampleSource();
    const whole = longCsvToString(source);
    const lines = [...longCsvChunks(source, { rowsPerChunk: 1 })];
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line.endsWith('\r\n')).toBe(true);
    expect(lines.join('')).toBe(whole);
    const chunks = [...longCsvChunks(source, { rowsPerChunk: 4 })];
    expect(chunks).toHaveLength(2);
    expect(chunks.join('')).toBe(whole);
  });

  it('starts with a byte order mark only when asked', () => {
    expect(longCsvToString(sampleSource()).charCodeAt(0)).not.toBe(0xfeff);
    expect(longCsvToString(sampleSource(), { bom: true }).startsWith('\uFEFFrespondent,')).toBe(true);
  });

  it('reads a whole project file as it is', () => {
    const rows = parseCsv(longCsvToString(sampleProjectFile()));
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(4);
    // Code points 28–30 of "Nguyễn helped me find a lab 🧪🔬." are the two emoji.
    expect(rows.find((r) => r[5] === 'Support')?.[8]).toBe('🧪🔬');
    expect(rows.find((r) => r[5] === 'Support › Mentor')?.[8]).toBe('Meeting my mentor');
  });

  it('still places a coding whose answer is missing, from the parts of its id', () => {
    const source = sampleSource();
    source.codings = [{ id: 'x', answerId: answerId('q-rewards', 'baseline', 'R9'), codeId: 'gone', coderId: 'carol', start: 1, end: 2 }];
    const [, row] = parseCsv(longCsvToString(source));
    expect(row).toEqual(['R9', '', '', 'Rewards', 'Baseline', 'gone', '', 'carol', '', '1', '2', 'no', 'hand']);
  });

  it("says each coding's origin last: by hand, accepted from the assistant's suggestions, or the Assistant coder's own", () => {
    const source = sampleSource();
    const on = source.answers[4].id;
    source.coders = [...source.coders, { id: ASSISTANT_CODER_ID, name: 'Assistant' }];
    source.codings = [
      { id: 'h', answerId: on, codeId: 'rewards', coderId: 'alice', start: null, end: null },
      { id: 'f', answerId: on, codeId: 'rewards', coderId: 'alice', start: 0, end: 1, suggested: false },
      { id: 's', answerId: on, codeId: 'rewards', coderId: 'alice', start: 1, end: 2, suggested: true, exemplar: true },
      { id: 'a', answerId: on, codeId: 'rewards', coderId: ASSISTANT_CODER_ID, start: 2, end: 3 },
    ];
    const rows = parseCsv(longCsvToString(source));
    expect(rows[0].at(-1)).toBe('origin');
    expect(rows.slice(1).map((r) => [r[7], r[11], r[12]])).toEqual([
      ['Alice', 'no', 'hand'],
      ['Alice', 'no', 'hand'],
      ['Alice', 'yes', 'suggestion'],
      ['Assistant', 'no', 'assistant'],
    ]);
    expect([...longTable(source).rows].map((r) => r.at(-1))).toEqual(['hand', 'hand', 'suggestion', 'assistant']);
  });

  it('quotes exactly the code points of any span (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat(25), fc.nat(25), (text, a, b) => {
        fc.pre(text !== '');
        const points = [...text];
        const start = Math.min(a, b, points.length);
        const end = Math.min(Math.max(a, b), points.length);
        const source: ExportSource = {
          ...sampleSource(),
          answers: [{ id: answerId('q', 'w', 'r'), questionId: 'q', waveId: 'w', respondentId: 'r', text }],
          codings: [{ id: 'c', answerId: answerId('q', 'w', 'r'), codeId: 'rewards', coderId: 'alice', start, end }],
        };
        const [, row] = parseCsv(longCsvToString(source));
        expect(row[8]).toBe(neutraliseFormula(points.slice(start, end).join('')));
        expect(row.slice(9, 11)).toEqual([String(start), String(end)]);
      }),
    );
  });
});

describe('long CSV at scale', () => {
  // 200,000 codings are timed in the bench (the Analysis step of npm run bench); here 20,000 prove the chunking.
  it('writes 20,000 codings in chunks of 2,000 whole lines', () => {
    const respondents = 2_000;
    const source: ExportSource = { ...sampleSource(), respondents: [], answers: [], codings: [], themes: sampleSource().themes };
    const codes = source.codes.map((c) => c.id);
    const respondentList = [];
    const answers = [];
    const codings = [];
    for (let r = 0; r < respondents; r++) {
      const id = `R${r}`;
      respondentList.push({ id, attributes: { role: r % 2 ? 'mentor' : 'mentee', institution: `Uni ${r % 7}` } });
      for (const q of ['q-rewards', 'q-barriers']) {
        const aid = answerId(q, 'baseline', id);
        answers.push({ id: aid, questionId: q, waveId: 'baseline', respondentId: id, text: `Answer ${r} to ${q}: time, money 🙂 and "quotes", =risky` });
        for (let k = 0; k < 5; k++) {
          codings.push({
            id: `${aid}-${k}`,
            answerId: aid,
            codeId: codes[(r + k) % codes.length],
            coderId: k % 2 ? 'alice' : 'bob',
            start: k,
            end: k + 10,
            exemplar: k === 0,
          });
        }
      }
    }
    source.respondents = respondentList;
    source.answers = answers;
    source.codings = codings;
    expect(codings).toHaveLength(20_000);
    let chunks = 0;
    let lines = 0;
    for (const chunk of longCsvChunks(source)) {
      expect(chunk.endsWith('\r\n')).toBe(true);
      lines += chunk.split('\r\n').length - 1;
      chunks++;
    }
    expect(lines).toBe(20_001);
    expect(chunks).toBe(11);
  });
});

describe('long CSV with respondents renamed as the rows are written', () => {
  const pseudonyms = (source: ExportSource) => new Map(source.respondents.map((r, i) => [r.id, `Respondent ${source.respondents.length - i}`]));

  it('is byte for byte the long CSV of the renamed copy (formulas neutralised or not, BOM or not)', () => {
    const source = sampleSource();
    const names = pseudonyms(source);
    const rename = (id: string) => names.get(id) ?? 'Respondent';
    expect(canRenameRows(source, rename)).toBe(true);
    for (const csv of [{}, { bom: true }, { neutraliseFormulas: false }]) {
      for (const coder of [undefined, 'any' as const, { coderId: 'alice' }]) {
        const copy = longCsvToString(pseudonymousSource(source, rename), { ...csv, coder });
        const direct = [...csvChunks(longTable(source, { coder, renameRespondent: rename }), csv)].join('');
        expect(direct).toBe(copy);
      }
    }
  });

  it('matches the renamed copy on random projects whenever canRenameRows allows it, and refuses names that collide (property)', () => {
    const arbProject = fc.record({
      respondents: fc.uniqueArray(fc.constantFrom('R1', 'R2', 'R3', 'R4', '=R5', 'R 6'), { minLength: 1 }),
      names: fc.array(fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'P6', '-P7'), { minLength: 6, maxLength: 6 }),
      answers: fc.array(fc.tuple(fc.constantFrom('q-rewards', 'q-barriers'), fc.constantFrom('baseline', '6-months'), fc.nat(5)), { maxLength: 12 }),
      codings: fc.array(fc.tuple(fc.nat(11), fc.constantFrom('k-rewards', 'k-time', 'k-mentor'), fc.constantFrom('alice', 'bob'), fc.option(fc.nat(4))), {
        maxLength: 20,
      }),
      strayRespondent: fc.boolean(),
    });
    fc.assert(
      fc.property(arbProject, (p) => {
        const base = sampleSource();
        const respondents = p.respondents.map((id, i) => ({ id, attributes: { role: i % 2 ? 'mentor' : 'mentee' } }));
        const seen = new Set<string>();
        const answers = p.answers
          .map(([questionId, waveId, r]) => {
            const respondentId = p.strayRespondent && r === 5 ? 'ghost' : respondents[r % respondents.length].id;
            return { id: answerId(questionId, waveId, respondentId), questionId, waveId, respondentId, text: `=text of ${respondentId}, "quoted"` };
          })
          .filter((a) => !seen.has(a.id) && seen.add(a.id));
        const codings = answers.length
          ? p.codings.map(([a, codeId, coderId, start], i) => ({
              id: `c${i}`,
              answerId: answers[a % answers.length].id,
              codeId,
              coderId,
              start: start ?? null,
              end: start === null ? null : start + 3,
            }))
          : [];
        const source: ExportSource = { ...base, respondents, answers, codings };
        const names = new Map<string, string>(p.respondents.map((id, i) => [id, p.names[i]]));
        const rename = (id: string) => names.get(id) ?? 'Respondent';
        const distinct = new Set(p.respondents.map(rename)).size === p.respondents.length;
        const allowed = canRenameRows(source, rename);
        expect(allowed).toBe(distinct && answers.every((a) => names.has(a.respondentId)));
        if (allowed) expect(longCsvToString(source, { renameRespondent: rename })).toBe(longCsvToString(pseudonymousSource(source, rename)));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a coding whose answer is not in the project', () => {
    const source = sampleSource();
    const stray = { ...source, codings: [...source.codings, { ...source.codings[0], id: 'stray', answerId: answerId('q-rewards', 'baseline', 'nobody') }] };
    expect(canRenameRows(stray, (id) => `P-${id}`)).toBe(false);
  });
});
