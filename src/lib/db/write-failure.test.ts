import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { emptyChange } from '../coding/change';
import type { Coding } from '../model/types';
import { addTallies, classifyWriteFailure, withRoom, describeTally, emptyTally, storageFailureMessage, tallyChange, unsavedMessage } from './write-failure';

const quota = () => new DOMException('An attempt was made to add something to storage that exceeded the quota.', 'QuotaExceededError');

const coding = (id: string, extra: Partial<Coding> = {}): Coding => ({
  projectId: 'p',
  id,
  answerId: 'a',
  codeId: 'c',
  coderId: 'ana',
  start: null,
  end: null,
  createdAt: 1,
  ...extra,
});

describe('classifyWriteFailure', () => {
  it('recognises a full disk, bare or wrapped in the AbortError Dexie gives for an aborted transaction', () => {
    expect(classifyWriteFailure(quota())).toBe('no-room');
    expect(classifyWriteFailure(new Dexie.AbortError('QuotaExceededError An attempt was made…', quota()))).toBe('no-room');
    expect(classifyWriteFailure(new Dexie.QuotaExceededError('quota'))).toBe('no-room');
    // A connection closed because the reopen failed on a full disk: the cure is still disk space.
    expect(classifyWriteFailure(new Dexie.DatabaseClosedError(new Dexie.AbortError('x', quota())))).toBe('no-room');
  });

  it('finds the full disk behind the BulkError Chromium’s aborted requests give, once the transaction’s cause is attached', () => {
    const aborted = new DOMException('The transaction was aborted, so the request cannot be fulfilled.', 'AbortError');
    const bulk = new Dexie.BulkError('codingPages.bulkPut(): 1 of 1 operations failed.', { 0: aborted });
    expect(classifyWriteFailure(bulk)).toBe('aborted');
    Object.assign(bulk, { inner: quota() });
    expect(classifyWriteFailure(bulk)).toBe('no-room');
  });

  it('tells a closed connection, an abort, an unknown storage error and a bug apart', () => {
    expect(classifyWriteFailure(new Dexie.DatabaseClosedError())).toBe('closed');
    expect(classifyWriteFailure(new DOMException('The database connection is closing.', 'InvalidStateError'))).toBe('closed');
    expect(classifyWriteFailure(new Dexie.InvalidStateError('closing'))).toBe('closed');
    expect(classifyWriteFailure(new Dexie.AbortError('Transaction aborted'))).toBe('aborted');
    expect(classifyWriteFailure(new Dexie.UnknownError('Internal error'))).toBe('unknown');
    expect(classifyWriteFailure(new DOMException('Internal error.', 'UnknownError'))).toBe('unknown');
    expect(classifyWriteFailure(new Dexie.DataCloneError('could not be cloned'))).toBe('other');
    expect(classifyWriteFailure('a string')).toBe('other');
  });
});

