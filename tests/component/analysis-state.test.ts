/**
 * AnalysisState driving the real request handling in-process (a stand-in for
 * the worker over fake-indexeddb) and the real coding workspace: tables follow
 * workspace changes, exports download, REFI-QDA codebooks and projects come in.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@testing-library/svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { writeQdc, writeQdpx } from '../../src/lib/refi';
import { refiProject } from '../../src/lib/refi/test-fixtures';
import { AnalysisState, formatQuote, qdcChange } from '../../src/lib/state/analysis.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import { InProcessAnalysisWorker } from './in-process-analysis-worker';

let projectId = '';
let q1 = '';
let base = '';

function code(id: string, name: string, parentId: string | null, order: number): Code {
  return { projectId, id, parentId, name, color: '#336699', definition: '', inclusion: '', exclusion: '', example: '', order };
}

async function setup() {
  const db = database();
  await db.delete();
  await db.open();
  const summary = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4']),
    { kind: 'new', name: 'Pilot' },
    { fileName: 'a.csv', format: 'generic' },
  );
  projectId = summary.projectId;
  const overview = (await loadProjectOverview(db, projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  base = overview.waves[0].id;
  await db.codes.bulkPut([code('time', 'Time', null, 0), code('pay', 'Pay', null, 1)]);
  await db.coders.put({ projectId, id: 'ana', name: 'Ana', color: '#000000' });
  const codings: Coding[] = ['r1', 'r2', 'r3'].map((r, i) => ({
    projectId,
    id: `k${i}`,
    answerId: answerId(q1, base, r),
    codeId: i === 2 ? 'pay' : 'time',
    coderId: 'ana',
    start: null,
    end: null,
    createdAt: 1,
  }));
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#000000' }));
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(projectId);
  const worker = new InProcessAnalysisWorker(new AnalysisSession(database));
  const downloads: { fileName: string; bytes: Uint8Array | Blob }[] = [];
  const analysis = new AnalysisState(
    () => worker,
    (fileName, _mime, bytes) => downloads.push({ fileName, bytes }),
  );
  analysis.attach(projectId, workspace.version, overview);
  return { workspace, worker, analysis, downloads, overview };
}

describe('AnalysisState over the real request handling', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the word list when the Words tab is visited again with nothing changed', async () => {
    const { worker, analysis } = await setup();
    analysis.select('words');
    analysis.runWords();
    await waitFor(() => expect(analysis.words).not.toBeNull());
    const asked = () => worker.posted.filter((m) => m.type === 'words').length;
    expect(asked()).toBe(1);
    analysis.select('counts');
    analysis.select('words');
    expect(asked()).toBe(1);
    // A changed scope asks again.
    analysis.filter.setWaves([base]);
    analysis.select('counts');
    analysis.select('words');
    expect(asked()).toBe(2);
  });

  it('counts, then counts again when the workspace changes', async () => {
    const { workspace, analysis, overview } = await setup();
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.answersCoded, r.respondentsAnswered])).toEqual([
      ['Time', 2, 4],
      ['Pay', 1, 4],
    ]);
    expect(analysis.countsChart).toMatch(/^<svg/);

    await workspace.createTheme({ name: 'Resources', description: '', codeIds: ['time', 'pay'], withSubcodes: false });
    analysis.attach(projectId, workspace.version, overview);
    analysis.countsOptions = { ...analysis.countsOptions, targets: 'themes' };
    analysis.refresh();
    await waitFor(() => expect(analysis.counts!.data.options.targets).toBe('themes'));
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.answersCoded, r.respondentsCoded])).toEqual([['Resources', 3, 3]]);
  });

  it('defaults to the Final set once the first disagreement is adjudicated, in the one coder choice every tab obeys', async () => {
    const { workspace, worker, analysis, overview } = await setup();
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    expect(analysis.filter.coders).toEqual({ kind: 'all' });

    // The workspace's resolutions are what the view hands over; one arrives.
    analysis.attach(projectId, workspace.version + 1, { ...overview, resolutionCount: 1 });
    expect(analysis.filter.coders).toEqual({ kind: 'final' });
    await waitFor(() => expect(analysis.counts!.data.basis).toContain('Coding set: Final'));
    // One coder: Final is that coder's codings.
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.answersCoded])).toEqual([
      ['Time', 2],
      ['Pay', 1],
    ]);
    // Every request carries the bar's choice, whatever a tab's own options held.
    analysis.export('long-csv');
    const exported = worker.posted.filter((m) => m.type === 'export').at(-1);
    expect(exported && exported.type === 'export' && [exported.settings.coders, exported.settings.counts.coders]).toEqual([
      { kind: 'final' },
      { kind: 'final' },
    ]);

    // Switched once: going back to all coders stays.
    analysis.filter.setCoders({ kind: 'all' });
    analysis.attach(projectId, workspace.version + 2, { ...overview, resolutionCount: 2 });
    expect(analysis.filter.coders).toEqual({ kind: 'all' });
  });

  it('sends the filter with every request, asks again when it changes, and keeps it per project while the app is open', async () => {
    const { worker, analysis, overview } = await setup();
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    const before = worker.posted.filter((m) => m.type === 'counts').length;
    analysis.filter.setAttribute('role', ['mentee']);
    analysis.filter.setWaves([base]);
    await waitFor(() => expect(worker.posted.filter((m) => m.type === 'counts').length).toBeGreaterThan(before));
    const last = worker.posted.filter((m) => m.type === 'counts').at(-1) as { filter?: unknown };
    expect(last.filter).toEqual({ questionIds: null, waveIds: [base], attributes: [{ name: 'role', values: ['mentee'] }] });
    // The worker answers over the filtered project: r1 and r3 are the mentees (Time for r1, Pay for r3).
    await waitFor(() => expect(analysis.counts!.data.respondentsAnswered).toBe(2));
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.respondentsCoded])).toEqual([
      ['Time', 1],
      ['Pay', 1],
    ]);
    analysis.openCell('Time', { kind: 'coded', target: { kind: 'code', codeId: 'time' }, attribute: null, coders: { kind: 'all' }, questionId: null });
    expect((worker.posted.at(-1) as { filter?: unknown }).filter).toEqual(last.filter);

    // Another project and back: the filter is as it was left.
    analysis.attach('elsewhere', 0, { waves: [], attributes: [] });
    expect(analysis.filter.isEmpty).toBe(true);
    analysis.attach(projectId, 0, overview);
    expect(analysis.filter.filter).toEqual(last.filter);

    // One click clears it; a wave the project no longer has widens to every wave.
    analysis.filter.setWaves(['gone']);
    analysis.attach(projectId, 1, overview);
    expect(analysis.filter.waveIds).toBeNull();
    analysis.filter.clear();
    expect(analysis.filter.isEmpty).toBe(true);
  });

  it('reads the project again when an import adds answers', async () => {
    const { analysis, workspace } = await setup();
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts?.data.answersInScope).toBe(6));
    await commitImport(database(), smallBatch('6 months', ['r1', 'r2']), { kind: 'existing', projectId }, { fileName: 'b.csv', format: 'generic' });
    // The same workspace version: only the invalidation says the answers changed.
    analysis.attach(projectId, workspace.version, (await loadProjectOverview(database(), projectId))!);
    analysis.invalidate(projectId);
    await waitFor(() => expect(analysis.counts?.data.answersInScope).toBe(9));
    expect(analysis.writeUp.transitionsOptions.waveB).not.toBe('');
  });

  it('opens the answers behind a cell, page by page', async () => {
    const { analysis } = await setup();
    analysis.openCell('Time', { kind: 'coded', target: { kind: 'code', codeId: 'time' }, attribute: null, coders: { kind: 'all' }, questionId: null });
    await waitFor(() => expect(analysis.cell?.total).toBe(2));
    expect(analysis.cell!.rows.map((r) => r.text)).toEqual(['Baseline answer of r1', 'Baseline answer of r2']);
  });

  it('downloads an export written by the worker', async () => {
    const { analysis, downloads } = await setup();
    analysis.export('long-csv');
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].fileName).toBe('Pilot-codings.csv');
    // The long CSV comes as a Blob (written piece by piece in the worker).
    const text = await new Blob([downloads[0].bytes as Blob]).text();
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('respondent,role,question,wave,code,themes,coder,quote,start,end,exemplar,origin');
    expect(analysis.notice?.text).toBe('Saved Pilot-codings.csv to your downloads.');
  });

  it('adds the codes of a REFI-QDA codebook as one undoable step, and refuses names already taken', async () => {
    const { workspace, analysis } = await setup();
    const xml = writeQdc(
      [
        { id: 'a', parentId: null, name: 'Workload', color: '#aa0000', definition: 'Too much to do.', inclusion: '', exclusion: '', example: '', order: 0 },
        { id: 'b', parentId: 'a', name: 'Marking', color: '#00aa00', definition: '', inclusion: '', exclusion: '', example: '', order: 0 },
      ],
      { themes: [{ id: 't', name: 'Pressure', description: 'All of it.', codeIds: ['a'] }] },
    );
    analysis.importQdc(new File([xml], 'book.qdc', { type: 'application/xml' }), workspace);
    await waitFor(() => expect(analysis.notice?.text).toMatch(/^Added 2 codes and 1 theme from book.qdc/));
    const workload = workspace.codes.find((c) => c.name === 'Workload')!;
    expect(workload).toMatchObject({ parentId: null, order: 2, definition: 'Too much to do.' });
    expect(workspace.codes.find((c) => c.name === 'Marking')!.parentId).toBe(workload.id);
    expect(workspace.themes.map((t) => [t.name, t.codeIds])).toEqual([['Pressure', [workload.id]]]);

    analysis.importQdc(new File([xml], 'book.qdc'), workspace);
    await waitFor(() => expect(analysis.notice?.tone).toBe('error'));
    expect(analysis.notice!.text).toBe('This project already has “Workload”. Nothing was added.');

    await workspace.undo();
    expect(workspace.codes.map((c) => c.name).sort()).toEqual(['Pay', 'Time']);
    expect(workspace.themes).toEqual([]);
  });

  it('restores a .qdpx as a copy when its project is already here, and offers to open it', async () => {
    const { analysis, downloads } = await setup();
    analysis.export('qdpx');
    await waitFor(() => expect(downloads).toHaveLength(1));
    const file = new Blob([downloads[0].bytes as Uint8Array<ArrayBuffer>]);
    analysis.importQdpx(file, 'pilot.qdpx');
    await waitFor(() => expect(analysis.pendingCopy).not.toBeNull());
    expect(analysis.notice?.text).toMatch(/“Pilot” is already in this browser/);
    analysis.restoreAsCopy();
    await waitFor(() => expect(analysis.notice?.openProject).toBeDefined());
    expect(analysis.notice!.text).toBe('Restored “Pilot (copy)” as a project of its own.');
    expect(analysis.notice!.openProject!.id).not.toBe(projectId);
    expect(analysis.notice!.details[0]).toMatch(/^Kept: /);
  });
});

describe('a start-page import while a project opens', () => {
  beforeEach(() => localStorage.clear());

  it("is not stopped when a project's Analysis view attaches meanwhile: it finishes and its notice waits for the start page", async () => {
    const { analysis, overview } = await setup();
    const other = await commitImport(database(), smallBatch('Baseline', ['x1']), { kind: 'new', name: 'Other' }, { fileName: 'b.csv', format: 'generic' });
    analysis.importQdpx(new Blob([writeQdpx(refiProject()) as Uint8Array<ArrayBuffer>]), 'study.qdpx', false, 'home');
    expect(analysis.importing).toEqual(new Set(['home']));
    // The user opens another project's Analysis view before the import is done.
    analysis.attach(other.projectId, 0, overview);
    await waitFor(() => expect(analysis.notice?.text).toMatch(/^Restored “.+” as a project of its own\.$/));
    expect(analysis.notice!.place).toBe('home');
    expect(analysis.importing.size).toBe(0);
    expect(await database().projects.get(analysis.notice!.openProject!.id)).toBeDefined();
    // The project opened meanwhile is read as usual.
    await waitFor(() => expect(analysis.warmed).toMatchObject({ answers: expect.any(Number) }));
    expect(analysis.isRunning('import')).toBe(false);
  });
});

describe('quote and codebook helpers', () => {
  it('formats a quote for a paper on one line', () => {
    expect(formatQuote({ text: '  Time to\n\nthink. ', attribution: 'Mentee 7, 6 months' })).toBe('“Time to think.” (Mentee 7, 6 months)');
  });

  it('gives codes of a codebook fresh ids and places them after the project’s', () => {
    let n = 0;
    const { change, skippedThemes } = qdcChange(
      {
        codes: [{ id: 'x', parentId: null, name: 'New', color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0 }],
        themes: [{ id: 'th', name: 'Taken', description: '', codeIds: ['x'], withSubcodes: false, order: 0 }],
      },
      {
        projectId: 'p',
        codes: [code('old', 'Old', null, 0)],
        themes: [{ projectId: 'p', id: 't0', name: 'taken', description: '', codeIds: [], withSubcodes: false, order: 0 }],
      },
      'Import',
      () => `id${++n}`,
    );
    expect(change!.forward.putCodes).toEqual([expect.objectContaining({ id: 'id1', projectId: 'p', order: 1 })]);
    expect(change!.inverse.deleteCodes).toEqual(change!.forward.putCodes);
    expect(skippedThemes).toEqual(['Taken']);
  });
});
