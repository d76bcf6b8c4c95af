/**
 * A Codebench project (ProjectFile) as a REFI-QDA project, the text files of
 * its sources and the extras file. The mapping (docs/refi-qda.md):
 *
 * - each answer → a `<TextSource>` of its own, its text in
 *   `sources/<guid>.txt`, so offsets need no shifting; it carries the
 *   variables Question, Wave and Respondent (the ids) and is named
 *   "question key · wave name · respondent id" for people in other tools;
 * - each respondent → a `<Case>` named by the respondent id, with a
 *   `<VariableValue>` per attribute (variables of type Text) and a
 *   `<SourceRef>` to each of their answers;
 * - codings → `<PlainTextSelection>`s (one per answer and span, holding every
 *   coding of that span) with `<Coding creatingUser><CodeRef/></Coding>`; a
 *   whole-answer coding is a selection of the whole text;
 * - coders → `<Users>` (the coder id in `id`); the codebook → `<CodeBook>`;
 *   themes → `<Sets>` of `<MemberCode>`s;
 * - memos → `<Notes>`, referred to by `<NoteRef>` from the answer's source or
 *   the code; a memo on a respondent is tied to their case by a `<Link>` from
 *   the note (cases have no NoteRef in the schema).
 */
import { codePointLength } from '../coding/offsets';
import { compareText, sortById } from '../exchange/canonical';
import type { ProjectFile } from '../exchange/project-file';
import type { ExchangeCoding } from '../exchange/records';
import { codesToRefi, themesToRefi } from './codes';
import { EXTRAS_FORMAT, EXTRAS_VERSION, type CodebenchExtras } from './extras';
import { GuidRegistry, normalizeGuid } from './guid';
import { ANSWER_DETAIL_VARIABLES, ANSWER_VARIABLES, CODEBENCH_NVIVO_ORIGIN, CODEBENCH_ORIGIN, excerpt, isoDateTime } from './names';
import type { RefiCase, RefiNote, RefiProject, RefiSelection, RefiTextSource, RefiUser, RefiVariable } from './refi-model';
import { ownValue } from '../model/name-keyed';

export interface RefiExport {
  project: RefiProject;
  /** Path inside the archive → text (the sources). */
  sources: Map<string, string>;
  /** The extras, without `qdeSha1` (added once the .qde is written). */
  extras: Omit<CodebenchExtras, 'qdeSha1'>;
}

export interface ProjectToRefiOptions {
  /** `origin` attribute; default "Codebench" (or "Codebench (for NVivo)"). */
  origin?: string;
  /** How texts and offsets are written (see QdpxOffsets); default 'code-points'. */
  offsets?: QdpxOffsets;
}

/**
 * 'code-points': the standard (§10.2), texts exactly as stored. 'nvivo': what
 * NVivo reads — line ends written CR LF and offsets counted in UTF-16 units of
 * that text, so a CR LF counts two and an emoji two; in NVivo a span after an
 * emoji or a line end otherwise lands one character off for each of them.
 */
export type QdpxOffsets = 'code-points' | 'nvivo';

/**
 * A text as written for NVivo (every line end CR LF) and, for each code point
 * offset of the stored text (0…length), the UTF-16 offset of the same place.
 */
export function nvivoText(text: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let out = '';
  let at = 0;
  for (let i = 0; i < text.length;) {
    offsets.push(at);
    const unit = text.charCodeAt(i);
    if (unit === 13 && text.charCodeAt(i + 1) === 10) {
      // A CR LF is two code points: the offset between them stays between them.
      offsets.push(at + 1);
      out += '\r\n';
      at += 2;
      i += 2;
    } else if (unit === 10 || unit === 13) {
      out += '\r\n';
      at += 2;
      i += 1;
    } else {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      out += text.slice(i, i + width);
      at += width;
      i += width;
    }
  }
  offsets.push(at);
  return { text: out, offsets };
}

