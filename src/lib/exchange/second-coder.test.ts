// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ExchangeError } from './exchange-error';
import { readProjectFile, writeProjectFile, type ProjectFileInput } from './project-file';
import { secondCoderFileInput } from './second-coder';
import { A1, A3, A4, sampleProjectFile, T0 } from './test-fixtures';
import type { ExchangeCodebookVersion, ExchangeRound } from './round-records';

/** The sample project with a round over two answers, frozen with a codebook that lacks the codes added since. */
function withRound(): ProjectFileInput & { rounds: ExchangeRound[]; codebookVersions: ExchangeCodebookVersion[] } {
  const data = sampleProjectFile();
  // Lineage travels with a version, so its diff against the next can say "merged" and "split".
  const frozen = data.codes
    .filter((c) => c.parentId === null)
    .slice(0, 1)
    .map((c) => ({ ...c, mergedFromIds: ['code-merged-away'], splitFromId: 'code-split-from' }));
  const version: ExchangeCodebookVersion = { id: 'v1', number: 1, label: 'Pilot codebook', createdAt: T0, createdBy: 'coder-alice', codes: frozen };
  const round: ExchangeRound = {
    id: 'round-1',
    number: 1,
    name: 'Pilot',
    createdAt: T0,
    createdBy: 'coder-alice',
    sample: { size: { kind: 'count', count: 2 }, seed: 7, questionIds: [], waveIds: [], strata: [{ kind: 'wave' }, { kind: 'attribute', name: 'role' }] },
    answerIds: [A1, A3],
    codebookVersionId: 'v1',
    coderIds: ['coder-alice'],
    agreement: {
      computedAt: T0,
      coderIds: ['coder-alice', 'coder-bob'],
      codebookVersionId: 'v1',
      includeSubcodes: false,
      uncodedAs: 'absent',
      answers: 2,
      rows: [{ codeId: frozen[0].id, alpha: 0.61, kappa: null, units: 2, prevalence: 0.5, pair: { bothPresent: 1, aOnly: 0, bOnly: 0, bothAbsent: 1 } }],
    },
  };
  return { ...data, rounds: [round], codebookVersions: [version] };
}

describe('a file for a second coder', () => {
  it('carries the answers and codebook, and no codings, memos, coders, resolutions or themes', () => {
    const data = sampleProjectFile();
    expect(data.codings.length).toBeGreaterThan(0);
    expect(data.memos.length).toBeGreaterThan(0);
    const text = writeProjectFile(secondCoderFileInput(data, null));
    const read = readProjectFile(text);
    expect(read.purpose).toBe('second-coder');
    expect(read.roundId).toBeUndefined();
    expect(read.codings).toEqual([]);
    expect(read.memos).toEqual([]);
    expect(read.coders).toEqual([]);
    expect(read.resolutions).toBeUndefined();
    expect(read.themes).toBeUndefined();
    expect(read.answers.map((a) => a.id).sort()).toEqual(data.answers.map((a) => a.id).sort());
    expect(read.codes.map((c) => c.id).sort()).toEqual(data.codes.map((c) => c.id).sort());
    // Nothing of the coder or their memos is anywhere in the text.
    expect(text).not.toContain('Alice');
    expect(text).not.toContain('coder-alice');
    for (const memo of data.memos) expect(text).not.toContain(memo.text);
  });

  it('with a round: only its answers and respondents, the codebook of its version, the round and the version', () => {
    const data = withRound();
    const read = readProjectFile(writeProjectFile(secondCoderFileInput(data, 'round-1')));
    expect(read.roundId).toBe('round-1');
    expect(read.answers.map((a) => a.id).sort()).toEqual([A1, A3].sort());
    expect(read.respondents.map((r) => r.id)).toEqual(['R001']);
    expect(read.codes).toEqual(data.codebookVersions[0].codes);
    expect(read.codebookVersions).toEqual(data.codebookVersions);
    // The round's coders and the agreement measured on it rest on the first coder's work: neither travels.
    const { agreement: _agreement, ...round } = data.rounds[0];
    expect(read.rounds).toEqual([{ ...round, coderIds: [] }]);
    expect(read.codings).toEqual([]);
  });

  it('refuses a round that is not there', () => {
    expect(() => secondCoderFileInput(withRound(), 'round-9')).toThrow(ExchangeError);
  });
});

