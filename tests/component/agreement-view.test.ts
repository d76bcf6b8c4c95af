import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AgreementView from '../../src/ui/agreement/agreement-view.svelte';
import { AgreementState, type AgreementWorkerLike } from '../../src/lib/state/agreement.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { PrimaryCoderState } from '../../src/lib/state/primary-coder.svelte';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { database } from '../../src/lib/db/database';
import { loadCodings } from '../../src/lib/db/coding-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { computeAgreement, queueDetailsOf, queueTextsOf, type QueueTexts } from '../../src/lib/agreement/compute-request';
import type { AgreementComputeRequest, FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';
import { answerId, CONSENSUS_CODER_ID, type Code, type Coder, type Coding, type Question, type Wave } from '../../src/lib/model/types';

// Each test gets its own project: workspaces of earlier tests still listen on the BroadcastChannel.
let projectCount = 0;
let PID = '';

const ANA = { id: 'ana', name: 'Ana', color: '#2454a6' };
const BEN = { id: 'ben', name: 'Ben', color: '#a63d24' };
const r = (n: number) => answerId('q1', 'base', `r${n}`);
// r2 holds an emoji before the passage Ben coded: offsets are code points, not UTF-16 units.
const TEXTS = ['Promotion came sooner.', 'No time 🙂 at all, but a pay rise.', 'A raise, and time off.', 'Nothing to add.'];

function code(id: string, name: string, parentId: string | null, order: number, color: string): Code {
  return { projectId: PID, id, parentId, name, color, definition: '', inclusion: '', exclusion: '', example: '', order };
}

function coding(id: string, answer: string, coderId: string, codeId: string, start: number | null = null, end: number | null = null): Coding {
  return { projectId: PID, id, answerId: answer, codeId, coderId, start, end, createdAt: 1 };
}

/**
 * r1: both Rewards on "Promotion" (agree). r2: Ana Time (whole), Ben Rewards on "pay rise" (differ on both).
 * r3: both Rewards on "raise"; Ben also Time on "time off" (differ on Time). r4: nobody. Unused: nobody, ever.
 */
function fixture() {
  const codes = [
    code('rewards', 'Rewards', null, 0, '#33a02c'),
    code('career', 'Career', 'rewards', 0, '#b2df8a'),
    code('time', 'Time', null, 1, '#1f78b4'),
    code('unused', 'Unused', null, 2, '#e31a1c'),
  ];
  const codings = [
    coding('k1', r(1), 'ana', 'rewards', 0, 9),
    coding('k2', r(1), 'ben', 'rewards', 0, 9),
    coding('k3', r(2), 'ana', 'time'),
    coding('k4', r(2), 'ben', 'rewards', 24, 32),
    coding('k5', r(3), 'ana', 'rewards', 2, 7),
    coding('k6', r(3), 'ben', 'rewards', 2, 7),
    coding('k7', r(3), 'ben', 'time', 13, 21),
  ];
  return { codes, codings };
}

const QUESTIONS: Question[] = [{ projectId: '', id: 'q1', key: 'Q1', label: 'What changed?', text: 'What changed?', order: 0, answerCounts: { base: 4 } }];
const WAVES: Wave[] = [{ projectId: '', id: 'base', name: 'Baseline', order: 0, importedAt: 0, sourceFile: 'f.csv', sourceFormat: 'generic' }];

/** A worker that answers from the pure core over the fixture's answers, as the real one does from IndexedDB. */
class FakeWorker implements AgreementWorkerLike {
  onmessage: ((event: MessageEvent<FromAgreementWorker>) => void) | null = null;
  posted: ToAgreementWorker[] = [];
  /** When false, the test releases the answer itself. */
  auto = true;
  /** Disagreements sent with their texts in the result (the rest are asked for). */
  detailLimit: number | undefined = undefined;
  #texts: QueueTexts | null = null;

  constructor(
    private codings: () => Coding[],
    private texts: string[],
  ) {}

  postMessage(message: ToAgreementWorker) {
    this.posted.push(structuredClone(message));
    if (message.type === 'compute' && this.auto) setTimeout(() => this.answer(message), 0);
    if (message.type === 'queue-texts') {
      const details = this.#texts ? queueDetailsOf(this.#texts, message.answerIds) : [];
      setTimeout(() => this.onmessage?.({ data: { type: 'queue-texts', requestId: message.requestId, details } } as MessageEvent<FromAgreementWorker>), 0);
    }
  }

  answer(request: AgreementComputeRequest) {
    const emit = (data: FromAgreementWorker) => this.onmessage?.({ data } as MessageEvent<FromAgreementWorker>);
    const answers = { ids: this.texts.map((_, i) => r(i + 1)), texts: this.texts };
    const computed = computeAgreement(answers, this.codings(), { ...request, ...(this.detailLimit === undefined ? {} : { detailLimit: this.detailLimit }) });
    this.#texts = queueTextsOf(answers, computed.queue.answerIds);
    const { requestId } = request;
    const count = answers.ids.length;
    emit({ type: 'progress', requestId, phase: 'answer-level', done: 0, total: 1 });
    emit({
      type: 'result',
      requestId,
      result: {
        table: computed.table,
        groups: computed.groups,
        scope: { questions: 1, answersRead: count, answersInScope: count, answersCompared: count, sample: null },
        queue: computed.queue,
        disagreements: computed.disagreements,
        timing: { loadMs: 12, computeMs: 3, ms: 15 },
      },
    });
    emit({ type: 'spans', requestId, result: { spans: computed.spans, spanMs: 1, ms: 16 } });
  }

  terminated = 0;
  terminate() {
    this.terminated++;
  }
}

async function setup({ texts = TEXTS, primaryCoder }: { texts?: string[]; primaryCoder?: PrimaryCoderState } = {}) {
  const { codes, codings } = fixture();
  const db = database();
  await db.codes.bulkAdd(codes);
  await db.coders.bulkAdd([ANA, BEN].map((c): Coder => ({ projectId: PID, ...c })));
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list })));
  localStorage.setItem('codebench.coder', JSON.stringify({ id: 'adjudicator', name: 'Ada', color: '#555555' }));
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(PID);
  const worker = new FakeWorker(() => [...workspace.index.all()], texts);
  const agreement = new AgreementState(workspace, () => worker);
  const view = render(AgreementView, {
    workspace,
    projectId: PID,
    questions: QUESTIONS,
    waves: WAVES,
    attributes: [],
    questionId: 'q1',
    agreement,
    projectName: 'AIMMS mentoring',
    primaryCoder,
  });
  return { workspace, worker, agreement, view, user: userEvent.setup() };
}

