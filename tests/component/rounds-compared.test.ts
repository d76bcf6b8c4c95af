import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import RoundsCompared from '../../src/ui/agreement/rounds-compared.svelte';
import { AgreementState, type AgreementWorkerLike } from '../../src/lib/state/agreement.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { database } from '../../src/lib/db/database';
import { saveRound, saveRoundAgreement } from '../../src/lib/db/rounds';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { computeAgreement } from '../../src/lib/agreement/compute-request';
import type { AgreementComputeRequest, FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';
import {
  answerId,
  type Code,
  type CodebookVersion,
  type Coder,
  type Coding,
  type Round,
  type RoundAgreement,
  type VersionedCode,
} from '../../src/lib/model/types';
import { roundAgreementRecord, type RoundComputation } from '../../src/lib/rounds/round-agreement';

let projectCount = 0;
let PID = '';

const ANA = { id: 'ana', name: 'Ana', color: '#2454a6' };
const BEN = { id: 'ben', name: 'Ben', color: '#a63d24' };
const a = (n: number) => answerId('q1', 'base', `r${n}`);
const TEXTS = Array.from({ length: 24 }, (_, i) => `Answer ${i + 1}`);

function code(id: string, name: string, parentId: string | null, order: number, extra: Partial<Code> = {}): Code {
  return { projectId: PID, id, parentId, name, color: '#1f78b4', definition: '', inclusion: '', exclusion: '', example: '', order, ...extra };
}

const versioned = (codes: Code[]): VersionedCode[] => codes.map(({ projectId: _p, ...c }) => c);

/** Answers the request from the pure core over exactly the round's answers, as the real worker does from IndexedDB. */
class FakeWorker implements AgreementWorkerLike {
  onmessage: ((event: MessageEvent<FromAgreementWorker>) => void) | null = null;
  posted: ToAgreementWorker[] = [];
  /** When false, the test answers itself. */
  auto = true;

  constructor(private codings: () => Coding[]) {}

  postMessage(message: ToAgreementWorker) {
    this.posted.push(structuredClone(message));
    if (message.type === 'compute' && this.auto) setTimeout(() => this.answer(message), 0);
  }

  answer(request: AgreementComputeRequest) {
    const emit = (data: FromAgreementWorker) => this.onmessage?.({ data } as MessageEvent<FromAgreementWorker>);
    const ids = [...(request.scope.answerIds ?? [])];
    const texts = ids.map((id) => TEXTS[Number(id.split('\u001fr')[1]) - 1]);
    const computed = computeAgreement({ ids, texts }, this.codings(), request);
    const { requestId } = request;
    emit({ type: 'progress', requestId, phase: 'answer-level', done: 0, total: 1 });
    emit({
      type: 'result',
      requestId,
      result: {
        table: computed.table,
        groups: computed.groups,
        scope: { questions: 1, answersRead: ids.length, answersInScope: ids.length, answersCompared: ids.length, sample: null },
        queue: computed.queue,
        disagreements: computed.disagreements,
        timing: { loadMs: 1, computeMs: 1, ms: 2 },
      },
    });
    emit({ type: 'spans', requestId, result: { spans: computed.spans, spanMs: 1, ms: 3 } });
  }

  terminate() {}
}

function round(number: number, answers: number[], versionId: string): Round {
  return {
    projectId: PID,
    id: `round-${number}`,
    number,
    name: number === 1 ? 'Pilot' : 'Main',
    createdAt: number,
    createdBy: 'ana',
    sample: { size: { kind: 'count', count: answers.length }, seed: 1, questionIds: [], waveIds: [], strata: [] },
    answerIds: answers.map(a),
    codebookVersionId: versionId,
    coderIds: ['ana', 'ben'],
  };
}

/**
 * Version 1: Challenges, Time, Workload. Then Time was merged into Workload (its codings moved) and
 * Workload's definition sharpened: version 2. Round 1 drew answers 1–12, round 2 answers 13–24.
 */
async function setup(stored: Partial<Record<1 | 2, RoundAgreement>> = {}, storeComputed = false) {
  const v1Codes = [code('cha', 'Challenges', null, 0), code('tim', 'Time', 'cha', 0), code('wor', 'Workload', 'cha', 1)];
  const nowCodes = [code('cha', 'Challenges', null, 0), code('wor', 'Workload', 'cha', 0, { mergedFromIds: ['tim'], definition: 'Sharper.' })];
  const v1: CodebookVersion = { projectId: PID, id: 'v1', number: 1, label: 'Pilot', createdAt: 1, createdBy: 'ana', codes: versioned(v1Codes) };
  const v2: CodebookVersion = { projectId: PID, id: 'v2', number: 2, label: '', createdAt: 2, createdBy: 'ana', codes: versioned(nowCodes) };
  const codings: Coding[] = [];
  let n = 0;
  const add = (answer: number, coderId: string, codeId: string) =>
    codings.push({ projectId: PID, id: `k${++n}`, answerId: a(answer), codeId, coderId, start: null, end: null, createdAt: 1 });
  // Round 1: Workload agreed on 1–4, disputed on 5–7. Round 2: agreed on 13–18, disputed on 19.
  for (const i of [1, 2, 3, 4, 13, 14, 15, 16, 17, 18]) {
    add(i, 'ana', 'wor');
    add(i, 'ben', 'wor');
  }
  for (const i of [5, 6, 7, 19]) add(i, 'ana', 'wor');
  const db = database();
  await db.codes.bulkAdd(nowCodes);
  await db.coders.bulkAdd([ANA, BEN].map((c): Coder => ({ projectId: PID, ...c })));
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list })));
  const withStored = (r: Round): Round => (stored[r.number as 1 | 2] ? { ...r, agreement: stored[r.number as 1 | 2] } : r);
  await saveRound(db, withStored(round(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'v1')), v1);
  await saveRound(db, withStored(round(2, [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], 'v2')), v2);
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(PID);
  const worker = new FakeWorker(() => [...workspace.index.all()]);
  const agreement = new AgreementState(workspace, () => worker);
  const hooked: { roundId: string; coderIds: string[]; computed: RoundComputation; options?: { quiet?: boolean } }[] = [];
  agreement.onRoundComputed = (roundId, coderIds, computed, options) => {
    hooked.push({ roundId, coderIds, computed, options });
    if (!storeComputed) return false;
    // As RoundsState.recordAgreement does, on the version in force (version 2: today's codebook).
    const agreementRecord = roundAgreementRecord(computed.table, { computedAt: Date.UTC(2026, 11, 6, 9), codebookVersionId: 'v2', ...computed });
    return saveRoundAgreement(database(), PID, roundId, () => ({ agreement: agreementRecord })).then((saved) => saved !== null);
  };
  render(RoundsCompared, { projectId: PID, workspace, agreement, createWorker: () => worker });
  return { worker, user: userEvent.setup(), hooked };
}

