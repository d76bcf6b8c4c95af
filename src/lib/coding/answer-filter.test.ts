import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Coding } from '../model/types';
import { filterAnswers, isFiltering, NO_FILTER, type AnswerFilter, type FilterInput } from './answer-filter';

const coding = (answerId: string, codeId: string, coderId = 'ana'): Coding => ({
  projectId: 'p',
  id: `${answerId}-${codeId}-${coderId}`,
  answerId,
  codeId,
  coderId,
  start: null,
  end: null,
  createdAt: 0,
});

function input(): FilterInput {
  const answerIds = ['a1', 'a2', 'a3', 'a4'];
  const codings: Coding[] = [coding('a1', 'rewards'), coding('a2', 'time'), coding('a2', 'empathy', 'ben'), coding('a4', 'rewards', 'ben')];
  const roles: Record<string, string> = { E01: 'mentee', M01: 'mentor', E02: 'mentee', M02: 'mentor' };
  return {
    answerIds,
    waveIds: ['baseline', 'baseline', '6-months', '6-months'],
    respondentIds: ['E01', 'M01', 'E02', 'M02'],
    attributeOf: (respondentId, name) => (name === 'role' ? roles[respondentId] : ''),
    codingsOf: (answerId) => codings.filter((c) => c.answerId === answerId),
    hasMemo: (answerId) => answerId === 'a3',
    subtreeOf: (codeId) => (codeId === 'challenges' ? ['challenges', 'time'] : [codeId]),
  };
}

const run = (filter: Partial<AnswerFilter>) => filterAnswers(input(), { ...NO_FILTER, ...filter });

describe('filterAnswers', () => {
  it('passes everything with no filter', () => {
    expect(run({})).toEqual([0, 1, 2, 3]);
    expect(isFiltering(NO_FILTER)).toBe(false);
  });

  it('keeps the answers of a round, combined with the other filters; an unknown round passes nothing', () => {
    const withRound = { ...input(), roundAnswers: (id: string) => (id === 'pilot' ? new Set(['a2', 'a3', 'a4']) : null) };
    expect(filterAnswers(withRound, { ...NO_FILTER, roundId: 'pilot' })).toEqual([1, 2, 3]);
    expect(filterAnswers(withRound, { ...NO_FILTER, roundId: 'pilot', waveId: '6-months', uncodedOnly: true })).toEqual([2]);
    expect(filterAnswers(withRound, { ...NO_FILTER, roundId: 'gone' })).toEqual([]);
    expect(isFiltering({ ...NO_FILTER, roundId: 'pilot' })).toBe(true);
  });

  it('filters by wave, attribute, memo and search hits, combined', () => {
    expect(run({ waveId: '6-months' })).toEqual([2, 3]);
    expect(run({ attributes: { role: 'mentee' } })).toEqual([0, 2]);
    expect(run({ attributes: { role: 'mentee' }, waveId: '6-months' })).toEqual([2]);
    expect(run({ hasMemo: true })).toEqual([2]);
    expect(run({ searchMask: Uint8Array.from([0, 1, 0, 1]), attributes: { role: 'mentor' } })).toEqual([1, 3]);
    expect(run({ attributes: { role: '' } })).toEqual([0, 1, 2, 3]);
  });

  it('filters by code with or without its subcodes, and by coder', () => {
    expect(run({ codeId: 'challenges' })).toEqual([1]);
    expect(run({ codeId: 'challenges', includeSubcodes: false })).toEqual([]);
    expect(run({ codeId: 'rewards' })).toEqual([0, 3]);
    expect(run({ codeId: 'rewards', coderId: 'ben' })).toEqual([3]);
    expect(run({ coderId: 'ben' })).toEqual([1, 3]);
  });

  it('keeps uncoded answers, by anyone or by one coder', () => {
    expect(run({ uncodedOnly: true })).toEqual([2]);
    expect(run({ uncodedOnly: true, coderId: 'ben' })).toEqual([0, 2]);
  });

  it('only ever narrows: adding a filter never adds an answer', () => {
    fc.assert(
      fc.property(
        fc.record({ waveId: fc.constantFrom(null, 'baseline', '6-months'), hasMemo: fc.boolean(), uncodedOnly: fc.boolean() }),
        fc.constantFrom(null, 'rewards', 'challenges'),
        (base, codeId) => {
          const wider = run(base);
          const narrower = run({ ...base, codeId });
          return narrower.every((p) => wider.includes(p));
        },
      ),
    );
  });
});
