import { describe, expect, it } from 'vitest';
import type { AgreementBenchResult, AgreementRoundBenchResult, AgreementRun } from '../../scripts/bench/agreement';
import { renderProblems, renderTable, type BenchReport, type RunResult } from '../../scripts/bench/report';
import { syntheticAnswerKeys } from '../../scripts/bench/rounds';
import { drawRound } from '../../src/lib/rounds/draw-round';

const medians = (clickToTableMs: number, loadMs: number) => ({
  clickToTableMs,
  clickToSpansMs: clickToTableMs + 50,
  loadMs,
  computeMs: 120,
  spanMs: 40,
  worstFrameMs: 0,
  steps: { scope: 55, prepare: 14 },
});

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
  return {
    startedAt: '',
    finishedAt: '',
    commit: null,
    machine: { cpu: '', cores: 2, memoryBytes: 0, os: '', node: '', chromium: '', chromiumBanner: null },
    options: { sizes: [100_000], runs: 1, dist: 'dist', only: 'app', coding: 'largest', cpuProfiles: null, seed: 1 },
    sizes: [{ respondents: 100_000, questions: 8, rows: 800_000, csvPath: '', csvBytes: 0, textBytes: 0, runs: [{ ...base, ...run }] }],
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

describe('the bench table: agreement on a round', () => {
  const agreement = { median: medians(1000, 400), target: { computeMs: 500, met: true, mainThreadLongFrames: 0 }, runs: [] } as unknown as AgreementBenchResult;
  const round = {
    median: medians(1500, 1200),
    mainThreadLongFrames: 2,
    runs: [],
    baseline: { readMs: [900, 1000, 1100], medianMs: 1000, chunks: 736, answers: 736_000, pages: 512, codings: 264_000 },
  } as unknown as AgreementRoundBenchResult;

  it('prints the round beside the one-question run, with its baseline and ratios', () => {
    const table = renderTable(report({ agreement, agreementRound: round }));
    expect(row(table, 'Agreement, round of 1,000 answers (all questions): worker compute (median)')).toBe('120 ms');
    expect(row(table, 'round: worker reads IndexedDB first')).toBe('1.20 s');
    expect(row(table, "baseline: raw IndexedDB getAll of every question's answers and codings")).toBe('1.00 s');
    expect(row(table, 'round: worker compute by step')).toBe('scope 55 ms, prepare 14 ms');
    expect(row(table, 'Ratio: round worker read / baseline raw read')).toBe('1.20×');
    expect(row(table, 'Ratio: round click → table / one question click → table')).toBe('1.50×');
  });

  it('says FAILED, and why under Problems, when the round flow broke', () => {
    const failed = report({ agreement, agreementRoundError: 'open the agreement view: timeout' });
    expect(row(renderTable(failed), 'Agreement, round of 1,000 answers (all questions): worker compute (median)')).toBe('FAILED');
    expect(renderProblems(failed)).toContain('agreement on a round failed: open the agreement view: timeout');
  });

  it('lists a compute whose table was wrong under Problems', () => {
    const wrong = { ...round, runs: [{ problem: 'the table has 3 rows, expected 31' } as AgreementRun] };
    expect(renderProblems(report({ agreement, agreementRound: wrong }))).toContain('agreement on a round, compute 1: the table has 3 rows, expected 31');
  });
});

describe('the synthetic answer keys drawRound is timed on', () => {
  it('are unique, aligned, in question order, with about 8 % of answers left out as blank', () => {
    const keys = syntheticAnswerKeys(2000, 8);
    expect(new Set(keys.answerIds).size).toBe(keys.answerIds.length);
    expect(keys.questionIds.length).toBe(keys.answerIds.length);
    expect(keys.answerIds.length / 16_000).toBeGreaterThan(0.89);
    expect(keys.answerIds.length / 16_000).toBeLessThan(0.95);
    const order = keys.questionIds.map((q) => Number(q.slice(1)));
    expect(order.every((q, i) => i === 0 || q >= order[i - 1])).toBe(true);
    const drawn = drawRound({ answers: keys, sample: { size: { kind: 'count', count: 1000 }, seed: 7, questionIds: [], waveIds: [], strata: [] } });
    expect(drawn.answerIds).toHaveLength(1000);
  });
});
