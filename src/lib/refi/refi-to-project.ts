/**
 * A REFI-QDA project (as read) → a Codebench project file and a report.
 *
 * - Text sources that carry the variables Question, Wave and Respondent (as
 *   Codebench writes them) become those answers. Any other text source — every
 *   source of another tool's file — becomes an answer to one question,
 *   "Imported documents", in one wave, "Imported", from a respondent named
 *   after the source (its name, else its file name); the variables of the
 *   source and of the cases it belongs to become that respondent's attributes,
 *   with "Case" naming the case.
 * - Selections → span codings, after working out how the file counts
 *   characters (offset-quirks.ts); codings of a whole source → whole-answer
 *   codings. Texts of other tools are stored with LF line ends, as Codebench
 *   stores all text, and offsets are moved with them; our own files keep their
 *   texts exactly.
 * - Users → coders, codebook → codes, sets of codes → themes, notes → memos.
 * Everything else is counted in the report.
 */
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange/envelope';
import type { ExchangeAnswer, ExchangeQuestion, ExchangeRespondent, ExchangeWave, ProjectFile } from '../exchange/project-file';
import type { ExchangeCoding, ExchangeMemo } from '../exchange/records';
import { answerId } from '../model/types';
import { codesFromRefi, themesFromRefi } from './codes';
import { CODEBENCH_GUID_NAMESPACE, uuidV5 } from './guid';
import { addNoteTarget, notesToMemos, type MemoTarget } from './import-notes';
import { AttributeCollector, usersToCoders } from './import-people';
import {
  ANSWER_DETAIL_VARIABLES,
  ANSWER_VARIABLE_NAMES,
  CODEBENCH_NVIVO_ORIGIN,
  CODEBENCH_ORIGIN,
  DOCUMENT_SET_ATTRIBUTE,
  IMPORTED_QUESTION,
  IMPORTED_WAVE,
  REFI_SOURCE_FORMAT,
  isoDateTime,
  parseDateTime,
} from './names';
import { detectCounting, type OffsetCounting } from './offset-quirks';
import type { RefiCode, RefiProject, Unsupported } from './refi-model';
import { ReportBuilder } from './report';
import { decodeSourceText } from './text-decode';
import { loadTexts, type TextLookup } from './import-texts';

export type { TextLookup };

export interface RefiToProjectInput {
  refi: RefiProject;
  unsupported: Unsupported;
  lookup: TextLookup;
  projectId: string;
  /** The .qdpx file's name, for the project name and the wave's source file. */
  fileName?: string;
  now: number;
  /** 'auto': keep our own files' line ends exactly, store other tools' texts with LF. */
  lineEndings: 'auto' | 'keep' | 'lf';
}

export interface RefiToProject {
  project: ProjectFile;
  report: ReportBuilder;
  /** Written by Codebench (its `origin`). */
  own: boolean;
}

