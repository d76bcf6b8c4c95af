// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderReport, renderSync, type BenchReport } from '../../scripts/bench/report';
import type { SyncBenchResult, SyncScenarioResult } from '../../scripts/bench/sync';

const relaySample = (storedBytes: number, connections: number, rssBytes = 105e6, heapUsedBytes = 9.9e6) => ({
  rssBytes,
  heapUsedBytes,
  heapTotalBytes: 28e6,
  externalBytes: 18e6,
  storedBytes,
  roomFiles: 21,
  rooms: connections ? 21 : 0,
  connections,
  bytesIn: 15.6e6,
  bytesOut: 311e6,
});

const result: SyncBenchResult = {
  sealed: true,
  coders: 20,
  codingsPerCoder: 5000,
  batch: 100,
  pauseMs: 20,
  totalCodings: 100_000,
  connections: 420,
  connectMs: 400,
  writtenMs: 22_500,
  convergedMs: 23_200,
  clientsConverged: 20,
  wire: { sentBytes: 15.6e6, receivedBytes: 310.7e6, totalBytes: 326.3e6, bytesPerCoding: 3263.4 },
  lateJoin: { ms: 1390, receivedBytes: 15.5e6 },
  relay: relaySample(15.5e6, 420),
  relayAfterLeaving: relaySample(15.4e6, 0),
  channels: { written: 480, compactions: 0, failures: 0, errors: [] },
  clientsRssBytes: 2e9,
  problem: null,
};

/** The same scenario with plain Yjs, as scripts/bench/sync.ts measures it in the same run. */
const plain: SyncScenarioResult = {
  ...result,
  sealed: false,
  convergedMs: 9_280,
  writtenMs: 8_900,
  wire: { sentBytes: 5e6, receivedBytes: 95e6, totalBytes: 100e6, bytesPerCoding: 1000 },
  lateJoin: { ms: 560, receivedBytes: 4e6 },
  relay: relaySample(6.2e6, 420, 84e6, 9e6),
  relayAfterLeaving: relaySample(3.85e6, 0, 84e6, 9e6),
  channels: { written: 0, compactions: 0, failures: 0, errors: [] },
};

const tableLines = (table: string) => table.split('\n').filter((l) => l.startsWith('|'));

