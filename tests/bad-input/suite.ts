/**
 * The bad-input suite (issue 10 §5), shared by one test file per group of
 * cases (survey.test.ts, xlsx.test.ts, …): every case of cases.ts through the real
 * pipeline, on a database that already holds a coded project. A refused file
 * must say what is wrong and leave every store exactly as it was; an accepted
 * one must be stored right and leave the coded project exactly as it was.
 *
 * Cases marked `pending` wait for another part of issue 10 and are skipped;
 * see docs/bad-input.md for how to turn them on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, type BadInputCase, type Context } from './cases';
import { countRecords, dumpDatabase } from './dump';
import { ANA, codedProject, fixtureProjectText, importSurvey, loadCodebook, openExchangeFile, openRefiFile, type Outcome } from './pipeline';

/** Set BAD_INPUT_PENDING=all (or a comma list such as files,names) to run pending cases too. */
const RUN_PENDING = new Set(
  (process.env.BAD_INPUT_PENDING ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const runs = (c: BadInputCase) => !c.pending || RUN_PENDING.has('all') || RUN_PENDING.has(c.pending);

let projectText = '';

export async function runCase(c: BadInputCase, ctx: Context): Promise<Outcome> {
  const built = await c.build(ctx);
  const bytes = typeof built === 'string' ? new TextEncoder().encode(built) : built;
  const { db, projectId } = ctx.fixture;
  switch (c.pipeline) {
    case 'survey':
      return importSurvey(db, bytes, c.fileName, { kind: 'new', name: 'Imported survey' });
    case 'survey-wave':
      return importSurvey(db, bytes, c.fileName, { kind: 'existing', projectId }, 'Baseline');
    case 'project':
      return openExchangeFile(db, bytes, { kind: 'project' });
    case 'coder':
      return openExchangeFile(db, bytes, { kind: 'coder', projectId, localCoder: { id: ANA.id, name: ANA.name } });
    case 'codebook':
      return loadCodebook(db, projectId, typeof built === 'string' ? built : new TextDecoder().decode(bytes));
    case 'refi':
      return openRefiFile(db, projectId, bytes, c.fileName);
  }
}

/** The group of a case: the first word of its id ("survey", "xlsx", "project", "coder", "codebook", "refi"). */
export const groupOf = (c: BadInputCase) => c.id.split('-')[0];

/** One test per case of the group (skipped when pending), each on a fresh database holding the coded project. */
export function runGroup(group: string) {
  describe(group, () => {
    beforeAll(async () => {
      const fixture = await codedProject();
      projectText = await fixtureProjectText(fixture);
      fixture.db.close();
    });
    const cases = CASES.filter((k) => groupOf(k) === group);
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      const title = `${c.id}: ${c.input}${c.pending ? ` [pending: ${c.pending}]` : ''}`;
      (runs(c) ? it : it.skip)(title, async () => {
        const fixture = await codedProject();
        const ctx: Context = { fixture, projectText };
        try {
          const before = await dumpDatabase(fixture.db);
          const outcome = await runCase(c, ctx);
          const expectation = c.expect;
          if ('accepted' in expectation) {
            expect(outcome.kind, `expected the file to be accepted, but: ${outcome.message}`).toBe('accepted');
            if (expectation.message) expect(outcome.message).toMatch(expectation.message);
            await expectation.accepted(outcome, ctx);
            const project = await dumpDatabase(fixture.db, fixture.projectId);
            if (expectation.addsToProject) expectKept(filterProject(before, fixture.projectId), project);
            // Whatever was added elsewhere, the coded project is exactly as it was.
            else expect(project).toEqual(filterProject(before, fixture.projectId));
          } else {
            const [kind, pattern] =
              'refused' in expectation
                ? ['refused', expectation.refused]
                : 'asked' in expectation
                  ? ['asked', expectation.asked]
                  : ['problems', expectation.problems];
            expect(outcome.kind, `expected ${kind}, got ${outcome.kind}: ${outcome.message}`).toBe(kind);
            expect(outcome.message).toMatch(pattern);
            const after = await dumpDatabase(fixture.db);
            expect(countRecords(after)).toEqual(countRecords(before));
            expect(after).toEqual(before);
          }
        } finally {
          fixture.db.close();
        }
      });
    }
  });
}

function filterProject(dump: Record<string, unknown[]>, projectId: string): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(dump).map(([name, records]) => [
      name,
      records.filter((r) => (name === 'projects' ? (r as { id: string }).id : (r as { projectId: string }).projectId) === projectId),
    ]),
  );
}

/**
 * Everything the coded project held is still there, unchanged: every record of
 * every store (by its key) and every coding (coding pages are rewritten when a
 * merge adds to them); only the project's `updatedAt` and revision may move on (a change is a new revision).
 */
function expectKept(before: Record<string, unknown[]>, after: Record<string, unknown[]>) {
  const keyOf: Record<string, (r: Record<string, unknown>) => string> = {
    projects: (r) => String(r.id),
    attributes: (r) => String(r.name),
    respondentChunks: (r) => String(r.index),
    answerChunks: (r) => `${r.questionId}/${r.waveId}/${r.index}`,
    answerKeys: (r) => `${r.questionId}/${r.waveId}/${r.index}`,
    history: (r) => String(r.seq),
    resolutions: (r) => String(r.answerId),
  };
  for (const [name, records] of Object.entries(before)) {
    if (name === 'codingPages') continue;
    const key = keyOf[name] ?? ((r: Record<string, unknown>) => String(r.id));
    const now = new Map((after[name] as Record<string, unknown>[]).map((r) => [key(r), r]));
    for (const record of records as Record<string, unknown>[]) {
      const found = now.get(key(record));
      if (name === 'projects') expect({ ...found, updatedAt: 0, revision: '' }).toEqual({ ...record, updatedAt: 0, revision: '' });
      else expect(found, `${name} ${key(record)}`).toEqual(record);
    }
  }
  const codings = (dump: Record<string, unknown[]>) =>
    new Map((dump.codingPages as { codings: { id: string }[] }[]).flatMap((p) => p.codings).map((c) => [c.id, c]));
  const now = codings(after);
  for (const [id, coding] of codings(before)) expect(now.get(id), `coding ${id}`).toEqual(coding);
}