describe('reading purpose, rounds and versions', () => {
  const tamper = (change: (o: Record<string, unknown>) => void, data: ProjectFileInput = secondCoderFileInput(withRound(), 'round-1')) => {
    const o = JSON.parse(writeProjectFile(data)) as Record<string, unknown>;
    change(o);
    return () => readProjectFile(JSON.stringify(o));
  };

  it('refuses an unknown purpose with a message, not a crash', () => {
    expect(tamper((o) => (o.purpose = 'everything'))).toThrow(/"purpose" must be "second-coder" when present, but it is .*everything/);
    expect(tamper((o) => (o.purpose = 3))).toThrow(ExchangeError);
  });

  it('refuses a second coder’s file that carries codings, memos or coders', () => {
    // A backup with everyone's codings, relabelled as a second coder's file.
    expect(tamper((o) => (o.purpose = 'second-coder'), sampleProjectFile())).toThrow(/says it is for a second coder but carries/);
    const full = JSON.parse(writeProjectFile(sampleProjectFile())) as Record<string, unknown>;
    expect(tamper((o) => (o.memos = full.memos), secondCoderFileInput(sampleProjectFile(), null))).toThrow(/says it is for a second coder but carries/);
    expect(tamper((o) => (o.coders = full.coders), secondCoderFileInput(sampleProjectFile(), null))).toThrow(/says it is for a second coder but carries/);
  });

  it('refuses a round id that is not among the rounds, a round id without a purpose, and a round whose version is missing', () => {
    expect(tamper((o) => (o.roundId = 'round-9'))).toThrow(/"roundId" "round-9" is not among the rounds/);
    expect(tamper((o) => delete o.purpose)).toThrow(/"roundId" is only written in a file for a second coder/);
    expect(tamper((o) => (o.codebookVersions = []))).toThrow(/rounds\[0\]\.codebookVersionId "v1" is not among the codebook versions/);
    expect(tamper((o) => ((o.rounds as { answerIds: string[] }[])[0].answerIds = [A4]))).toThrow(/rounds\[0\]\.answerIds\[0\] is not an answer in this file/);
  });

  it('round-trips rounds and versions in a backup, canonically', () => {
    const data = withRound();
    const text = writeProjectFile(data);
    const read = readProjectFile(text);
    expect(read.rounds).toEqual(data.rounds);
    expect(read.rounds?.[0].agreement?.rows[0].alpha).toBe(0.61);
    expect(read.codebookVersions).toEqual(data.codebookVersions);
    expect(read.codebookVersions?.[0].codes[0]).toMatchObject({ mergedFromIds: ['code-merged-away'], splitFromId: 'code-split-from' });
    expect(read.purpose).toBeUndefined();
    expect(writeProjectFile(read)).toBe(text);
  });

  it('refuses a stored round agreement whose statistic is not a number', () => {
    const doc = JSON.parse(writeProjectFile(withRound())) as { rounds: { agreement: { rows: { alpha: unknown }[] } }[] };
    doc.rounds[0].agreement.rows[0].alpha = 'high';
    expect(() => readProjectFile(JSON.stringify(doc))).toThrow(/rounds\[0\]\.agreement\.rows\[0\]\.alpha must be a number or null/);
  });

  it('still opens a file written before rounds existed', () => {
    const old = JSON.parse(writeProjectFile(sampleProjectFile())) as Record<string, unknown>;
    expect('rounds' in old || 'codebookVersions' in old || 'purpose' in old).toBe(false);
    const read = readProjectFile(JSON.stringify(old));
    expect(read.rounds).toBeUndefined();
    expect(read.codings.length).toBe(sampleProjectFile().codings.length);
  });
});
