// @vitest-environment node
/** The case table itself: enough distinct cases, each in a group that has a test file. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases';
import { docsMarkdown } from './docs';
import { groupOf } from './suite';

describe('the bad-input case table', () => {
  it('has at least 60 distinct cases, each with a unique id and input', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => `${c.pipeline}: ${c.input}`)).size).toBe(CASES.length);
  });

  it('runs every group in a test file of its own', () => {
    for (const group of new Set(CASES.map(groupOf))) expect(existsSync(fileURLToPath(new URL(`./${group}.test.ts`, import.meta.url))), group).toBe(true);
  });

  it('says why each pending case waits', () => {
    for (const c of CASES.filter((k) => k.pending)) expect(c.note ?? c.told, c.id).toBeTruthy();
  });

  it('is listed in docs/bad-input.md as it is now (npx tsx tests/bad-input/write-docs.ts rewrites it)', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/bad-input.md', import.meta.url)), 'utf8');
    expect(docs).toBe(docsMarkdown(CASES));
  });
});
