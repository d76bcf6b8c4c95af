/** The codings a coder file brings into a project (see merge-plan.ts for the rules). */
import type { Coding } from '../model/types';
import type { CoderFile } from './coder-file';
import { answerFingerprint } from './fingerprint';
import type { ExchangeCoding } from './records';

export interface CodingCounts {
  codingsAdded: number;
  codingsAlreadyPresent: number;
  codingsUpdated: number;
  codingsReidentified: number;
  changedAnswerTexts: number;
}

const SEP = '\u0000';

function contentKey(c: ExchangeCoding): string {
  return c.answerId + SEP + c.codeId + SEP + c.coderId + SEP + String(c.start) + SEP + String(c.end);
}

/**
 * The codings to put. A same-coder coding whose id is here with other content
 * is replaced, unless its new content is already here (or another replacement
 * makes it so): then the one here stays, since replacing it would double one
 * coding and could drop another. Skipping a replacement brings its old content
 * back into the count, which may clash with another replacement in turn, so
 * the skips are worked out to a fixed point before anything is added.
 */
export function planCodings(
  current: { codings: readonly Coding[]; answerTexts: (answerId: string) => string | undefined },
  incoming: CoderFile,
  projectId: string,
): { codings: Coding[]; counts: CodingCounts } {
  const report: CodingCounts = { codingsAdded: 0, codingsAlreadyPresent: 0, codingsUpdated: 0, codingsReidentified: 0, changedAnswerTexts: 0 };
  const byId = new Map(current.codings.map((c) => [c.id, c] as const));
  const counts = new Map<string, number>(); // content key → codings with it after the merge
  const bump = (key: string, delta: number) => counts.set(key, (counts.get(key) ?? 0) + delta);

  type Decision = 'present' | 'update' | 'later';
  const decisions: Decision[] = incoming.codings.map((c) => {
    const here = byId.get(c.id);
    if (!here || here.coderId !== c.coderId) return 'later';
    return contentKey(here) === contentKey(c) ? 'present' : 'update';
  });
  const replaced = new Set(incoming.codings.filter((_, i) => decisions[i] === 'update').map((c) => c.id));
  for (const c of current.codings) if (!replaced.has(c.id)) bump(contentKey(c), 1);
  const producers = new Map<string, number[]>(); // content key → incoming codings that would replace to it
  incoming.codings.forEach((c, i) => {
    if (decisions[i] !== 'update') return;
    const key = contentKey(c);
    bump(key, 1);
    const list = producers.get(key);
    if (list) list.push(i);
    else producers.set(key, [i]);
  });
  const work = [...producers.keys()];
  while (work.length > 0) {
    const key = work.pop()!;
    const list = producers.get(key) ?? [];
    while ((counts.get(key) ?? 0) > 1 && list.length > 0) {
      const i = list.pop()!;
      decisions[i] = 'present';
      bump(key, -1);
      const old = contentKey(byId.get(incoming.codings[i].id)!);
      bump(old, 1);
      if ((producers.get(old)?.length ?? 0) > 0) work.push(old);
    }
  }

  const textChanged = new Map<string, boolean>();
  const changed = (answerId: string) => {
    let result = textChanged.get(answerId);
    if (result === undefined) {
      const expected = incoming.answerFingerprints[answerId];
      result = expected !== undefined && expected !== answerFingerprint(current.answerTexts(answerId)!);
      textChanged.set(answerId, result);
    }
    return result;
  };
  const out: Coding[] = [];
  const put = (c: ExchangeCoding, id: string) => {
    const coding: Coding = { projectId, id, answerId: c.answerId, codeId: c.codeId, coderId: c.coderId, start: c.start, end: c.end, createdAt: c.createdAt };
    // Provenance travels with the coding: one accepted from the assistant's suggestions stays marked so here.
    if (c.suggested === true) coding.suggested = true;
    out.push(coding);
    if (c.start !== null && changed(c.answerId)) report.changedAnswerTexts++;
  };
  const taken = new Set(byId.keys());
  incoming.codings.forEach((c, i) => {
    const key = contentKey(c);
    if (decisions[i] === 'update') {
      put(c, c.id);
      report.codingsUpdated++;
    } else if (decisions[i] === 'present' || (counts.get(key) ?? 0) > 0) {
      report.codingsAlreadyPresent++;
    } else {
      bump(key, 1);
      if (!taken.has(c.id)) {
        taken.add(c.id);
        put(c, c.id);
        report.codingsAdded++;
      } else {
        // The id is another coder's here: keep theirs, and this one under an id derived from both.
        let id = `${c.id}~${c.coderId}`;
        for (let n = 2; taken.has(id); n++) id = `${c.id}~${c.coderId}~${n}`;
        taken.add(id);
        put(c, id);
        report.codingsReidentified++;
      }
    }
  });
  return { codings: out, counts: report };
}
