/**
 * npm run bench — the app's import and reopen against the raw IndexedDB
 * baseline, in headless Chromium on the production build (dist/).
 *
 *   npm run bench [-- --sizes 1000,10000,100000] [--runs N] [--only baseline|app] [--dist dist]
 *
 * Progress goes to stderr; the table goes to stdout and to
 * bench-results/latest.md, everything measured to bench-results/latest.json.
 * A missed target is reported, never an exit status: the bench exits non-zero
 * only when the harness itself breaks. See docs/BENCH.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { AppFlowError, runApp, runReview } from './bench/app';
import { HeapSampler } from './bench/heap';
import { CodingFlowError, codingsFor, runCoding } from './bench/coding';
import { runAgreementBench, runAgreementRoundBench } from './bench/agreement';
import { runAnalysisBench } from './bench/analysis';
import { ASSISTANT_CODED, ASSISTANT_CODES, runAssistantBench } from './bench/assistant';
import { runGridBench } from './bench/grid';
import { runBaseline } from './bench/baseline';
import { runRoundsNodeBench } from './bench/rounds';
import { chromiumBanner, chromiumVersion, launchProfile } from './bench/browser';
import { BENCH_QUESTIONS, BENCH_SEED, ensureInput, readAnswers } from './bench/data';
import { bundleReport, type BundleReport } from './bench/bundle';
import { evaluateTargets, renderReport, renderTable, type BenchReport, type RunResult, type SizeResult } from './bench/report';
import { startPreview, stopAllServers, type PreviewServer } from './bench/server';
import { measureParsers, renderParsers, type ParserRow } from './bench/parsers';
import { runSyncBench, SYNC_CODERS, SYNC_CODINGS_PER_CODER } from './bench/sync';

const USAGE = `Usage: npm run bench -- [--sizes 1000,10000,100000] [--runs N] [--runs-at 250000=1] [--review-ms 10000] [--only baseline|app] [--coding largest|all|off] [--assistant on|off] [--sync on|off] [--dist dir]
  --sizes   respondent counts, comma-separated (8 questions each); default 1000,10000,100000 (250000 = two million answers)
  --runs    measured runs per size, each in a fresh profile; the table shows medians; default 1
  --runs-at runs for particular sizes, overriding --runs there, e.g. 250000=1 or 100000=3,250000=1
  --review-ms  the pause of a user reading the import preview in the review flow (a second fresh profile per run:
            file chosen, preview, this pause, Import); default 10000; 0 leaves the review flow out
  --only    run only the raw IndexedDB baseline or only the app flow (with the coding workspace)
  --coding  where to measure the coding workspace (2 codings per respondent): at the largest size
            only (default), at every size, or nowhere
  --assistant on|off  the assistant (issue 16) at the largest size, after the other app phases: 2,000 coded answers ×
            20 codes, suggestions for the first question's answers, keystrokes while it learns; default on
  --cpu-profiles DIR  also write main-thread CPU profiles of the coding workspace there (slows what they cover)
  --worker-profiles DIR  also write the analysis worker's CPU profiles there: the cold opens (from its start to ready), the long CSV and the Word report
  --trace DIR         also write Chromium performance traces of the scroll and the search keystrokes there (open in DevTools' Performance panel)
  --baseline-plain auto|on|off  the baseline's one-put-per-answer layout; auto (default) leaves it out above
            1,000,000 records (at 2M answers it takes longer than the rest of the run)
  --out     where to write latest.md and latest.json; default bench-results
  --dist    the built app to serve; default dist (npm run bench builds it first)
  --parsers on|off  compare CSV parsers on the largest size's file, in Node (scripts/bench/parsers.ts); default on
  --sync on|off  team sync (issue 17) in Node after the browser runs: 20 coders × 5,000 codings through the relay,
            and the same with plain Yjs as its baseline
            (scripts/bench/sync.ts), its own table; default on`;

interface Options {
  sizes: number[];
  runs: number;
  runsAt: Map<number, number>;
  reviewMs: number;
  only: 'baseline' | 'app' | null;
  coding: 'largest' | 'all' | 'off';
  assistant: 'on' | 'off';
  cpuProfiles: string | null;
  workerProfiles: string | null;
  trace: string | null;
  dist: string;
  parsers: 'on' | 'off';
  sync: 'on' | 'off';
  out: string;
  baselinePlain: 'auto' | 'on' | 'off';
}

function usageError(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [1000, 10_000, 100_000],
    runs: 1,
    runsAt: new Map(),
    reviewMs: 10_000,
    only: null,
    coding: 'largest',
    assistant: 'on',
    cpuProfiles: null,
    workerProfiles: null,
    trace: null,
    dist: 'dist',
    parsers: 'on',
    sync: 'on',
    out: 'bench-results',
    baselinePlain: 'auto',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!arg.startsWith('--')) usageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') usageError(`--${name} needs a value`);
    switch (name) {
      case 'sizes': {
        const sizes = value.split(',').map((s) => s.trim().replace(/_/g, ''));
        if (sizes.some((s) => !/^[1-9]\d*$/.test(s))) usageError(`--sizes must be positive integers separated by commas, got "${value}"`);
        options.sizes = [...new Set(sizes.map(Number))].sort((a, b) => a - b);
        break;
      }
      case 'runs':
        if (!/^[1-9]\d*$/.test(value)) usageError(`--runs must be a positive integer, got "${value}"`);
        options.runs = Number(value);
        break;
      case 'runs-at':
        for (const part of value.split(',')) {
          const m = /^\s*([1-9][\d_]*)\s*=\s*([1-9]\d*)\s*$/.exec(part);
          if (!m) usageError(`--runs-at takes size=runs pairs separated by commas, e.g. 250000=1, got "${value}"`);
          options.runsAt.set(Number(m[1].replace(/_/g, '')), Number(m[2]));
        }
        break;
      case 'review-ms':
        if (!/^\d+$/.test(value)) usageError(`--review-ms must be a whole number of milliseconds, got "${value}"`);
        options.reviewMs = Number(value);
        break;
      case 'only':
        if (value !== 'baseline' && value !== 'app') usageError(`--only must be "baseline" or "app", got "${value}"`);
        options.only = value;
        break;
      case 'coding':
        if (value !== 'largest' && value !== 'all' && value !== 'off') usageError(`--coding must be "largest", "all" or "off", got "${value}"`);
        options.coding = value;
        break;
      case 'assistant':
        if (value !== 'on' && value !== 'off') usageError(`--assistant must be "on" or "off", got "${value}"`);
        options.assistant = value;
        break;
      case 'cpu-profiles':
        options.cpuProfiles = value;
        break;
      case 'worker-profiles':
        options.workerProfiles = value;
        break;
      case 'trace':
        options.trace = value;
        break;
      case 'parsers':
        if (value !== 'on' && value !== 'off') usageError(`--parsers must be "on" or "off", got "${value}"`);
        options.parsers = value;
        break;
      case 'sync':
        if (value !== 'on' && value !== 'off') usageError(`--sync must be "on" or "off", got "${value}"`);
        options.sync = value;
        break;
      case 'baseline-plain':
        if (value !== 'auto' && value !== 'on' && value !== 'off') usageError(`--baseline-plain must be "auto", "on" or "off", got "${value}"`);
        options.baselinePlain = value;
        break;
      case 'out':
        options.out = value.replace(/\/+$/, '') || '.';
        break;
      case 'dist':
        options.dist = value.replace(/\/+$/, '') || '.';
        break;
      default:
        usageError(`unknown option --${name}`);
    }
  }
  return options;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  // Read now: a long run (35 min at 250k) must not report a commit made while it ran.
  const commit = gitCommit();
  const harnessErrors: string[] = [];
  let server: PreviewServer | undefined;

  const largest = Math.max(...options.sizes);
  const codingAt = (respondents: number) =>
    options.only !== 'baseline' && (options.coding === 'all' || (options.coding === 'largest' && respondents === largest));
  // The assistant at the largest size, after the other app phases (with or without the coding workspace's).
  const assistantAt = (respondents: number) => options.only !== 'baseline' && options.assistant === 'on' && respondents === largest;
  const runsFor = (respondents: number) => options.runsAt.get(respondents) ?? options.runs;
  log(
    `sizes ${options.sizes.map((n) => `${n} (${runsFor(n)} run${runsFor(n) === 1 ? '' : 's'})`).join(', ')} × ${BENCH_QUESTIONS} questions${options.only ? `, ${options.only} only` : ''}`,
  );
  const codingSizes = options.sizes.filter(codingAt);
  log(
    codingSizes.length
      ? `coding workspace at ${codingSizes.map((n) => `${n.toLocaleString('en-US')} (${codingsFor(n).toLocaleString('en-US')} codings)`).join(', ')}`
      : 'coding workspace: not measured',
  );
  log(
    options.sizes.some(assistantAt)
      ? `assistant at ${largest.toLocaleString('en-US')} (${ASSISTANT_CODED.toLocaleString('en-US')} coded answers × ${ASSISTANT_CODES} codes)`
      : 'assistant: not measured',
  );
  const chromium = await chromiumVersion();
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    chromium,
    chromiumBanner: chromiumBanner(),
  };
  log(`${machine.cpu}, ${machine.cores} cores; Chromium ${chromium}`);

  // What the build sends (no browser): every file's raw and gzip size, the first-paint budget, the model once.
  let bundle: BundleReport | undefined;
  try {
    bundle = bundleReport(options.dist);
    log(
      `first-paint JavaScript ${(bundle.firstPaint.gzipBytes / 1024).toFixed(1)} KB gzip of ${bundle.firstPaint.budgetGzipBytes / 1024} KB; language model in ${bundle.languageModelFiles.length} file(s)`,
    );
  } catch (err) {
    harnessErrors.push(`bundle: ${(err as Error).message}`);
    log(`bundle FAILED: ${(err as Error).message}`);
  }

  const sizes: SizeResult[] = [];
  try {
    server = await startPreview(options.dist, log);
    let appFailedAt: number | null = null;
    for (const respondents of options.sizes) {
      log(`— ${respondents.toLocaleString('en-US')} respondents —`);
      const input = await ensureInput(respondents, BENCH_QUESTIONS, BENCH_SEED);
      log(`  input ${input.path} (${(input.bytes / 1e6).toFixed(1)} MB, ${input.generated ? `generated in ${Math.round(input.generateMs)} ms` : 'reused'})`);
      const answers = options.only === 'app' ? null : await readAnswers(input);
      // Room for the parser comparison rows (issue 15, helper "parse": measureParsers(input.path, runs) from
      // scripts/bench/parsers.ts, in Node before any browser starts, so it competes with nothing).
      const size: SizeResult = {
        respondents,
        questions: BENCH_QUESTIONS,
        rows: respondents * BENCH_QUESTIONS,
        csvPath: input.path,
        csvBytes: input.bytes,
        textBytes: answers?.textBytes ?? 0,
        runs: [],
      };
      sizes.push(size);
      const runs = runsFor(respondents);
      for (let run = 1; run <= runs; run++) {
        if (runs > 1) log(`  run ${run} of ${runs}`);
        const runStarted = performance.now();
        const result: RunResult = {
          baseline: null,
          baselineError: null,
          app: null,
          appError: null,
          appSkipped: null,
          coding: null,
          codingError: null,
          foreignRequests: [],
        };
        size.runs.push(result);

        if (answers) {
          const profile = await launchProfile(server.origin);
          try {
            result.baseline = await runBaseline(profile, server.origin, answers, log, options.baselinePlain);
          } catch (err) {
            result.baselineError = (err as Error).message;
            harnessErrors.push(`baseline at ${respondents}: ${(err as Error).message}`);
            log(`  baseline FAILED: ${(err as Error).message}`);
          } finally {
            result.foreignRequests.push(...profile.foreignRequests);
            await profile.close();
          }
        }

        if (options.only !== 'baseline') {
          if (appFailedAt !== null) {
            result.appSkipped = `the app flow already failed at ${appFailedAt.toLocaleString('en-US')} respondents`;
            log(`  app: skipped (${result.appSkipped})`);
            result.wallMs = performance.now() - runStarted;
            continue;
          }
          const profile = await launchProfile(server.origin);
          const heap = await HeapSampler.start(profile.page, 'open').catch((err: Error) => {
            log(`  heap sampling unavailable: ${err.message}`);
            return undefined;
          });
          try {
            result.app = await runApp(profile, server.url, input.path, respondents, log, heap);
            if (codingAt(respondents)) {
              // In the same profile, on the project the app flow has just reopened.
              try {
                await heap?.phase('coding');
                result.coding = await runCoding(profile, server.origin, respondents, log, { cpuProfileDir: options.cpuProfiles, traceDir: options.trace });
                try {
                  await heap?.phase('agreement');
                  result.agreement = await runAgreementBench(profile.page, log, { projectUrl: result.app.projectUrl });
                } catch (err) {
                  result.agreementError = (err as Error).message;
                  log(`  agreement FAILED: ${(err as Error).message}`);
                }
                try {
                  await heap?.phase('analysis');
                  result.analysis = await runAnalysisBench(profile.page, log, { projectUrl: result.app.projectUrl, workerProfileDir: options.workerProfiles });
                } catch (err) {
                  result.analysisError = (err as Error).message;
                  log(`  analysis FAILED: ${(err as Error).message}`);
                }
                try {
                  await heap?.phase('grid');
                  result.grid = await runGridBench(profile.page, log, { projectUrl: result.app.projectUrl });
                } catch (err) {
                  result.gridError = (err as Error).message;
                  log(`  grid FAILED: ${(err as Error).message}`);
                }
                // Last, so the codings it adds on the round's answers leave the analysis rows as they were.
                try {
                  await heap?.phase('agreement round');
                  result.agreementRound = await runAgreementRoundBench(profile.page, log, { projectUrl: result.app.projectUrl });
                } catch (err) {
                  result.agreementRoundError = (err as Error).message;
                  log(`  agreement round FAILED: ${(err as Error).message}`);
                }
              } catch (err) {
                result.codingError = {
                  message: (err as Error).message,
                  step: err instanceof CodingFlowError ? err.step : 'unknown',
                  pageErrors: [...profile.pageErrors],
                  consoleErrors: [...profile.consoleErrors],
                };
                log(`  coding FAILED: ${(err as Error).message}`);
              }
            }
            // Last of the app phases in this profile: its coder, codes and codings change nothing the rows above read.
            if (assistantAt(respondents)) {
              try {
                await heap?.phase('assistant');
                result.assistant = await runAssistantBench(profile.page, log, { projectUrl: result.app.projectUrl });
              } catch (err) {
                result.assistantError = (err as Error).message;
                log(`  assistant FAILED: ${(err as Error).message}`);
              }
            }
          } catch (err) {
            appFailedAt = respondents;
            const flow = err instanceof AppFlowError ? err : null;
            result.appError = {
              message: (err as Error).message,
              step: flow?.step ?? 'unknown',
              details: flow?.details ?? {},
              pageErrors: [...profile.pageErrors],
              consoleErrors: [...profile.consoleErrors],
            };
            log(`  app FAILED: ${(err as Error).message}`);
            if (profile.pageErrors.length) log(`  page errors: ${profile.pageErrors.join(' | ')}`);
          } finally {
            if (heap) {
              result.heap = await heap.stop();
              log(`  heap: peak ${(result.heap.peakBytes / 1e6).toFixed(0)} MB (page + workers) in "${result.heap.peakPhase}"`);
            }
            if (result.app && profile.pageErrors.length) log(`  note: page errors during the run: ${profile.pageErrors.join(' | ')}`);
            result.foreignRequests.push(...profile.foreignRequests);
            await profile.close();
          }
          // The review flow in a second fresh profile, so its import does not double the project the rows above reopen.
          if (options.reviewMs > 0 && result.app) {
            const reviewProfile = await launchProfile(server.origin);
            const reviewHeap = await HeapSampler.start(reviewProfile.page, 'open').catch(() => undefined);
            try {
              result.review = await runReview(reviewProfile, server.url, input.path, respondents, options.reviewMs, log, reviewHeap);
            } catch (err) {
              result.reviewError = (err as Error).message;
              log(`  review flow FAILED: ${(err as Error).message}`);
            } finally {
              if (reviewHeap) result.reviewHeap = await reviewHeap.stop();
              result.foreignRequests.push(...reviewProfile.foreignRequests);
              await reviewProfile.close();
            }
          }
          // Pure Node, after the browser has closed, so neither slows the other.
          if (codingAt(respondents)) {
            try {
              result.roundsNode = runRoundsNodeBench(respondents, BENCH_QUESTIONS, log);
            } catch (err) {
              result.roundsNodeError = (err as Error).message;
              log(`  rounds (Node) FAILED: ${(err as Error).message}`);
            }
          }
        }
        result.wallMs = performance.now() - runStarted;
        log(`  run ${run} took ${(result.wallMs / 60_000).toFixed(1)} min`);
      }
    }
  } catch (err) {
    harnessErrors.push((err as Error).stack ?? String(err));
    log(`harness error: ${(err as Error).message}`);
  } finally {
    server?.stop();
  }

  // After the browser runs, so neither slows the other.
  let parsers: ParserRow[] | undefined;
  const parsersFile = sizes.find((size) => size.respondents === largest)?.csvPath;
  if (options.parsers === 'on' && parsersFile) {
    try {
      parsers = await measureParsers(parsersFile, options.runs, log);
    } catch (err) {
      harnessErrors.push(`parsers: ${(err as Error).message}`);
      log(`parsers FAILED: ${(err as Error).message}`);
    }
  }

  // Team sync (issue 17): in Node with the relay in a child process, after the browser runs so neither slows the other.
  let sync: BenchReport['sync'];
  if (options.sync === 'on') {
    log(`sync: ${SYNC_CODERS} coders × ${SYNC_CODINGS_PER_CODER.toLocaleString('en-US')} codings through the relay`);
    try {
      sync = await runSyncBench({}, log);
    } catch (err) {
      harnessErrors.push(`sync: ${(err as Error).message}`);
      log(`sync FAILED: ${(err as Error).message}`);
    }
  }

  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    commit,
    machine,
    options: {
      sizes: options.sizes,
      runs: options.runs,
      runsAt: Object.fromEntries(options.runsAt),
      reviewMs: options.reviewMs,
      dist: options.dist,
      only: options.only,
      coding: options.coding,
      assistant: options.assistant,
      sync: options.sync,
      cpuProfiles: options.cpuProfiles,
      seed: BENCH_SEED,
    },
    sizes,
    targets: evaluateTargets(sizes),
    harnessErrors,
    bundle,
    sync,
  };
  const markdown = renderReport(report) + (parsers && parsersFile ? `\n${renderParsers(parsers, parsersFile)}\n` : '');
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'latest.md'), markdown);
  writeFileSync(join(options.out, 'latest.json'), JSON.stringify({ ...report, parsers, table: renderTable(report) }, null, 2) + '\n');
  process.stdout.write('\n' + markdown);
  log(`wrote ${options.out}/latest.md and ${options.out}/latest.json`);
  return harnessErrors.length > 0 ? 1 : 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping the preview server`);
    stopAllServers();
    process.exit(130);
  });
}
process.on('exit', stopAllServers);

main().then(
  (code) => {
    stopAllServers();
    process.exitCode = code;
  },
  (err) => {
    stopAllServers();
    console.error(err);
    process.exitCode = 1;
  },
);
