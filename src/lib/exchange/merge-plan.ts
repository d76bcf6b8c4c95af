/**
 * Merging another coder's file into a project, as a plan: what to put, and a
 * report of what that adds. Pure; the caller writes the plan in one
 * transaction (or refuses it) and can show the report first.
 *
 * Rules (also in docs/exchange-format.md):
 * - Everything matches by id. Codings, codes and memos are only added or
 *   updated, never deleted: a coding the other coder removed stays here.
 * - A coding identical to one already here (same answer, code, coder, start,
 *   end: whatever its id) is already present. A coding whose id exists here
 *   with other content replaces it when the one here is the same coder's (the
 *   coder widened a passage or merged codes since the last exchange: their
 *   file is their latest word), unless that content is already here under
 *   another id (merge-codings.ts); when the one here is another coder's (an id
 *   clash, which random UUIDs make unlikely), both are kept, the incoming one
 *   under a derived id. So importing the same file twice adds nothing.
 * - Codes of the file's codebook unknown here are added so no coding loses
 *   its code: under their parent, after its children (a clashing sibling name
 *   gets the coder's name in brackets). Codes known here keep their local
 *   name and place; differences are reported.
 * - Memos: by id; the one updated last wins, as when two coders edit a memo.
 * - Refused (ExchangeError, nothing planned): codings on answers this project
 *   does not have, or passages that end past their answer's text here.
 *   They could not be shown, and importing the rest would drop them silently.
 */
import { answerParts } from '../coding/coding-pages';
import { codePointLength } from '../coding/offsets';
import type { Code, Coder, Coding } from '../model/types';
import type { CoderFile } from './coder-file';
import { ExchangeError } from './exchange-error';
import { planCodes } from './merge-codes';
import { planCodings } from './merge-codings';
import { foldName, type ProjectMemo } from './records';
import { plural } from './words';

export interface MergeCurrent {
  codes: readonly Code[];
  coders: readonly Coder[];
  codings: readonly Coding[];
  memos: readonly ProjectMemo[];
  /** The stored text of an answer of this project; undefined when the project has no such answer. */
  answerTexts: (answerId: string) => string | undefined;
  /** Who codes in this browser, if known, to tell them when the file carries their own id. */
  localCoder?: { id: string; name: string };
}

export interface MergeReport {
  codingsAdded: number;
  /** Identical codings already here (by id or by content). */
  codingsAlreadyPresent: number;
  /** The same coder's codings here replaced by their newer version. */
  codingsUpdated: number;
  /** Codings whose id another coder's coding has here: added under a derived id. */
  codingsReidentified: number;
  /** Names of the codes added (as added, after any renaming). */
  codesAdded: string[];
  memosAdded: number;
  memosUpdated: number;
  /** Passages being added whose answer text differs here (by fingerprint): they may point at other words. */
  changedAnswerTexts: number;
}

export interface MergePlan {
  /** The coder to put (the record already here when the id is known, so a local name is kept). */
  coder: Coder;
  /** Codes to add, parents before children. */
  newCodes: Code[];
  /** Codings to put: new ones and replacements (same id). */
  codings: Coding[];
  /** Memos to put: new ones and newer versions (same id). */
  memos: ProjectMemo[];
  report: MergeReport;
  warnings: string[];
}

function describeAnswer(id: string): string {
  const { questionId, waveId, respondentId } = answerParts(id);
  return `question ${JSON.stringify(questionId)}, wave ${JSON.stringify(waveId)}, respondent ${JSON.stringify(respondentId)}`;
}

/** Refuses codings that could not be shown here, before anything is planned. */
function checkAnswers(current: MergeCurrent, incoming: CoderFile): void {
  const unknown = new Set<string>();
  let outside = 0;
  let firstOutside = '';
  for (const c of incoming.codings) {
    const text = current.answerTexts(c.answerId);
    if (text === undefined) unknown.add(c.answerId);
    else if (c.end !== null && c.end > codePointLength(text)) {
      if (outside++ === 0) firstOutside = c.answerId;
    }
  }
  if (unknown.size > 0) {
    const example = unknown.values().next().value as string;
    throw new ExchangeError(
      `Nothing was imported: ${incoming.coder.name}'s file codes ${plural(unknown.size, 'answer')} that this project does not have (for example ${describeAnswer(example)}). Import those answers into this project first, or open the project the file was exported from.`,
    );
  }
  if (outside > 0) {
    throw new ExchangeError(
      `Nothing was imported: ${plural(outside, 'passage')} in ${incoming.coder.name}'s file end${outside === 1 ? 's' : ''} past the end of the answer's text here (for example ${describeAnswer(firstOutside)}), so the answers differ from the ones that were coded.`,
    );
  }
}