describe('counting what was not saved', () => {
  it('counts codings added, removed and changed, exemplar marks, codebook, theme and resolution steps', () => {
    const added = tallyChange({
      label: 'add',
      forward: { ...emptyChange(), putCodings: [coding('1')] },
      inverse: { ...emptyChange(), deleteCodings: [coding('1')] },
    });
    expect(added).toMatchObject({ codingsAdded: 1, codingsRemoved: 0 });
    const removed = tallyChange({
      label: 'rm',
      forward: { ...emptyChange(), deleteCodings: [coding('1')] },
      inverse: { ...emptyChange(), putCodings: [coding('1')] },
    });
    expect(removed).toMatchObject({ codingsAdded: 0, codingsRemoved: 1 });
    const exemplar = tallyChange({
      label: 'ex',
      forward: { ...emptyChange(), putCodings: [coding('1', { exemplar: true })] },
      inverse: { ...emptyChange(), putCodings: [coding('1')] },
    });
    expect(exemplar).toMatchObject({ exemplars: 1, codingsChanged: 0 });
    // A suggested coding marked as an exemplar is still an exemplar mark; a change of its `suggested` mark is a change.
    const suggestedExemplar = tallyChange({
      label: 'ex',
      forward: { ...emptyChange(), putCodings: [coding('1', { suggested: true, exemplar: true })] },
      inverse: { ...emptyChange(), putCodings: [coding('1', { suggested: true })] },
    });
    expect(suggestedExemplar).toMatchObject({ exemplars: 1, codingsChanged: 0 });
    const provenance = tallyChange({
      label: 'ex',
      forward: { ...emptyChange(), putCodings: [coding('1', { exemplar: true })] },
      inverse: { ...emptyChange(), putCodings: [coding('1', { suggested: true })] },
    });
    expect(provenance).toMatchObject({ exemplars: 0, codingsChanged: 1 });
    const code = { projectId: 'p', id: 'c', parentId: null, name: 'C', color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order: 0 };
    const merge = tallyChange({
      label: 'merge',
      forward: { ...emptyChange(), deleteCodes: [code], putCodings: [coding('1', { codeId: 'd' })] },
      inverse: { ...emptyChange(), putCodes: [code], putCodings: [coding('1')] },
    });
    expect(merge).toMatchObject({ codebookChanges: 1, codingsChanged: 1 });
  });

  it('words the counts in a fixed order with plurals', () => {
    expect(describeTally(addTallies(emptyTally(), { codingsAdded: 9, memos: 1 }))).toBe('9 codings and 1 memo');
    expect(describeTally(addTallies(emptyTally(), { codingsAdded: 1, codingsRemoved: 2, codebookChanges: 1 }))).toBe(
      '1 coding, 2 coding removals and 1 codebook change',
    );
  });
});

describe('unsavedMessage', () => {
  const nine = addTallies(emptyTally(), { codingsAdded: 9, memos: 1 });
  it('names the reason, what was not saved and what to do', () => {
    expect(unsavedMessage(new Dexie.AbortError('QuotaExceededError', quota()), nine)).toBe(
      'The browser has no room left: 9 codings and 1 memo were not saved. Free some disk space, then Retry.',
    );
    expect(unsavedMessage(new Dexie.DatabaseClosedError(), addTallies(emptyTally(), { memos: 1 }))).toBe(
      'The database connection was closed: 1 memo was not saved. Retry reopens it.',
    );
    expect(unsavedMessage(new Dexie.AbortError('Transaction aborted'), nine)).toBe(
      'The browser stopped the write: 9 codings and 1 memo were not saved. If the disk is nearly full, free some space; then Retry.',
    );
    expect(unsavedMessage(new Dexie.UnknownError('Internal error'), nine)).toBe(
      'The browser could not write to its storage: 9 codings and 1 memo were not saved. If the disk is nearly full, free some space; then Retry.',
    );
    expect(unsavedMessage(new Dexie.DataCloneError('#<Object> could not be cloned.'), nine)).toBe(
      'Saving failed (DataCloneError: #<Object> could not be cloned.): 9 codings and 1 memo were not saved. Retry.',
    );
  });
});

describe('storageFailureMessage', () => {
  it('names a worker’s failed import or file by its cause instead of the raw error', () => {
    const full = new Dexie.AbortError('QuotaExceededError', quota());
    expect(storageFailureMessage('The import', full)).toBe(
      'The import failed: the browser has no room left. Nothing was stored. Free some disk space, then try again.',
    );
    expect(storageFailureMessage('Exporting', new Dexie.DatabaseClosedError(), false)).toBe(
      'Exporting failed: the database connection was closed. Try again: the connection is opened again.',
    );
  });
});

describe('withRoom', () => {
  it('names an unknown error, an abort or a closed connection a full disk when the browser estimates no room left', () => {
    const unknown = new Dexie.UnknownError('Internal error.');
    expect(classifyWriteFailure(withRoom(unknown, { usage: 5_000_000, quota: 5_200_000 }))).toBe('no-room');
    expect(classifyWriteFailure(withRoom(new Dexie.DatabaseClosedError(), { usage: 1, quota: 2 }))).toBe('no-room');
    expect(withRoom(unknown, { usage: 5_000_000, quota: 50_000_000 })).toBe(unknown);
    expect(withRoom(unknown, undefined)).toBe(unknown);
    const bug = new Dexie.DataCloneError('x');
    expect(withRoom(bug, { usage: 1, quota: 2 })).toBe(bug);
  });
});
