/**
 * Pairs, teams and households: an attribute (e.g. "pair") groups
 * respondents, and for each target a group is counted as one where all,
 * some or none of its members mentioned it.
 *
 * Rules:
 * - A member is a respondent with an answer in scope (the index holds only
 *   those): someone who never answered cannot have mentioned anything, and
 *   counting them as "not mentioned" would turn missing data into a finding.
 * - Groups counted: those with two or more answering members. A group with
 *   one answering member is a `singleton` (reported, left out: "all" and
 *   "none" mean nothing for one person); respondents with no value of the
 *   group attribute are `withoutGroup`.
 * - A member "mentioned" a target when any of their answers in scope was
 *   coded with it by the selected coders (any question, any wave in scope).
 * - With a role attribute, the two roles are the two most frequent non-blank
 *   values among the members of the counted groups (on a tie, the first in
 *   natural order), shown in natural order ("Mentee", "Mentor"). A counted
 *   group is a pair when it has at least one answering member of each role;
 *   a role "mentioned it" when any of its members did, and the pair is
 *   `both`, `onlyA` (the first role), `onlyB` or `neither`. Agreement is
 *   both + neither. Members of any other role (or none) count in all/some/none
 *   but not in the role figures. Fewer than two roles found: `roles` is null.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { naturalCompare, orderValues } from './groups';
import { Marks } from './marks';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';

export interface DyadOptions {
  groupAttribute: string;
  roleAttribute?: string | null;
  coders: CoderSelection;
}

export interface DyadRoleCounts {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** Counted groups with an answering member of each role; both + onlyA + onlyB + neither. */
  pairs: number;
}

export interface DyadRow {
  key: string;
  target: Target;
  label: string;
  /** Counted groups (all + some + none). */
  groups: number;
  all: number;
  some: number;
  none: number;
  roles: DyadRoleCounts | null;
}

export interface DyadTable {
  groupAttribute: string;
  roleAttribute: string | null;
  /** [A, B] in natural order, or null without two roles. */
  roles: [string, string] | null;
  /** Groups with two or more answering members. */
  groups: number;
  /** Groups with one answering member (left out). */
  singletons: number;
  /** Answering respondents with no value of the group attribute (left out). */
  withoutGroup: number;
  rows: DyadRow[];
}

export type DyadCell = 'all' | 'some' | 'none' | 'both' | 'onlyA' | 'onlyB' | 'neither';

interface Group {
  value: string;
  members: number[];
  roleA: number[];
  roleB: number[];
}

interface Prepared {
  groups: Group[];
  singletons: number;
  withoutGroup: number;
  roles: [string, string] | null;
}

function prepare(index: AnalysisIndex, options: DyadOptions): Prepared {
  const column = index.attributeColumn(options.groupAttribute);
  const byValue = new Map<string, number[]>();
  let withoutGroup = 0;
  for (let r = 0; r < index.respondentCount; r++) {
    const v = column[r];
    if (v === '') {
      withoutGroup += 1;
      continue;
    }
    const list = byValue.get(v);
    if (list) list.push(r);
    else byValue.set(v, [r]);
  }
  const values = orderValues(byValue.keys());
  const counted = values.filter((v) => (byValue.get(v) as number[]).length >= 2);
  const singletons = values.length - counted.length;

  let roles: [string, string] | null = null;
  const roleColumn = options.roleAttribute ? index.attributeColumn(options.roleAttribute) : null;
  if (roleColumn) {
    const frequency = new Map<string, number>();
    for (const v of counted) {
      for (const r of byValue.get(v) as number[]) {
        const role = roleColumn[r];
        if (role !== '') frequency.set(role, (frequency.get(role) ?? 0) + 1);
      }
    }
    const top = [...frequency.entries()].sort((x, y) => y[1] - x[1] || naturalCompare(x[0], y[0])).slice(0, 2);
    if (top.length === 2) roles = top.map(([role]) => role).sort(naturalCompare) as [string, string];
  }

  const groups = counted.map((value): Group => {
    const members = byValue.get(value) as number[];
    const roleA = roles && roleColumn ? members.filter((r) => roleColumn[r] === roles[0]) : [];
    const roleB = roles && roleColumn ? members.filter((r) => roleColumn[r] === roles[1]) : [];
    return { value, members, roleA, roleB };
  });
  return { groups, singletons, withoutGroup, roles };
}