function planCoder(current: MergeCurrent, incoming: CoderFile, projectId: string, warnings: string[]): Coder {
  const { id, name, color } = incoming.coder;
  const local = current.coders.find((c) => c.id === id);
  if (local && local.name !== name) {
    warnings.push(
      `The file's coder ${JSON.stringify(name)} has the same id as ${JSON.stringify(local.name)} here; the codings are merged as ${JSON.stringify(local.name)}'s.`,
    );
  } else if (!local && current.localCoder?.id === id && current.localCoder.name !== name) {
    warnings.push(
      `The file's coder ${JSON.stringify(name)} has the same id as you (${JSON.stringify(current.localCoder.name)}); the codings are merged as yours.`,
    );
  }
  const namesake = current.coders.find((c) => c.id !== id && foldName(c.name) === foldName(name));
  if (namesake) {
    warnings.push(`A different coder here is also called ${JSON.stringify(namesake.name)}; the file's codings stay apart from theirs.`);
  }
  return local ? { ...local } : { projectId, id, name, color };
}

/**
 * What merging `incoming` into the project means. `incoming` is a validated
 * file (readCoderFile). Throws ExchangeError when the file cannot be merged.
 */
export function planCoderMerge(current: MergeCurrent, incoming: CoderFile, projectId: string): MergePlan {
  checkAnswers(current, incoming);
  const warnings: string[] = [];
  if (incoming.project.id !== projectId) {
    warnings.push(
      `This file was exported from another project (${JSON.stringify(incoming.project.name)}); its codings were matched to this project's answers by question, wave and respondent.`,
    );
  }
  const coder = planCoder(current, incoming, projectId, warnings);
  const { newCodes, codeIds } = planCodes(current.codes, incoming, projectId, warnings);
  const { codings, counts } = planCodings(current, incoming, projectId);

  const report: MergeReport = { ...counts, codesAdded: newCodes.map((c) => c.name), memosAdded: 0, memosUpdated: 0 };
  if (report.codingsReidentified > 0) {
    warnings.push(
      `${plural(report.codingsReidentified, 'coding')} had the id of another coder's coding here and ${report.codingsReidentified === 1 ? 'was' : 'were'} added under a new id.`,
    );
  }
  if (report.changedAnswerTexts > 0) {
    warnings.push(
      `${plural(report.changedAnswerTexts, 'passage was', 'passages were')} coded on an answer whose text differs here; check ${report.changedAnswerTexts === 1 ? 'it' : 'them'}: the highlighted words may be off.`,
    );
  }

  const memos = planMemos(current, incoming, projectId, codeIds, report, warnings);
  return { coder, newCodes, codings, memos, report, warnings };
}

function planMemos(
  current: MergeCurrent,
  incoming: CoderFile,
  projectId: string,
  codeIds: ReadonlySet<string>,
  report: MergeReport,
  warnings: string[],
): ProjectMemo[] {
  const here = new Map(current.memos.map((m) => [m.id, m] as const));
  const out: ProjectMemo[] = [];
  let unseen = 0;
  for (const m of incoming.memos) {
    const local = here.get(m.id);
    if (local && m.updatedAt <= local.updatedAt) continue;
    out.push({ projectId, ...m, target: { ...m.target } });
    if (local) report.memosUpdated++;
    else report.memosAdded++;
    const { kind, id } = m.target;
    if ((kind === 'answer' && current.answerTexts(id) === undefined) || (kind === 'code' && !codeIds.has(id))) unseen++;
  }
  if (unseen > 0) {
    warnings.push(`${plural(unseen, 'memo is', 'memos are')} on an answer or code this project does not have; kept, but not shown.`);
  }
  return out;
}

export interface MergeState {
  codes: Code[];
  coders: Coder[];
  codings: Coding[];
  memos: ProjectMemo[];
}

function putAll<T extends { id: string }>(list: readonly T[], puts: readonly T[]): T[] {
  const byId = new Map(list.map((item) => [item.id, item] as const));
  for (const item of puts) byId.set(item.id, item);
  return [...byId.values()];
}

/** The project's records after the plan is written (put by id): what the database will hold. */
export function applyMergePlan(state: MergeState, plan: MergePlan): MergeState {
  return {
    codes: putAll(state.codes, plan.newCodes),
    coders: putAll(state.coders, [plan.coder]),
    codings: putAll(state.codings, plan.codings),
    memos: putAll(state.memos, plan.memos),
  };
}