export function refiToProject(input: RefiToProjectInput): RefiToProject {
  const { refi } = input;
  const r = new ReportBuilder();
  r.dropUnsupported(input.unsupported);
  const own = (refi.origin ?? '').startsWith(CODEBENCH_ORIGIN);
  // Our file written for NVivo: CR LF added and offsets in UTF-16 units, both undone here.
  const ownForNvivo = own && refi.origin === CODEBENCH_NVIVO_ORIGIN;
  const keepLineEnds = input.lineEndings === 'keep' || (input.lineEndings === 'auto' && own && !ownForNvivo);
  const coders = usersToCoders(refi, refi.origin ? `Imported from ${refi.origin}` : 'Imported');

  const codeWarnings: string[] = [];
  const codes = codesFromRefi(refi.codes, codeWarnings);
  codeWarnings.forEach((w) => r.warn(w));
  const codeIds = new Set(codes.map((c) => c.id));

  const variableNames = new Map(refi.variables.map((v) => [v.guid, v.name.trim() || 'Variable']));
  const loaded = loadTexts(input, variableNames, r);

  const counting: OffsetCounting = ownForNvivo
    ? 'utf-16'
    : own
      ? 'code-points'
      : detectCounting(loaded.map((l) => ({ positions: l.positions, selections: l.source.selections })));
  if (counting === 'crlf-as-one')
    r.warn('The selections in this file count a Windows line ending (CR LF) as one character, as some tools do; Codebench read them that way.');
  if (counting === 'utf-16' && !ownForNvivo)
    r.warn(
      'The selections in this file count an emoji (or another character outside the Basic Multilingual Plane) as two characters, as tools built on UTF-16 strings do; Codebench read them that way.',
    );

  // Document sets (MAXQDA's, ATLAS.ti's document groups) by source: an attribute of the respondent.
  const setsOfSource = new Map<string, string[]>();
  const documentSets = refi.sets.filter((s) => s.memberSources.length > 0);
  for (const set of documentSets) {
    const name = set.name.trim() || 'Unnamed set';
    for (const guid of new Set(set.memberSources)) setsOfSource.set(guid, [...(setsOfSource.get(guid) ?? []), name]);
  }

  // A respondent's sets are those of all their texts (one answer may be in one set, another in another).
  const setsOfRespondent = new Map<string, Set<string>>();
  const setOrder = new Map<string, number>();
  for (const set of documentSets) {
    const name = set.name.trim() || 'Unnamed set';
    if (!setOrder.has(name)) setOrder.set(name, setOrder.size);
  }

  // Cases by source, for attributes and for links to cases.
  const casesOfSource = new Map<string, RefiProject['cases']>();
  for (const c of refi.cases) for (const s of c.sourceRefs) casesOfSource.set(s, [...(casesOfSource.get(s) ?? []), c]);

  const answers: ExchangeAnswer[] = [];
  const codings: ExchangeCoding[] = [];
  const extraMemos: ExchangeMemo[] = [];
  const noteTargets = new Map<string, MemoTarget[]>();
  const answerOfGuid = new Map<string, string>(); // source or selection GUID → answer id
  const respondentsOfCase = new Map<string, string[]>();
  const respondentOrder: string[] = [];
  const respondentSeen = new Set<string>();
  const surveyRespondents = new Set(loaded.flatMap((l) => (l.place ? [l.place.respondentId] : [])));
  const docRespondents = new Set<string>();
  const attributes = new AttributeCollector(refi.variables.filter((v) => !isAnswerVariable(v.name)).map((v) => v.name.trim() || 'Variable'));
  const usedAnswers = new Set<string>();
  const usedCodingIds = new Set<string>();
  const places = { questions: [] as string[], waves: [] as string[] };
  const questionDetails = new Map<string, { key?: string; label?: string; text?: string }>();
  const waveNames = new Map<string, string>();
  let wholeCodings = 0;
  let passages = 0;
  let normalised = 0;
  let documents = 0;

  const addRespondent = (id: string) => {
    if (!respondentSeen.has(id)) {
      respondentSeen.add(id);
      respondentOrder.push(id);
    }
  };
  const codingId = (guid: string) => {
    let id = guid;
    for (let n = 2; usedCodingIds.has(id); n++) id = uuidV5(CODEBENCH_GUID_NAMESPACE, `coding\u001f${guid}\u001f${n}`);
    usedCodingIds.add(id);
    return id;
  };

  for (const l of loaded) {
    const { source, positions } = l;
    const text = keepLineEnds ? positions.raw : positions.normalized;
    if (text !== positions.raw) normalised++;
    const toFinal = (raw: number) => (keepLineEnds ? raw : positions.toNormalized(raw));

    let place = l.place;
    if (place && usedAnswers.has(answerId(place.questionId, place.waveId, place.respondentId))) {
      r.warn('Two text sources claim the same question, wave and respondent; the second was filed under "Imported documents".');
      place = undefined;
    }
    let respondentId: string;
    let id: string;
    if (place) {
      respondentId = place.respondentId;
      id = answerId(place.questionId, place.waveId, respondentId);
      if (!places.questions.includes(place.questionId)) places.questions.push(place.questionId);
      if (!places.waves.includes(place.waveId)) places.waves.push(place.waveId);
      // The first answer that describes its question (or wave) names it.
      const detail = (name: string) => {
        const v = source.values.find((x) => variableNames.get(x.variableGuid) === name)?.value.trim();
        return v ? v : undefined;
      };
      const q = questionDetails.get(place.questionId) ?? {};
      q.key ??= detail(ANSWER_DETAIL_VARIABLES.questionKey);
      q.label ??= detail(ANSWER_DETAIL_VARIABLES.questionLabel);
      q.text ??= detail(ANSWER_DETAIL_VARIABLES.questionText);
      questionDetails.set(place.questionId, q);
      if (!waveNames.has(place.waveId)) {
        const name = detail(ANSWER_DETAIL_VARIABLES.waveName);
        if (name) waveNames.set(place.waveId, name);
      }
    } else {
      const wanted = safeId(source.name?.trim() || baseName(source.plainTextPath) || source.guid);
      respondentId = wanted;
      for (let n = 2; surveyRespondents.has(respondentId) || docRespondents.has(respondentId); n++) respondentId = `${wanted} (${n})`;
      docRespondents.add(respondentId);
      id = answerId(IMPORTED_QUESTION.id, IMPORTED_WAVE.id, respondentId);
      documents++;
    }
    usedAnswers.add(id);
    addRespondent(respondentId);
    answers.push({ id, questionId: place?.questionId ?? IMPORTED_QUESTION.id, waveId: place?.waveId ?? IMPORTED_WAVE.id, respondentId, text });
    answerOfGuid.set(source.guid, id);

    // Attributes: the source's own variables, then its cases'.
    for (const v of source.values) {
      const name = variableNames.get(v.variableGuid);
      if (name !== undefined && !(l.place && isAnswerVariable(name))) attributes.set(respondentId, name, v.value);
    }
    for (const c of casesOfSource.get(source.guid) ?? []) {
      respondentsOfCase.set(c.guid, [...(respondentsOfCase.get(c.guid) ?? []), respondentId]);
      for (const v of c.values) {
        const name = variableNames.get(v.variableGuid);
        if (name !== undefined) attributes.set(respondentId, name, v.value);
      }
      if (!place && c.name) attributes.set(respondentId, 'Case', c.name);
    }
    for (const name of setsOfSource.get(source.guid) ?? []) {
      const names = setsOfRespondent.get(respondentId) ?? new Set<string>();
      setsOfRespondent.set(respondentId, names.add(name));
    }

    for (const sel of source.selections) {
      answerOfGuid.set(sel.guid, id);
      const start = positions.toRaw(sel.start, counting);
      const end = positions.toRaw(sel.end, counting);
      const finalStart = start === null ? null : toFinal(start);
      const finalEnd = end === null ? null : toFinal(end);
      if (finalStart === null || finalEnd === null || finalEnd <= finalStart) {
        r.drop('badRange', "text selection outside its source's text (or empty)", "text selections outside their source's text (or empty)", 1, source.name);
        r.drop('badRangeCodings', 'coding of those selections', 'codings of those selections', sel.codings.length);
        continue;
      }
      for (const ref of sel.noteRefs) addNoteTarget(noteTargets, ref, { kind: 'answer', id });
      if (sel.description?.trim() && !own) {
        const coder = coders.of(sel.creatingUser, source.creatingUser);
        const at = parseDateTime(sel.creationDateTime) ?? input.now;
        extraMemos.push({
          id: sel.guid,
          target: { kind: 'answer', id },
          text: sel.description,
          coderId: coder.id,
          coderName: coder.name,
          createdAt: at,
          updatedAt: at,
        });
      }
      if (sel.codings.length === 0) {
        r.drop('uncoded', 'text selection without a code (a quotation)', 'text selections without a code (quotations)', 1);
        continue;
      }
      let kept = 0;
      for (const c of sel.codings) {
        for (const ref of c.noteRefs) addNoteTarget(noteTargets, ref, { kind: 'answer', id });
        if (!codeIds.has(c.codeGuid)) {
          r.drop('unknownCode', 'coding of a code that is not in the codebook', 'codings of codes that are not in the codebook', 1);
          continue;
        }
        codings.push({
          id: codingId(c.guid),
          answerId: id,
          codeId: c.codeGuid,
          coderId: coders.of(c.creatingUser, sel.creatingUser, source.creatingUser).id,
          start: finalStart,
          end: finalEnd,
          createdAt: parseDateTime(c.creationDateTime) ?? parseDateTime(sel.creationDateTime) ?? 0,
        });
        kept++;
      }
      if (kept > 0) passages++;
    }
    for (const c of source.codings) {
      for (const ref of c.noteRefs) addNoteTarget(noteTargets, ref, { kind: 'answer', id });
      if (!codeIds.has(c.codeGuid)) {
        r.drop('unknownCode', 'coding of a code that is not in the codebook', 'codings of codes that are not in the codebook', 1);
        continue;
      }
      codings.push({
        id: codingId(c.guid),
        answerId: id,
        codeId: c.codeGuid,
        coderId: coders.of(c.creatingUser, source.creatingUser).id,
        start: null,
        end: null,
        createdAt: parseDateTime(c.creationDateTime) ?? 0,
      });
      wholeCodings++;
    }
    for (const ref of source.noteRefs) addNoteTarget(noteTargets, ref, { kind: 'answer', id });
    if (source.description?.trim() && !own) {
      const coder = coders.of(source.creatingUser);
      const at = parseDateTime(source.creationDateTime) ?? input.now;
      extraMemos.push({
        id: uuidV5(CODEBENCH_GUID_NAMESPACE, `description\u001f${source.guid}`),
        target: { kind: 'answer', id },
        text: source.description,
        coderId: coder.id,
        coderName: coder.name,
        createdAt: at,
        updatedAt: at,
      });
    }
  }

  for (const [respondentId, names] of setsOfRespondent) {
    const ordered = [...names].sort((a, b) => (setOrder.get(a) ?? 0) - (setOrder.get(b) ?? 0));
    attributes.set(respondentId, DOCUMENT_SET_ATTRIBUTE, ordered.join('; '));
  }

  // Cases: in our files each respondent has one, named by the id (also those without answers).
  for (const c of refi.cases) {
    const name = c.name?.trim();
    if (!respondentsOfCase.has(c.guid)) {
      // A respondent without answers: their case is named by their id (ours, also back from another tool).
      if ((own || surveyRespondents.size > 0) && name) {
        addRespondent(name);
        respondentsOfCase.set(c.guid, [name]);
        for (const v of c.values) {
          const vName = variableNames.get(v.variableGuid);
          if (vName !== undefined) attributes.set(name, vName, v.value);
        }
      } else {
        r.drop('emptyCase', 'case without a text source Codebench could read', 'cases without a text source Codebench could read', 1, c.name);
      }
    }
  }
  attributes.report(r);
  if (normalised > 0 && !ownForNvivo)
    r.warn(
      `Windows line endings (CR LF) in ${normalised === 1 ? '1 text' : `${normalised} texts`} were stored as LF, as Codebench stores all text; selections were moved with them.`,
    );

  const codeGuids = collectCodeNotes(refi.codes, codeIds, noteTargets);
  const memos = [
    ...notesToMemos(
      {
        refi,
        noteTargets,
        linkTarget: (guid) => {
          const answer = answerOfGuid.get(guid);
          if (answer) return [{ kind: 'answer', id: answer }];
          if (codeGuids.has(guid)) return [{ kind: 'code', id: guid }];
          const respondents = respondentsOfCase.get(guid);
          return respondents?.map((id) => ({ kind: 'respondent' as const, id }));
        },
        readNoteText: (path) => {
          const found = input.lookup(path);
          return 'bytes' in found ? decodeSourceText(found.bytes).text : undefined;
        },
        coders,
        own,
        now: input.now,
      },
      r,
    ),
    ...extraMemos,
  ];

  // Only now are all attributions made (codings, selections, documents, notes).
  for (const name of coders.programUsers)
    r.warn(
      `The user "${name}" is the program itself, not a person, so it is not a coder here; what it made is attributed to the user who made the text selection or document it belongs to, else to the project's creator (or to "Imported from …" when there is none).`,
    );

  const themeWarnings: string[] = [];
  const { themes, other } = themesFromRefi(refi.sets, codeIds, themeWarnings);
  themeWarnings.forEach((w) => r.warn(w));
  const keptSets = documentSets.filter((set) => set.memberSources.some((guid) => answerOfGuid.has(guid)));
  for (const s of documentSets.filter((set) => !keptSets.includes(set)))
    r.drop('documentSet', 'set of documents none of whose texts could be read', 'sets of documents none of whose texts could be read', 1, s.name);
  for (const s of other.filter((set) => set.memberSources.length === 0))
    r.drop('set', 'set of notes (Codebench has no groups of memos)', 'sets of notes (Codebench has no groups of memos)', 1, s.name);

  // Questions and waves: Codebench's own by id, then the one pair for other documents.
  const importedAt = input.now;
  const questions: ExchangeQuestion[] = places.questions.map((id, order) => {
    const q = questionDetails.get(id) ?? {};
    return { id, key: q.key ?? id, label: q.label ?? q.key ?? id, text: q.text ?? '', order };
  });
  const waves: ExchangeWave[] = places.waves.map((id, order) => ({
    id,
    name: waveNames.get(id) ?? id,
    order,
    importedAt,
    sourceFile: input.fileName ?? '',
    sourceFormat: REFI_SOURCE_FORMAT,
  }));
  // A file that already holds imported documents (say, ours, back from another tool) shares the pair.
  if (documents > 0 && !places.questions.includes(IMPORTED_QUESTION.id)) {
    questions.push({
      id: IMPORTED_QUESTION.id,
      key: IMPORTED_QUESTION.label,
      label: IMPORTED_QUESTION.label,
      text: `Text documents from ${refi.origin ? refi.origin : 'a REFI-QDA project'}.`,
      order: questions.length,
    });
  }
  if (documents > 0 && !places.waves.includes(IMPORTED_WAVE.id)) {
    waves.push({
      id: IMPORTED_WAVE.id,
      name: IMPORTED_WAVE.name,
      order: waves.length,
      importedAt,
      sourceFile: input.fileName ?? '',
      sourceFormat: REFI_SOURCE_FORMAT,
    });
  }

  const wavesOf = new Map<string, string[]>();
  for (const a of answers) {
    const list = wavesOf.get(a.respondentId) ?? [];
    if (!list.includes(a.waveId)) list.push(a.waveId);
    wavesOf.set(a.respondentId, list);
  }
  const respondents: ExchangeRespondent[] = respondentOrder.map((id) => ({ id, attributes: attributes.of(id), waves: wavesOf.get(id) ?? [] }));
  const attributeList = attributes.attributes(respondentOrder);

  const created = parseDateTime(refi.creationDateTime) ?? input.now;
  const modified = parseDateTime(refi.modifiedDateTime) ?? created;
  const project: ProjectFile = {
    format: PROJECT_FORMAT,
    version: EXCHANGE_VERSION,
    exportedAt: isoDateTime(modified),
    project: {
      id: input.projectId,
      name: projectName(refi.name, input.fileName),
      createdAt: created,
      updatedAt: modified,
    },
    waves,
    questions,
    attributes: attributeList,
    respondents,
    answers,
    codes,
    coders: coders.list,
    codings,
    memos,
    ...(themes.length > 0 ? { themes } : {}),
  };

  if (documents > 0)
    r.keep(documents, 'text source', 'text sources', ` as answers to the question "${IMPORTED_QUESTION.label}" (wave "${IMPORTED_WAVE.name}")`);
  if (answers.length > documents)
    r.keep(
      answers.length - documents,
      'answer',
      'answers',
      ` to ${places.questions.length === 1 ? '1 question' : `${places.questions.length} questions`} in ${places.waves.length === 1 ? '1 wave' : `${places.waves.length} waves`}`,
    );
  r.keep(
    respondents.length,
    'respondent',
    'respondents',
    attributeList.length > 0 ? ` with ${attributeList.length === 1 ? '1 attribute' : `${attributeList.length} attributes`}` : '',
  );
  r.keep(codes.length, 'code', 'codes');
  r.keep(
    codings.length,
    'coding',
    'codings',
    ` (${passages} coded ${passages === 1 ? 'passage' : 'passages'}${wholeCodings > 0 ? `, ${wholeCodings} of whole sources` : ''})`,
  );
  r.keep(coders.list.length, 'coder (user)', 'coders (users)');
  r.keep(memos.length, 'memo', 'memos');
  r.keep(themes.length, 'theme (set of codes)', 'themes (sets of codes)');
  r.keep(keptSets.length, 'set of documents', 'sets of documents', ` as the attribute "${DOCUMENT_SET_ATTRIBUTE}" of the respondents whose texts they hold`);
  return { project, report: r, own };
}

