import { describe, expect, it } from 'vitest';
import type { VersionedCode } from '../model/types';
import { codebookDiffToCsv, codebookDiffToMarkdown, describeChange, diffCodebookVersions } from './version-diff';

function code(id: string, parentId: string | null, order: number, name = id, extra: Partial<VersionedCode> = {}): VersionedCode {
  return { id, parentId, name, color: '#009e73', definition: '', inclusion: '', exclusion: '', example: '', order, ...extra };
}

const v1 = [
  code('c', null, 0, 'Challenges'),
  code('t', 'c', 0, 'Time', { definition: 'Not enough time.' }),
  code('w', 'c', 1, 'Workload'),
  code('r', null, 1, 'Rewards'),
  code('m', 'r', 0, 'Money'),
  code('o', null, 2, 'Other'),
];

describe('diffCodebookVersions', () => {
  it('finds nothing between a version and itself, and ignores colour and a reorder among siblings', () => {
    expect(diffCodebookVersions(v1, v1)).toEqual([]);
    const recoloured = v1.map((c) => (c.id === 'w' ? { ...c, color: '#000000', order: 0 } : c.id === 't' ? { ...c, order: 1 } : c));
    expect(diffCodebookVersions(v1, recoloured)).toEqual([]);
  });

  it('reports added, deleted, renamed, moved and text changes by id, with readable paths', () => {
    const v2 = [
      code('c', null, 0, 'Pressures'), // renamed: children's paths follow, but they did not move
      code('t', 'c', 0, 'Time', { definition: 'Too little time to do the work well.', inclusion: 'Deadlines' }),
      code('r', null, 1, 'Rewards'),
      code('m', 'r', 0, 'Money'),
      code('w', 'r', 1, 'Workload'), // moved under Rewards
      code('n', null, 2, 'New'),
    ];
    const changes = diffCodebookVersions(v1, v2);
    expect(changes.map((c) => [c.kind, c.code, c.from, c.to])).toEqual([
      ['added', 'New', '', ''],
      ['deleted', 'Other', '', ''],
      ['renamed', 'Pressures', 'Challenges', 'Pressures'],
      ['moved', 'Rewards › Workload', 'Challenges', 'Rewards'],
      ['definition', 'Pressures › Time', 'Not enough time.', 'Too little time to do the work well.'],
      ['inclusion', 'Pressures › Time', '', 'Deadlines'],
    ]);
  });

  it('reports a move to the top level with an empty parent path', () => {
    const v2 = v1.map((c) => (c.id === 'm' ? { ...c, parentId: null, order: 3 } : c));
    const [change] = diffCodebookVersions(v1, v2);
    expect(change).toMatchObject({ kind: 'moved', code: 'Money', from: 'Rewards', to: '' });
    expect(describeChange(change)).toBe('Moved “Money” from “Rewards” to the top level');
  });

  it('says merged, not deleted, when a newer code lists the missing one in mergedFromIds', () => {
    const v2 = v1.filter((c) => c.id !== 't').map((c) => (c.id === 'w' ? { ...c, mergedFromIds: ['t'], order: 0 } : c));
    const changes = diffCodebookVersions(v1, v2);
    expect(changes).toEqual([
      { kind: 'merged', codeId: 't', code: 'Challenges › Time', from: 'Challenges › Time', to: 'Challenges › Workload', otherCodeId: 'w' },
    ]);
    expect(describeChange(changes[0])).toBe('Merged “Challenges › Time” into “Challenges › Workload”');
  });

  it('says split, not added, when a new code names its origin in splitFromId', () => {
    const v2 = [...v1, code('d', 'c', 2, 'Deadlines', { splitFromId: 't' })];
    const changes = diffCodebookVersions(v1, v2);
    expect(changes).toEqual([
      { kind: 'split', codeId: 'd', code: 'Challenges › Deadlines', from: 'Challenges › Time', to: 'Challenges › Deadlines', otherCodeId: 't' },
    ]);
    // An origin that exists in neither version says nothing: the code is simply new.
    expect(diffCodebookVersions(v1, [...v1, code('x', null, 3, 'X', { splitFromId: 'gone' })]).map((c) => c.kind)).toEqual(['added']);
  });

  it('survives a parent cycle and a missing parent', () => {
    const broken = [code('a', 'b', 0, 'A'), code('b', 'a', 0, 'B'), code('z', 'missing', 0, 'Z')];
    expect(diffCodebookVersions(broken, broken)).toEqual([]);
    expect(diffCodebookVersions([], broken).map((c) => c.code)).toEqual(['Z', 'A', 'B']);
  });
});

describe('rendering', () => {
  it('writes Markdown with both versions named and user text escaped', () => {
    const v2 = v1.map((c) => (c.id === 'o' ? { ...c, name: 'Other *stuff* | misc' } : c));
    const markdown = codebookDiffToMarkdown(diffCodebookVersions(v1, v2), { number: 1, label: 'Pilot' }, { number: 2, label: '' });
    expect(markdown).toBe(
      '## Codebook changes from version 1 (Pilot) to version 2\n\n- Renamed “Other” to “Other \\*stuff\\* \\| misc” (now “Other \\*stuff\\* \\| misc”)\n',
    );
    expect(codebookDiffToMarkdown([], { number: 1, label: '' }, { number: 1, label: '' })).toContain('No changes to the codes.');
  });

  it('writes CSV change,code,from,to with formulas neutralised', () => {
    const v2 = v1.map((c) => (c.id === 't' ? { ...c, definition: '=HYPERLINK("x")' } : c));
    expect(codebookDiffToCsv(diffCodebookVersions(v1, v2))).toBe(
      'change,code,from,to\r\ndefinition,Challenges › Time,Not enough time.,"\'=HYPERLINK(""x"")"\r\n',
    );
  });
});
