// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenCodebook, parseCodebookJson } from '../codebook/codebook-json';
import { codebookJson, codebookMarkdown } from './codebook-export';
import { codebookRows } from './codebook-rows';
import { codeCounts } from './counts';
import { sampleSource } from './test-data';

describe('codebook JSON', () => {
  it('round-trips through the codebook reader: ids, tree, order and texts', () => {
    const codes = sampleSource().codes;
    const file = parseCodebookJson(codebookJson('AIMMS & co', 'Starter <codebook>', codes));
    expect(file.name).toBe('AIMMS & co');
    expect(file.description).toBe('Starter <codebook>');
    const back = flattenCodebook(file, 'p', (node) => node.id);
    const plain = (c: (typeof codes)[number]) => ({ ...c });
    expect(back.map(({ projectId, ...rest }) => (expect(projectId).toBe('p'), rest))).toEqual(
      codebookRows(codes).map((row) => plain(codes.find((c) => c.id === row.id)!)),
    );
  });

  it('round-trips the shipped starter codebook', () => {
    const text = readFileSync(new URL('../../../codebooks/aimms-evaluation.json', import.meta.url), 'utf8');
    const original = parseCodebookJson(text);
    const codes = flattenCodebook(original, 'p', (node) => node.id);
    expect(parseCodebookJson(codebookJson(original.name, original.description, codes))).toEqual(original);
  });
});

describe('codebook Markdown', () => {
  const rows = () => codebookRows(sampleSource().codes, codeCounts(sampleSource()));

  it('nests a heading per code with its definition, criteria, example and counts', () => {
    const md = codebookMarkdown('Codebook', rows(), { description: 'For the *pilot*.' });
    expect(md).toBe(
      [
        '# Codebook',
        'For the \\*pilot\\*.',
        '## Rewards',
        'What was rewarding.\\\nAny kind.',
        '*1 answer, 1 coding, 1 respondent.*',
        '### Career',
        '*1 answer, 1 coding, 1 respondent.*',
        '### Mentor \\<script>alert(1)\\</script>',
        '*1 answer, 2 codings, 1 respondent.*',
        '## Barriers',
        'What got in the way.',
        '*0 answers, 0 codings, 0 respondents.*',
        '### Time',
        '**Include when:** Mentions time \\| workload',
        '**Exclude when:** Money',
        '**Example:**\n\n> “too little time”',
        '*1 answer, 1 coding, 1 respondent.*',
      ].join('\n\n') + '\n',
    );
  });

  it('or lays the codebook out as one table with paths and counts', () => {
    const md = codebookMarkdown('Codebook', rows(), { layout: 'table', level: 2 });
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('## Codebook');
    expect(lines[2]).toBe('| Code | Definition | Include when | Exclude when | Example | Answers | Codings |');
    expect(lines[3]).toBe('| --- | --- | --- | --- | --- | ---: | ---: |');
    expect(lines[4]).toBe('| Rewards | What was rewarding.<br>Any kind. |  |  |  | 1 | 1 |');
    expect(lines[6]).toBe('| Rewards › Mentor \\<script>alert(1)\\</script> |  |  |  |  | 1 | 2 |');
    expect(lines[8]).toBe('| Barriers › Time |  | Mentions time \\| workload | Money | “too little time” | 1 | 1 |');
  });

  it('keeps deep codes readable past six heading levels', () => {
    const codes = Array.from({ length: 7 }, (_, i) => ({ ...sampleSource().codes[0], id: `c${i}`, name: `L${i}`, parentId: i === 0 ? null : `c${i - 1}` }));
    const md = codebookMarkdown('Deep', codebookRows(codes));
    expect(md).toContain('###### L4\n');
    expect(md).toContain('###### L0 › L1 › L2 › L3 › L4 › L5\n');
  });

  it('says so when there are no codes', () => {
    expect(codebookMarkdown('Empty', [])).toBe('# Empty\n\nNo codes yet.\n');
  });
});
