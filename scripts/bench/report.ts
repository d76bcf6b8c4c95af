/**
 * The bench's one table (metric rows × size columns, plus the spec's targets),
 * as aligned markdown, and the JSON written next to it.
 */
import type { AppResult } from './app';
import type { BaselineResult } from './baseline';

export interface RunResult {
  baseline: BaselineResult | null;
  baselineError: string | null;
  app: AppResult | null;
  appError: { message: string; step: string; details: Record<string, unknown>; pageErrors: string[]; consoleErrors: string[] } | null;
  appSkipped: string | null;
  foreignRequests: string[];
}

export interface SizeResult {
  respondents: number;
  questions: number;
  rows: number;
  csvPath: string;
  csvBytes: number;
  textBytes: number;
  runs: RunResult[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  chromium: string;
  chromiumBanner: string | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  commit: string | null;
  machine: Machine;
  options: { sizes: number[]; runs: number; dist: string; only: string | null; seed: number };
  sizes: SizeResult[];
  targets: TargetResult[];
  harnessErrors: string[];
}

export interface TargetResult {
  name: string;
  respondents: number;
  limitMs: number;
  valueMs: number | null;
  status: 'PASS' | 'FAIL' | 'NOT RUN' | 'NO RESULT';
}

/** Targets from the spec: at 100k respondents × 8 questions. */
export const TARGETS = [
  // "Import to ready": from pressing Import in the preview to the project open with its answers.
  { name: 'import → ready', respondents: 100_000, limitMs: 3000, pick: (a: AppResult) => a.storeToReadyMs },
  // The stricter reading, parse included (file chosen → ready, less the pause at the preview).
  { name: 'file → ready', respondents: 100_000, limitMs: 3000, pick: (a: AppResult) => a.importToReadyMs },
  { name: 'reopen', respondents: 100_000, limitMs: 1000, pick: (a: AppResult) => a.reopenMs },
] as const;

// ---------------------------------------------------------------------------

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianOf<T>(items: (T | null)[], pick: (item: T) => number | null): number | null {
  const values: number[] = [];
  for (const item of items) {
    if (item === null) continue;
    const v = pick(item);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  return median(values);
}

export function evaluateTargets(sizes: SizeResult[]): TargetResult[] {
  return TARGETS.map((t) => {
    const size = sizes.find((s) => s.respondents === t.respondents);
    if (!size) return { name: t.name, respondents: t.respondents, limitMs: t.limitMs, valueMs: null, status: 'NOT RUN' as const };
    const value = medianOf(size.runs.map((r) => r.app), t.pick);
    const status = value === null ? ('NO RESULT' as const) : value < t.limitMs ? ('PASS' as const) : ('FAIL' as const);
    return { name: t.name, respondents: t.respondents, limitMs: t.limitMs, valueMs: value, status };
  });
}

// ---------------------------------------------------------------------------

export function ms(v: number | null): string {
  if (v === null) return '–';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 10) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function mb(v: number | null): string {
  if (v === null) return '–';
  return v >= 10e6 ? `${Math.round(v / 1e6)} MB` : `${(v / 1e6).toFixed(1)} MB`;
}

function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null || b <= 0) return '–';
  const r = a / b;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function sizeLabel(n: number): string {
  if (n >= 1000 && n % 1000 === 0) return `${int(n / 1000)}k`;
  return int(n);
}

interface Row {
  metric: string;
  cells: string[];
  target: string;
}

function targetCell(t: TargetResult | undefined): string {
  if (!t) return '';
  const limit = `< ${t.limitMs / 1000} s at ${sizeLabel(t.respondents)}`;
  switch (t.status) {
    case 'PASS':
    case 'FAIL':
      return `${limit}: **${t.status}**`;
    case 'NOT RUN':
      return `${limit}: not run (size not in --sizes)`;
    case 'NO RESULT':
      return `${limit}: no result (app flow failed)`;
  }
}

export function buildRows(report: BenchReport): Row[] {
  const rows: Row[] = [];
  const sizes = report.sizes;
  const app = (s: SizeResult, pick: (a: AppResult) => number | null) => medianOf(s.runs.map((r) => r.app), pick);
  const base = (s: SizeResult, pick: (b: BaselineResult) => number | null) => medianOf(s.runs.map((r) => r.baseline), pick);
  const appCell = (s: SizeResult, pick: (a: AppResult) => number | null, format: (v: number | null) => string = ms) => {
    const v = app(s, pick);
    if (v !== null) return format(v);
    if (s.runs.some((r) => r.appError)) return 'FAILED';
    if (s.runs.every((r) => r.appSkipped)) return 'skipped';
    return '–';
  };
  const add = (metric: string, cell: (s: SizeResult) => string, target = '') => rows.push({ metric, cells: sizes.map(cell), target });
  const target = (name: string) => targetCell(report.targets.find((t) => t.name === name));

  add('Answers (respondents × questions)', (s) => `${int(s.respondents)} × ${s.questions} = ${int(s.rows)}`);
  add('CSV file size', (s) => mb(s.csvBytes));
  add('Baseline plain: write (put ×1 per answer)', (s) => ms(base(s, (b) => b.plain.writeMs)));
  add('Baseline plain: read (getAll)', (s) => ms(base(s, (b) => b.plain.readMs)));
  add('Baseline chunked ×1000: write', (s) => ms(base(s, (b) => b.chunked.writeMs)));
  add('Baseline chunked ×1000: read (getAll)', (s) => ms(base(s, (b) => b.chunked.readMs)));
  add('App parse: file chosen → preview (wall)', (s) => appCell(s, (a) => a.parseMs));
  add('  app: parse in worker (import-read)', (s) => appCell(s, (a) => a.appReadMs));
  add('  app: build batch (import-build)', (s) => appCell(s, (a) => a.appBuildMs));
  add('  app: IndexedDB store (import-store)', (s) => appCell(s, (a) => a.appStoreMs));
  add('App import → ready: Import click → answers (wall)', (s) => appCell(s, (a) => a.storeToReadyMs), target('import → ready'));
  add('  app: project-open after import (project-open)', (s) => appCell(s, (a) => a.appOpenAfterImportMs));
  add('App file → ready: parse + import → ready (wall)', (s) => appCell(s, (a) => a.importToReadyMs), target('file → ready'));
  add('App reopen: reload → project ready (wall)', (s) => appCell(s, (a) => a.reopenMs), target('reopen'));
  add('  app: reload → answers visible (wall)', (s) => appCell(s, (a) => a.reopenToAnswersMs));
  add('  app: project-open after reload (project-open)', (s) => appCell(s, (a) => a.appReopenMs));
  add('JS heap used after import (page, after GC)', (s) => appCell(s, (a) => a.heapAfterImportBytes, mb));
  add('JS heap used after reopen (page, after GC)', (s) => appCell(s, (a) => a.heapAfterReopenBytes, mb));
  add('IndexedDB usage after import (storage.estimate)', (s) => appCell(s, (a) => a.storageUsageBytes, mb));
  add('  baseline chunked usage, for comparison', (s) => mb(base(s, (b) => b.chunked.usageBytes)));
  add('Ratio: app store / baseline chunked write', (s) => ratio(app(s, (a) => a.appStoreMs), base(s, (b) => b.chunked.writeMs)));
  add('Ratio: app reopen / baseline chunked read', (s) => ratio(app(s, (a) => a.reopenMs), base(s, (b) => b.chunked.readMs)));
  return rows;
}

/** Markdown table with every column padded to its widest cell. */
export function renderTable(report: BenchReport): string {
  const header = ['Metric', ...report.sizes.map((s) => sizeLabel(s.respondents)), 'Target (spec)'];
  const body = buildRows(report).map((r) => [r.metric, ...r.cells, r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const numeric = header.map((_, i) => i > 0 && i < header.length - 1);
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function renderHeader(report: BenchReport): string {
  const m = report.machine;
  const runs = report.options.runs;
  return [
    `# Codebench bench — ${report.startedAt}`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${mb(m.memoryBytes).replace(' MB', '')} MB RAM, ${m.os}`,
    `- Browser: headless ${m.chromiumBanner?.includes(m.chromium) ? m.chromiumBanner : `Chromium ${m.chromium}`}, a fresh on-disk profile per measurement`,
    `- Node ${m.node}; app build: ${report.options.dist}/ served by vite preview on 127.0.0.1${report.commit ? `; commit ${report.commit}` : ''}`,
    `- Input: synthetic plain CSV (seed ${report.options.seed}), 8 open questions; ${runs === 1 ? 'one run per size' : `median of ${runs} runs per size`}`,
  ].join('\n');
}

export function renderProblems(report: BenchReport): string {
  const lines: string[] = [];
  for (const size of report.sizes) {
    size.runs.forEach((run, i) => {
      const where = `${sizeLabel(size.respondents)}${size.runs.length > 1 ? ` run ${i + 1}` : ''}`;
      if (run.appError) {
        lines.push(`- ${where}: app flow failed at "${run.appError.step}": ${run.appError.message}`);
        const d = run.appError.details;
        for (const key of ['importError', 'importProblems', 'importNotice', 'importProgress', 'projectView', 'url', 'dialogText', 'bodyText']) {
          if (d[key] !== null && d[key] !== undefined && d[key] !== '') lines.push(`  - ${key}: ${String(d[key]).slice(0, 400)}`);
        }
        for (const e of run.appError.pageErrors) lines.push(`  - page error: ${e.slice(0, 400)}`);
        for (const e of run.appError.consoleErrors.slice(0, 5)) lines.push(`  - console error: ${e.slice(0, 400)}`);
      }
      if (run.appSkipped) lines.push(`- ${where}: app flow skipped: ${run.appSkipped}`);
      if (run.baselineError) lines.push(`- ${where}: baseline failed: ${run.baselineError}`);
      if (run.foreignRequests.length) lines.push(`- ${where}: requests beyond loopback (blocked): ${run.foreignRequests.slice(0, 5).join(', ')}`);
      const summary = run.app?.summaryText;
      if (run.app && summary && !summaryMentions(summary, size.respondents)) {
        lines.push(`- ${where}: project summary does not show ${int(size.respondents)} respondents: "${summary}"`);
      }
    });
  }
  for (const e of report.harnessErrors) lines.push(`- harness: ${e}`);
  return lines.length ? ['Problems:', ...lines].join('\n') : '';
}

function summaryMentions(summary: string, respondents: number): boolean {
  const m = /([\d,.\s\u00a0\u202f]+)\s*respondents/.exec(summary);
  if (!m) return false;
  return Number(m[1].replace(/[^\d]/g, '')) === respondents;
}

export function renderReport(report: BenchReport): string {
  const problems = renderProblems(report);
  return [renderHeader(report), '', renderTable(report), '', problems].filter((s, i, all) => s !== '' || i < all.length - 1).join('\n').trimEnd() + '\n';
}
