import { describe, expect, it } from 'vitest';
import type { AppResult, ReviewResult } from '../../scripts/bench/app';
import type { AnalysisBenchResult } from '../../scripts/bench/analysis';
import { workerName, type HeapPhase, type HeapReport } from '../../scripts/bench/heap';
import { renderHeader, renderTable, type BenchReport, type RunResult } from '../../scripts/bench/report';

function run(extra: Partial<RunResult>): RunResult {
  return {
    baseline: null,
    baselineError: null,
    app: null,
    appError: null,
    appSkipped: null,
    coding: null,
    codingError: null,
    foreignRequests: [],
    ...extra,
  };
}

function report(runs: RunResult[], respondents = 250_000): BenchReport {
  return {
    startedAt: '',
    finishedAt: '',
    commit: null,
    machine: { cpu: '', cores: 2, memoryBytes: 0, os: '', node: '', chromium: '', chromiumBanner: null },
    options: { sizes: [respondents], runs: runs.length, reviewMs: 10_000, dist: 'dist', only: 'app', coding: 'largest', cpuProfiles: null, seed: 1 },
    sizes: [{ respondents, questions: 8, rows: respondents * 8, csvPath: '', csvBytes: 0, textBytes: 0, runs }],
    targets: [],
    harnessErrors: [],
  };
}

const row = (table: string, metric: string) => {
  const cells = table
    .split('\n')
    .map((l) => l.split('|').map((c) => c.trim()))
    .find((c) => c[1] === metric);
  if (!cells) throw new Error(`no row "${metric}"`);
  return cells[2];
};

const phase = (name: string, peakBytes: number, peakWorkerBytes = 0): HeapPhase => ({
  name,
  ms: 1000,
  samples: 4,
  peakBytes,
  peakPageBytes: peakBytes - peakWorkerBytes,
  peakWorkerBytes,
  maxWorkers: 1,
  endBytes: peakBytes,
  benchPeakBytes: 0,
});

const heap = (phases: HeapPhase[]): HeapReport => {
  const peak = phases.reduce((a, b) => (b.peakBytes > a.peakBytes ? b : a));
  return { intervalMs: 250, phases, peakBytes: peak.peakBytes, peakPhase: peak.name, samples: 12, missedWorkerReplies: 0 };
};

const notMeasured = { message: 'not measured here', step: 'test', pageErrors: [], consoleErrors: [] };

const app = (appReadMs: number) => ({ appReadMs, parseMs: appReadMs + 500 }) as unknown as AppResult;

const review = (fileToReadyLessReviewMs: number, previewToStagedMs: number | null, stagingAtClick: string | null): ReviewResult => ({
  reviewMs: 10_000,
  parseMs: 3000,
  previewToStagedMs,
  stagingAtClick,
  clickToReadyMs: 800,
  fileToReadyLessReviewMs,
  appReadMs: 5000,
});

