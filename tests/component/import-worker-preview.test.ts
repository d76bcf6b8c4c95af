/**
 * The import worker's preview: what it tells the page about a file it has read.
 * readSource is replaced by a table written here, so the test says what the
 * worker passes on whatever the format detection makes of a real file.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceTable } from '../../src/lib/import/types';
import type { FromImportWorker, ToImportWorker } from '../../src/workers/import-protocol';

let table: SourceTable;

vi.mock('../../src/lib/import', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lib/import')>();
  return { ...original, readSource: async () => structuredClone(table) };
});

const received: FromImportWorker[] = [];
let send: (message: ToImportWorker) => Promise<void>;

beforeAll(async () => {
  vi.stubGlobal('postMessage', (message: FromImportWorker) => received.push(structuredClone(message)));
  await import('../../src/workers/import-worker');
  send = async (message) => {
    (self.onmessage as (event: MessageEvent<ToImportWorker>) => void)({ data: message } as MessageEvent<ToImportWorker>);
    await vi.waitFor(() => expect(received.some((m) => m.type === 'preview' || m.type === 'error')).toBe(true));
  };
});

beforeEach(() => {
  received.length = 0;
  table = {
    fileName: 'lime.csv',
    format: 'limesurvey',
    encoding: 'utf-8',
    delimiter: ',',
    columns: [
      { index: 0, key: 'id', label: 'id' },
      { index: 1, key: 'submitdate', label: 'submitdate' },
      { index: 2, key: 'G01Q01', label: 'G01Q01' },
    ],
    rows: [
      ['1', '2024-01-01 10:00:00', 'Because the tutors listened to every question we had'],
      ['2', '', 'I stopped halfway'],
      ['3', '2024-01-01 11:00:00', 'The timetable changed too often for me to plan around it'],
      ['4', '', ''],
    ],
    firstRowNumber: 2,
    notes: [],
  };
});

const preview = () => received.find((m): m is Extract<FromImportWorker, { type: 'preview' }> => m.type === 'preview')!.preview;

describe('import worker preview', () => {
  it('tells how many responses are unfinished, and how it knows', async () => {
    table.incomplete = { rowIndexes: [1, 3], columnKey: 'submitdate', rule: 'no submit date' };
    await send({ type: 'read', requestId: 1, file: new Blob(['x']), fileName: 'lime.csv' });
    expect(preview().incomplete).toEqual({ count: 2, columnKey: 'submitdate', rule: 'no submit date' });
    expect(preview().rowCount).toBe(4);
  });

  it('says nothing of unfinished responses when the file marks none', async () => {
    await send({ type: 'read', requestId: 2, file: new Blob(['x']), fileName: 'lime.csv' });
    expect(preview().incomplete).toBeUndefined();
    received.length = 0;
    table.incomplete = { rowIndexes: [], columnKey: 'submitdate', rule: 'no submit date' };
    await send({ type: 'read', requestId: 3, file: new Blob(['x']), fileName: 'lime.csv' });
    expect(preview().incomplete).toBeUndefined();
  });
});
