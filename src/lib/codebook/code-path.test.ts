// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { CODE_PATH_SEPARATOR, codePath, type CodePathNode } from './code-path';

const node = (id: string, name: string, parentId: string | null): CodePathNode => ({ id, name, parentId });
const byId = (nodes: CodePathNode[]) => new Map(nodes.map((n) => [n.id, n]));

describe('codePath', () => {
  const codes = byId([node('r', 'Rewards', null), node('c', 'Career', 'r'), node('p', 'Promotion', 'c'), node('s', 'Support', null)]);

  it('joins the names from the root down with " › "', () => {
    expect(CODE_PATH_SEPARATOR).toBe(' › ');
    expect(codePath('c', codes)).toBe('Rewards › Career');
    expect(codePath('p', codes)).toBe('Rewards › Career › Promotion');
  });

  it('is the name alone for a root code', () => {
    expect(codePath('s', codes)).toBe('Support');
  });

  it('takes another separator', () => {
    expect(codePath('p', codes, ' / ')).toBe('Rewards / Career / Promotion');
  });

  it('shows the id of a code that is not in the map', () => {
    expect(codePath('gone', codes)).toBe('gone');
  });

  it('stops at a parent that is missing, without naming it', () => {
    expect(codePath('x', byId([node('x', 'Orphan', 'deleted')]))).toBe('Orphan');
    expect(codePath('y', byId([node('x', 'Orphan', 'deleted'), node('y', 'Child', 'x')]))).toBe('Orphan › Child');
  });

  it('returns on a cycle in stored parent ids, each code once', () => {
    const cyclic = byId([node('a', 'A', 'b'), node('b', 'B', 'a')]);
    expect(codePath('a', cyclic)).toBe('B › A');
    expect(codePath('b', cyclic)).toBe('A › B');
    expect(codePath('s', byId([node('s', 'Self', 's')]))).toBe('Self');
  });
});