/**
 * The project's name, else the file's: NVivo 12 writes name="Untitled" for every project, where the file name
 * ("OltasSzkepticizmus_17June.qdpx") is what the user knows it by.
 */
function projectName(name: string, fileName: string | undefined): string {
  const own = name.trim();
  const file = fileName?.replace(/\.(qdpx|zip)$/i, '').trim();
  if (own && !(file && /^untitled( project)?$/i.test(own))) return own;
  return file || own || 'Imported project';
}

function isAnswerVariable(name: string): boolean {
  return ANSWER_VARIABLE_NAMES.has(name);
}

/** Notes attached to codes (NoteRef inside `<Code>`), for codes that were kept; returns the kept code GUIDs. */
function collectCodeNotes(tree: readonly RefiCode[], kept: ReadonlySet<string>, targets: Map<string, MemoTarget[]>): Set<string> {
  const guids = new Set<string>();
  const walk = (codes: readonly RefiCode[]) => {
    for (const c of codes) {
      if (kept.has(c.guid)) {
        guids.add(c.guid);
        for (const ref of c.noteRefs) addNoteTarget(targets, ref, { kind: 'code', id: c.guid });
      }
      walk(c.children);
    }
  };
  walk(tree);
  return guids;
}

/** An id usable as a respondent id: no U+001F (the answer id separator), not empty. */
function safeId(text: string): string {
  return text.replace(/\u001f/g, ' ').trim() || 'Document';
}

function baseName(path: string | undefined): string {
  if (!path) return '';
  const name =
    path
      .replace(/^[a-z]+:\/\/\/?/i, '')
      .split('/')
      .pop() ?? '';
  return name.replace(/\.[^.]+$/, '');
}
