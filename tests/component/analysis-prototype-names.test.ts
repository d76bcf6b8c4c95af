/**
 * The analysis worker's handler with attributes named like Object.prototype
 * members: crosstabs and the answers behind a cell group respondents by their
 * own values, and a respondent without one falls under the blank value.
 */
import { describe, expect, it } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Coding } from '../../src/lib/model/types';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequest, AnalysisRequestBody, CoderChoice } from '../../src/workers/analysis-protocol';

const ALL: CoderChoice = { kind: 'all' };

describe('analysis by attributes called "constructor" and "__proto__"', () => {
  it('cross-tabulates respondents by their own values', async () => {
    const db = freshDatabase();
    const batch = smallBatch('Baseline', ['r1', 'r2', 'r3'], { attributes: ['constructor', '__proto__'] });
    batch.respondents[0].attributes = Object.fromEntries([
      ['constructor', 'mentee'],
      ['__proto__', 'Uni A'],
    ]);
    batch.respondents[1].attributes = Object.fromEntries([['constructor', 'mentor']]);
    batch.respondents[2].attributes = {};
    const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'S' }, { fileName: 'a.csv', format: 'generic' });
    const overview = (await loadProjectOverview(db, projectId))!;
    const q1 = overview.questions[0].id;
    const wave = overview.waves[0].id;
    await db.codes.put({
      projectId,
      id: 'pay',
      parentId: null,
      name: 'toString',
      color: '#336699',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
    });
    await db.coders.put({ projectId, id: 'ana', name: 'valueOf', color: '#000000' });
    const codings: Coding[] = ['r1', 'r2', 'r3'].map((r, i) => ({
      projectId,
      id: `k${i}`,
      answerId: answerId(q1, wave, r),
      codeId: 'pay',
      coderId: 'ana',
      start: null,
      end: null,
      createdAt: 1,
    }));
    await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));

    const session = new AnalysisSession(db);
    let requestId = 0;
    const ask = async (body: AnalysisRequestBody) =>
      (await session.handle({ ...body, requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest)).message;

    let target: unknown;
    for (const [attribute, expected] of [
      [
        'constructor',
        [
          ['mentee', 1],
          ['mentor', 1],
          ['', 1],
        ],
      ],
      [
        '__proto__',
        [
          ['Uni A', 1],
          ['', 2],
        ],
      ],
    ] as const) {
      const message = await ask({
        type: 'crosstab',
        options: { targets: 'codes', attribute, unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null },
      });
      if (message.type !== 'result' || message.result.kind !== 'crosstab') throw new Error(JSON.stringify(message).slice(0, 300));
      expect(message.result.columns.map((c) => [c.value, c.answered])).toEqual(expected);
      target = message.result.rows[0].target;
    }

    const answers = await ask({
      type: 'answers',
      select: { kind: 'coded', target, attribute: { name: 'constructor', value: '' }, coders: ALL, questionId: null },
      offset: 0,
      limit: 10,
    } as unknown as AnalysisRequestBody);
    if (answers.type !== 'result' || answers.result.kind !== 'answers') throw new Error(JSON.stringify(answers).slice(0, 300));
    expect(answers.result.rows.map((r) => [r.respondentId, r.attributes])).toEqual([['r3', []]]);
  });
});
