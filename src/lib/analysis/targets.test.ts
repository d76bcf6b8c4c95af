// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex } from './analysis-index';
import { targetLabel, targetName, type Target } from './targets';
import { fixtureInput } from './test-fixtures';

describe('target names', () => {
  const index = buildAnalysisIndex(fixtureInput());
  const targets: Target[] = [
    { kind: 'code', codeId: 'A' },
    { kind: 'code-with-subcodes', codeId: 'A' },
    { kind: 'theme', themeId: 'T' },
    { kind: 'code-with-subcodes', codeId: 'gone' },
  ];

  it('gives the plain name for charts, where targetLabel marks a code counted with its subcodes', () => {
    expect(targets.map((t) => targetName(index, t))).toEqual(['Code A', 'Code A', 'Theme T', 'gone']);
    expect(targets.map((t) => targetLabel(index, t))).toEqual(['Code A', 'Code A (with subcodes)', 'Theme T', 'gone (with subcodes)']);
  });
});
