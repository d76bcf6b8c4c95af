/**
 * The import worker stages a new project while the preview shows and publishes it on Import; an import into an
 * existing project stays one transaction. readSource is replaced by a table written here.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceTable } from '../../src/lib/import/types';
import type { FromImportWorker, ToImportWorker } from '../../src/workers/import-protocol';
import { database } from '../../src/lib/db/database';
import { listProjects } from '../../src/lib/db/projects';

const answers = [
  'The mentor listened and helped me plan the next term',
  'I learned how to ask for feedback without feeling awkward',
  'Meetings were often cancelled at short notice, which hurt',
  'It gave me confidence to apply for the leadership course',
];

const table: SourceTable = {
  fileName: 'baseline.csv',
  format: 'generic',
  encoding: 'utf-8',
  delimiter: ',',
  columns: [
    { index: 0, key: 'id', label: 'id' },
    { index: 1, key: 'role', label: 'role' },
    { index: 2, key: 'expect', label: 'What did you expect?' },
  ],
  rows: Array.from({ length: 40 }, (_, i) => [`R${i + 1}`, i % 2 ? 'mentor' : 'mentee', `${answers[i % 4]} (${i + 1})`]),
  firstRowNumber: 2,
  notes: [],
};

vi.mock('../../src/lib/import', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lib/import')>();
  return { ...original, readSource: async () => structuredClone(table) };
});

const received: FromImportWorker[] = [];
const send = (message: ToImportWorker) => (self.onmessage as (event: MessageEvent<ToImportWorker>) => void)({ data: message } as MessageEvent<ToImportWorker>);
const reply = <T extends FromImportWorker['type']>(type: T, requestId?: number) =>
  vi.waitFor(
    () => {
      const found = received.find((m) => m.type === type && (requestId === undefined || ('requestId' in m && m.requestId === requestId)));
      expect(found).toBeDefined();
      return found as Extract<FromImportWorker, { type: T }>;
    },
    { timeout: 15_000 },
  );

beforeAll(async () => {
  vi.stubGlobal('postMessage', (message: FromImportWorker) => received.push(structuredClone(message)));
  await import('../../src/workers/import-worker');
});

beforeEach(async () => {
  received.length = 0;
  const db = database();
  for (const table of db.tables) await table.clear();
});

describe('import worker staging', () => {
  it('stages a new project unseen while the preview shows, and Import publishes it without storing again', async () => {
    send({ type: 'read', requestId: 1, file: new Blob(['x']), fileName: 'baseline.csv', stage: 7 });
    const { plan } = await reply('preview', 1);
    await vi.waitFor(() => expect(received.some((m) => m.type === 'staging' && m.generation === 7 && m.state === 'stored')).toBe(true), { timeout: 15_000 });
    expect(await listProjects(database())).toEqual([]);
    expect((await database().projects.toArray()).filter((p) => p.staging)).toHaveLength(1);

    send({ type: 'commit', requestId: 2, plan, target: { kind: 'new', name: 'Study' } });
    const done = await reply('done', 2);
    expect(done.summary).toMatchObject({ respondentsAdded: 40, answersAdded: 40 });
    expect(done.phases).toHaveProperty('staged');
    // Nothing was built or stored after the click: no "Preparing answers" step.
    expect(received.some((m) => m.type === 'progress' && m.requestId === 2 && m.phase === 'Preparing answers')).toBe(false);
    expect((await listProjects(database())).map((p) => [p.name, p.answerCount])).toEqual([['Study', 40]]);
  });

  it('throws the staging away when the preview is closed', async () => {
    send({ type: 'read', requestId: 3, file: new Blob(['x']), fileName: 'baseline.csv', stage: 8 });
    await reply('preview', 3);
    await vi.waitFor(() => expect(received.some((m) => m.type === 'staging' && m.generation === 8 && m.state === 'stored')).toBe(true), { timeout: 15_000 });
    send({ type: 'discard' });
    await vi.waitFor(async () => expect(await database().projects.count()).toBe(0), { timeout: 15_000 });
    expect(await database().answerChunks.count()).toBe(0);
  });

  it('stages nothing for an existing project, whose import stays one transaction', async () => {
    send({ type: 'read', requestId: 4, file: new Blob(['x']), fileName: 'baseline.csv', stage: 9 });
    const { plan } = await reply('preview', 4);
    send({ type: 'commit', requestId: 5, plan, target: { kind: 'new', name: 'First' } });
    const first = await reply('done', 5);
    received.length = 0;

    send({ type: 'read', requestId: 6, file: new Blob(['x']), fileName: 'baseline.csv' });
    const second = await reply('preview', 6);
    send({ type: 'commit', requestId: 7, plan: { ...second.plan, waveName: '6 months' }, target: { kind: 'existing', projectId: first.summary.projectId } });
    const done = await reply('done', 7);
    expect(done.summary).toMatchObject({ respondentsMatched: 40, answersAdded: 40 });
    expect(received.some((m) => m.type === 'staging' && m.state !== 'off')).toBe(false);
    expect(received.some((m) => m.type === 'progress' && m.requestId === 7 && m.phase === 'Preparing answers')).toBe(true);
    expect((await database().projects.toArray()).filter((p) => p.staging)).toEqual([]);
  });
});
