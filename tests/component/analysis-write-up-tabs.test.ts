/**
 * The write-up tabs (Prevalence, Pairs, Change between waves) and the filter bar, rendered over the real request
 * handling in-process (fake-indexeddb): four mentor–mentee pairs at baseline and 6 months, one code.
 *
 * Who mentioned "Time": at baseline r1 (mentee, p1), r2 (mentor, p1), r3 (mentee, p2); at 6 months r1, r4 (mentor,
 * p2), r5 (mentee, p3). So: mentees at baseline 2 of 4; pairs p1 and p2 all, p3 some, p4 none; from baseline to
 * 6 months kept r1, gained r4 and r5, lost r2 and r3, never r6, r7, r8.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AnalysisView from '../../src/ui/analysis/analysis-view.svelte';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Coding } from '../../src/lib/model/types';
import type { ImportBatch } from '../../src/lib/import';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import { InProcessAnalysisWorker } from './in-process-analysis-worker';
import type { FromAnalysisWorker } from '../../src/workers/analysis-protocol';

const IDS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
const role = (i: number) => (i % 2 === 0 ? 'mentee' : 'mentor');
const pair = (i: number) => `p${Math.floor(i / 2) + 1}`;

function batch(waveName: string): ImportBatch {
  return {
    waves: [{ name: waveName, rowCount: IDS.length }],
    questions: [{ key: 'q1', label: 'What changed?', text: 'What changed for you?' }],
    attributes: ['role', 'pair'],
    respondents: IDS.map((id, i) => ({ id, attributes: { role: role(i), pair: pair(i) }, waves: [waveName] })),
    answers: [{ questionKey: 'q1', waveName, respondentIds: IDS, texts: IDS.map((id) => `${waveName}: ${id} on time and the rest`) }],
    blankAnswerCount: 0,
  };
}

async function setup() {
  const db = database();
  await db.delete();
  await db.open();
  const first = await commitImport(db, batch('Baseline'), { kind: 'new', name: 'Pairs' }, { fileName: 'a.csv', format: 'generic' });
  const projectId = first.projectId;
  await commitImport(db, batch('6 months'), { kind: 'existing', projectId }, { fileName: 'b.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const q1 = overview.questions[0].id;
  const [base, six] = [...overview.waves].sort((a, b) => a.order - b.order).map((w) => w.id);
  await db.codes.put({
    projectId,
    id: 'time',
    parentId: null,
    name: 'Time',
    color: '#336699',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order: 0,
  });
  await db.coders.put({ projectId, id: 'ana', name: 'Ana', color: '#000000' });
  const coded: [string, string][] = [
    [base, 'r1'],
    [base, 'r2'],
    [base, 'r3'],
    [six, 'r1'],
    [six, 'r4'],
    [six, 'r5'],
  ];
  const codings: Coding[] = coded.map(([wave, r], i) => ({
    projectId,
    id: `k${i}`,
    answerId: answerId(q1, wave, r),
    codeId: 'time',
    coderId: 'ana',
    start: 0,
    end: 4,
    createdAt: 1,
  }));
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#000000' }));
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(projectId);
  const worker = new InProcessAnalysisWorker(new AnalysisSession(database));
  const downloads: { fileName: string; text: string }[] = [];
  const analysis = new AnalysisState(
    () => worker,
    (fileName, _mime, bytes) => downloads.push({ fileName, text: new TextDecoder().decode(bytes as Uint8Array) }),
  );
  render(AnalysisView, { workspace, projectId, overview, analysis, projectName: 'Pairs' });
  return { worker, analysis, downloads, base, six, user: userEvent.setup() };
}

const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();

describe('the write-up tabs over the real request handling', () => {
  beforeEach(() => localStorage.clear());

  it('shows prevalence by role × wave with Wilson intervals and differences, opens a cell, and downloads the table', async () => {
    const { worker, downloads, base, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Prevalence' }));
    const table = await screen.findByTestId('prevalence');
    // Two header rows: the role, then the waves with their bases.
    const outer = [...table.querySelectorAll('thead th.outer')].map(text);
    expect(outer).toEqual(['role: mentee', 'role: mentor']);
    const cells = within(table).getAllByTestId('prevalence-cell').map(text);
    // Mentees at baseline: r1 and r3 of four; Wilson 95% (15–85%).
    expect(cells[0]).toBe('2 of 4 50% (15–85%)');
    expect(cells).toHaveLength(4);
    const differences = within(table).getAllByTestId('prevalence-difference').map(text);
    expect(differences).toHaveLength(2);
    // The same share at both waves: no difference, and Newcombe's interval around it.
    expect(differences[0]).toMatch(/^±0 \(−\d+ to \+\d+\)$/);
    expect(screen.getByTestId('prevalence-method')).toHaveTextContent(/Wilson/);
    expect(screen.getByTestId('prevalence-method')).toHaveTextContent(/Newcombe/);
    expect(within(screen.getByTestId('prevalence-chart')).getByRole('img')).toBeInTheDocument();

    await user.click(within(table).getAllByTestId('prevalence-cell')[0]);
    const sent = worker.posted.filter((m) => m.type === 'answers').at(-1);
    expect(sent).toMatchObject({ select: { kind: 'prevalence-cell', values: ['mentee', base] } });
    const panel = await screen.findByTestId('answer-panel');
    await waitFor(() =>
      expect(
        within(panel)
          .getAllByTestId('answer-panel-row')
          .map((r) => r.querySelector('.respondent')!.textContent),
      ).toEqual(['r1', 'r3']),
    );

    await user.click(screen.getByTestId('prevalence-csv'));
    expect(downloads.at(-1)!.fileName).toBe('Pairs-prevalence.csv');
    const csv = downloads.at(-1)!.text;
    expect(csv).toMatch(/^# Prevalence: respondents coded, by role × Wave\r\n# Filter: none/);
    expect(csv).toMatch(/# .*Wilson/);
    expect(csv).toContain('\r\nTime,2,4,50,15,85,');
  });

  it('says which respondent has a weight it cannot use, and weights nothing when answers are counted', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Prevalence' }));
    await screen.findByTestId('prevalence');
    await user.selectOptions(screen.getByTestId('prevalence-weight'), 'role');
    const error = await screen.findByTestId('analysis-error');
    expect(error).toHaveTextContent(/r1/);
    expect(error).toHaveTextContent(/mentee/);
    // The unweighted table it had does not stay as if it were weighted.
    expect(screen.queryByTestId('prevalence')).toBeNull();
    await user.selectOptions(screen.getByTestId('prevalence-unit'), 'answers');
    expect(screen.getByTestId('prevalence-weight')).toBeDisabled();
  });

  it('the filter bar governs every tab and names it: mentees only, then cleared in one click', async () => {
    const { worker, downloads, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Prevalence' }));
    await screen.findByTestId('prevalence');
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: All answers · All coders');

    await user.selectOptions(screen.getByTestId('filter-add-attribute'), 'role');
    const pick = screen.getByTestId('filter-attribute-role');
    await user.click(pick.querySelector('summary')!);
    await user.click(within(pick).getByRole('checkbox', { name: 'mentee' }));
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: role: mentee · All coders');
    await waitFor(() => expect([...screen.getByTestId('prevalence').querySelectorAll('thead th.outer')].map(text)).toEqual(['role: mentee']));
    expect(worker.posted.filter((m) => m.type === 'prevalence').at(-1)).toMatchObject({ filter: { attributes: [{ name: 'role', values: ['mentee'] }] } });
    // The chart and the files say whom they count.
    expect(within(screen.getByTestId('prevalence-chart')).getByRole('img')).toHaveAccessibleName(/· role: mentee$/);
    await user.click(screen.getByTestId('prevalence-csv'));
    expect(downloads.at(-1)!.fileName).toBe('Pairs-role-mentee-prevalence.csv');

    // Every tab obeys it: the change table counts the four mentees only.
    await user.click(screen.getByRole('tab', { name: 'Change between waves' }));
    const change = await screen.findByTestId('transitions');
    expect(change.querySelector('thead th.outer')).toHaveTextContent('All answered both: 4');
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('role: mentee');
    expect(worker.posted.filter((m) => m.type === 'transitions').at(-1)).toMatchObject({ filter: { attributes: [{ name: 'role', values: ['mentee'] }] } });

    await user.click(screen.getByTestId('filter-clear'));
    expect(screen.getByTestId('filter-scope')).toHaveTextContent('Counting: All answers · All coders');
    await waitFor(() => expect(screen.getByTestId('transitions').querySelector('thead th.outer')).toHaveTextContent('All answered both: 8'));
    expect(screen.getByTestId('filter-clear')).toBeDisabled();
  });

  it('shows pair concordance with the pair and role attributes found by name, and opens a cell', async () => {
    const { worker, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Pairs' }));
    expect(screen.getByTestId('pairs-group')).toHaveValue('pair');
    expect(screen.getByTestId('pairs-role')).toHaveValue('role');
    const table = await screen.findByTestId('pairs');
    const row = within(table).getByTestId('pairs-row');
    const byCell = Object.fromEntries(
      within(row)
        .getAllByTestId('pairs-cell')
        .map((c) => [c.dataset.cell, text(c)]),
    );
    expect(byCell).toEqual({ all: '2 50%', some: '1 25%', none: '1 25%', both: '2 50%', onlyA: '1 25%', onlyB: '0 0%', neither: '1 25%' });
    expect(within(row).getByTestId('pairs-agree')).toHaveTextContent('3 75%');
    expect([...table.querySelectorAll('thead th')].map(text)).toContain('Only mentee');

    await user.click(
      within(row)
        .getAllByTestId('pairs-cell')
        .find((c) => c.dataset.cell === 'some')!,
    );
    expect(worker.posted.filter((m) => m.type === 'answers').at(-1)).toMatchObject({ select: { kind: 'dyad-cell', cell: 'some', groupAttribute: 'pair' } });
    const panel = await screen.findByTestId('answer-panel');
    await waitFor(() => expect(within(panel).getAllByTestId('answer-panel-row').length).toBeGreaterThan(0));
    const respondents = new Set(
      within(panel)
        .getAllByTestId('answer-panel-row')
        .map((r) => r.querySelector('.respondent')!.textContent),
    );
    expect(respondents).toEqual(new Set(['r5', 'r6']));
  });

  it('shows change between waves split by role, and a cell opens both answers side by side', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Change between waves' }));
    expect(screen.getByTestId('change-split')).toHaveValue('role');
    const table = await screen.findByTestId('transitions');
    expect([...table.querySelectorAll('thead th.outer')].map(text)).toEqual(['All answered both: 8', 'mentee answered both: 4', 'mentor answered both: 4']);
    const cells = within(table).getAllByTestId('transitions-cell');
    const all = Object.fromEntries(cells.filter((c) => c.dataset.split === '').map((c) => [c.dataset.group, text(c)]));
    expect(all).toEqual({ kept: '1 13%', gained: '2 25%', lost: '2 25%', never: '3 38%' });
    const mentee = Object.fromEntries(cells.filter((c) => c.dataset.split === 'mentee').map((c) => [c.dataset.group, text(c)]));
    expect(mentee).toEqual({ kept: '1 25%', gained: '1 25%', lost: '1 25%', never: '1 25%' });

    await user.click(cells.find((c) => c.dataset.split === '' && c.dataset.group === 'gained')!);
    const panel = await screen.findByTestId('answer-panel');
    await waitFor(() => expect(within(panel).getAllByTestId('answer-panel-pair')).toHaveLength(2));
    const pairs = within(panel).getAllByTestId('answer-panel-pair');
    expect(pairs.map((p) => p.dataset.respondentId)).toEqual(['r4', 'r5']);
    expect(within(pairs[0]).getByTestId('answer-panel-wave-a')).toHaveTextContent('Baseline: r4 on time');
    expect(within(pairs[0]).getByTestId('answer-panel-wave-b')).toHaveTextContent('6 months: r4 on time');
    // The coded passage is marked in the wave where it was mentioned.
    expect(within(pairs[0]).getByTestId('answer-panel-wave-b').querySelector('mark')).not.toBeNull();
    expect(within(panel).getByTestId('answer-panel-count')).toHaveTextContent('2 of 2 respondents, their answers side by side');
  });

  it('while a table for other options is on its way, the old one is dimmed, busy, and cannot be opened or downloaded', async () => {
    const { worker, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Prevalence' }));
    await screen.findByTestId('prevalence');
    expect(screen.getByTestId('prevalence-result')).toHaveAttribute('aria-busy', 'false');
    expect(screen.getByTestId('prevalence-csv')).toBeEnabled();
    // Replies wait until released: the new table is "on its way".
    const deliver = worker.onmessage!;
    const held: MessageEvent<FromAnalysisWorker>[] = [];
    worker.onmessage = (event) => held.push(event);
    await user.selectOptions(screen.getByTestId('prevalence-unit'), 'answers');
    const result = screen.getByTestId('prevalence-result');
    expect(result).toHaveAttribute('aria-busy', 'true');
    expect(result).toHaveClass('stale');
    expect(screen.getByTestId('prevalence-csv')).toBeDisabled();
    for (const cell of within(result).getAllByTestId('prevalence-cell')) expect(cell).toBeDisabled();
    await waitFor(() => expect(held.some((e) => e.data.type === 'result')).toBe(true));
    worker.onmessage = deliver;
    for (const event of held) deliver(event);
    await waitFor(() => expect(screen.getByTestId('prevalence-result')).toHaveAttribute('aria-busy', 'false'));
    expect(screen.getByTestId('prevalence-csv')).toBeEnabled();
    expect(within(screen.getByTestId('prevalence-result')).getAllByTestId('prevalence-cell')[0]).toBeEnabled();

    // The same on the Change tab, when the filter changes.
    await user.click(screen.getByRole('tab', { name: 'Change between waves' }));
    await screen.findByTestId('transitions');
    worker.onmessage = (event) => held.push(event);
    held.length = 0;
    await user.selectOptions(screen.getByTestId('change-split'), '');
    expect(screen.getByTestId('change-result')).toHaveAttribute('aria-busy', 'true');
    for (const cell of within(screen.getByTestId('change-result')).getAllByTestId('transitions-cell')) expect(cell).toBeDisabled();
    await waitFor(() => expect(held.some((e) => e.data.type === 'result')).toBe(true));
    worker.onmessage = deliver;
    for (const event of held) deliver(event);
    await waitFor(() => expect(screen.getByTestId('change-result')).toHaveAttribute('aria-busy', 'false'));
    expect(within(screen.getByTestId('change-result')).getAllByTestId('transitions-cell')[0]).toBeEnabled();
  });
});
