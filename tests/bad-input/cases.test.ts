// @vitest-environment node
/** The case table itself: enough distinct cases, each in a group that has a test file. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases';
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
});