describe('RoundsCompared', () => {
  beforeEach(async () => {
    PID = `rounds-project-${++projectCount}`;
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  it('computes each round on its own answers, one after another, and shows α per code per round with the changes between', async () => {
    const { worker, user } = await setup();
    const section = await screen.findByTestId('rounds-compared');
    await user.click(within(section).getByTestId('rounds-run'));
    await waitFor(() => expect(within(section).getAllByTestId('rounds-row')).toHaveLength(2));

    const computes = worker.posted.filter((m): m is AgreementComputeRequest => m.type === 'compute');
    expect(computes.map((m) => m.scope.answerIds?.length)).toEqual([12, 12]);
    expect(computes[0].scope).toMatchObject({ questionId: null, waveId: null, attributes: {}, sample: null });
    expect(computes[0].scope.answerIds?.[0]).toBe(a(1));
    expect(computes[1].scope.answerIds?.[0]).toBe(a(13));
    expect(computes.map((m) => [m.coderIds, m.codeIds, m.bootstrapSamples])).toEqual([
      [['ana', 'ben'], ['cha', 'wor'], 0],
      [['ana', 'ben'], ['cha', 'wor'], 0],
    ]);
    // The passages of each round are not waited for: the worker is told to stop after the table.
    expect(worker.posted.filter((m) => m.type === 'cancel').map((m) => m.requestId)).toEqual(computes.map((m) => m.requestId));

    const workload = within(section)
      .getAllByTestId('rounds-row')
      .find((row) => row.querySelector('th')!.title === 'Challenges › Workload')!;
    const cells = within(workload).getAllByTestId('rounds-alpha');
    // Round 1: 4 agreed, 3 only Ana, 5 neither: α = 1 − 23·3 / (11·13); round 2: 6, 1, 5: α = 1 − 23 / (13·11).
    expect(cells.map((td) => td.firstChild!.textContent!.trim())).toEqual([(1 - 69 / 143).toFixed(3), (1 - 23 / 143).toFixed(3)]);
    // Round 1 carries note 1: Time was still a code of its own then.
    expect(cells.map((td) => td.querySelector('sup')?.textContent ?? null)).toEqual(['1', null]);
    expect(within(section).getByTestId('rounds-notes')).toHaveTextContent(
      'Challenges › Workload, Round 1 (Pilot): “Challenges › Time” was a separate code then (merged into this one in version 2).',
    );
    expect(
      within(section)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toContain('Merged “Challenges › Time” into “Challenges › Workload”');

    const planner = within(section).getByTestId('planner');
    expect(within(planner).getAllByTestId('planner-row')).toHaveLength(2);
    expect(within(planner).getByTestId('planner-method')).toHaveTextContent(/^Simulated 400 samples per size of two coders/);
    expect(within(planner).getByTestId('planner-total').textContent).toMatch(/Double-code about \d+ more answers/);
  });

  it('stops between rounds on Cancel', async () => {
    const { worker, user } = await setup();
    worker.auto = false;
    const section = await screen.findByTestId('rounds-compared');
    await user.click(within(section).getByTestId('rounds-run'));
    await within(section).findByTestId('rounds-cancel');
    await user.click(within(section).getByTestId('rounds-cancel'));
    expect(within(section).queryByTestId('rounds-table')).toBeNull();
    const first = worker.posted.find((m): m is AgreementComputeRequest => m.type === 'compute')!;
    expect(worker.posted.filter((m) => m.type === 'cancel').map((m) => m.requestId)).toEqual([first.requestId]);
    // A late answer to the cancelled request changes nothing.
    worker.answer(first);
    expect(worker.posted.filter((m) => m.type === 'compute')).toHaveLength(1);
    expect(within(section).queryByTestId('rounds-table')).toBeNull();
  });

  /** Round 1 as computed on 5 Dec 2026 with version 1, before Time was merged into Workload. */
  const pilotStored = (): RoundAgreement => ({
    computedAt: Date.UTC(2026, 11, 5, 12),
    coderIds: ['ana', 'ben'],
    codebookVersionId: 'v1',
    includeSubcodes: true,
    uncodedAs: 'absent',
    answers: 12,
    rows: [
      { codeId: 'cha', alpha: 0.7, kappa: 0.69, units: 12, prevalence: 0.4 },
      { codeId: 'tim', alpha: 0.61, kappa: 0.6, units: 12, prevalence: 0.2 },
      { codeId: 'wor', alpha: 0.5, kappa: 0.49, units: 12, prevalence: 0.3 },
    ],
  });
  const rowOf = (section: HTMLElement, path: string) =>
    within(section)
      .getAllByTestId('rounds-row')
      .find((row) => row.querySelector('th')!.title === path)!;
  const alphas = (row: HTMLElement) =>
    within(row)
      .getAllByTestId('rounds-alpha')
      .map((td) => td.firstChild!.textContent!.trim());

  it('shows a round as stored when computed, with a code merged since under the code it went into, and computes only the other round', async () => {
    const { worker, user, hooked } = await setup({ 1: pilotStored() });
    const section = await screen.findByTestId('rounds-compared');
    const run = await within(section).findByTestId('rounds-run');
    expect(run).toHaveTextContent('Compute the round not yet computed');
    await user.click(run);
    await waitFor(() => expect(within(section).getAllByTestId('rounds-row')).toHaveLength(3));

    // Only round 2 was computed; its computation went to the hook that stores it, quietly.
    const computes = worker.posted.filter((m): m is AgreementComputeRequest => m.type === 'compute');
    expect(computes.map((m) => m.scope.answerIds?.[0])).toEqual([a(13)]);
    expect(hooked.map((h) => [h.roundId, h.coderIds, h.options, h.computed.includeSubcodes, h.computed.uncodedAs])).toEqual([
      ['round-2', ['ana', 'ben'], { quiet: true }, true, 'absent'],
    ]);
    expect(
      within(section)
        .getAllByTestId('rounds-basis')
        .map((el) => el.textContent),
    ).toEqual(['as computed on 5 Dec 2026, codebook version 1', 'recomputed on today’s codings']);

    // Time, merged into Workload since, keeps round 1's stored α in a row of its own under Workload.
    const names = within(section)
      .getAllByTestId('rounds-row')
      .map((row) => row.querySelector('th')!.title);
    expect(names).toEqual(['Challenges', 'Challenges › Workload', 'Challenges › Time']);
    const time = rowOf(section, 'Challenges › Time');
    expect(alphas(time)).toEqual(['0.610', '—']);
    expect(within(time).getByTestId('rounds-gone')).toHaveTextContent(
      'Merged into “Challenges › Workload” in version 2; shown as the rounds measured it then.',
    );
    expect(alphas(rowOf(section, 'Challenges › Workload'))).toEqual(['0.500', (1 - 23 / 143).toFixed(3)]);
    expect(within(section).getByTestId('rounds-notes')).toHaveTextContent(
      'Challenges › Workload, Round 1 (Pilot): “Challenges › Time” was a separate code then (merged into this one in version 2; its own row follows).',
    );

    // Recompute all: both rounds on today's codings, where Time's codings sit under Workload.
    await user.click(within(section).getByTestId('rounds-recompute-all'));
    await waitFor(() =>
      expect(
        within(section)
          .getAllByTestId('rounds-basis')
          .map((el) => el.textContent),
      ).toEqual(['recomputed on today’s codings', 'recomputed on today’s codings']),
    );
    expect(worker.posted.filter((m) => m.type === 'compute')).toHaveLength(3);
    expect(within(section).getAllByTestId('rounds-row')).toHaveLength(2);
    expect(alphas(rowOf(section, 'Challenges › Workload'))).toEqual([(1 - 69 / 143).toFixed(3), (1 - 23 / 143).toFixed(3)]);

    // And back, without computing again.
    await user.click(within(section).getByTestId('rounds-show-stored'));
    expect(alphas(rowOf(section, 'Challenges › Workload'))[0]).toBe('0.500');
    expect(worker.posted.filter((m) => m.type === 'compute')).toHaveLength(3);
  });

  it('shows rounds that all have stored agreement at once, without computing, with the planner from the stored counts', async () => {
    const pilot = pilotStored();
    const main: RoundAgreement = {
      ...pilotStored(),
      codebookVersionId: 'v2',
      rows: [
        { codeId: 'cha', alpha: 0.9, kappa: 0.9, units: 12, prevalence: 0.5, pair: { bothPresent: 6, aOnly: 0, bOnly: 0, bothAbsent: 6 } },
        { codeId: 'wor', alpha: 0.84, kappa: 0.84, units: 12, prevalence: 0.3, pair: { bothPresent: 6, aOnly: 1, bOnly: 0, bothAbsent: 5 } },
      ],
    };
    const { worker } = await setup({ 1: pilot, 2: main });
    const section = await screen.findByTestId('rounds-compared');
    await within(section).findByTestId('rounds-table');
    expect(within(section).queryByTestId('rounds-run')).toBeNull();
    expect(alphas(rowOf(section, 'Challenges › Workload'))).toEqual(['0.500', '0.840']);
    expect(alphas(rowOf(section, 'Challenges › Time'))).toEqual(['0.610', '—']);
    expect(within(within(section).getByTestId('planner')).getAllByTestId('planner-row')).toHaveLength(2);
    expect(worker.posted.filter((m) => m.type === 'compute')).toHaveLength(0);
  });

  it('reads the rounds again once its computations were stored, and shows them as computed then', async () => {
    const { user } = await setup({ 1: pilotStored() }, true);
    const section = await screen.findByTestId('rounds-compared');
    await user.click(await within(section).findByTestId('rounds-run'));
    await waitFor(() =>
      expect(
        within(section)
          .getAllByTestId('rounds-basis')
          .map((el) => el.textContent),
      ).toEqual(['as computed on 5 Dec 2026, codebook version 1', 'as computed on 6 Dec 2026, codebook version 2']),
    );
    expect(within(section).queryByTestId('rounds-run')).toBeNull();
  });
});