const isPair = (g: Group) => g.roleA.length > 0 && g.roleB.length > 0;

/** The cells a group falls in for a target: its all/some/none cell, and its role cell when it is a pair. */
function cellsOf(g: Group, mentioned: Marks, roles: boolean): [DyadCell, DyadCell | null] {
  let k = 0;
  for (const r of g.members) if (mentioned.has(r)) k += 1;
  const spread: DyadCell = k === g.members.length ? 'all' : k === 0 ? 'none' : 'some';
  if (!roles || !isPair(g)) return [spread, null];
  const a = g.roleA.some((r) => mentioned.has(r));
  const b = g.roleB.some((r) => mentioned.has(r));
  return [spread, a ? (b ? 'both' : 'onlyA') : b ? 'onlyB' : 'neither'];
}

/** Respondents who mentioned the target (any answer in scope coded with it by the selected coders). */
function mentionedBy(index: AnalysisIndex, target: Target, mask: Uint8Array, scratch: CodedScratch, marks: Marks): Marks {
  marks.clear();
  const { answers } = codedAnswers(index, targetCodeIds(index, target), mask, scratch);
  for (const a of answers) marks.add(index.answerRespondent[a]);
  return marks;
}

/** For each target, in how many groups all, some or no members mentioned it, and pairs by role (see the module notes). */
export function pairConcordance(index: AnalysisIndex, targets: readonly Target[], options: DyadOptions): DyadTable {
  const p = prepare(index, options);
  const scratch = new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  const marks = new Marks(index.respondentCount);
  const rows = targets.map((target): DyadRow => {
    const mentioned = mentionedBy(index, target, mask, scratch, marks);
    const n = { all: 0, some: 0, none: 0, both: 0, onlyA: 0, onlyB: 0, neither: 0, pairs: 0 };
    for (const g of p.groups) {
      const [spread, role] = cellsOf(g, mentioned, p.roles !== null);
      n[spread] += 1;
      if (role !== null) {
        n[role] += 1;
        n.pairs += 1;
      }
    }
    const roles = p.roles ? { both: n.both, onlyA: n.onlyA, onlyB: n.onlyB, neither: n.neither, pairs: n.pairs } : null;
    return { key: targetKey(target), target, label: targetLabel(index, target), groups: p.groups.length, all: n.all, some: n.some, none: n.none, roles };
  });
  return {
    groupAttribute: options.groupAttribute,
    roleAttribute: options.roleAttribute ?? null,
    roles: p.roles,
    groups: p.groups.length,
    singletons: p.singletons,
    withoutGroup: p.withoutGroup,
    rows,
  };
}

/**
 * The answers in scope of every member of the groups in a cell: first the
 * answers coded with the target (by the selected coders), then the members'
 * other answers, each part in answer order, so a reader sees what was
 * mentioned and then what the others said. A role cell holds pairs only.
 */
export function dyadCellAnswers(index: AnalysisIndex, target: Target, options: DyadOptions, cell: DyadCell): string[] {
  const p = prepare(index, options);
  const mask = coderMask(index, options.coders);
  const scratch = new CodedScratch(index);
  const mentioned = mentionedBy(index, target, mask, scratch, new Marks(index.respondentCount));
  const inCell = new Marks(index.respondentCount);
  for (const g of p.groups) {
    const [spread, role] = cellsOf(g, mentioned, p.roles !== null);
    if (spread === cell || role === cell) for (const r of g.members) inCell.add(r);
  }
  const coded = codedAnswers(index, targetCodeIds(index, target), mask, scratch).answers;
  const codedMarks = new Marks(index.answerCount);
  const first: string[] = [];
  for (const a of coded) {
    if (!inCell.has(index.answerRespondent[a])) continue;
    codedMarks.add(a);
    first.push(index.answerIds[a]);
  }
  const rest: string[] = [];
  for (let a = 0; a < index.answerCount; a++) if (inCell.has(index.answerRespondent[a]) && !codedMarks.has(a)) rest.push(index.answerIds[a]);
  return [...first, ...rest];
}
