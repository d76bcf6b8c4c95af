import { describe, expect, it } from 'vitest';
import { buildAgreementTable } from '../agreement/answer-agreement';
import type { Code, CodebookVersion, RoundAgreement } from '../model/types';
import { snapshotCodes } from './codebook-snapshot';
import { agreementToStore, computedOnText, roundAgreementRecord, storeDecision } from './round-agreement';

function code(id: string, extra: Partial<Code> = {}): Code {
  return { projectId: 'p', id, parentId: null, name: id, color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0, ...extra };
}

/** Code x: both coders on answers 0–3, only the first on 4–5; code y: never present (α undefined). */
const table = buildAgreementTable(
  {
    answerIds: Array.from({ length: 10 }, (_, i) => `a${i}`),
    coderIds: ['ana', 'ben'],
    codeIds: ['x', 'y'],
    present: (coder, answer) => (answer < 4 || (coder === 0 && answer < 6) ? ['x'] : []),
  },
  { bootstrapSamples: 0 },
);

const stored = (versionId: string, coderIds = ['ana', 'ben']): RoundAgreement => ({
  computedAt: 1,
  coderIds,
  codebookVersionId: versionId,
  includeSubcodes: true,
  uncodedAs: 'absent',
  answers: 10,
  rows: [],
});

describe('roundAgreementRecord', () => {
  it('keeps α, κ, n, prevalence and the 2×2 table per code as plain numbers, null where undefined', () => {
    const record = roundAgreementRecord(table, { computedAt: 5, codebookVersionId: 'v1', includeSubcodes: false, uncodedAs: 'missing' });
    const x = table.rows.find((r) => r.codeId === 'x')!;
    expect(record).toEqual({
      computedAt: 5,
      coderIds: ['ana', 'ben'],
      codebookVersionId: 'v1',
      includeSubcodes: false,
      uncodedAs: 'missing',
      answers: 10,
      rows: [
        {
          codeId: 'x',
          alpha: 'value' in x.statistics.krippendorffAlpha ? x.statistics.krippendorffAlpha.value : NaN,
          kappa: 'value' in x.statistics.cohenKappa ? x.statistics.cohenKappa.value : NaN,
          units: 10,
          prevalence: x.prevalence,
          pair: { bothPresent: 4, aOnly: 2, bOnly: 0, bothAbsent: 4 },
        },
        { codeId: 'y', alpha: null, kappa: null, units: 10, prevalence: 0, pair: { bothPresent: 0, aOnly: 0, bOnly: 0, bothAbsent: 10 } },
      ],
    });
    // Survives structured cloning (IndexedDB, the project file) unchanged.
    expect(structuredClone(record)).toEqual(record);
  });
});

describe('storeDecision', () => {
  it('replaces only a computation by the same coders on the same codebook version', () => {
    expect(storeDecision({ coderIds: [] }, ['ana', 'ben'], 'v1')).toBe('store');
    expect(storeDecision({ coderIds: ['ana', 'ben'] }, ['ben', 'ana'], 'v1')).toBe('store');
    expect(storeDecision({ coderIds: ['ana', 'ben'] }, ['ana', 'consensus'], 'v1')).toBe('other-coders');
    expect(storeDecision({ coderIds: ['ana', 'ben'], agreement: stored('v1') }, ['ana', 'ben'], 'v1')).toBe('store');
    expect(storeDecision({ coderIds: ['ana', 'ben'], agreement: stored('v1') }, ['ana', 'ben'], 'v2')).toBe('codebook-changed');
    expect(storeDecision({ coderIds: [], agreement: stored('v1', ['ana', 'cy']) }, ['ana', 'ben'], 'v1')).toBe('other-coders');
  });
});

describe('agreementToStore', () => {
  const v1: CodebookVersion = { projectId: 'p', id: 'v1', number: 1, label: '', createdAt: 0, createdBy: 'ana', codes: snapshotCodes([code('x'), code('y')]) };
  const make = { projectId: 'p', id: 'new', createdBy: 'ana', at: 9, label: 'Round 1 · agreement' };
  const settings = { includeSubcodes: true, uncodedAs: 'absent' as const };

  it('records the latest version while the codebook is unchanged', () => {
    const out = agreementToStore({ round: { coderIds: [] }, versions: [v1], codes: [code('y'), code('x')], table, settings, make });
    expect(out).toMatchObject({ decision: 'store', isNew: false, version: { id: 'v1' }, agreement: { codebookVersionId: 'v1', computedAt: 9 } });
  });

  it('freezes a new version when the codebook changed, and keeps an earlier record unless forced', () => {
    const codes = [code('x', { mergedFromIds: ['z'] }), code('y')];
    const round = { coderIds: ['ana', 'ben'], agreement: stored('v1') };
    const kept = agreementToStore({ round, versions: [v1], codes, table, settings, make });
    expect(kept).toMatchObject({ decision: 'codebook-changed', isNew: true, version: { id: 'new', number: 2 } });
    expect(kept.version.codes.find((c) => c.id === 'x')?.mergedFromIds).toEqual(['z']);
    expect(agreementToStore({ round, versions: [v1], codes, table, settings, make, force: true }).decision).toBe('store');
  });
});

describe('computedOnText', () => {
  it('names the day and the version', () => {
    expect(computedOnText(Date.UTC(2026, 11, 5, 12), 2)).toBe('as computed on 5 Dec 2026, codebook version 2');
    expect(computedOnText(Date.UTC(2026, 11, 5, 12), null)).toBe('as computed on 5 Dec 2026');
  });
});

describe('storeDecision over codes', () => {
  it('keeps a stored record over more codes than the new computation, on the same codebook', () => {
    const record = {
      ...stored('v1'),
      rows: [
        { codeId: 'x', alpha: 1, kappa: 1, units: 1, prevalence: 1 },
        { codeId: 'y', alpha: 1, kappa: 1, units: 1, prevalence: 1 },
      ],
    };
    expect(storeDecision({ coderIds: ['ana', 'ben'], agreement: record }, ['ana', 'ben'], 'v1', ['x'])).toBe('fewer-codes');
    expect(storeDecision({ coderIds: ['ana', 'ben'], agreement: record }, ['ana', 'ben'], 'v1', ['x', 'y', 'z'])).toBe('store');
  });
});
