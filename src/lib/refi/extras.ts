/**
 * `codebench.json`: what a Codebench project has and REFI-QDA has no place
 * for, kept beside `project.qde` in our own .qdpx files so that
 * ProjectFile → .qdpx → ProjectFile gives back exactly the same project.
 *
 * The .qde alone already carries every answer with its question, wave and
 * respondent, the respondents' attributes, the codebook, codings, coders,
 * memos and themes (see docs/refi-qda.md); the extras add what would otherwise
 * come back approximated: original ids that are not GUIDs, wave and question
 * details (names, labels, texts, order), attribute order, respondents' waves,
 * coder colours, code `order` values, theme `withSubcodes`, memo authorship
 * and targets, which codings are of the whole answer, exemplar marks and
 * `suggested` marks (codings accepted from the assistant's suggestions).
 *
 * Other tools drop unknown files, so a file that went through one comes back
 * without extras and is read from the .qde alone. The extras name the SHA-1 of
 * the .qde they were written with; when it does not match (the .qde was
 * changed by something that kept the extras), they are ignored with a warning.
 */
import type { ExchangeAttribute, ExchangeQuestion, ExchangeWave, ProjectFile } from '../exchange/project-file';
import type { ExchangeCoder, ExchangeMemo } from '../exchange/records';

export const EXTRAS_FORMAT = 'codebench-refi-extras';
export const EXTRAS_VERSION = 1;

export interface CodebenchExtras {
  format: typeof EXTRAS_FORMAT;
  version: typeof EXTRAS_VERSION;
  /** SHA-1 (lower-case hex) of the project.qde these extras belong to. */
  qdeSha1: string;
  exportedAt: string;
  project: ProjectFile['project'];
  waves: ExchangeWave[];
  questions: ExchangeQuestion[];
  attributes: ExchangeAttribute[];
  /** Every respondent in project order, with their waves. */
  respondents: { id: string; waves: string[] }[];
  coders: ExchangeCoder[];
  /** Normalised GUID → original id, only where the two differ. */
  ids: { codes: Record<string, string>; codings: Record<string, string>; memos: Record<string, string>; themes: Record<string, string> };
  codes: { id: string; order: number }[];
  themes: { id: string; withSubcodes: boolean; order: number }[];
  memos: Pick<ExchangeMemo, 'id' | 'target' | 'coderId' | 'coderName'>[];
  /** Ids of codings of the whole answer (written as a selection of the whole text). */
  wholeAnswerCodings: string[];
  exemplarCodings: string[];
  /** Ids of codings accepted from the assistant's suggestions; absent in extras written before the mark (read as none). */
  suggestedCodings?: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the extras file; null (ignore it) when it is not one this version reads. */
export function parseExtras(text: string): CodebenchExtras | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.format !== EXTRAS_FORMAT || data.version !== EXTRAS_VERSION) return null;
  if (typeof data.qdeSha1 !== 'string' || typeof data.exportedAt !== 'string' || !isRecord(data.project) || !isRecord(data.ids)) return null;
  for (const list of ['waves', 'questions', 'attributes', 'respondents', 'coders', 'codes', 'themes', 'memos', 'wholeAnswerCodings', 'exemplarCodings']) {
    if (!Array.isArray(data[list])) return null;
  }
  if (data.suggestedCodings !== undefined && !Array.isArray(data.suggestedCodings)) return null;
  for (const map of ['codes', 'codings', 'memos', 'themes']) if (!isRecord(data.ids[map])) return null;
  return data as unknown as CodebenchExtras;
}

/**
 * Restores what the extras hold onto a project read from the .qde (ids there
 * are normalised GUIDs). Returns the restored project; the caller validates it.
 */
export function applyExtras(file: ProjectFile, extras: CodebenchExtras): ProjectFile {
  const idOf = (map: Record<string, string>) => (id: string) => (Object.hasOwn(map, id) ? map[id] : id);
  const code = idOf(extras.ids.codes);
  const coding = idOf(extras.ids.codings);
  const memo = idOf(extras.ids.memos);
  const theme = idOf(extras.ids.themes);

  const codeOrder = new Map(extras.codes.map((c) => [c.id, c.order]));
  const codes = file.codes.map((c) => {
    const id = code(c.id);
    return { ...c, id, parentId: c.parentId === null ? null : code(c.parentId), order: codeOrder.get(id) ?? c.order };
  });

  const whole = new Set(extras.wholeAnswerCodings);
  const exemplar = new Set(extras.exemplarCodings);
  const suggested = new Set(extras.suggestedCodings ?? []);
  const texts = new Map(file.answers.map((a) => [a.id, a.text]));
  const codings = file.codings.map((c) => {
    const id = coding(c.id);
    const restored = { ...c, id, codeId: code(c.codeId) };
    // Only a selection of the whole text can have been a whole-answer coding.
    const text = texts.get(c.answerId) ?? '';
    if (whole.has(id) && c.start === 0 && c.end === Array.from(text).length) {
      restored.start = null;
      restored.end = null;
    }
    if (exemplar.has(id)) restored.exemplar = true;
    if (suggested.has(id)) restored.suggested = true;
    return restored;
  });

  const memoInfo = new Map(extras.memos.map((m) => [m.id, m]));
  const memos = file.memos.map((m) => {
    const id = memo(m.id);
    const info = memoInfo.get(id);
    const target = info ? { kind: info.target.kind, id: info.target.id } : m.target.kind === 'code' ? { kind: m.target.kind, id: code(m.target.id) } : m.target;
    return { ...m, id, target, coderId: info?.coderId ?? m.coderId, coderName: info?.coderName ?? m.coderName };
  });

  const themeInfo = new Map(extras.themes.map((t) => [t.id, t]));
  const themes = (file.themes ?? []).map((t) => {
    const id = theme(t.id);
    const info = themeInfo.get(id);
    return { ...t, id, codeIds: t.codeIds.map(code), withSubcodes: info?.withSubcodes ?? t.withSubcodes, order: info?.order ?? t.order };
  });

  // Lists replaced wholesale keep anything the .qde needs that they lack, so the result stays valid.
  const keepMissing = <T>(primary: T[], derived: T[], key: (x: T) => string) => {
    const have = new Set(primary.map(key));
    return [...primary, ...derived.filter((x) => !have.has(key(x)))];
  };
  const waves = keepMissing(extras.waves, file.waves, (w) => w.id);
  const questions = keepMissing(extras.questions, file.questions, (q) => q.id);
  const attributes = keepMissing(extras.attributes, file.attributes, (a) => a.name);
  // Memo authors travel as users too; only those who coded are coders.
  const codingCoders = new Set(codings.map((c) => c.coderId));
  const coders = keepMissing(
    extras.coders,
    file.coders.filter((c) => codingCoders.has(c.id)),
    (c) => c.id,
  );

  const rank = new Map(extras.respondents.map((r, i) => [r.id, i]));
  const extraWaves = new Map(extras.respondents.map((r) => [r.id, r.waves]));
  const respondents = file.respondents
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (rank.get(a.r.id) ?? extras.respondents.length + a.i) - (rank.get(b.r.id) ?? extras.respondents.length + b.i))
    .map(({ r }) => {
      const listed = extraWaves.get(r.id) ?? [];
      return { ...r, waves: [...listed, ...r.waves.filter((w) => !listed.includes(w))] };
    });

  return {
    ...file,
    exportedAt: extras.exportedAt,
    project: { ...extras.project },
    waves,
    questions,
    attributes,
    respondents,
    codes,
    coders,
    codings,
    memos,
    ...(themes.length > 0 ? { themes } : {}),
  };
}
