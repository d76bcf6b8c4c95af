/**
 * The import worker's read path (readSource, proposePlan, validatePlan, the
 * preview's column summary, then buildBatch) on one file in Node, with CPU time
 * per step: a quick way to see proportions on a shared machine, where wall time
 * says little. Run under `node --cpu-prof` for a profile:
 *
 *   node --import tsx scripts/bench/import-cpu.ts FILE.csv [runs]
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { buildBatch, nothingToCodeNote, proposePlan, readSource, validatePlan } from '../../src/lib/import';
import { describeColumns } from '../../src/lib/import/describe-source';
import { answerText } from '../../src/lib/import/build-batch';

async function once(path: string) {
  const steps: Record<string, number> = {};
  let mark = process.cpuUsage();
  const lap = (name: string) => {
    const used = process.cpuUsage(mark);
    steps[name] = Math.round((used.user + used.system) / 1000);
    mark = process.cpuUsage();
  };
  const blob = await openAsBlob(path);
  const source = await readSource(blob, basename(path), { deferLongCells: process.env.DEFER !== '0' });
  lap('parse');
  const plan = proposePlan(source);
  lap('plan');
  const problems = validatePlan(source, plan);
  lap('validate');
  describeColumns(source);
  nothingToCodeNote(source, plan);
  lap('describe');
  let answers = 0;
  try {
    answers = buildBatch(source, plan).answers.reduce((n, g) => n + g.texts.length, 0);
  } catch (error) {
    console.log(String(error));
  }
  lap('build');
  // What the staging does before IndexedDB: the batch with deferred answers, then each chunk's texts made and dropped.
  try {
    for (const group of buildBatch(source, plan, { deferTexts: true }).answers) {
      for (let start = 0; start < group.texts.length; start += 1000) {
        const chunk: string[] = [];
        for (let i = start; i < Math.min(group.texts.length, start + 1000); i++) chunk.push(answerText(group, i));
      }
    }
  } catch {
    // Reported by the build above.
  }
  lap('stage');
  const heap = process.memoryUsage();
  const read = steps.parse + steps.plan + steps.validate + steps.describe;
  if (global.gc) global.gc();
  console.log(
    `rows ${source.rows.length}, answers ${answers}, problems ${problems.length}; ` +
      `CPU ms: read ${read} (${Object.entries(steps)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); heap ${Math.round(heap.heapUsed / 1e6)} MB, ` +
      `deferred cells ${source.deferred?.size ?? 0} in ${Math.round((source.deferred?.bytes ?? 0) / 1e6)} MB of arenas`,
  );
}

const [path, runs = '1'] = process.argv.slice(2);
for (let i = 0; i < Number(runs); i++) await once(path);
