// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { LongCsvPart } from '../lib/export/csv-long-parts';
import type { AnswerTextChunk } from '../lib/export/csv-long-stream';
import { LongCsvJobs, type ReadChunks } from './long-csv-jobs';
import type { FromLongCsvWorker } from './long-csv-protocol';

/** A part of two chunks, a row each: the respondent's cell, then the quote. */
function part(): LongCsvPart {
  const cells = ['R1', 'q,w', 'Code,', 'Ana', ',no,hand\r\n', 'R2'];
  const bytes = new TextEncoder().encode(cells.join(''));
  const starts = Int32Array.from([0, ...cells.map((_, i) => new TextEncoder().encode(cells.slice(0, i + 1).join('')).length)]);
  const chunk = (index: number, id: string, rowEnd: number) => ({ questionId: 'q', waveId: 'w', index, count: 1, firstId: id, lastId: id, place: 1, rowEnd });
  return {
    cells: { bytes, starts },
    chunks: [chunk(0, 'r1', 1), chunk(1, 'r2', 2)],
    offset: Int32Array.from([0, 0]),
    head: Int32Array.from([0, 5]),
    code: Int32Array.from([2, 2]),
    coder: Int32Array.from([3, 3]),
    tail: Int32Array.from([4, 4]),
    start: Int32Array.from([-1, 0]),
    end: Int32Array.from([-1, 2]),
    neutraliseFormulas: true,
  };
}

const chunks: AnswerTextChunk[] = [
  { respondentIds: ['r1'], texts: ['first, answer'] },
  { respondentIds: ['r2'], texts: ['=2+2'] },
];

/** A read that hands the chunks over when `release` is called. */
function controlledRead() {
  let release = () => {};
  const read: ReadChunks = (_, onChunk) =>
    new Promise((resolve) => {
      release = () => {
        for (const chunk of chunks) onChunk(chunk);
        resolve();
      };
    });
  return { read, release: () => release() };
}

const readMessage = { type: 'read', requestId: 1, databaseName: 'db', projectId: 'p', reads: part().chunks } as const;
const expected = 'R1,q,w,Code,,Ana,"first, answer",,,no,hand\r\nR2,q,w,Code,,Ana,\'=2,0,2,no,hand\r\n';

describe('a long-CSV writer’s parts', () => {
  it('writes the chunks read before the rows came, and those read after, in order', async () => {
    for (const rowsFirst of [false, true]) {
      const sent: FromLongCsvWorker[] = [];
      const { read, release } = controlledRead();
      const jobs = new LongCsvJobs(read, (m) => sent.push(m));
      const reading = jobs.handle(readMessage);
      if (rowsFirst) await jobs.handle({ type: 'write', requestId: 1, part: part() });
      release();
      await reading;
      if (!rowsFirst) await jobs.handle({ type: 'write', requestId: 1, part: part() });
      const last = sent.at(-1)!;
      expect(last.type).toBe('part');
      expect(await (last as { bytes: Blob }).bytes.text()).toBe(expected);
      expect(sent.filter((m) => m.type === 'progress').map((m) => (m as { rows: number }).rows)).toEqual([1, 2]);
      expect(jobs.size).toBe(0);
    }
  });

  it('says nothing for a cancelled part, and forgets a part whose read failed', async () => {
    const sent: FromLongCsvWorker[] = [];
    const { read, release } = controlledRead();
    const jobs = new LongCsvJobs(read, (m) => sent.push(m));
    const reading = jobs.handle(readMessage);
    await jobs.handle({ type: 'cancel', requestId: 1 });
    release();
    await reading;
    await jobs.handle({ type: 'write', requestId: 1, part: part() });
    expect(sent).toEqual([]);
    expect(jobs.size).toBe(0);

    const failing = new LongCsvJobs(
      () => Promise.reject(new Error('read failed')),
      (m) => sent.push(m),
    );
    await expect(failing.handle(readMessage)).rejects.toThrow('read failed');
    expect(failing.size).toBe(0);
  });
});
