/**
 * How well would the private assistant code a survey? Simulates a coder who has
 * coded `--train` answers (drawn uniformly with `--seed`), trains the assistant on
 * them, decides every other answer and compares with the human codes.
 *
 *   npm run evaluate-assistant -- --file F.csv --text COLUMN (--label COLUMN | --codes-from COLUMN)
 *                                 [--train 2000] [--seed 1] [--min-positives 100] [--json OUT.json]
 *
 * See docs/assistant.md.
 */

import { writeFile } from 'node:fs/promises';
import { evaluate, readCodedTable, UsageError, type EvaluationResult } from './lib/assistant-evaluation';

const USAGE =
  'usage: npm run evaluate-assistant -- --file F.csv --text COLUMN (--label COLUMN | --codes-from COLUMN) [--train 2000] [--seed 1] [--min-positives 100] [--json OUT.json]';

const KNOWN = new Set(['file', 'text', 'label', 'codes-from', 'train', 'seed', 'min-positives', 'json']);

interface Args {
  file: string;
  text: string;
  spec: { label: string } | { codesFrom: string };
  train: number;
  seed: number;
  minPositives: number;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!KNOWN.has(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, value);
  }
  const required = (name: string): string => {
    const v = values.get(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
    return v;
  };
  const integer = (name: string, fallback: number, min: number): number => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${v}"`);
    return x;
  };
  const label = values.get('label');
  const codesFrom = values.get('codes-from');
  if ((label === undefined) === (codesFrom === undefined)) throw new UsageError('give exactly one of --label and --codes-from');
  return {
    file: required('file'),
    text: required('text'),
    spec: label !== undefined ? { label } : { codesFrom: codesFrom as string },
    train: integer('train', 2000, 1),
    seed: integer('seed', 1, 0),
    minPositives: integer('min-positives', 100, 1),
    json: values.get('json'),
  };
}

function fmt(x: number | null, digits = 3): string {
  return x === null || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function printTable(result: EvaluationResult): void {
  const width = Math.max(4, ...result.codes.map((c) => c.code.length));
  const head = ['code'.padEnd(width), 'all', 'trainPos', 'kappa', 'prec', 'recall', 'R@P90'];
  console.log(head.join('  '));
  for (const c of result.codes) {
    console.log(
      [
        c.code.padEnd(width),
        String(c.positives).padStart(3),
        String(c.trainPositives).padStart(8),
        fmt(c.kappa).padStart(5),
        fmt(c.precision).padStart(4),
        fmt(c.recall).padStart(6),
        fmt(c.recallAtP90).padStart(5),
      ].join('  '),
    );
  }
  console.log(
    `macro κ ${fmt(result.macroKappa)}, macro recall@P90 ${fmt(result.macroRecallAtP90)} over ${result.codes.length} codes; ` +
      `${result.mode} mode; train ${result.train}, test ${result.test}; ` +
      `featurise ${fmt(result.seconds.featurise, 2)} s, train ${fmt(result.seconds.train, 2)} s, test ${fmt(result.seconds.test, 2)} s`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const data = await readCodedTable(args.file, args.text, args.spec);
  const result = evaluate(data, { train: args.train, seed: args.seed, minPositives: args.minPositives });
  printTable(result);
  if (args.json) {
    const { codes, macroKappa, macroRecallAtP90, train, test } = result;
    const out = {
      codes: codes.map(({ code, trainPositives, kappa, precision, recall, recallAtP90 }) => ({ code, trainPositives, kappa, precision, recall, recallAtP90 })),
      macroKappa,
      macroRecallAtP90,
      train,
      test,
    };
    await writeFile(args.json, JSON.stringify(out, null, 2) + '\n');
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof Error && error.name === 'ImportError')) {
    console.error(`evaluate-assistant: ${error.message}`);
    process.exit(2);
  }
  throw error;
});
