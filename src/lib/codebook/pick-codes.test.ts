import { describe, expect, it } from 'vitest';
import type { Code } from '../model/types';
import { codeTree } from './code-tree';
import { pickCodes } from './pick-codes';

const code = (id: string, name: string, parentId: string | null, order: number): Code => ({
  projectId: 'p',
  id,
  parentId,
  name,
  color: '#000000',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order,
});
const rows = codeTree([
  code('r', 'Rewards', null, 0),
  code('rc', 'Career progression', 'r', 0),
  code('c', 'Challenges', null, 1),
  code('ct', 'Time and workload', 'c', 0),
  code('e', 'Empathy', null, 2),
]);
const byId = new Map(rows.map((row) => [row.code.id, row]));
const pathOf = (row: (typeof rows)[number]) => {
  const parent = row.code.parentId ? byId.get(row.code.parentId) : undefined;
  return parent ? `${parent.code.name} › ${row.code.name}` : row.code.name;
};
const names = (query: string) => pickCodes(query, rows, pathOf).map((row) => row.code.name);

describe('pickCodes', () => {
  it('ranks a name start, then a word start, then a substring, then the parent path, then letters in order', () => {
    expect(names('c').slice(0, 2)).toEqual(['Career progression', 'Challenges']);
    expect(names('work')[0]).toBe('Time and workload');
    expect(names('prog')).toEqual(['Career progression']);
    expect(names('rwd')).toEqual(['Rewards']);
    expect(names('challenges')).toEqual(['Challenges', 'Time and workload']);
    expect(names('xyz')).toEqual([]);
  });

  it('lists every code when nothing is typed', () => {
    expect(names('  ')).toHaveLength(5);
  });
});
