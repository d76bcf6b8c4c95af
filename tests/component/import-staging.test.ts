/** The import preview while a new project's rows are staged in the background (import-staging.ts). */
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import ImportDialog from '../../src/ui/import/import-dialog.svelte';
import { ImportState, type WorkerLike } from '../../src/lib/state/import.svelte';
import type { FromImportWorker, StagingNotice, ToImportWorker } from '../../src/workers/import-protocol';

// jsdom has no <dialog> methods.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

/** A reply as a test writes it: the fake adds the id of the request it answers. */
type Reply = FromImportWorker extends infer T ? (T extends unknown ? Omit<T, 'requestId'> : never) : never;

class FakeWorker implements WorkerLike {
  sent: ToImportWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromImportWorker>) => void) | null = null;
  onerror?: ((event: Event) => void) | null;
  postMessage(message: ToImportWorker) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** Answers the last request sent. */
  reply(message: Reply) {
    const last = [...this.sent].reverse().find((m) => 'requestId' in m);
    const requestId = last && 'requestId' in last ? last.requestId : 0;
    this.onmessage?.({ data: { ...message, requestId } } as MessageEvent<FromImportWorker>);
    flushSync();
  }
  crash(message: string) {
    this.onerror?.({ type: 'error', message } as ErrorEvent);
    flushSync();
  }
}

function setup(project: { id: string; name: string } | null = null, target: string | null = null) {
  const workers: FakeWorker[] = [];
  let worker = new FakeWorker();
  const importer = new ImportState(() => {
    // A worker that has been stopped is never reused: each start gets a new one.
    if (worker.terminated) worker = new FakeWorker();
    workers.push(worker);
    return worker;
  });
  const file = new File(['x'], 'aimms-baseline.csv');
  importer.start(file, target);
  render(ImportDialog, { importer, project });
  return {
    get worker() {
      return worker;
    },
    workers,
    importer,
  };
}

const preview: Reply = {
  type: 'preview',
  readMs: 5,
  phases: { parse: 3, plan: 1 },
  problems: [],
  preview: {
    fileName: 'aimms-baseline.csv',
    format: 'qualtrics',
    encoding: 'utf-8',
    delimiter: ',',
    rowCount: 32,
    notes: ['Recognised a Qualtrics export.'],
    columns: [
      { index: 0, key: 'participant_id', label: 'Participant ID', samples: ['M01'], nonBlank: 32, distinct: 32, distinctCapped: false },
      { index: 1, key: 'role', label: 'Role', samples: ['mentor', 'mentee'], nonBlank: 32, distinct: 2, distinctCapped: false },
      { index: 2, key: 'Q1', label: 'What do you expect?', samples: ['<script>alert(1)</script> to learn'], nonBlank: 30, distinct: 30, distinctCapped: false },
    ],
  },
  plan: {
    waveName: 'Baseline',
    columns: [
      { index: 0, role: 'id', name: 'participant_id', label: 'Participant ID', reason: 'unique values' },
      { index: 1, role: 'attribute', name: 'role', label: 'Role', reason: 'few distinct values' },
      { index: 2, role: 'question', name: 'Q1', label: 'What do you expect?', reason: 'long, varied answers' },
    ],
  },
};

/** A staging notice as the worker sends it: no request id, stamped with the generation it was asked under. */
function notice(worker: FakeWorker, message: Omit<StagingNotice, 'type'>) {
  worker.onmessage?.({ data: { type: 'staging', ...message } } as MessageEvent<FromImportWorker>);
  flushSync();
}

const previewBody = () => screen.getByTestId('import-preview');

describe('the preview while the import is staged in the background', () => {
  it('asks the worker to stage a new project, and shows how far it got, quietly', () => {
    const { worker } = setup();
    const read = worker.sent[0] as Extract<ToImportWorker, { type: 'read' }>;
    expect(read.stage).toEqual(expect.any(Number));
    worker.reply(preview);
    expect(previewBody()).toHaveAttribute('data-staging', 'off');
    notice(worker, { generation: read.stage!, state: 'storing', done: 2, total: 5 });
    expect(previewBody()).toHaveAttribute('data-staging', 'storing');
    expect(screen.getByTestId('import-staging').textContent).toMatch(/Storing in the background: 40 %/);
    notice(worker, { generation: read.stage!, state: 'stored', done: 5, total: 5 });
    expect(previewBody()).toHaveAttribute('data-staging', 'stored');
    expect(screen.getByTestId('import-staging').textContent).toMatch(/ready to import/);
    // Nothing is a project yet: the preview says so, as before.
    expect(screen.getByText(/Nothing is added to your projects until you import/)).toBeInTheDocument();
  });

  it('restages a changed plan, ignores news of the old one, and needs no restaging for a new name', async () => {
    const { worker } = setup();
    const read = worker.sent[0] as Extract<ToImportWorker, { type: 'read' }>;
    worker.reply(preview);
    notice(worker, { generation: read.stage!, state: 'stored', done: 5, total: 5 });
    await userEvent.selectOptions(within(screen.getAllByTestId('column-row')[1]).getByTestId('column-role'), 'question');
    const validate = worker.sent.at(-1) as Extract<ToImportWorker, { type: 'validate' }>;
    expect(validate.type).toBe('validate');
    expect(validate.stage).toBeGreaterThan(read.stage!);
    notice(worker, { generation: read.stage!, state: 'stored', done: 5, total: 5 });
    notice(worker, { generation: validate.stage!, state: 'storing', done: 0, total: 5 });
    expect(previewBody()).toHaveAttribute('data-staging', 'storing');
    // A late word about the old plan changes nothing.
    notice(worker, { generation: read.stage!, state: 'stored', done: 5, total: 5 });
    expect(previewBody()).toHaveAttribute('data-staging', 'storing');
    const sentBefore = worker.sent.length;
    await userEvent.type(screen.getByTestId('import-project-name'), ' renamed');
    expect(worker.sent.length).toBe(sentBefore);
  });

  it('stages nothing for an existing project, and starts staging when a new project is chosen', async () => {
    const { worker } = setup({ id: 'p1', name: 'Study' }, 'p1');
    const read = worker.sent[0] as Extract<ToImportWorker, { type: 'read' }>;
    expect(read.stage).toBeUndefined();
    worker.reply(preview);
    expect(previewBody()).toHaveAttribute('data-staging', 'off');
    await userEvent.click(screen.getByTestId('import-target-new'));
    const validate = worker.sent.at(-1) as Extract<ToImportWorker, { type: 'validate' }>;
    expect(validate).toMatchObject({ type: 'validate' });
    expect(validate.stage).toEqual(expect.any(Number));
    notice(worker, { generation: validate.stage!, state: 'storing', done: 1, total: 4 });
    expect(previewBody()).toHaveAttribute('data-staging', 'storing');
    await userEvent.click(screen.getByTestId('import-target-existing'));
    expect(worker.sent.at(-1)).toMatchObject({ type: 'validate', stage: undefined });
    expect(previewBody()).toHaveAttribute('data-staging', 'off');
  });

  it('tells the worker to throw the staging away when the preview is closed', async () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(worker.sent.at(-1)).toEqual({ type: 'discard' });
    expect(importer.phase).toBe('idle');
  });

  it("shows a staging's progress as the import's while Import waits for it", async () => {
    const { worker } = setup();
    worker.reply(preview);
    await userEvent.click(screen.getByTestId('import-commit'));
    worker.reply({ type: 'progress', phase: 'Storing', done: 3, total: 4 });
    expect(screen.getByTestId('import-progress').textContent).toMatch(/Storing… 75%/);
  });
});
