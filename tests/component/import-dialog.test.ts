import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import ImportDialog from '../../src/ui/import/import-dialog.svelte';
import { ImportState, type WorkerLike } from '../../src/lib/state/import.svelte';
import type { FromImportWorker, ToImportWorker } from '../../src/workers/import-protocol';

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

function setup() {
  const workers: FakeWorker[] = [];
  let worker = new FakeWorker();
  const importer = new ImportState(() => {
    // A worker that has been stopped is never reused: each start gets a new one.
    if (worker.terminated) worker = new FakeWorker();
    workers.push(worker);
    return worker;
  });
  const file = new File(['x'], 'aimms-baseline.csv');
  importer.start(file, null);
  render(ImportDialog, { importer, project: null });
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

describe('ImportDialog', () => {
  it('shows progress while reading, and cancelling stops the worker', async () => {
    const { worker, importer } = setup();
    expect(worker.sent[0]).toMatchObject({ type: 'read', fileName: 'aimms-baseline.csv' });
    worker.reply({ type: 'progress', phase: 'Parsing', done: 50, total: 100 });
    expect(screen.getByTestId('import-progress').textContent).toMatch(/Parsing… 50%/);
    await userEvent.click(screen.getByTestId('import-cancel'));
    expect(worker.terminated).toBe(true);
    expect(importer.notice).toMatch(/Nothing was stored/);
  });

  it('previews the columns, shows user text as text, and commits the edited plan', async () => {
    const { worker } = setup();
    worker.reply(preview);
    expect(screen.getByTestId('import-facts').textContent).toMatch(/Qualtrics export · UTF-8 .* 32 rows · 3 columns/);
    expect(screen.getByText('<script>alert(1)</script> to learn')).toBeInTheDocument();
    expect(document.querySelector('[data-testid="column-plan"] script')).toBeNull();

    const commit = screen.getByTestId('import-commit');
    expect(commit.textContent).toMatch(/Import 1 question from 32 rows/);
    const roleRow = screen.getAllByTestId('column-row')[1];
    await userEvent.selectOptions(within(roleRow).getByTestId('column-role'), 'question');
    expect(worker.sent.at(-1)).toMatchObject({ type: 'validate' });
    expect(commit.textContent).toMatch(/Import 2 questions/);

    await userEvent.clear(screen.getByTestId('import-project-name'));
    await userEvent.type(screen.getByTestId('import-project-name'), 'AIMMS');
    await userEvent.click(commit);
    const sent = worker.sent.at(-1) as Extract<ToImportWorker, { type: 'commit' }>;
    expect(sent.type).toBe('commit');
    expect(sent.target).toEqual({ kind: 'new', name: 'AIMMS' });
    expect(sent.plan.columns.map((c) => c.role)).toEqual(['id', 'question', 'question']);
  });

  it('keeps a single ID column when another is chosen', async () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    await userEvent.selectOptions(within(screen.getAllByTestId('column-row')[1]).getByTestId('column-role'), 'id');
    expect(importer.plan!.columns.map((c) => c.role)).toEqual(['attribute', 'id', 'question']);
  });

  it('lists problems and disables the import until they are fixed', async () => {
    const { worker } = setup();
    worker.reply({ ...preview, problems: ['Respondent "E07" appears twice in wave "Baseline" (rows 9 and 31).'] });
    expect(screen.getByTestId('import-problems').textContent).toMatch(/rows 9 and 31/);
    expect(screen.getByTestId('import-commit')).toBeDisabled();
    await userEvent.selectOptions(within(screen.getAllByTestId('column-row')[1]).getByTestId('column-role'), 'ignore');
    expect(worker.sent.at(-1)).toMatchObject({ type: 'validate' });
    worker.reply({ type: 'validation', problems: [] });
    expect(screen.getByTestId('import-commit')).toBeEnabled();
  });

  it('tells the worker to drop the parsed file when the preview is closed, and keeps it for the next file', async () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(worker.sent.at(-1)).toEqual({ type: 'discard' });
    expect(worker.terminated).toBe(false);
    expect(importer.phase).toBe('idle');
  });

  it('offers the sheets of a workbook and re-reads the chosen one', async () => {
    const { worker } = setup();
    worker.reply({ ...preview, preview: { ...preview.preview, encoding: 'xlsx', sheetNames: ['Baseline', '6 months'], sheetName: 'Baseline' } } as Reply);
    await userEvent.selectOptions(screen.getByTestId('import-sheet'), '6 months');
    expect(worker.sent.at(-1)).toMatchObject({ type: 'read', fileName: 'aimms-baseline.csv', sheet: '6 months' });
  });

  it('shows a read error with the reassurance that nothing was stored', () => {
    const { worker } = setup();
    worker.reply({ type: 'error', message: 'The file is empty.' });
    expect(screen.getByTestId('import-error').textContent).toBe('The file is empty.');
    expect(screen.getByText(/Nothing was stored/)).toBeInTheDocument();
  });

  it('asks the worker to roll back when cancelled while storing', async () => {
    vi.useFakeTimers();
    try {
      const { worker, importer } = setup();
      worker.reply(preview);
      importer.commit();
      flushSync();
      importer.cancel();
      expect(worker.sent.at(-1)).toEqual({ type: 'cancel' });
      expect(worker.terminated).toBe(false);
      worker.reply({ type: 'cancelled' });
      expect(worker.terminated).toBe(true);
      expect(importer.notice).toMatch(/Import cancelled/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves "Reading…" with a message when the worker crashes, and reads the next file in a new worker', async () => {
    const { worker, workers, importer } = setup();
    worker.reply({ type: 'progress', phase: 'Parsing', done: 50, total: 100 });
    worker.crash('Uncaught RangeError: Array buffer allocation failed');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.getByTestId('import-error').textContent).toBe(
      'The import worker stopped unexpectedly (Uncaught RangeError: Array buffer allocation failed). Choose the file again.',
    );
    expect(screen.getByText(/Nothing was stored/)).toBeInTheDocument();
    expect(importer.busy).toBe(false);
    importer.start(new File(['x'], 'again.csv'), null);
    expect(workers).toHaveLength(2);
    expect(workers[1].sent[0]).toMatchObject({ type: 'read', fileName: 'again.csv' });
  });

  it('ends a commit the worker dies in, instead of storing forever', async () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    importer.commit();
    flushSync();
    expect(importer.phase).toBe('committing');
    worker.crash('Uncaught DatabaseClosedError');
    expect(importer.phase).toBe('error');
    expect(importer.progress).toBeNull();
    expect(screen.getByTestId('import-error').textContent).toMatch(/^The import worker stopped unexpectedly \(Uncaught DatabaseClosedError\)/);
  });

  it('ends a preview whose worker died, since the parsed file went with it', () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    worker.crash('Uncaught Error: out of memory');
    expect(importer.phase).toBe('error');
    expect(screen.getByTestId('import-error').textContent).toBe(
      'The import worker stopped unexpectedly (Uncaught Error: out of memory). Choose the file again.',
    );
    expect(screen.queryByTestId('import-commit')).toBeNull();
  });
});