describe('the bench table at two million answers', () => {
  it('prints the peak heap across page and workers, its phases, and the 1 GB budget', () => {
    const runs = [
      run({ app: app(5000), heap: heap([phase('parse', 300e6, 250e6), phase('store', 900e6, 600e6), phase('coding', 400e6)]) }),
      run({ app: app(5000), heap: heap([phase('parse', 320e6, 260e6), phase('store', 1200e6, 700e6), phase('coding', 420e6)]) }),
      run({ app: app(5000), heap: heap([phase('parse', 310e6, 255e6), phase('store', 1100e6, 650e6), phase('coding', 410e6)]) }),
    ];
    const table = renderTable(report(runs));
    // Median of 900, 1200, 1100 MB: over the budget.
    expect(row(table, 'Peak JS heap, page + workers, whole run (sampled every 250 ms)')).toBe('1100 MB: FAIL');
    expect(row(table, 'Peak JS heap, page + workers, during the import (both flows)')).toBe('1100 MB: FAIL');
    expect(row(table, 'heap peak: file chosen → preview')).toBe('310 MB (workers 255 MB)');
    expect(row(table, 'heap peak: Import click → ready')).toBe('1100 MB (workers 650 MB)');
    const under = renderTable(report([run({ app: app(5000), heap: heap([phase('store', 999e6), phase('grid', 1001e6)]) })]));
    expect(row(under, 'Peak JS heap, page + workers, during the import (both flows)')).toBe('999 MB: PASS');
    expect(row(under, 'Peak JS heap, page + workers, whole run (sampled every 250 ms)')).toBe('1001 MB: FAIL');
  });

  it('names the workers that make up a phase peak, those of 50 MB or more, largest first', () => {
    const analysis = { ...phase('analysis', 1165e6, 975e6), peakByWorker: { 'analysis-worker': 600e6, 'agreement-worker': 340e6, 'search-worker': 35e6 } };
    const table = renderTable(report([run({ app: app(5000), heap: heap([analysis]) })]));
    expect(row(table, 'heap peak: analysis (counts, prevalence, long CSV, report)')).toBe('1165 MB (workers 975 MB: analysis 600 MB, agreement 340 MB)');
    expect(workerName('http://127.0.0.1:4173/assets/analysis-worker-Bx12_kQ9.js')).toBe('analysis-worker');
    expect(workerName('http://127.0.0.1:5173/src/workers/search-worker.ts?worker_file&type=module')).toBe('search-worker');
  });

  it('judges file → ready less the review against 1.2 × the parse time, and says how it was timed', () => {
    const ROW = 'File → ready with a reviewing user, less the review (preview shown → Import clicked)';
    const pass = renderTable(
      report([run({ app: app(5000), review: { ...review(5900, 4000, 'stored'), timedInPage: true, waitedFileToReadyLessReviewMs: 6300 } })]),
    );
    expect(row(pass, ROW)).toBe('5.90 s: PASS (≤ 6.00 s) (in the page)');
    expect(row(pass, "review: the same as the bench's waits saw it, less the fixed pause (polling included)")).toBe('6.30 s');
    expect(row(pass, 'review: preview → staged (data-staging="stored")')).toBe('4.00 s');
    const fail = renderTable(report([run({ app: app(5000), review: review(6100, null, null) })]));
    expect(row(fail, ROW)).toBe('6.10 s: FAIL (≤ 6.00 s) (wall)');
    expect(row(fail, 'review: preview → staged (data-staging="stored")')).toBe('not seen (no data-staging)');
    const broke = renderTable(report([run({ app: app(5000), reviewError: 'timeout' })]));
    expect(row(broke, ROW)).toBe('FAILED');
  });

  it('shows the median run of the analysis rows, not the first', () => {
    const analysis = (openToReadyMs: number) =>
      ({
        openToReadyMs,
        countsTab: { paintMs: 100 },
        countsRegroupMedianMs: 50,
        prevalenceTab: { paintMs: 100 },
        prevalenceColumns: 6,
        prevalenceSwitchMedianMs: 50,
        longCsvMs: 2000,
        longCsvWorkerMs: 1500,
        longCsvBytes: 61e6,
        reportMs: 2000,
        reportBytes: 1e6,
      }) as unknown as AnalysisBenchResult;
    const runs = [
      run({ codingError: notMeasured, analysis: analysis(9000) }),
      run({ codingError: notMeasured, analysis: analysis(3000) }),
      run({ codingError: notMeasured, analysis: analysis(5000) }),
    ];
    expect(row(renderTable(report(runs)), 'Analysis: open → project read and indexed in the worker')).toBe('5.00 s');
  });

  it('prints every run’s wall time and, with --runs-at, how many runs each size had', () => {
    const r = report([run({ wallMs: 6 * 60_000 }), run({ wallMs: 7.5 * 60_000 })]);
    expect(row(renderTable(r), 'Bench wall time per run (baseline, app, interactions, review)')).toBe('6.0 min / 7.5 min');
    const mixed = report([run({})]);
    mixed.sizes.unshift({ respondents: 100_000, questions: 8, rows: 800_000, csvPath: '', csvBytes: 0, textBytes: 0, runs: [run({}), run({}), run({})] });
    expect(renderHeader(mixed)).toContain('runs per size: 100k 3, 250k 1');
  });

  it('says the plain baseline was left out rather than showing a dash', () => {
    const timing = { records: 2000, writeMs: 30_000, readMs: 40_000, openMs: 5, usageBytes: null };
    const table = renderTable(report([run({ baseline: { rows: 2_000_000, textBytes: 0, plain: null, chunked: timing } })]));
    expect(row(table, 'Baseline plain: write (put ×1 per answer)')).toBe('left out');
    expect(row(table, 'Baseline chunked ×1000: write')).toBe('30.0 s');
  });
});
