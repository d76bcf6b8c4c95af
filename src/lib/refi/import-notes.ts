/**
 * `<Notes>` → memos. A Codebench memo is about one answer, respondent or code,
 * so a note becomes one memo per thing it is attached to: by a `<NoteRef>`
 * in a source, selection or coding (→ the answer), in a code (→ the code), or
 * by a `<Link>` between the note and a case, source, selection or code (how
 * ATLAS.ti ties memos to quotations, and how Codebench ties a memo to a
 * respondent, since cases cannot hold NoteRefs). Notes attached to nothing
 * (notes on the whole project) and links between other things are reported
 * as dropped.
 */
import type { ExchangeMemo, MemoTargetKind } from '../exchange/records';
import { CODEBENCH_GUID_NAMESPACE, uuidV5 } from './guid';
import type { Coders } from './import-people';
import { parseDateTime } from './names';
import type { RefiNote, RefiProject } from './refi-model';
import type { ReportBuilder } from './report';

export type MemoTarget = { kind: MemoTargetKind; id: string };

export interface NoteContext {
  refi: RefiProject;
  /** Notes referred to by NoteRefs, by note GUID. */
  noteTargets: Map<string, MemoTarget[]>;
  /** What a GUID at the other end of a link stands for (a source, selection, case or code). */
  linkTarget: (guid: string) => MemoTarget[] | undefined;
  /** The text of a note kept in a file (plainTextPath), if it can be read. */
  readNoteText: (path: string) => string | undefined;
  coders: Coders;
  /** Our own files: the note's name is a label we wrote, not part of the memo. */
  own: boolean;
  now: number;
}

/** Adds a target to a note's list, once. */
export function addNoteTarget(targets: Map<string, MemoTarget[]>, note: string, target: MemoTarget) {
  const list = targets.get(note) ?? [];
  if (!list.some((t) => t.kind === target.kind && t.id === target.id)) list.push(target);
  targets.set(note, list);
}

export function notesToMemos(ctx: NoteContext, r: ReportBuilder): ExchangeMemo[] {
  const notes = new Map(ctx.refi.notes.map((n) => [n.guid, n]));
  const targets = ctx.noteTargets;
  for (const link of ctx.refi.links) {
    const originIsNote = link.originGuid !== undefined && notes.has(link.originGuid);
    const targetIsNote = link.targetGuid !== undefined && notes.has(link.targetGuid);
    const note = originIsNote ? link.originGuid : targetIsNote ? link.targetGuid : undefined;
    const other = originIsNote ? link.targetGuid : link.originGuid;
    const about = note !== undefined && other !== undefined ? ctx.linkTarget(other) : undefined;
    if (note === undefined || about === undefined || about.length === 0) {
      r.drop(
        'link',
        'link between two items (other than a memo and what it is about)',
        'links between items (other than a memo and what it is about)',
        1,
        link.name,
      );
      continue;
    }
    for (const t of about) addNoteTarget(targets, note, t);
  }
  const memos: ExchangeMemo[] = [];
  for (const note of ctx.refi.notes) {
    const about = targets.get(note.guid) ?? [];
    if (about.length === 0) {
      const onProject = ctx.refi.noteRefs.includes(note.guid);
      r.drop(
        onProject ? 'projectNote' : 'looseNote',
        onProject ? 'note on the whole project' : 'note not attached to a document, case or code',
        onProject ? 'notes on the whole project' : 'notes not attached to a document, case or code',
        1,
        note.name,
      );
      continue;
    }
    const text = noteText(note, ctx);
    if (text === undefined) {
      r.drop('noteText', 'note whose text file is missing from the archive', 'notes whose text files are missing from the archive', 1, note.name);
      continue;
    }
    const coder = ctx.coders.of(note.creatingUser);
    const createdAt = parseDateTime(note.creationDateTime) ?? parseDateTime(note.modifiedDateTime) ?? ctx.now;
    about.forEach((target, i) => {
      memos.push({
        id: i === 0 ? note.guid : uuidV5(CODEBENCH_GUID_NAMESPACE, `memo\u001f${note.guid}\u001f${target.kind}\u001f${target.id}`),
        target,
        text,
        coderId: coder.id,
        coderName: coder.name,
        createdAt,
        updatedAt: parseDateTime(note.modifiedDateTime) ?? createdAt,
      });
    });
  }
  return memos;
}

/**
 * The memo text: for our own files the note's content; for others, the
 * note's name and description too (tools title their memos), separated by
 * blank lines. Undefined when the note's text file cannot be read.
 */
function noteText(note: RefiNote, ctx: NoteContext): string | undefined {
  let content = note.plainTextContent;
  if (content === undefined && note.plainTextPath !== undefined) {
    content = ctx.readNoteText(note.plainTextPath);
    if (content === undefined) return undefined;
  }
  if (ctx.own) return content ?? '';
  return [note.name, note.description, content].filter((p): p is string => p !== undefined && p.trim() !== '').join('\n\n');
}