/** Maps a (valid) project file; see the module comment. */
export function projectToRefi(input: ProjectFile, options: ProjectToRefiOptions = {}): RefiExport {
  // Lists whose order means nothing are sorted, as in the project file, so the same project
  // always gives the same bytes; answers and respondents keep the project's order.
  const file: ProjectFile = {
    ...input,
    waves: sortById(input.waves),
    questions: sortById(input.questions),
    attributes: input.attributes.slice().sort((a, b) => compareText(a.name, b.name)),
    codes: sortById(input.codes),
    coders: sortById(input.coders),
    codings: sortById(input.codings),
    memos: sortById(input.memos),
    themes: input.themes ? sortById(input.themes).sort((a, b) => a.order - b.order) : undefined,
  };
  const guids = new GuidRegistry(file.project.id);
  const forNvivo = options.offsets === 'nvivo';
  const waves = new Map(file.waves.map((w) => [w.id, w]));
  const questions = new Map(file.questions.map((q) => [q.id, q]));

  // Users: the coders, then anyone who wrote a memo without being a coder.
  const users: RefiUser[] = file.coders.map((c) => ({ guid: guids.get('coder', c.id), name: c.name, id: c.id }));
  const userIds = new Set(file.coders.map((c) => c.id));
  for (const m of file.memos) {
    if (userIds.has(m.coderId)) continue;
    userIds.add(m.coderId);
    users.push({ guid: guids.get('coder', m.coderId), name: m.coderName, id: m.coderId });
  }

  // Notes first, so sources, codes and cases can refer to them.
  const answerNotes = new Map<string, string[]>();
  const codeNotes = new Map<string, string[]>();
  const respondentNotes = new Map<string, string[]>();
  const projectNotes: string[] = [];
  const notes: RefiNote[] = file.memos.map((m) => {
    const guid = guids.get('memo', m.id);
    const byKind = m.target.kind === 'answer' ? answerNotes : m.target.kind === 'code' ? codeNotes : respondentNotes;
    byKind.set(m.target.id, [...(byKind.get(m.target.id) ?? []), guid]);
    return {
      guid,
      name: `Memo on ${m.target.kind === 'answer' ? 'an answer' : m.target.kind === 'code' ? 'a code' : 'a respondent'}`,
      creatingUser: guids.get('coder', m.coderId),
      creationDateTime: isoDateTime(m.createdAt),
      modifiedDateTime: isoDateTime(m.updatedAt),
      plainTextContent: m.text,
    };
  });

  const variable = (kind: string, name: string, description?: string): RefiVariable => ({ guid: guids.get(kind, name), name, type: 'Text', description });
  const answerVars = {
    question: variable('answer-variable', ANSWER_VARIABLES.question, 'Codebench: the id of the question this answer replies to.'),
    wave: variable('answer-variable', ANSWER_VARIABLES.wave, 'Codebench: the id of the wave this answer was given in.'),
    respondent: variable('answer-variable', ANSWER_VARIABLES.respondent, 'Codebench: the id of the respondent who gave this answer.'),
  };
  const detailVars = {
    questionKey: variable('answer-variable', ANSWER_DETAIL_VARIABLES.questionKey, 'Codebench: the short key of the question this answer replies to.'),
    questionLabel: variable('answer-variable', ANSWER_DETAIL_VARIABLES.questionLabel, 'Codebench: the label of the question.'),
    questionText: variable('answer-variable', ANSWER_DETAIL_VARIABLES.questionText, 'Codebench: the full text of the question as asked.'),
    waveName: variable('answer-variable', ANSWER_DETAIL_VARIABLES.waveName, 'Codebench: the name of the wave.'),
  };
  const attributes = file.attributes.slice().sort((a, b) => a.order - b.order);
  const attributeVars = new Map(attributes.map((a) => [a.name, variable('attribute', a.name)]));

  const codingsByAnswer = new Map<string, ExchangeCoding[]>();
  for (const c of file.codings) codingsByAnswer.set(c.answerId, [...(codingsByAnswer.get(c.answerId) ?? []), c]);

  const sources = new Map<string, string>();
  const sourcesOf = new Map<string, string[]>();
  const refiSources: RefiTextSource[] = file.answers.map((a) => {
    const guid = guids.get('answer', a.id);
    const path = `${normalizeGuid(guid)}.txt`;
    const written = forNvivo ? nvivoText(a.text) : null;
    sources.set(`sources/${path}`, written ? written.text : a.text);
    sourcesOf.set(a.respondentId, [...(sourcesOf.get(a.respondentId) ?? []), guid]);
    const question = questions.get(a.questionId);
    const wave = waves.get(a.waveId);
    return {
      guid,
      name: `${question?.key || a.questionId} · ${wave?.name || a.waveId} · ${a.respondentId}`,
      plainTextPath: `internal://${path}`,
      creationDateTime: wave && wave.importedAt > 0 ? isoDateTime(wave.importedAt) : undefined,
      selections: selections(a.text, codingsByAnswer.get(a.id) ?? [], guids, a.id, written?.offsets),
      codings: [],
      noteRefs: answerNotes.get(a.id) ?? [],
      values: [
        { variableGuid: answerVars.question.guid, value: a.questionId },
        { variableGuid: answerVars.wave.guid, value: a.waveId },
        { variableGuid: answerVars.respondent.guid, value: a.respondentId },
        ...(question?.key ? [{ variableGuid: detailVars.questionKey.guid, value: question.key }] : []),
        ...(question?.label ? [{ variableGuid: detailVars.questionLabel.guid, value: question.label }] : []),
        ...(question?.text ? [{ variableGuid: detailVars.questionText.guid, value: question.text }] : []),
        ...(wave?.name ? [{ variableGuid: detailVars.waveName.guid, value: wave.name }] : []),
      ],
    };
  });

  const links: RefiProject['links'] = [];
  const cases: RefiCase[] = file.respondents.map((r) => {
    const guid = guids.get('respondent', r.id);
    for (const note of respondentNotes.get(r.id) ?? []) {
      links.push({ guid: guids.get('memo-link', note), name: 'Memo on respondent', direction: 'OneWay', originGuid: note, targetGuid: guid });
    }
    return {
      guid,
      name: r.id,
      values: attributes.flatMap((a) => {
        // Own values only: an attribute may be called "constructor" and a respondent have none.
        const value = ownValue(r.attributes, a.name) ?? '';
        return value === '' ? [] : [{ variableGuid: attributeVars.get(a.name)!.guid, value }];
      }),
      sourceRefs: sourcesOf.get(r.id) ?? [],
    };
  });

  // A memo whose target is not in the file still travels, as a note on the project.
  const answerIds = new Set(file.answers.map((a) => a.id));
  const codeIds = new Set(file.codes.map((c) => c.id));
  const respondentIds = new Set(file.respondents.map((r) => r.id));
  for (const m of file.memos) {
    const known = m.target.kind === 'answer' ? answerIds : m.target.kind === 'code' ? codeIds : respondentIds;
    if (!known.has(m.target.id)) projectNotes.push(guids.get('memo', m.id));
  }

  const project: RefiProject = {
    name: file.project.name,
    origin: options.origin ?? (forNvivo ? CODEBENCH_NVIVO_ORIGIN : CODEBENCH_ORIGIN),
    creationDateTime: isoDateTime(file.project.createdAt),
    modifiedDateTime: isoDateTime(file.project.updatedAt),
    users,
    codes: codesToRefi(file.codes, guids, (id) => codeNotes.get(id) ?? []),
    variables: [answerVars.question, answerVars.wave, answerVars.respondent, ...Object.values(detailVars), ...attributeVars.values()],
    cases,
    sources: refiSources,
    notes,
    links,
    sets: themesToRefi(file.themes ?? [], guids),
    noteRefs: projectNotes,
  };
  return { project, sources, extras: extrasOf(file, guids) };
}

