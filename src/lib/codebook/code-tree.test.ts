import { describe, expect, it } from 'vitest';
import type { Code } from '../model/types';
import { codeTree } from './code-tree';

const code = (id: string, parentId: string | null, order: number): Code => ({
  projectId: 'p',
  id,
  parentId,
  name: id,
  color: '#000000',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order,
});

describe('codeTree', () => {
  it('puts children after their parent, siblings in order, with depth', () => {
    const rows = codeTree([code('b', null, 1), code('a2', 'a', 1), code('a', null, 0), code('a1', 'a', 0), code('x', 'a1', 0)]);
    expect(rows.map((r) => `${r.code.id}:${r.depth}`)).toEqual(['a:0', 'a1:1', 'x:2', 'a2:1', 'b:0']);
  });

  it('shows an orphan at the top level instead of dropping it', () => {
    expect(codeTree([code('o', 'gone', 0)]).map((r) => r.depth)).toEqual([0]);
  });
});