describe('team sync rows (issue 17)', () => {
  it('render the four rows the issue asks for, and more', () => {
    const table = renderSync(result);
    expect(table).toContain('### Team sync (issue 17)');
    expect(table).toMatch(/\| Sync: 20 coders × 5,000 codings → converged \(s\) +\| +23\.2 s \(last batch written at 22\.5 s\) \|/);
    expect(table).toMatch(/bytes on the wire \(MB\), per coding \(B\) +\| +326 MB, 3,263 B \(sent 16 MB, received 311 MB\) \|/);
    expect(table).toMatch(/relay memory RSS \/ heap \(MB\).*\| +105 MB \/ 9\.9 MB \(\+ 18 MB outside the heap\) \|/);
    expect(table).toMatch(/relay files on disk \(MB\).*\| +16 MB \/ 15 MB \(21 rooms\) \|/);
    expect(table).toMatch(/late joiner.*1\.4 s, 16 MB received/);
    const widths = new Set(tableLines(table).map((l) => l.length));
    expect(widths.size).toBe(1);
    expect(table).not.toContain('plain Yjs');
  });

  it('print each measured figure beside the plain-Yjs baseline, as sealed ÷ plain, in the same table', () => {
    const table = renderSync({ ...result, baseline: plain });
    expect(table).toContain('Baseline, in the same run: the same scenario with plain Yjs');
    expect(table).toMatch(/\| +converged: sealed \/ plain Yjs \(ratio\) +\| +23\.2 s \/ 9\.3 s \(2\.50×\) \|/);
    expect(table).toMatch(/\| +wire bytes: sealed \/ plain Yjs \(ratio\) +\| +326 MB \/ 100 MB \(3\.26×\) \|/);
    expect(table).toMatch(/\| +relay RSS; heap: sealed \/ plain Yjs \(ratio\) +\| +105 MB \/ 84 MB \(1\.25×\); 9\.9 MB \/ 9\.0 MB \(1\.10×\) \|/);
    expect(table).toMatch(
      /\| +relay files, connected; after all left: sealed \/ plain Yjs \(ratio\) +\| +16 MB \/ 6\.2 MB \(2\.50×\); 15 MB \/ 3\.9 MB \(4\.00×\) \|/,
    );
    expect(table).toMatch(/\| +late joiner, time; bytes: sealed \/ plain Yjs \(ratio\) +\| +1\.4 s \/ 0\.6 s \(2\.48×\); 16 MB \/ 4\.0 MB \(3\.88×\) \|/);
    // One table: every row the same width, each baseline row right under the row it compares.
    const lines = tableLines(table);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('converged: sealed / plain Yjs')).toBe(at('→ converged (s)') + 1);
    expect(at('wire bytes: sealed / plain Yjs')).toBe(at('bytes on the wire (MB)') + 1);
    expect(at('relay RSS; heap: sealed / plain Yjs')).toBe(at('relay memory RSS / heap') + 1);
    expect(at('relay files, connected; after all left: sealed / plain Yjs')).toBe(at('relay files on disk') + 1);
    expect(at('late joiner, time; bytes: sealed / plain Yjs')).toBe(at('a late joiner catches up') + 1);
    // The sealed rows are unchanged by the baseline.
    expect(table).toMatch(/\| Sync: 20 coders × 5,000 codings → converged \(s\) +\| +23\.2 s \(last batch written at 22\.5 s\) \|/);
    expect(lines.filter((l) => l.includes('sealed / plain Yjs'))).toHaveLength(5);
  });

  it('leave the baseline rows out with --baseline off, and show what the baseline did not measure', () => {
    expect(renderSync({ ...result, baseline: null })).toBe(renderSync(result));
    const table = renderSync({
      ...result,
      baseline: { ...plain, convergedMs: null, clientsConverged: 18, lateJoin: null, problem: '2 of 20 clients had not received every coding' },
    });
    expect(table).toMatch(/converged: sealed \/ plain Yjs \(ratio\) +\| +23\.2 s \/ – \(–\) \|/);
    expect(table).toMatch(/late joiner, time; bytes: sealed \/ plain Yjs \(ratio\) +\| +1\.4 s \/ – \(–\); 16 MB \/ – \(–\) \|/);
    expect(table).toContain('Problem (plain Yjs baseline): 2 of 20 clients had not received every coding');
    expect(table).not.toContain('\nProblem: ');
  });

  it('say when it did not converge', () => {
    const table = renderSync({ ...result, convergedMs: null, clientsConverged: 17, lateJoin: null, problem: '3 of 20 clients had not received every coding' });
    expect(table).toContain('not converged (17 of 20 clients)');
    expect(table).toContain('Problem: 3 of 20 clients had not received every coding');
  });

  it('come after the main table in the report, and only when measured', () => {
    const report: BenchReport = {
      startedAt: '2024-05-01T00:00:00Z',
      finishedAt: '2024-05-01T01:00:00Z',
      commit: null,
      machine: { cpu: 'cpu', cores: 2, memoryBytes: 8e9, os: 'Linux', node: 'v20', chromium: '1', chromiumBanner: null },
      options: { sizes: [], runs: 1, dist: 'dist', only: null, coding: 'off', cpuProfiles: null, seed: 1 },
      sizes: [],
      targets: [],
      harnessErrors: [],
    };
    expect(renderReport(report)).not.toContain('Team sync');
    expect(renderReport({ ...report, sync: result })).toContain('### Team sync (issue 17)');
    expect(renderReport({ ...report, sync: { ...result, baseline: plain } })).toContain('converged: sealed / plain Yjs (ratio)');
  });
});
