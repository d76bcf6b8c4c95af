import { describe, expect, it } from 'vitest';
import type { AgreementRoundBenchResult } from '../../scripts/bench/agreement';
import type { AnalysisBenchResult } from '../../scripts/bench/analysis';
import { evaluateTargets, renderTable, type BenchReport, type RunResult } from '../../scripts/bench/report';

function report(run: Partial<RunResult>): BenchReport {
  const base: RunResult = {
    baseline: null,
    baselineError: null,
    app: null,
    appError: null,
    appSkipped: null,
    coding: null,
    codingError: { message: 'not measured here', step: 'test', pageErrors: [], consoleErrors: [] },
    foreignRequests: [],
  };
  const sizes = [{ respondents: 100_000, questions: 8, rows: 800_000, csvPath: '', csvBytes: 0, textBytes: 0, runs: [{ ...base, ...run }] }];
  return {
    startedAt: '',
    finishedAt: '',
    commit: null,
    machine: { cpu: '', cores: 2, memoryBytes: 0, os: '', node: '', chromium: '', chromiumBanner: null },
    options: { sizes: [100_000], runs: 1, dist: 'dist', only: 'app', coding: 'largest', cpuProfiles: null, seed: 1 },
    sizes,
    targets: evaluateTargets(sizes),
    harnessErrors: [],
  };
}

const row = (table: string, metric: string) => {
  const cells = table
    .split('\n')
    .map((l) => l.split('|').map((c) => c.trim()))
    .find((c) => c[1] === metric);
  if (!cells) throw new Error(`no row "${metric}"`);
  return cells.slice(2, 4);
};

describe('the bench table: the long CSV against a raw read of its rows', () => {
  const analysis = {
    openToReadyMs: 2000,
    countsTab: { paintMs: 100 },
    countsRegroupMedianMs: 100,
    prevalenceTab: { paintMs: 100 },
    prevalenceColumns: 4,
    prevalenceSwitchMedianMs: 100,
    reportMs: 2000,
    reportBytes: 1e6,
    longCsvMs: 3000,
    longCsvWorkerMs: 2500,
    longCsvBytes: 61e6,
  } as unknown as AnalysisBenchResult;
  const median = { clickToTableMs: 1500, clickToSpansMs: 1550, loadMs: 1200, computeMs: 120, spanMs: 40, worstFrameMs: 0, steps: { scope: 55 } };
  const round = {
    median,
    mainThreadLongFrames: 0,
    runs: [],
    baseline: { readMs: [1400, 1500, 1600], medianMs: 1500, chunks: 736, answers: 736_000, pages: 512, codings: 264_000 },
  } as unknown as AgreementRoundBenchResult;

  it('prints the raw read measured in the same run and the ratio, judged against ≤ 1×', () => {
    const table = renderTable(report({ analysis, agreementRound: round }));
    expect(row(table, 'long CSV: raw chunked read of the same rows (getAll of answer chunks + coding pages)')[0]).toBe('1.50 s');
    const [ratio, target] = row(table, 'Ratio: long CSV click → download / raw chunked read');
    expect(ratio).toBe('2.00×');
    expect(target).toContain('FAIL');
    const faster = renderTable(report({ analysis: { ...analysis, longCsvMs: 1200 }, agreementRound: round }));
    expect(row(faster, 'Ratio: long CSV click → download / raw chunked read')).toEqual(['0.80×', expect.stringContaining('PASS')]);
  });

  it('shows no ratio when the raw read was not measured', () => {
    const table = renderTable(report({ analysis }));
    expect(row(table, 'Ratio: long CSV click → download / raw chunked read')[0]).toBe('–');
  });
});
