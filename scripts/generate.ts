/**
 * Writes a deterministic synthetic survey CSV for scale tests.
 *
 *   npm run generate -- --respondents 100000 --seed 1 [--questions 8] [--format plain|qualtrics] [--out path]
 *
 * Default output: generated/survey-<respondents>-seed<seed>.csv (with "-qualtrics"
 * before ".csv" for the Qualtrics format). Same options ⇒ byte-identical file.
 */
import { writeSyntheticSurvey, type SyntheticSurveyOptions } from './lib/synthetic-survey';

const USAGE = 'Usage: npm run generate -- --respondents <n> --seed <n> [--questions <n>] [--format plain|qualtrics] [--out <path>]';

function fail(message: string): never {
  console.error(`generate: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { opts: SyntheticSurveyOptions; out: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!arg.startsWith('--')) fail(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    let name: string;
    let value: string | undefined;
    if (eq >= 0) {
      name = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else {
      name = arg.slice(2);
      value = argv[++i];
    }
    if (!['respondents', 'seed', 'questions', 'format', 'out'].includes(name)) fail(`unknown option --${name}`);
    if (value === undefined || value === '') fail(`--${name} needs a value`);
    values.set(name, value);
  }
  const int = (name: string, min: number): number | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) fail(`--${name} must be an integer, got "${raw}"`);
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const respondents = int('respondents', 1);
  const seed = int('seed', Number.MIN_SAFE_INTEGER);
  if (respondents === undefined) fail('--respondents is required');
  if (seed === undefined) fail('--seed is required');
  const questions = int('questions', 1);
  const format = values.get('format') ?? 'plain';
  if (format !== 'plain' && format !== 'qualtrics') fail(`--format must be "plain" or "qualtrics", got "${format}"`);
  const out = values.get('out') ?? `generated/survey-${respondents}-seed${seed}${format === 'qualtrics' ? '-qualtrics' : ''}.csv`;
  return { opts: { respondents, seed, questions, format }, out };
}

async function main(): Promise<void> {
  const { opts, out } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const { bytes, rows } = await writeSyntheticSurvey(out, opts);
  const seconds = (performance.now() - started) / 1000;
  const mib = bytes / (1024 * 1024);
  console.log(
    `Wrote ${rows.toLocaleString('en-GB')} rows × ${opts.questions ?? 8} questions (${opts.format ?? 'plain'}, seed ${opts.seed}) ` +
      `to ${out}: ${mib.toFixed(1)} MiB (${bytes.toLocaleString('en-GB')} bytes) in ${seconds.toFixed(1)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
