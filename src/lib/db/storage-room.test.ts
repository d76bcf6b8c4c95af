import { describe, expect, it } from 'vitest';
import { checkStorageRoom, describeRoom, estimateStoredBytes, FILE_EXPANSION, importRoomWarning } from './storage-room';

describe('checkStorageRoom', () => {
  it('lets an import through when there is room, or when the browser gives no quota', () => {
    expect(() => checkStorageRoom(1000, { usage: 0, quota: 10_000 })).not.toThrow();
    expect(() => checkStorageRoom(1e12, undefined)).not.toThrow();
  });

  it('refuses, naming the sizes, when the file would not fit', () => {
    expect(() => checkStorageRoom(300e6, { usage: 950e6, quota: 1000e6 })).toThrow(/about 300 MB .* only 50 MB is free/);
  });

  it('estimates two bytes a character plus a little per text', () => {
    expect(estimateStoredBytes(['abc', ''])).toBe((3 + 16 + 16) * 2);
  });
});

describe('importRoomWarning and describeRoom', () => {
  it('warns when the file times the expansion factor will not fit the free room', () => {
    expect(importRoomWarning(10e6, { usage: 0, quota: 1e9 })).toBeNull();
    expect(importRoomWarning(10e6, undefined)).toBeNull();
    expect(importRoomWarning(100e6, { usage: 700e6, quota: 900e6 })).toBe(
      `This file will need about ${(100 * FILE_EXPANSION).toLocaleString('en')} MB of browser storage, but only 200 MB is free: the import will probably fail. ` +
        'Free some disk space or delete projects you no longer need first.',
    );
  });

  it('says how much room is left and used', () => {
    expect(describeRoom({ usage: 12e6, quota: 824e6 })).toBe('About 812 MB free for Codebench in this browser (12 MB used).');
    expect(describeRoom({ usage: 189e3, quota: 2.5e9 })).toBe('About 2.5 GB free for Codebench in this browser (1 MB used).');
    expect(describeRoom(undefined)).toBeNull();
  });
});
