// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerId, CONSENSUS_CODER_ID } from '../model/types';
import { longCodingOrder, longCsvToString } from './csv-long';
import { compareCodeUnits, ProjectLookup } from './project-lookup';
import { coderFilter } from './source';
import { blobOf, longCsvStream, type AnswerChunkReader } from './csv-long-stream';
import type { CoderSelection, ExportSource } from './source';
import { codingsOf, LONG_PROJECT, longOptionsOf, respondentsOf, sampleSource, storeChunks as store } from './test-data';

/** The source as the worker holds it: every stored answer's text empty until read. */
function textless(source: ExportSource, stored: (id: string) => boolean): ExportSource {
  return { ...source, answers: source.answers.map((a) => (stored(a.id) ? { ...a, text: '' } : a)) };
}

async function collect(parts: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

const TEXT = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('=HYPERLINK("x")', '-2+3', '@sum', '\tx', 'a,b', 'line\r\nbreak', '"quoted"', '🙂🧪 x', '+', ''),
);

/** The row order as it was first written: one comparison sort over every key. */
function referenceCodingOrder(source: ExportSource, coder: CoderSelection | undefined, lookup: ProjectLookup) {
  const keep = coder === undefined ? () => true : coderFilter(coder);
  return source.codings
    .filter((c) => keep(c.coderId))
    .sort(
      (a, b) =>
        lookup.answerRank(a.answerId) - lookup.answerRank(b.answerId) ||
        (a.start ?? -1) - (b.start ?? -1) ||
        (a.end ?? -1) - (b.end ?? -1) ||
        lookup.codeIndex(a.codeId) - lookup.codeIndex(b.codeId) ||
        compareCodeUnits(lookup.coderName(a.coderId), lookup.coderName(b.coderId)) ||
        compareCodeUnits(a.id, b.id),
    );
}

describe("the long rows' order", () => {
  it("is one comparison sort over every key, answers in display order or not, each with its answer's position (property)", () => {
    const arb = fc.record({
      answers: fc.array(
        fc.tuple(fc.constantFrom('q-rewards', 'q-barriers', 'q-x'), fc.constantFrom('baseline', '6-months', 'w-x'), fc.constantFrom('R1', 'R2', 'R3', 'R9')),
        {
          maxLength: 20,
        },
      ),
      presorted: fc.boolean(),
      codings: fc.array(
        fc.tuple(
          fc.nat(25),
          fc.constantFrom('rewards', 'barriers-time', 'rewards-mentor', 'gone'),
          fc.constantFrom('alice', 'bob', CONSENSUS_CODER_ID, 'carol'),
          fc.option(fc.tuple(fc.nat(4), fc.nat(4))),
          fc.nat(5),
        ),
        { maxLength: 40 },
      ),
      coder: fc.constantFrom<CoderSelection | undefined>(undefined, 'any', 'consensus', { coderId: 'bob' }),
    });
    fc.assert(
      fc.property(arb, (p) => {
        const base = sampleSource();
        // Ids may repeat: the lookup then knows an id by its last answer.
        let answers: ExportSource['answers'][number][] = p.answers.map(([questionId, waveId, respondentId]) => ({
          id: answerId(questionId, waveId, respondentId),
          questionId,
          waveId,
          respondentId,
          text: '',
        }));
        if (p.presorted) answers = new ProjectLookup({ ...base, answers }).orderedAnswers().slice();
        const codings = p.codings.map(([a, codeId, coderId, span, id]) => ({
          id: `k${id}`,
          answerId: a >= answers.length ? answerId('q-rewards', 'baseline', `nobody${a % 2}`) : answers[a].id,
          codeId,
          coderId,
          start: span ? Math.min(...span) : null,
          end: span ? Math.max(...span) : null,
        }));
        const source: ExportSource = { ...base, answers, codings };
        const lookup = new ProjectLookup(source);
        const order = longCodingOrder(source, p.coder === undefined ? {} : { coder: p.coder }, lookup);
        expect(order.codings).toEqual(referenceCodingOrder(source, p.coder, lookup));
        expect([...order.positions]).toEqual(order.codings.map((c) => lookup.answerPosition(c.answerId) ?? -1));
        // Kept for the next export of the same codings.
        expect(longCodingOrder(source, p.coder === undefined ? {} : { coder: p.coder }, lookup)).toBe(order);
      }),
      { numRuns: 300 },
    );
  });
});

