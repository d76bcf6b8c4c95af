import { describe, expect, it } from 'vitest';
import { checkStorageRoom, estimateStoredBytes } from './storage-room';

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
