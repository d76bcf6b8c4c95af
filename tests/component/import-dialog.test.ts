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

  it('stops the worker once the import is done, so its heap is not kept, and starts a new one for the next file', async () => {
    const session = setup();
    const { worker: first, importer } = session;
    first.reply(preview);
    await userEvent.click(screen.getByTestId('import-commit'));
    first.reply({
      type: 'done',
      summary: {
        projectId: 'p1',
        waveNames: ['Baseline'],
        respondentsAdded: 32,
        respondentsMatched: 0,
        answersAdded: 30,
        questionsAdded: 1,
        questionsMatched: 0,
      },
      buildMs: 1,
      storeMs: 1,
      phases: {},
    });
    expect(importer.summary?.projectId).toBe('p1');
    expect(first.terminated).toBe(true);
    importer.start(new File(['y'], 'aimms-6-month.csv'), null);
    expect(session.worker).not.toBe(first);
    expect(session.worker.sent.at(-1)).toMatchObject({ type: 'read', fileName: 'aimms-6-month.csv' });
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

/** A Google Forms file: no ID column, so the plan identifies respondents by row number and offers Email too. */
const formsPreview: Reply = {
  type: 'preview',
  readMs: 5,
  phases: {},
  problems: [],
  preview: {
    fileName: 'hotdog.csv',
    format: 'google-forms',
    encoding: 'utf-8',
    delimiter: ',',
    rowCount: 91,
    notes: [],
    columns: [
      { index: 0, key: 'Timestamp', label: 'Timestamp', samples: ['1/22/2024 14:05'], nonBlank: 91, distinct: 81, distinctCapped: false },
      { index: 1, key: 'Email Address', label: 'Email Address', samples: ['a@example.org'], nonBlank: 91, distinct: 91, distinctCapped: false },
      { index: 2, key: 'Why?', label: 'Why?', samples: ['It is bread around meat'], nonBlank: 90, distinct: 88, distinctCapped: false },
    ],
  },
  plan: {
    waveName: 'Wave 1',
    idSource: { kind: 'row-number' },
    idChoices: [
      {
        source: { kind: 'row-number' },
        label: 'Row number',
        reason: 'The file has no respondent ID. Row numbers join a later wave only if its file lists the same people in the same order.',
      },
      { source: { kind: 'combined', columns: [1] }, label: 'Email Address', reason: 'Every row has a different email address.' },
    ],
    columns: [
      { index: 0, role: 'ignore', name: 'Timestamp', label: 'Timestamp', reason: 'when the form was sent' },
      { index: 1, role: 'ignore', name: 'Email Address', label: 'Email Address', reason: 'personal data', personal: 'Email addresses' },
      { index: 2, role: 'question', name: 'Why?', label: 'Why?', reason: 'long, varied answers' },
    ],
  },
};

const idOption = (name: RegExp) => screen.getByRole('radio', { name });
const lastValidated = (worker: FakeWorker) => (worker.sent.at(-1) as Extract<ToImportWorker, { type: 'validate' }>).plan;

describe('ImportDialog: identifying respondents', () => {
  it('shows the row number as the proposed choice, with why, and imports in one click', async () => {
    const { worker } = setup();
    worker.reply(formsPreview);
    const group = screen.getByTestId('import-id-choice');
    expect(within(group).getByText('Identify respondents by')).toBeInTheDocument();
    expect(idOption(/^Row number$/)).toBeChecked();
    expect(idOption(/The column set to Respondent ID/)).not.toBeChecked();
    expect(screen.getByTestId('import-id-reason').textContent).toMatch(/same people in the same order/);

    const commit = screen.getByTestId('import-commit');
    expect(commit).toBeEnabled();
    expect(commit.textContent).toBe('Import 1 question from 91 rows');
    await userEvent.click(commit);
    const sent = worker.sent.at(-1) as Extract<ToImportWorker, { type: 'commit' }>;
    expect(sent.plan.idSource).toEqual({ kind: 'row-number' });
  });

  it('switches to an offered combination, shows its reason and re-validates', async () => {
    const { worker, importer } = setup();
    worker.reply(formsPreview);
    await userEvent.click(idOption(/^Email Address$/));
    expect(importer.plan!.idSource).toEqual({ kind: 'combined', columns: [1] });
    expect(lastValidated(worker).idSource).toEqual({ kind: 'combined', columns: [1] });
    expect(screen.getByTestId('import-id-reason').textContent).toBe('Every row has a different email address.');
    // Its values become the respondent IDs, so the summary no longer says it stays out.
    expect(screen.getByTestId('personal-summary').textContent).not.toMatch(/will not be imported: Email Address/);
    expect(screen.getByTestId('personal-summary').textContent).toMatch(/Email Address \(Respondent ID\)/);
  });

  it('identifies by a column once one is set to Respondent ID, and back by row number when it is given up', async () => {
    const { worker, importer } = setup();
    worker.reply(formsPreview);
    const timestampRow = screen.getAllByTestId('column-row')[0];
    await userEvent.selectOptions(within(timestampRow).getByTestId('column-role'), 'id');
    expect(importer.plan!.idSource).toEqual({ kind: 'column' });
    expect(lastValidated(worker).idSource).toEqual({ kind: 'column' });
    expect(idOption(/The column set to Respondent ID: Timestamp/)).toBeChecked();
    expect(screen.getByTestId('import-id-reason').textContent).toMatch(/values in “Timestamp”/);

    // The only ID column given up: the proposed row number comes back, so Import stays possible.
    await userEvent.selectOptions(within(timestampRow).getByTestId('column-role'), 'attribute');
    expect(importer.plan!.idSource).toEqual({ kind: 'row-number' });
    expect(idOption(/^Row number$/)).toBeChecked();
  });

  it('makes the ID column an attribute when respondents are identified another way', async () => {
    const { worker, importer } = setup();
    worker.reply({ ...preview, plan: { ...preview.plan, idChoices: formsPreview.plan.idChoices } } as Reply);
    expect(idOption(/The column set to Respondent ID: participant_id/)).toBeChecked();
    await userEvent.click(idOption(/^Row number$/));
    expect(importer.plan!.columns.map((c) => c.role)).toEqual(['attribute', 'attribute', 'question']);
    expect(lastValidated(worker).idSource).toEqual({ kind: 'row-number' });
  });

  it('without other choices, keeps the column choice when the ID column is given up, and the problems say what is missing', async () => {
    const { worker, importer } = setup();
    worker.reply(preview);
    expect(screen.queryByTestId('import-id-choice')).toBeNull();
    await userEvent.selectOptions(within(screen.getAllByTestId('column-row')[0]).getByTestId('column-role'), 'attribute');
    expect(importer.plan!.idSource ?? { kind: 'column' }).toEqual({ kind: 'column' });
    worker.reply({ type: 'validation', problems: ['Choose the column that holds the respondent ID: it links answers across questions and waves.'] });
    expect(screen.getByTestId('import-problems').textContent).toMatch(/Choose the column that holds the respondent ID/);
    expect(screen.getByTestId('import-commit')).toBeDisabled();
  });

  it('says in the group how to pick a column when none is set to Respondent ID', async () => {
    const { worker } = setup();
    worker.reply(formsPreview);
    await userEvent.click(idOption(/The column set to Respondent ID/));
    expect(screen.getByTestId('import-id-reason').textContent).toMatch(/choose one in the table below/);
  });
});

describe('ImportDialog: personal data', () => {
  const redcap: Reply = {
    ...preview,
    preview: {
      ...preview.preview,
      format: 'redcap',
      columns: [
        ...preview.preview.columns,
        { index: 3, key: 'email', label: 'email', samples: ['a@example.org'], nonBlank: 32, distinct: 32, distinctCapped: false },
        { index: 4, key: 'telephone', label: 'telephone', samples: ['(405) 321-1111'], nonBlank: 32, distinct: 32, distinctCapped: false },
      ],
    },
    plan: {
      ...preview.plan,
      columns: [
        ...preview.plan.columns,
        { index: 3, role: 'ignore', name: 'email', label: 'email', reason: 'email addresses identify people', personal: 'Email addresses' },
        { index: 4, role: 'ignore', name: 'telephone', label: 'telephone', reason: 'telephone numbers identify people', personal: 'Telephone numbers' },
      ],
    },
  } as Reply;

  it('flags each personal-data column with its kind and reason, and sums them up above the table', async () => {
    const { worker } = setup();
    worker.reply(redcap);
    const rows = screen.getAllByTestId('column-row');
    expect(within(rows[3]).getByTestId('personal-flag').textContent).toBe('Personal data: Email addresses');
    expect(within(rows[3]).getByText('email addresses identify people')).toBeInTheDocument();
    expect(within(rows[4]).getByTestId('personal-flag').textContent).toBe('Personal data: Telephone numbers');
    expect(within(rows[1]).queryByTestId('personal-flag')).toBeNull();
    expect(screen.getByTestId('personal-summary').textContent).toMatch(
      /2 columns hold personal data and will not be imported: email, telephone\. Choose a use for any you need\./,
    );
  });

  it('lets the user keep a personal-data column as an attribute, still flagged', async () => {
    const { worker, importer } = setup();
    worker.reply(redcap);
    const email = screen.getAllByTestId('column-row')[3];
    await userEvent.selectOptions(within(email).getByTestId('column-role'), 'attribute');
    expect(importer.plan!.columns[3].role).toBe('attribute');
    expect(lastValidated(worker).columns[3].role).toBe('attribute');
    expect(within(email).getByTestId('personal-flag')).toBeInTheDocument();
    const summary = screen.getByTestId('personal-summary').textContent;
    expect(summary).toMatch(/1 column holds personal data and will not be imported: telephone\./);
    expect(summary).toMatch(/Imported although it holds personal data: email \(Respondent attribute\)\./);
  });
});

describe('ImportDialog: unfinished responses', () => {
  const lime: Reply = {
    ...preview,
    preview: { ...preview.preview, format: 'limesurvey', rowCount: 6, incomplete: { count: 2, columnKey: 'submitdate', rule: 'no submit date' } },
  } as Reply;

  it('offers to import the unfinished responses, and the Import button counts the rows chosen', async () => {
    const { worker, importer } = setup();
    worker.reply(lime);
    const keep = screen.getByRole('checkbox', { name: 'Import the 2 unfinished responses (no submit date)' });
    expect(keep).toBeChecked();
    expect(screen.getByTestId('import-commit').textContent).toBe('Import 1 question from 6 rows');

    await userEvent.click(keep);
    expect(importer.plan!.keepIncomplete).toBe(false);
    expect(lastValidated(worker).keepIncomplete).toBe(false);
    expect(screen.getByTestId('import-commit').textContent).toBe('Import 1 question from 4 rows');

    await userEvent.click(keep);
    expect(importer.plan!.keepIncomplete).toBe(true);
    expect(screen.getByTestId('import-commit').textContent).toBe('Import 1 question from 6 rows');
  });

  it('starts unticked when the plan leaves them out, and commits that choice', async () => {
    const { worker } = setup();
    worker.reply({ ...lime, plan: { ...preview.plan, keepIncomplete: false } } as Reply);
    expect(screen.getByTestId('import-keep-incomplete')).not.toBeChecked();
    expect(screen.getByTestId('import-commit').textContent).toBe('Import 1 question from 4 rows');
    await userEvent.click(screen.getByTestId('import-commit'));
    expect((worker.sent.at(-1) as Extract<ToImportWorker, { type: 'commit' }>).plan.keepIncomplete).toBe(false);
  });

  it('shows no such choice for a file that does not mark unfinished responses', () => {
    const { worker } = setup();
    worker.reply(preview);
    expect(screen.queryByTestId('import-keep-incomplete')).toBeNull();
  });
});

describe('ImportDialog: facts and why Import is disabled', () => {
  it.each([
    ['qualtrics-legacy', 'Qualtrics legacy export'],
    ['redcap', 'REDCap export'],
    ['limesurvey', 'LimeSurvey export'],
  ] as const)('names the %s format', (format, name) => {
    const { worker } = setup();
    worker.reply({ ...preview, preview: { ...preview.preview, format } } as Reply);
    expect(screen.getByTestId('import-facts').textContent).toMatch(new RegExp(`^\\s*${name} · UTF-8`));
  });

  it('shows every column’s reason in full', () => {
    const { worker } = setup();
    const reason = 'few distinct values (2 in 32 rows), so read as something that describes the respondent rather than an answer to code';
    worker.reply({ ...preview, plan: { ...preview.plan, columns: preview.plan.columns.map((c) => (c.index === 1 ? { ...c, reason } : c)) } } as Reply);
    expect(within(screen.getAllByTestId('column-row')[1]).getByText(reason)).toBeVisible();
  });

  it('says to name the project when that is what stops the import', async () => {
    const { worker } = setup();
    worker.reply(preview);
    expect(screen.queryByTestId('import-blockers')).toBeNull();
    await userEvent.clear(screen.getByTestId('import-project-name'));
    expect(screen.getByTestId('import-commit')).toBeDisabled();
    expect(screen.getByTestId('import-blockers').textContent).toMatch(/Give the new project a name\./);
  });

  it('says plainly when the file has nothing to code, until a column is chosen as a question', async () => {
    const { worker } = setup();
    const nothingToCode = 'Nothing in "poll.csv" looks like typed answers to code: its columns hold choices.';
    worker.reply({
      ...preview,
      preview: { ...preview.preview, nothingToCode },
      plan: { ...preview.plan, columns: preview.plan.columns.map((c) => ({ ...c, role: c.role === 'question' ? 'attribute' : c.role })) },
      problems: ['Choose at least one question column: the open-text answers you want to code.'],
    } as Reply);
    expect(screen.getByTestId('import-nothing-to-code').textContent).toBe(nothingToCode);
    expect(screen.getByTestId('import-commit')).toBeDisabled();
    const rows = screen.getAllByTestId('column-row');
    await userEvent.selectOptions(within(rows[rows.length - 1]).getByTestId('column-role'), 'question');
    expect(screen.queryByTestId('import-nothing-to-code')).toBeNull();
  });
});
