/**
 * The assistant on the page (AssistantState) with a fake worker: what it sends (the current coder's codings only,
 * whatever others coded; no peer while blind), which suggestions it shows (none on answers the coder has coded,
 * none rejected), and that accepting stores codings marked `suggested` as one undoable change.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { ProjectState } from '../../src/lib/state/project.svelte';
import { AssistantState, thresholdFor } from '../../src/lib/state/assistant.svelte';
import { openWorkspace } from './open-workspace';
import type { AssistantQualityRequest, AssistantSuggestRequest, FromAssistantWorker, ToAssistantWorker } from '../../src/workers/assistant-protocol';
import type { WorkerLike } from '../../src/workers/worker-client';

const BEA = { id: 'bea', name: 'Bea', color: '#a63d24' };
const RESPONDENTS = Array.from({ length: 30 }, (_, i) => `r${i + 1}`);

async function setup() {
  localStorage.clear();
  const db = database();
  await db.delete();
  await db.open();
  const { projectId } = await commitImport(db, smallBatch('Baseline', RESPONDENTS), { kind: 'new', name: 'Pilot' }, { fileName: 'a.csv', format: 'generic' });
  const project = new ProjectState(() => db);
  await project.open(projectId);
  const q1 = project.questionId!;
  const base = project.overview!.waves[0].id;
  const code = (id: string, order: number): Code => ({
    projectId,
    id,
    parentId: null,
    name: id,
    color: '#336699',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  });
  await db.codes.bulkPut([code('c1', 0), code('c2', 1)]);
  await db.coders.bulkPut([
    { projectId, id: 'ada', name: 'Ada', color: '#2454a6' },
    { projectId, ...BEA },
  ]);
  const coding = (id: string, respondent: string, codeId: string, coderId: string): Coding => ({
    projectId,
    id,
    answerId: answerId(q1, base, respondent),
    codeId,
    coderId,
    start: null,
    end: null,
    createdAt: 1,
  });
  // Bea (the coder here) codes r1–r12, alternating codes; Ada codes r1–r20 with c2.
  const codings = [
    ...RESPONDENTS.slice(0, 12).map((r, i) => coding(`b${i}`, r, i % 2 ? 'c2' : 'c1', 'bea')),
    ...RESPONDENTS.slice(0, 20).map((r, i) => coding(`a${i}`, r, 'c2', 'ada')),
  ];
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  const { workspace } = await openWorkspace(db, projectId, BEA);
  await workspace.whenLoaded();
  const posted: ToAssistantWorker[] = [];
  const worker: WorkerLike<ToAssistantWorker, FromAssistantWorker> = { postMessage: (m) => posted.push(m), terminate: () => {}, onmessage: null };
  const coder = { current: BEA } as unknown as ConstructorParameters<typeof AssistantState>[2];
  const assistant = new AssistantState(project, workspace, coder, () => worker);
  assistant.open(projectId);
  const emit = (reply: FromAssistantWorker) => worker.onmessage?.({ data: reply } as MessageEvent<FromAssistantWorker>);
  const positionOf = (respondent: string) => project.answers!.respondentIds.indexOf(respondent);
  return { projectId, q1, base, project, workspace, assistant, posted, emit, positionOf };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the assistant on the page', () => {
  beforeEach(() => localStorage.clear());

  it('stays off until turned on, then sends only the current coder’s codings, whatever other coders coded', async () => {
    const { assistant, posted, projectId, q1 } = await setup();
    assistant.refresh(0);
    await tick();
    expect(posted).toEqual([]);
    assistant.setEnabled(true);
    await tick();
    const request = posted.find((m): m is AssistantSuggestRequest => m.type === 'suggest')!;
    expect(request).toMatchObject({ projectId, questionId: q1, codeIds: ['c1', 'c2'] });
    expect(request.labelled.answerIds).toHaveLength(12);
    // Alternating c1, c2 by Bea; Ada's c2 on every one of them is not there.
    const codesByRespondent = new Map(request.labelled.answerIds.map((id, i) => [id.split('\u001f')[2], request.labelled.codes[i]]));
    expect(codesByRespondent.get('r1')).toEqual([0]);
    expect(codesByRespondent.get('r2')).toEqual([1]);
    // Remembered for the project on this machine.
    expect(localStorage.getItem(`codebench:assistant:${projectId}`)).toBe('on');
  });

  it('waits, saying so, until the coder has coded enough answers', async () => {
    const { assistant, posted } = await setup();
    (assistant as unknown as { labelled: () => unknown }).labelled = () => ({ answerIds: ['x'], codes: [[0]] });
    assistant.setEnabled(true);
    await tick();
    expect(posted.filter((m) => m.type === 'suggest')).toEqual([]);
    expect(assistant.status).toEqual({ kind: 'waiting', coded: 1 });
  });

  it('shows suggestions only on answers the coder has not coded and has not rejected; accepting stores codings marked suggested', async () => {
    const { assistant, posted, emit, positionOf, workspace, project } = await setup();
    assistant.setEnabled(true);
    await tick();
    const request = posted.find((m): m is AssistantSuggestRequest => m.type === 'suggest')!;
    const n = project.answers!.texts.length;
    const probabilities = new Float32Array(n * 2);
    const decisions = new Uint8Array(n * 2);
    for (let p = 0; p < n; p++) {
      probabilities[p * 2] = 0.9;
      decisions[p * 2] = 1;
    }
    emit({
      type: 'suggestions',
      requestId: request.requestId,
      questionId: request.questionId,
      answerCount: n,
      codeIds: ['c1', 'c2'],
      probabilities,
      decisions,
      trained: Uint8Array.from([1, 1]),
      exclusive: true,
      trainedOn: 12,
      queue: Int32Array.from([positionOf('r25'), positionOf('r14')]),
      queueRandom: Uint8Array.from([1, 0]),
      timing: { readMs: 0, featuresMs: 0, trainMs: 0, predictMs: 0 },
    });
    expect(assistant.status).toEqual({ kind: 'ready' });
    // Coded by Bea: nothing to suggest. Coded by Ada only: still Bea's to code.
    expect(assistant.suggestionsAt(positionOf('r1'))).toEqual([]);
    expect(assistant.suggestionsAt(positionOf('r15'))).toEqual([{ codeId: 'c1', probability: expect.closeTo(0.9, 5) }]);
    const ranks = assistant.queueRanks()!;
    expect(ranks.ranks[positionOf('r25')]).toBe(0);
    expect(ranks.ranks[positionOf('r14')]).toBe(1);
    expect(ranks.ranks[positionOf('r3')]).toBe(2);
    expect(ranks.random[positionOf('r25')]).toBe(1);

    const r16 = project.answers!.respondentIds.indexOf('r16');
    const id16 = workspace.index.all().next().value!.answerId.replace(/r\d+$/, 'r16');
    assistant.reject(id16, r16);
    expect(assistant.suggestionsAt(r16)).toEqual([]);

    const id15 = id16.replace(/r16$/, 'r15');
    expect(await assistant.accept(id15, positionOf('r15'))).toBe(true);
    const mine = workspace.codingsOf(id15).filter((c) => c.coderId === 'bea');
    expect(mine).toMatchObject([{ codeId: 'c1', suggested: true, start: null, end: null }]);
    expect(assistant.suggestionsAt(positionOf('r15'))).toEqual([]);
    await workspace.undo();
    expect(workspace.codingsOf(id15).filter((c) => c.coderId === 'bea')).toEqual([]);
  });

  it('can learn from the Final set instead (without the Assistant’s own codings), but never while blind', async () => {
    const { assistant, posted, workspace, q1, base } = await setup();
    // Pre-coded by the Assistant: never learned from as if it were the Final set.
    expect(await workspace.precode(new Map([['c1', [answerId(q1, base, 'r25')]]]))).toBe(true);
    assistant.finalInputs = () => ({ rounds: [], primaryCoderId: 'bea' });
    assistant.setEnabled(true);
    assistant.setSource('final');
    await tick();
    const request = posted.filter((m): m is AssistantSuggestRequest => m.type === 'suggest').at(-1)!;
    // r1–r12: both coded, Final follows the primary (Bea); r13–r20: Ada's alone.
    expect(request.labelled.answerIds).toHaveLength(20);
    const codesOf = new Map(request.labelled.answerIds.map((id, i) => [id.split('\u001f')[2], request.labelled.codes[i]]));
    expect(codesOf.get('r1')).toEqual([0]);
    expect(codesOf.get('r2')).toEqual([1]);
    expect(codesOf.get('r15')).toEqual([1]);
    expect(codesOf.has('r25')).toBe(false);
    workspace.setBlind(true);
    expect(assistant.effectiveSource).toBe('coder');
    assistant.refresh(0);
    await tick();
    const blind = posted.filter((m): m is AssistantSuggestRequest => m.type === 'suggest').at(-1)!;
    expect(blind.labelled.answerIds).toHaveLength(12);
  });

  it('measures against another person only when not blind', async () => {
    const { assistant, posted, workspace } = await setup();
    assistant.measure();
    const open = posted.find((m): m is AssistantQualityRequest => m.type === 'quality')!;
    expect(open.peer).toMatchObject({ coderName: 'Ada' });
    expect(open.peer!.answerIds).toHaveLength(12);
    workspace.setBlind(true);
    assistant.measure();
    const blind = posted.filter((m): m is AssistantQualityRequest => m.type === 'quality').at(-1)!;
    expect(blind.peer).toBeNull();
    expect(blind.labelled.answerIds).toHaveLength(12);
  });
});

describe('thresholdFor', () => {
  it('is the lowest threshold whose precision holds the target: the largest coverage at that precision', () => {
    const curve = [
      { threshold: 0.95, precision: 1, coverage: 0.2 },
      { threshold: 0.8, precision: 0.92, coverage: 0.5 },
      { threshold: 0.6, precision: 0.85, coverage: 0.7 },
      { threshold: 0.4, precision: 0.91, coverage: 0.9 },
      { threshold: 0.1, precision: 0.5, coverage: 1 },
    ];
    expect(thresholdFor(curve, 0.9)).toBe(0.4);
    expect(thresholdFor(curve, 0.95)).toBe(0.95);
    expect(thresholdFor(curve, 0.5)).toBe(0.1);
    expect(thresholdFor([{ threshold: 0.9, precision: 0.5, coverage: 1 }], 0.9)).toBeNull();
  });
});
