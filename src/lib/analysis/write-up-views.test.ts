// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { aimmsInput } from './aimms-fixture';
import { buildAnalysisIndex } from './analysis-index';
import { AnalysisRequestError } from './analysis-project';
import { checkColumnCount, dimensionLabel, MAX_PREVALENCE_COLUMNS } from './write-up-views';

const index = buildAnalysisIndex(aimmsInput());

describe('checkColumnCount', () => {
  it('lets through a table within the limit', () => {
    expect(() => checkColumnCount(index, [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }], 4)).not.toThrow();
    expect(() => checkColumnCount(index, [], 1)).not.toThrow();
    expect(MAX_PREVALENCE_COLUMNS).toBe(500);
  });

  it('refuses more columns than the limit, naming the widest dimension (pair: 17 pairs and no value)', () => {
    const run = () => checkColumnCount(index, [{ kind: 'attribute', name: 'pair' }, { kind: 'wave' }], 20);
    expect(run).toThrow(AnalysisRequestError);
    expect(run).toThrow(
      'Splitting by pair and Wave would make more than 20 columns (“pair” alone has 18 values). Choose a dimension with fewer values, or filter the respondents.',
    );
  });

  it('names dimensions as tables do', () => {
    expect([dimensionLabel({ kind: 'attribute', name: 'role' }), dimensionLabel({ kind: 'wave' }), dimensionLabel({ kind: 'question' })]).toEqual([
      'role',
      'Wave',
      'Question',
    ]);
  });
});
