import { describe, expect, it } from 'vitest';
import { AgreementState, type AgreementSource, type AgreementWorkerLike } from '../../src/lib/state/agreement.svelte';
import { CONSENSUS_CODER_ID, type Code, type Coder } from '../../src/lib/model/types';
import type { AgreementAnswerLevel, FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';
import { computeAgreement } from '../../src/lib/agreement/compute-request';

const code = (id: string, parentId: string | null, order: number): Code => ({
  projectId: 'p',
  id,
  parentId,
  name: id.toUpperCase(),
  color: '#123456',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order,
});
const coder = (id: string, name: string): Coder => ({ projectId: 'p', id, name, color: '#654321' });

function setup() {
  const source: AgreementSource = {
    codes: [code('b', null, 1), code('a', null, 0), code('a1', 'a', 0), code('a11', 'a1', 0)],
    coders: [coder(CONSENSUS_CODER_ID, 'Consensus'), coder('ana', 'Ana'), coder('ben', 'Ben'), coder('cy', 'Cy')],
  };
  const posted: ToAgreementWorker[] = [];
  let created = 0;
  const worker: AgreementWorkerLike = { postMessage: (m) => posted.push(m), terminate: () => {}, onmessage: null };
  const state = new AgreementState(source, () => (created++, worker));
  state.prepare('p', 'q1');
  const emit = (data: FromAgreementWorker) => worker.onmessage?.({ data } as MessageEvent<FromAgreementWorker>);
  return { state, posted, emit, worker, created: () => created };
}

function answerLevel(): AgreementAnswerLevel {
  const computed = computeAgreement({ ids: ['x'], texts: ['text'] }, [], {
    coderIds: ['ana', 'ben'],
    codeIds: ['a'],
    uncodedAs: 'absent',
    spanThreshold: 0.5,
    bootstrapSamples: 0,
  });
  return {
    table: computed.table,
    groups: computed.groups,
    queue: computed.queue,
    disagreements: computed.disagreements,
    scope: { questions: 1, answersRead: 1, answersInScope: 1, answersCompared: 1, sample: null },
    timing: { loadMs: 1, computeMs: 1, ms: 2 },
  };
}

describe('AgreementState', () => {
  it('defaults to the first two coders other than the consensus, every top-level code with its subtree, the open question', () => {
    const { state } = setup();
    expect(state.coders.map((c) => c.id)).toEqual(['ana', 'ben', 'cy', CONSENSUS_CODER_ID]);
    expect(state.chosenCoderIds).toEqual(['ana', 'ben']);
    expect(state.chosenCodeIds).toEqual(['a', 'b']);
    expect(state.codeGroups).toEqual([{ codeId: 'a', memberIds: ['a', 'a1', 'a11'] }]);
    expect(state.options).toMatchObject({ questionId: 'q1', uncodedAs: 'absent', spanThreshold: 0.5, bootstrapSamples: 1000, sample: false });
  });

  it('compares codes alone without subcodes, and keeps tree order whatever the order of choice', () => {
    const { state } = setup();
    state.options.includeSubcodes = false;
    state.setCode('a1', true);
    state.setCode('b', false);
    expect(state.chosenCodeIds).toEqual(['a', 'a1']);
    expect(state.codeGroups).toEqual([]);
    state.selectCodes('all');
    expect(state.chosenCodeIds).toEqual(['a', 'a1', 'a11', 'b']);
  });

  it('says what stops a run', () => {
    const { state, posted } = setup();
    state.setCoder('ben', false);
    expect(state.problem).toBe('Choose at least two coders.');
    state.run('p');
    expect(posted).toEqual([]);
    state.setCoder('cy', true);
    state.options.spanThreshold = 2;
    expect(state.problem).toBe('The overlap threshold must lie between 0 and 1.');
    state.options.spanThreshold = 0.5;
    state.options.sample = true;
    state.options.sampleSize = 0;
    expect(state.problem).toMatch(/sample needs a whole number/);
  });

  it('sends plain data, keeps the table when it comes, then adds the passages', () => {
    const { state, posted, emit, created } = setup();
    state.run('p');
    expect(created()).toBe(1);
    expect(structuredClone(posted[0])).toEqual(posted[0]);
    expect(state.running).toBe(true);
    emit({ type: 'result', requestId: 1, result: answerLevel() });
    expect(state.spans).toBeNull();
    expect(state.result?.request.requestId).toBe(1);
    expect(state.running).toBe(true);
    expect(state.progress?.phase).toBe('span-level');
    const result = state.result;
    emit({ type: 'spans', requestId: 1, result: { spans: [], spanMs: 1, ms: 3 } });
    expect(state.spans).toEqual({ requestId: 1, rows: [], spanMs: 1, ms: 3 });
    // The table's result is the same object: nothing built from it is rebuilt.
    expect(state.result).toBe(result);
    expect(state.running).toBe(false);
  });

  it('ignores what an older request still sends, and reuses one worker', () => {
    const { state, posted, emit, created } = setup();
    state.run('p');
    state.cancel();
    state.run('p');
    expect(posted.map((m) => [m.type, m.requestId])).toEqual([
      ['compute', 1],
      ['cancel', 1],
      ['compute', 2],
    ]);
    emit({ type: 'result', requestId: 1, result: answerLevel() });
    expect(state.result).toBeNull();
    emit({ type: 'result', requestId: 2, result: answerLevel() });
    expect(state.result).not.toBeNull();
    expect(created()).toBe(1);
  });

  it('stops the spinner with a message when the worker crashes, and runs the next comparison in a new worker', () => {
    const { state, posted, worker, created } = setup();
    state.run('p');
    worker.onerror?.({ type: 'error', message: 'Uncaught RangeError: Invalid array length' } as ErrorEvent);
    expect(state.running).toBe(false);
    expect(state.progress).toBeNull();
    expect(state.error).toBe('The agreement worker stopped unexpectedly (Uncaught RangeError: Invalid array length). Run the comparison again.');
    state.run('p');
    expect(created()).toBe(2);
    expect(posted.at(-1)).toMatchObject({ type: 'compute' });
    expect(state.running).toBe(true);
  });

  it('starts from the defaults when another project opens, and keeps the choices for the same one', () => {
    const { state } = setup();
    state.options.uncodedAs = 'missing';
    state.prepare('p', 'q2');
    expect(state.options.uncodedAs).toBe('missing');
    state.prepare('other', 'q9');
    expect(state.options).toMatchObject({ uncodedAs: 'absent', questionId: 'q9' });
  });

  it('has nothing to export before a result, and names files and coders once there is one', () => {
    const { state, emit } = setup();
    expect(state.tableCsv()).toBeNull();
    state.run('p');
    emit({ type: 'result', requestId: 1, result: answerLevel() });
    expect(state.tableCsv()).toMatchObject({ filename: 'codebench-agreement.csv', mime: 'text/csv;charset=utf-8' });
    expect(state.tableCsv()!.text.split('\r\n')[1]).toMatch(/^A,1,1,0,0,0,1,/);
    expect(state.tableMarkdown()!.filename).toBe('codebench-agreement.md');
    expect(state.disagreementsCsv({ question: (id) => id, wave: (id) => id })!.text).toBe('Respondent,Question key,Question,Wave,Code,Ana,Ben,Answer id\r\n');
  });

  it('records the scope in the exports and names them after the project and the round', () => {
    const { state, emit } = setup();
    state.run('p');
    emit({ type: 'result', requestId: 1, result: answerLevel() });
    const context = {
      projectName: 'AIMMS mentoring',
      questions: [{ id: 'q1', key: 'Q1', label: 'Why?' }],
      waves: [{ id: 'w1', name: 'Baseline' }],
      round: { name: 'Main', number: 2, seed: 7, size: 1 },
      codebookVersion: { number: 3, label: 'After pilot' },
      appVersion: '9.9.9',
      now: new Date('2026-12-05T12:00:00Z'),
    };
    const record = state.scopeRecord(context)!;
    expect(record).toMatchObject({
      project: 'AIMMS mentoring',
      coders: ['Ana', 'Ben'],
      round: { name: 'Main', number: 2, seed: 7, size: 1 },
      codebookVersion: { number: 3, label: 'After pilot' },
      uncodedAs: 'absent',
      date: '2026-12-05T12:00:00.000Z',
      appVersion: '9.9.9',
      sample: null,
    });
    const csv = state.tableCsv(context)!;
    expect(csv.filename).toBe('AIMMS-mentoring-round-2-Main-agreement.csv');
    expect(csv.text).toContain('# Round: 2 (Main): sample of 1 answers, seed 7\r\n');
    expect(csv.text).toContain('# Codebook version: 3 (After pilot)\r\n');
    expect(state.tableMarkdown(context)!.filename).toBe('AIMMS-mentoring-round-2-Main-agreement.md');
    expect(state.disagreementsCsv({ question: (id) => id, wave: (id) => id }, context)!.filename).toBe('AIMMS-mentoring-round-2-Main-disagreements.csv');
  });
});