describe('long CSV written while its texts are read', () => {
  it('is byte for byte longCsvToString on random projects, for every option (property)', async () => {
    const project = fc.record({
      ...LONG_PROJECT,
      answers: fc.array(fc.tuple(fc.constantFrom('q-rewards', 'q-barriers', 'q-stray'), fc.constantFrom('baseline', '6-months', 'w-stray'), fc.nat(7), TEXT), {
        maxLength: 25,
      }),
      leaveOut: fc.nat(6),
    });
    await fc.assert(
      fc.asyncProperty(project, async (p) => {
        const base = sampleSource();
        const respondents = respondentsOf(p.respondents);
        const seen = new Set<string>();
        const answers = p.answers
          .map(([questionId, waveId, r, text]) => {
            const respondentId = r === 7 ? 'ghost' : respondents[r % respondents.length].id;
            return { id: answerId(questionId, waveId, respondentId), questionId, waveId, respondentId, text };
          })
          .filter((a) => !seen.has(a.id) && seen.add(a.id));
        const codings = codingsOf(p.codings, answers);
        const full: ExportSource = { ...base, respondents, answers, codings };
        // One answer in a few is not in any stored chunk: its text comes from the answer itself (a project read with texts).
        const leftOut = (id: string) => p.leaveOut > 0 && answers.findIndex((a) => a.id === id) % 7 === p.leaveOut - 1;
        const { reader, reads } = store(full, p.size, leftOut);
        const options = longOptionsOf(p, respondents);
        const parts = await collect(
          longCsvStream(
            textless(full, (id) => !leftOut(id)),
            { ...options, rowsPerChunk: p.rowsPerChunk, prefetch: p.prefetch },
            reader,
          ),
        );
        expect(parts.join('')).toBe(longCsvToString(full, options));
        for (const part of parts) expect(part.endsWith('\r\n')).toBe(true);
        // No chunk is read twice.
        expect(new Set(reads.map((r) => JSON.stringify(r))).size).toBe(reads.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the chunks of questions and waves that have codings, each once, and formulas stay neutralised', async () => {
    const source = sampleSource();
    source.codings = source.codings.filter((c) => c.answerId.startsWith('q-barriers'));
    const { reader, reads } = store(source, 1);
    const text = (
      await collect(
        longCsvStream(
          textless(source, () => true),
          {},
          reader,
        ),
      )
    ).join('');
    expect(text).toBe(longCsvToString(source));
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(reads.map((r) => `${r.questionId}/${r.waveId}/${r.index}`)).toEqual(['q-barriers/baseline/0', 'q-barriers/baseline/1']);
  });

  it('asks for the next chunks before the current one has arrived', async () => {
    const respondents = Array.from({ length: 8 }, (_, i) => ({ id: `R${i}`, attributes: {} }));
    const answers = respondents.map((r) => ({
      id: answerId('q-rewards', 'baseline', r.id),
      questionId: 'q-rewards',
      waveId: 'baseline',
      respondentId: r.id,
      text: `t ${r.id}`,
    }));
    const source: ExportSource = {
      ...sampleSource(),
      respondents,
      answers,
      codings: answers.map((a, i) => ({ id: `c${i}`, answerId: a.id, codeId: 'rewards', coderId: 'alice', start: null, end: null })),
    };
    const { chunks } = store(source, 1);
    const asked: number[] = [];
    const pending: (() => void)[] = [];
    let auto = false;
    const reader: AnswerChunkReader = {
      keys: async () => chunks,
      read: (key) => {
        asked.push(key.index);
        if (auto) return Promise.resolve(chunks[key.index]);
        return new Promise((resolve) => pending.push(() => resolve(chunks[key.index])));
      },
    };
    const stream = longCsvStream(
      textless(source, () => true),
      { prefetch: 3, rowsPerChunk: 1 },
      reader,
    );
    await stream.next(); // the header
    const first = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The chunk the rows wait for and the three after it are asked for while none has answered.
    expect(asked).toEqual([0, 1, 2, 3]);
    pending.shift()!();
    expect((await first).value).toBe('R0,,,Rewards,Baseline,Rewards,Growth <b>,Alice,t R0,,,no,hand\r\n');
    // Its rows were written with three reads still in flight; the next is asked for when the rows need chunk 1.
    expect(asked).toEqual([0, 1, 2, 3]);
    // From here on every read answers at once.
    auto = true;
    for (const resolve of pending.splice(0)) resolve();
    const rest: string[] = [];
    for (let item = await stream.next(); !item.done; item = await stream.next()) rest.push(item.value);
    expect(rest).toHaveLength(7);
    expect(asked).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('collects the pieces into one Blob of the same bytes, a few Blobs at a time', async () => {
    async function* pieces() {
      // One piece longer than the buffer, and a lone surrogate (written as U+FFFD, as a Blob of the string would).
      for (let i = 0; i < 50; i++) yield i === 25 ? `long ${'é🙂x'.repeat(40)}\r\n` : i === 30 ? 'lone \uD800 half\r\n' : `row ${i}, 🙂 "é"\r\n`;
    }
    let n = 0;
    const blob = await blobOf(pieces(), 'text/csv;charset=utf-8', (k) => (n = k), 64);
    expect(n).toBe(50);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    let expected = '';
    for await (const piece of pieces()) expected += piece;
    expect(await blob.text()).toBe(expected.replace('\uD800', '\uFFFD'));
    expect(blob.size).toBe(new TextEncoder().encode(expected).length);
    expect(blob.size).toBe(new Blob([expected]).size);
  });
});
