import { describe, expect, it } from 'vitest';
import { sameCodebook, snapshotCodes, versionForRound } from './codebook-snapshot';
import type { Code, CodebookVersion } from '../model/types';

const code = (id: string, patch: Partial<Code> = {}): Code => ({
  projectId: 'p',
  id,
  parentId: null,
  name: id.toUpperCase(),
  color: '#123456',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
  ...patch,
});

const make = { projectId: 'p', id: 'v-new', createdBy: 'lead', at: 1000, label: 'Round 2' };

describe('codebook snapshots', () => {
  it('drops the project, keeps lineage, orders by id', () => {
    const codes = snapshotCodes([code('b', { mergedFromIds: ['x'] }), code('a', { splitFromId: 'b' })]);
    expect(codes.map((c) => c.id)).toEqual(['a', 'b']);
    expect(codes[0]).not.toHaveProperty('projectId');
    expect(codes[0].splitFromId).toBe('b');
    expect(codes[1].mergedFromIds).toEqual(['x']);
  });

  it('compares by content, not key or list order', () => {
    const one = snapshotCodes([code('a'), code('b')]);
    const other = snapshotCodes([code('b'), code('a')]).map((c) => Object.fromEntries(Object.entries(c).reverse()) as typeof c);
    expect(sameCodebook(one, other)).toBe(true);
    expect(sameCodebook(one, snapshotCodes([code('a'), code('b', { definition: 'sharper' })]))).toBe(false);
    expect(sameCodebook(one, snapshotCodes([code('a')]))).toBe(false);
  });

  it('reuses the latest version when nothing changed, otherwise numbers a new one after it', () => {
    const first = versionForRound([code('a')], [], make);
    expect(first.isNew).toBe(true);
    expect(first.version.number).toBe(1);
    const stored: CodebookVersion[] = [{ ...first.version, id: 'v1' }];
    const same = versionForRound([code('a')], stored, make);
    expect(same).toEqual({ version: stored[0], isNew: false });
    const changed = versionForRound([code('a', { name: 'Renamed' })], stored, make);
    expect(changed.isNew).toBe(true);
    expect(changed.version).toMatchObject({ id: 'v-new', number: 2, label: 'Round 2', createdBy: 'lead', createdAt: 1000 });
  });
});