const rowOf = (codeId: string) => screen.getAllByTestId('agreement-row').find((row) => row.dataset.codeId === codeId)!;
const cellTexts = (row: HTMLElement) => [...row.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim());

describe('AgreementView', () => {
  beforeEach(async () => {
    // The disagreement list's bind:clientHeight needs one; nothing here is measured.
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
    PID = `agreement-${++projectCount}`;
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('asks the worker for the defaults: the first two coders, top-level codes with their subcodes, the open question', async () => {
    const { worker, user } = await setup();
    expect(screen.getAllByTestId('agreement-coder').map((box) => (box as HTMLInputElement).checked)).toEqual([true, true]);
    await user.click(screen.getByTestId('agreement-run'));
    expect(worker.posted[0]).toEqual({
      type: 'compute',
      requestId: 1,
      projectId: PID,
      coderIds: ['ana', 'ben'],
      codeIds: ['rewards', 'time', 'unused'],
      codeGroups: [{ codeId: 'rewards', memberIds: ['rewards', 'career'] }],
      scope: { questionId: 'q1', waveId: null, attributes: {}, sample: null },
      uncodedAs: 'absent',
      spanThreshold: 0.5,
      bootstrapSamples: 1000,
    });
  });

  it('sends the scope chosen: all questions, missing, a seeded sample', async () => {
    const { worker, agreement, user } = await setup();
    await user.selectOptions(screen.getByTestId('agreement-question'), '');
    await user.click(screen.getByTestId('agreement-uncoded-missing'));
    await user.click(screen.getByTestId('agreement-sample'));
    const size = screen.getByTestId('agreement-sample-size');
    await user.clear(size);
    await user.type(size, '2');
    const seed = screen.getByTestId('agreement-sample-seed');
    await user.clear(seed);
    await user.type(seed, '42');
    await user.tab();
    await user.click(screen.getByTestId('agreement-run'));
    expect(worker.posted[0]).toMatchObject({ scope: { questionId: null, sample: { size: 2, seed: 42 } }, uncodedAs: 'missing' });
    await user.click(screen.getByTestId('agreement-new-sample'));
    expect(agreement.options.sampleSeed).not.toBe(42);
  });

  it('shows the counts and statistics per code and pooled, and "—" with the reason where a statistic is undefined', async () => {
    const { user } = await setup();
    await user.click(screen.getByTestId('agreement-run'));
    await screen.findByTestId('agreement-table');
    // Rewards (with Career): r1, r3 both; r2 Ben only; r4 neither. p_o = ¾; κ: p_e = ½ → 0.5; π: p_e = 0.625² + 0.375² → 0.467.
    expect(cellTexts(rowOf('rewards')).slice(0, 9)).toEqual(['4', '4', '2', '0', '1', '1', '75.0%', '0.500', '0.467']);
    // Time: r2 Ana only, r3 Ben only: p_o = ½, p_e = ¼·¼ + ¾·¾ = 0.625 → κ = −⅓.
    expect(cellTexts(rowOf('time')).slice(0, 8)).toEqual(['4', '4', '0', '1', '1', '2', '50.0%', '\u22120.333']);
    // Unused: everyone agrees it is absent; kappa, pi and alpha have nothing to work with.
    const unused = rowOf('unused');
    expect(cellTexts(unused).slice(0, 7)).toEqual(['4', '4', '0', '0', '0', '4', '100.0%']);
    const undefinedCells = within(unused).getAllByTestId('agreement-undefined');
    expect(undefinedCells.length).toBeGreaterThanOrEqual(3);
    expect(undefinedCells[0]).toHaveAttribute(
      'aria-label',
      expect.stringMatching(/^Undefined: Cohen's kappa is undefined: both coders used only one category/),
    );
    expect(undefinedCells[0]).toHaveAttribute('tabindex', '0');
    expect(undefinedCells[0].textContent).toMatch(/^—1/);
    const notes = screen.getByTestId('agreement-notes');
    expect(notes.querySelector('li')!.textContent).toContain("Cohen's kappa is undefined: both coders used only one category (“absent”)");
    expect(document.body.textContent).not.toMatch(/NaN|Infinity/);
    // The pooled row, the alpha thresholds and the readings.
    expect(rowOf('')).toHaveTextContent('All codes (pooled)');
    expect(cellTexts(rowOf('')).slice(0, 6)).toEqual(['12', '12', '2', '1', '2', '7']);
    expect(document.body.textContent).toContain('α ≥ 0.800');
    expect(document.body.textContent).toContain('0.667 ≤ α < 0.800');
    const readings = screen.getAllByTestId('agreement-reading');
    expect(readings).toHaveLength(4);
    expect(readings[0].textContent).toContain("Cohen's kappa: κ = 0.500: moderate agreement on Landis and Koch's scale.");
    expect(rowOf('rewards').querySelectorAll('td')[7]).toHaveAttribute('title', "κ = 0.500: moderate agreement on Landis and Koch's scale.");
    expect(screen.getByTestId('agreement-timing')).toHaveAttribute('data-compute-ms', '3');
  });

  it('warns of the kappa paradox for a rare code, in the table and its readings', async () => {
    const texts = [...TEXTS, ...Array.from({ length: 16 }, (_, i) => `Answer ${i + 5}.`)];
    const { user } = await setup({ texts });
    await user.click(screen.getByTestId('agreement-codes-none'));
    await user.click(screen.getAllByTestId('agreement-code').find((box) => box.dataset.codeId === 'time')!);
    await user.click(screen.getByTestId('agreement-run'));
    await screen.findByTestId('agreement-table');
    // Time: present in 2 of 40 values (5%); the coders agree on 90% of answers yet κ < 0.
    expect(within(rowOf('time')).getByText('rare')).toBeInTheDocument();
    const reading = screen.getAllByTestId('agreement-reading')[0];
    expect(reading.textContent).toContain('The code is rare: present in 5.0% of the values compared.');
    expect(reading.textContent).toContain('(here they agree on 90.0%): the kappa paradox');
  });

  it('exports the table and the disagreements as CSV, and the table as Markdown, codes and coders by name, with their scope', async () => {
    const { user } = await setup();
    const blobs: Blob[] = [];
    const fileNames: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn((blob: Blob) => (blobs.push(blob), 'blob:agreement')), revokeObjectURL: vi.fn() }));
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      fileNames.push(this.download);
    });
    await user.click(screen.getByTestId('agreement-run'));
    await user.click(await screen.findByTestId('agreement-export-csv'));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    const all = (await blobs[0].text()).split('\r\n');
    const scope = all.filter((line) => line.startsWith('#'));
    expect(scope.slice(0, 9)).toEqual([
      '# Codebench agreement table',
      '# Project: AIMMS mentoring',
      '# Coders: Ana; Ben',
      '# Codes: Rewards; Time; Unused (each with its subcodes)',
      '# Questions: Q1 What changed?',
      '# Waves: Baseline',
      '# Attribute filters: none',
      '# Answers: 4 compared of 4 in scope',
      '# Uncoded answers: absent (an answer a coder did not code counts as not having any code)',
    ]);
    expect(scope[9]).toMatch(/^# Date: \d{4}-\d\d-\d\dT/);
    expect(scope[10]).toMatch(/^# Codebench version: \d+\.\d+\.\d+/);
    const lines = all.slice(scope.length);
    expect(lines[0]).toBe(
      "Code,Units,Pairable units,Both present,Only Ana,Only Ben,Both absent,Prevalence,Percent agreement,Cohen's kappa,Scott's pi,Fleiss' kappa,Gwet's AC1,Krippendorff's alpha,Alpha 95% low,Alpha 95% high,Bootstrap samples,Notes",
    );
    expect(lines[1]).toMatch(/^Rewards,4,4,2,0,1,1,0\.625,0\.750,0\.500,0\.467,0\.467,/);
    expect(lines[2]).toMatch(/^Time,4,4,0,1,1,2,0\.250,0\.500,-0\.333,/);
    expect(lines[3]).toMatch(/^Unused,4,4,0,0,0,4,0\.000,1\.000,,,,1\.000,,,,,"Cohen's kappa is undefined/);
    expect(lines[4]).toMatch(/^All codes \(pooled\),12,12,2,1,2,7,/);

    await user.click(screen.getByTestId('disagreements-export-csv'));
    expect((await blobs[1].text()).split('\r\n')).toEqual([
      'Respondent,Question key,Question,Wave,Code,Ana,Ben,Answer id',
      `r2,Q1,What changed?,Baseline,Rewards,absent,present,q1|base|r2`,
      `r2,Q1,What changed?,Baseline,Time,present,absent,q1|base|r2`,
      `r3,Q1,What changed?,Baseline,Time,absent,present,q1|base|r3`,
      '',
    ]);

    await user.click(screen.getByTestId('agreement-export-md'));
    expect(blobs[2].type).toBe('text/markdown;charset=utf-8');
    const markdown = await blobs[2].text();
    expect(markdown).toMatch(/^- Project: AIMMS mentoring\n/);
    expect(markdown).toMatch(/\n\| Code \| Units \| Pairable units \| Both present \| Only Ana \| Only Ben \| Both absent \|/);
    expect(fileNames).toEqual(['AIMMS-mentoring-agreement.csv', 'AIMMS-mentoring-disagreements.csv', 'AIMMS-mentoring-agreement.md']);
  });

  it('shows passage agreement per code for the first two coders', async () => {
    const { user } = await setup();
    await user.click(screen.getByTestId('agreement-run'));
    const spans = await screen.findByTestId('agreement-spans');
    const rewards = [...spans.querySelectorAll<HTMLElement>('[data-testid="agreement-span-row"]')].find((row) => row.dataset.codeId === 'rewards')!;
    const cells = [...rewards.querySelectorAll('td')].map((td) => td.textContent!.trim());
    // Characters: r1 [0,9) and r3 [2,7) both (14); r2 Ben [24,32) (8); the rest of 22 + 33 + 22 + 15 neither.
    expect(cells.slice(0, 5)).toEqual(['3', '14', '0', '8', String(92 - 22)]);
    // Passages: Ana 2, Ben 3, 2 matched: 2·2 / 5.
    expect(cells.slice(7, 11)).toEqual(['2', '3', '2', '0.800']);
  });

  it('resolves a disagreement with "Accept Ana": progress goes to 1 of 2, the consensus gets her codes, the coders’ own stay', async () => {
    const { workspace, user } = await setup();
    await user.click(screen.getByTestId('agreement-run'));
    const queue = await screen.findByTestId('disagreement-queue');
    expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('0 of 2 resolved');
    const answer = within(queue).getByTestId('disagreement-answer');
    expect(answer).toHaveAttribute('data-answer-id', r(2));
    expect(answer).toHaveTextContent('No time 🙂 at all, but a pay rise.');
    // Side by side: Ana's Time on the whole answer, Ben's Rewards quoted (sliced by code points).
    expect(within(queue).getByTestId('disagreement-first')).toHaveTextContent('Time');
    expect(within(queue).getByTestId('disagreement-first')).toHaveTextContent('whole answer');
    expect(within(queue).getByTestId('disagreement-second').querySelector('q')!.textContent).toBe('pay rise');
    expect(within(queue).getByTestId('resolve-first')).toHaveTextContent('Accept Ana');
    expect(within(queue).getByTestId('resolve-second')).toHaveTextContent('Accept Ben');

    await user.click(within(queue).getByTestId('resolve-first'));
    await waitFor(() => expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('1 of 2 resolved'));
    expect(workspace.resolutions.get(r(2))?.decision).toBe('first');
    expect(
      workspace.index
        .forAnswer(r(2))
        .filter((c) => c.coderId === CONSENSUS_CODER_ID)
        .map((c) => c.codeId),
    ).toEqual(['time']);
    // Once stored, on to the next answer still to settle.
    await waitFor(() => expect(within(queue).getByTestId('disagreement-answer')).toHaveAttribute('data-answer-id', r(3)));
    // Back to the resolved one: its decision shows, and it can be decided again.
    await user.click(within(queue).getByTestId('disagreement-previous'));
    expect(within(queue).getByTestId('disagreement-decision')).toHaveTextContent("Resolved: Accept Ana's codes (Ada)");
    expect(within(queue).getByTestId('resolve-first')).toHaveAttribute('aria-pressed', 'true');
    await user.click(within(queue).getByTestId('resolve-both'));
    await waitFor(() => expect(workspace.resolutions.get(r(2))?.decision).toBe('both'));
    expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('1 of 2 resolved');
    const stored = await loadCodings(database(), PID);
    expect(
      stored
        .filter((c) => c.coderId !== CONSENSUS_CODER_ID)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    expect(
      stored
        .filter((c) => c.coderId === CONSENSUS_CODER_ID && c.answerId === r(2))
        .map((c) => c.codeId)
        .sort(),
    ).toEqual(['rewards', 'time']);
  });

  it('is driven by keys: 1 accepts the first coder and moves on, j/k move, u undoes; every disagreement is listed, texts fetched', async () => {
    const { workspace, worker, user } = await setup();
    // Only the first disagreement's text comes with the result: the second's is asked for when shown.
    worker.detailLimit = 1;
    await user.click(screen.getByTestId('agreement-run'));
    const queue = await screen.findByTestId('disagreement-queue');
    expect(within(queue).getByTestId('disagreement-keys')).toHaveTextContent('1 accept Ana · 2 accept Ben · b both · n neither');
    expect(
      within(queue)
        .getAllByTestId('disagreement-item')
        .map((item) => item.dataset.answerId),
    ).toEqual([r(2), r(3)]);
    expect(within(queue).getByTestId('disagreement-answer')).toHaveAttribute('data-answer-id', r(2));

    queue.focus();
    await user.keyboard('1');
    await waitFor(() => expect(workspace.resolutions.get(r(2))?.decision).toBe('first'));
    // On to the next unresolved, whose text the worker sends on demand.
    await waitFor(() => expect(within(queue).getByTestId('disagreement-answer')).toHaveAttribute('data-answer-id', r(3)));
    await waitFor(() => expect(within(queue).getByTestId('disagreement-answer')).toHaveTextContent('A raise, and time off.'));
    expect(worker.posted.some((m) => m.type === 'queue-texts' && m.answerIds.includes(r(3)))).toBe(true);
    expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('1 of 2 resolved');
    // The list shows the decision taken.
    expect(within(queue).getAllByTestId('disagreement-item')[0]).toHaveTextContent("Accept Ana's codes");

    await user.keyboard('k');
    expect(within(queue).getByTestId('disagreement-answer')).toHaveAttribute('data-answer-id', r(2));
    await user.keyboard('j');
    expect(within(queue).getByTestId('disagreement-answer')).toHaveAttribute('data-answer-id', r(3));
    await user.keyboard('n');
    await waitFor(() => expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('2 of 2 resolved'));
    expect(workspace.resolutions.get(r(3))?.decision).toBe('neither');

    await user.keyboard('u');
    await waitFor(() => expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('1 of 2 resolved'));
    expect(workspace.resolutions.has(r(3))).toBe(false);
  });

  it('chooses the primary coder beside the queue, stored on the project; a refused write is said and changes nothing', async () => {
    await database().projects.put({ id: PID, name: 'Pilot', createdAt: 0, updatedAt: 0, respondentCount: 4, answerCount: 4 });
    const notifications = new Notifications();
    let changed = 0;
    const primaryCoder = new PrimaryCoderState(database, notifications, () => changed++);
    const { user } = await setup({ primaryCoder });
    await user.click(screen.getByTestId('agreement-run'));
    const select = await screen.findByTestId('primary-coder-select');
    expect(select).toHaveValue('ana');
    expect(screen.getByTestId('primary-coder')).toHaveTextContent('Not chosen yet: the first coder listed.');
    await user.selectOptions(select, 'ben');
    await waitFor(async () => expect((await database().projects.get(PID))?.primaryCoderId).toBe('ben'));
    expect(primaryCoder.chosen).toBe('ben');
    expect(changed).toBe(1);

    const refusing = new PrimaryCoderState(
      () => {
        const db = database();
        return new Proxy(db, {
          get: (target, key) =>
            key === 'transaction' ? () => Promise.reject(new DOMException('The disk is full.', 'QuotaExceededError')) : Reflect.get(target, key),
        }) as CodebenchDatabase;
      },
      notifications,
      () => changed++,
    );
    await refusing.load(PID);
    expect(await refusing.choose(PID, 'ana', 'Ana')).toBe(false);
    expect(refusing.chosen).toBe('ben');
    expect(changed).toBe(1);
    expect(notifications.history[0]?.text).toMatch(/^Choosing the primary coder failed/);
  });

  it('filters the queue by code', async () => {
    const { user } = await setup();
    await user.click(screen.getByTestId('agreement-run'));
    const queue = await screen.findByTestId('disagreement-queue');
    // r2 differs on Time and Rewards, r3 on Time only.
    await user.selectOptions(within(queue).getByTestId('disagreement-code-filter'), 'rewards');
    expect(
      within(queue)
        .getAllByTestId('disagreement-item')
        .map((item) => item.dataset.answerId),
    ).toEqual([r(2)]);
    await user.selectOptions(within(queue).getByTestId('disagreement-code-filter'), 'time');
    // The list renders the rows in view first, the rest once it rests.
    await waitFor(() =>
      expect(
        within(queue)
          .getAllByTestId('disagreement-item')
          .map((item) => item.dataset.answerId),
      ).toEqual([r(2), r(3)]),
    );
  });

  it('follows the codings live: when Ben removes his Time on r3, that answer leaves the queue', async () => {
    const { workspace, user } = await setup();
    await user.click(screen.getByTestId('agreement-run'));
    const queue = await screen.findByTestId('disagreement-queue');
    expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('0 of 2 resolved');
    workspace.removeCoding('k7');
    await waitFor(() => expect(within(queue).getByTestId('disagreement-progress')).toHaveTextContent('0 of 1 resolved'));
  });

  it('shows progress with a Cancel button while the worker computes; a cancelled run’s late answer is ignored', async () => {
    const { worker, agreement, user } = await setup();
    worker.auto = false;
    await user.click(screen.getByTestId('agreement-run'));
    expect(screen.getByTestId('agreement-progress')).toHaveTextContent('Reading the answers');
    expect(screen.getByTestId('agreement-run')).toBeDisabled();
    await user.click(screen.getByTestId('agreement-cancel'));
    expect(worker.posted[1]).toEqual({ type: 'cancel', requestId: 1 });
    expect(screen.queryByTestId('agreement-progress')).toBeNull();
    worker.answer(worker.posted[0] as AgreementComputeRequest);
    expect(agreement.result).toBeNull();
    expect(screen.queryByTestId('agreement-table')).toBeNull();
  });

  it('stops its worker when the view is left, once the comparison under way is done; the queue then asks a new one with the project', async () => {
    const { worker, agreement, view, user } = await setup();
    worker.auto = false;
    worker.detailLimit = 1;
    await user.click(screen.getByTestId('agreement-run'));
    view.unmount();
    // Still computing: the worker stays until its last reply.
    expect(worker.terminated).toBe(0);
    worker.answer(worker.posted[0] as AgreementComputeRequest);
    await waitFor(() => expect(worker.terminated).toBe(1));
    expect(agreement.result).not.toBeNull();

    // The queue asks for a text it lacks: the request names the project, so a new worker can read it.
    agreement.loadQueueTexts([r(3)]);
    expect(worker.posted.at(-1)).toEqual({ type: 'queue-texts', requestId: expect.any(Number), projectId: PID, answerIds: [r(3)] });
    await waitFor(() => expect(worker.terminated).toBe(2));
    expect(agreement.queueDetails.get(r(3))?.text).toBe('A raise, and time off.');
  });

  it('shows the worker’s error in words', async () => {
    const { worker, user } = await setup();
    worker.auto = false;
    await user.click(screen.getByTestId('agreement-run'));
    const message = 'The question chosen for the comparison is no longer in the project: choose another.';
    worker.onmessage?.({ data: { type: 'error', requestId: 1, message } } as MessageEvent<FromAgreementWorker>);
    expect(await screen.findByTestId('agreement-error')).toHaveTextContent(message);
    expect(screen.getByTestId('agreement-run')).toBeEnabled();
  });

  it('will not run with fewer than two coders, and says why', async () => {
    const { user } = await setup();
    await user.click(screen.getAllByTestId('agreement-coder')[1]);
    expect(screen.getByTestId('agreement-run')).toBeDisabled();
    expect(document.body.textContent).toContain('Choose at least two coders.');
  });
});
