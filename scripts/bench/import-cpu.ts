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
  const heap = process.memoryUsage();
  const read = steps.parse + steps.plan + steps.validate + steps.describe;
  console.log(
    `rows ${source.rows.length}, answers ${answers}, problems ${problems.length}; ` +
      `CPU ms: read ${read} (${Object.entries(steps)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); heap ${Math.round(heap.heapUsed / 1e6)} MB`,
  );
}

const [path, runs = '1'] = process.argv.slice(2);
for (let i = 0; i < Number(runs); i++) await once(path);
