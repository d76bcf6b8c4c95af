import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bundleReport, FIRST_PAINT_BUDGET_GZIP, renderBundle } from '../../scripts/bench/bundle';

// Sizes, not speed: read from the build the end-to-end run has just made (dist/), so `npm test` enforces them.
describe('what the build sends', () => {
  const report = bundleReport('dist');

  it('keeps the first-paint JavaScript within its budget', () => {
    expect(report.firstPaint.files.length).toBeGreaterThan(0);
    expect(report.firstPaint.files.every((file) => file.endsWith('.js'))).toBe(true);
    expect(report.firstPaint.gzipBytes, renderBundle(report)).toBeLessThanOrEqual(FIRST_PAINT_BUDGET_GZIP);
  });

  it('holds the English language model in one file, which no first-paint chunk contains', () => {
    expect(report.languageModelFiles, renderBundle(report)).toHaveLength(1);
    expect(report.firstPaint.files).not.toContain(report.languageModelFiles[0]);
  });

  it('precaches every file the app needs offline', () => {
    const sw = readFileSync('dist/sw.js', 'utf8');
    const precached = new Set([...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]));
    // The service worker and its Workbox runtime are the only files it does not list: they are the worker itself.
    const missing = report.files.filter((f) => f.kind !== 'service-worker' && !precached.has(f.file)).map((f) => f.file);
    expect(missing).toEqual([]);
    expect(precached.has(report.languageModelFiles[0])).toBe(true);
  });
});