/** One selection per distinct span of the answer, holding every coding of that span, in text order. */
function selections(text: string, codings: readonly ExchangeCoding[], guids: GuidRegistry, answerId: string, written?: readonly number[]): RefiSelection[] {
  if (codings.length === 0) return [];
  const length = codePointLength(text);
  const bySpan = new Map<string, { start: number; end: number; codings: ExchangeCoding[] }>();
  for (const c of codings) {
    const start = c.start ?? 0;
    const end = c.end ?? length;
    const key = `${start}:${end}`;
    const span = bySpan.get(key) ?? { start, end, codings: [] };
    span.codings.push(c);
    bySpan.set(key, span);
  }
  const chars = Array.from(text);
  return [...bySpan.values()]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((span) => {
      const ordered = span.codings.slice().sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
      return {
        guid: guids.get('selection', `${answerId}\u001f${span.start}\u001f${span.end}`),
        name: excerpt(chars.slice(span.start, span.end).join('')),
        start: written ? written[span.start] : span.start,
        end: written ? written[span.end] : span.end,
        creatingUser: guids.get('coder', ordered[0].coderId),
        creationDateTime: isoDateTime(ordered[0].createdAt),
        codings: ordered.map((c) => ({
          guid: guids.get('coding', c.id),
          codeGuid: guids.get('code', c.codeId),
          creatingUser: guids.get('coder', c.coderId),
          creationDateTime: isoDateTime(c.createdAt),
          noteRefs: [],
        })),
        noteRefs: [],
      };
    });
}

function extrasOf(file: ProjectFile, guids: GuidRegistry): Omit<CodebenchExtras, 'qdeSha1'> {
  const changed = (kind: string, ids: readonly string[]) => {
    const out: Record<string, string> = {};
    for (const id of ids) {
      const guid = normalizeGuid(guids.get(kind, id));
      if (guid !== id) out[guid] = id;
    }
    return out;
  };
  return {
    format: EXTRAS_FORMAT,
    version: EXTRAS_VERSION,
    exportedAt: file.exportedAt,
    project: { ...file.project },
    waves: file.waves.map((w) => ({ ...w })),
    questions: file.questions.map((q) => ({ ...q })),
    attributes: file.attributes.map((a) => ({ ...a, values: a.values.slice() })),
    respondents: file.respondents.map((r) => ({ id: r.id, waves: r.waves.slice() })),
    coders: file.coders.map((c) => ({ id: c.id, name: c.name, color: c.color })),
    ids: {
      codes: changed(
        'code',
        file.codes.map((c) => c.id),
      ),
      codings: changed(
        'coding',
        file.codings.map((c) => c.id),
      ),
      memos: changed(
        'memo',
        file.memos.map((m) => m.id),
      ),
      themes: changed(
        'theme',
        (file.themes ?? []).map((t) => t.id),
      ),
    },
    codes: file.codes.map((c) => ({ id: c.id, order: c.order })),
    themes: (file.themes ?? []).map((t) => ({ id: t.id, withSubcodes: t.withSubcodes, order: t.order })),
    memos: file.memos.map((m) => ({ id: m.id, target: { kind: m.target.kind, id: m.target.id }, coderId: m.coderId, coderName: m.coderName })),
    wholeAnswerCodings: file.codings.filter((c) => c.start === null).map((c) => c.id),
    exemplarCodings: file.codings.filter((c) => c.exemplar === true).map((c) => c.id),
    suggestedCodings: file.codings.filter((c) => c.suggested === true).map((c) => c.id),
  };
}
