/**
 * The methods-ready report (issue 13, part 5): the document an author pastes
 * into a paper, built once as a ReportDocument and rendered as Markdown, HTML
 * or Word.
 *
 * Sections, each chosen by the author:
 * - Data: the questions (short label and text), the waves, respondents by the
 *   first chosen attribute and wave, answers per question and wave.
 * - Codebook: the codes with their definitions (paths "Rewards › Career"; the
 *   codes themselves, never counts of zero), and the version history.
 * - Coding process: the coders, each double-coding round (answers, coders),
 *   agreement per code in each round with Krippendorff's α and its bootstrap
 *   interval — computed by the agreement module's own steps, as the agreement
 *   worker calls them — adjudications, and the method sentences.
 * - Findings (write-up-findings.ts): per theme, prevalence by the chosen
 *   dimensions with Wilson intervals, a chart, exemplar quotes.
 * - Appendix: the prevalence table of every code.
 *
 * Everything counted comes from the analysis index of the answers in scope
 * (the view's filter): one pass over typed arrays per table, never a loop over
 * answer texts, except for the quotes, which are few. Column headers are short
 * labels (question labels, wave names, attribute values), never question texts.
 */
import { answerTableOf, prepareCodings, type AgreementSettings, type CodeGroup } from '../agreement/compute-request';
import { DEFAULT_BOOTSTRAP_SAMPLES, DEFAULT_BOOTSTRAP_SEED } from '../agreement/bootstrap';
import type { AgreementRow, IntervalResult } from '../agreement/answer-agreement';
import type { StatResult } from '../agreement/errors';
import type { AnalysisIndex } from '../analysis/analysis-index';
import { orderValues } from '../analysis/groups';
import { MAX_PREVALENCE_COLUMNS } from '../analysis/write-up-views';
import { methodText } from '../analysis/proportions';
import { codePath } from '../codebook/code-path';
import { codeTree } from '../codebook/code-tree';
import { diffCodebookVersions, type CodebookChangeKind } from '../codebook/version-diff';
import type { ProjectFileInput } from '../exchange/project-file';
import type { ExchangeCoding } from '../exchange/records';
import type { CoderSelection } from '../analysis/coder-selection';
import { CONSENSUS_CODER_ID, FINAL_CODER_ID } from '../model/types';
import { heading, paragraph, type DocBlock, type DocRow, type DocSection, type ReportDocument } from './document';

export type ReportSectionId = 'data' | 'codebook' | 'process' | 'findings' | 'appendix';

export const REPORT_SECTIONS: readonly { id: ReportSectionId; title: string }[] = [
  { id: 'data', title: 'Data' },
  { id: 'codebook', title: 'Codebook' },
  { id: 'process', title: 'Coding process' },
  { id: 'findings', title: 'Findings' },
  { id: 'appendix', title: 'Appendix: prevalence of every code' },
];

/** Tables and parts the author may leave out of a chosen section. */
export type ReportPartId =
  | 'questions'
  | 'respondents'
  | 'answers'
  | 'codebook-table'
  | 'versions'
  | 'coders'
  | 'rounds'
  | 'agreement'
  | 'adjudication'
  | 'prevalence'
  | 'chart'
  | 'quotes'
  | 'pairs'
  | 'change';

export const REPORT_PARTS: readonly { id: ReportPartId; section: ReportSectionId; label: string }[] = [
  { id: 'questions', section: 'data', label: 'Questions' },
  { id: 'respondents', section: 'data', label: 'Respondents by group and wave' },
  { id: 'answers', section: 'data', label: 'Answers per question and wave' },
  { id: 'codebook-table', section: 'codebook', label: 'Codes and definitions' },
  { id: 'versions', section: 'codebook', label: 'Version history' },
  { id: 'coders', section: 'process', label: 'Coders' },
  { id: 'rounds', section: 'process', label: 'Double-coded sample' },
  { id: 'agreement', section: 'process', label: 'Agreement per code' },
  { id: 'adjudication', section: 'process', label: 'Adjudication' },
  { id: 'prevalence', section: 'findings', label: 'Prevalence tables' },
  { id: 'chart', section: 'findings', label: 'Charts' },
  { id: 'quotes', section: 'findings', label: 'Exemplar quotes' },
  { id: 'pairs', section: 'findings', label: 'Pairs: who mentioned it' },
  { id: 'change', section: 'findings', label: 'Change between the first and last wave' },
];

/** The project as the analysis worker holds it (the project file's shape). */
export type WriteUpData = Pick<
  ProjectFileInput,
  | 'project'
  | 'waves'
  | 'questions'
  | 'attributes'
  | 'respondents'
  | 'answers'
  | 'codes'
  | 'coders'
  | 'codings'
  | 'themes'
  | 'rounds'
  | 'resolutions'
  | 'codebookVersions'
>;

/** What the report is built from. */
export interface WriteUpSource {
  data: WriteUpData;
  /** The answers in scope (the view's filter) with every coder's codings and the Final ones. */
  index: AnalysisIndex;
  /** Whose codings the findings count (positions of the index's coders). */
  coders: CoderSelection;
  /** Every coder's codings and the Final ones: what exemplar quotes are chosen from. */
  codings: readonly ExchangeCoding[];
  /** Who said a quote: "Mentee 7, 6 months". */
  attribution: (answer: { respondentId: string; waveId: string; questionId: string }) => string;
  /**
   * The quote as published (pseudonym, personal data redacted: lib/analysis/publish-project.ts), when the project
   * has a publisher; it overrides `attribution`. The span is in code points, null for the whole answer.
   */
  publish?: (quote: {
    answerId: string;
    answerText: string;
    start: number | null;
    end: number | null;
    respondentId: string;
    waveId: string;
    questionId: string;
  }) => {
    text: string;
    attribution: string;
  };
  /** How quotes are attributed and redacted, in words, printed before them. */
  quoteRule?: string;
  /** "Coding set: Final — …", or the coder chosen, in words. */
  codingSet: string;
  /**
   * The project before the filter bar narrowed it (a blind coder's own copy in blind mode): what the Coding
   * process section counts, so its α is the Agreement view's for the same round whatever the filter. Absent: `data`.
   */
  processData?: WriteUpData;
  /** The project is one coder's blind copy: other coders' codings are hidden from it, not missing. */
  blind?: boolean;
  /**
   * The write-up's role attribute (lib/analysis/publishing.ts `roleAttributeOf`): what the Pairs and Change tables
   * split by. Null: none chosen. Absent: the likely one by name and values (`defaultRoleAttribute`).
   */
  roleAttribute?: string | null;
  /** The filter in words ("Wave: 6 months · Role: Mentee"); "" for none. */
  filter: string;
  generatedAt: Date;
  /**
   * The texts of the answers the report quotes and compares, by id (at least `reportAnswerIds`'), when read ahead:
   * the analysis worker reads them alone from the stored chunks rather than every answer. Absent: `data.answers`.
   */
  answerTexts?: ReadonlyMap<string, string>;
}

/** These answers' texts, by id (an id not among the answers left out): from `answerTexts` when read ahead, else from the answers. */
export function answerTextsOf(source: Pick<WriteUpSource, 'answerTexts'>, data: WriteUpData, ids: ReadonlySet<string>): Map<string, string> {
  const texts = new Map<string, string>();
  if (ids.size === 0) return texts;
  if (source.answerTexts) {
    for (const id of ids) {
      const text = source.answerTexts.get(id);
      if (text !== undefined) texts.set(id, text);
    }
  } else for (const a of data.answers) if (ids.has(a.id)) texts.set(a.id, a.text);
  return texts;
}

/** How the sections are put together; see also `WriteUpChoices` in write-up-findings.ts. */
export interface SectionChoices {
  sections: readonly ReportSectionId[];
  /** Parts left out of the chosen sections. */
  omit?: readonly ReportPartId[];
  /** The attribute respondents are counted by in the Data section (e.g. role); null: by wave only. */
  groupAttribute?: string | null;
}

// ---------------------------------------------------------------------------
// Small helpers

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** A number to two decimals, "–" when undefined. */
function decimal(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(2).replace(/^-0\.00$/, '0.00');
}

function stat(result: StatResult): string {
  return 'value' in result ? decimal(result.value) : '–';
}

function interval(result: IntervalResult | null): string {
  if (!result || !('low' in result)) return '–';
  return `${decimal(result.low)} to ${decimal(result.high)}`;
}

function sortedWaves(data: WriteUpData) {
  return [...data.waves].sort((a, b) => a.order - b.order);
}

function sortedQuestions(data: WriteUpData) {
  return [...data.questions].sort((a, b) => a.order - b.order);
}

/** A question's short name for a column or row: its label, else its key. */
export function questionLabel(q: { key: string; label: string }): string {
  return q.label.trim() || q.key;
}

const omitted = (choices: SectionChoices, part: ReportPartId) => (choices.omit ?? []).includes(part);

// ---------------------------------------------------------------------------
// Data

export function dataSection(source: WriteUpSource, choices: SectionChoices): DocBlock[] {
  const { data, index } = source;
  const blocks: DocBlock[] = [];
  const waves = sortedWaves(data);
  const questions = sortedQuestions(data);
  const waveAt = new Map(index.waveIds.map((id, i) => [id, i]));
  const questionAt = new Map(index.questionIds.map((id, i) => [id, i]));
  const W = index.waveIds.length;
  const Q = index.questionIds.length;
  const R = index.respondentCount;

  // One pass over the answers: per question × wave answers, per respondent × wave whether they answered.
  const perQuestionWave = new Int32Array(Q * W);
  const answeredIn = new Uint8Array(R * W);
  for (let a = 0; a < index.answerCount; a++) {
    const w = index.answerWave[a];
    perQuestionWave[index.answerQuestion[a] * W + w] += 1;
    answeredIn[index.answerRespondent[a] * W + w] = 1;
  }
  const wavesInScope = waves.filter((w) => waveAt.has(w.id));
  const questionsInScope = questions.filter((q) => questionAt.has(q.id));

  const summary = [
    `${plural(R, 'respondent')} gave ${plural(index.answerCount, 'non-blank answer')} to ${plural(questionsInScope.length, 'open question')}`,
    wavesInScope.length > 1
      ? ` in ${wavesInScope.length} waves (${wavesInScope.map((w) => w.name).join(', ')}).`
      : wavesInScope.length === 1
        ? ` (${wavesInScope[0].name}).`
        : '.',
  ].join('');
  blocks.push(paragraph(summary + (source.filter ? ` Filter: ${source.filter}.` : '')));

  if (!omitted(choices, 'questions') && questionsInScope.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Questions',
      header: [[{ text: 'Question' }, { text: 'Text' }]],
      rows: questionsInScope.map((q) => ({ cells: [questionLabel(q), q.text.trim() || q.label || q.key] })),
      notes: ['Tables refer to each question by the short name in the first column.'],
    });
  }

  if (!omitted(choices, 'respondents') && R > 0) {
    const attribute = choices.groupAttribute && data.attributes.some((a) => a.name === choices.groupAttribute) ? choices.groupAttribute : null;
    const column = attribute ? index.attributeColumn(attribute) : null;
    // Natural order, blank last, as the findings' columns and the Pairs and Change tables order them.
    const values = column ? orderValues(column) : [''];
    const valueAt = new Map(values.map((v, i) => [v, i]));
    const counts = new Int32Array(values.length * (W + 1));
    for (let r = 0; r < R; r++) {
      const g = column ? valueAt.get(column[r])! : 0;
      let any = false;
      for (let w = 0; w < W; w++) {
        if (answeredIn[r * W + w]) {
          counts[g * (W + 1) + w] += 1;
          any = true;
        }
      }
      if (any) counts[g * (W + 1) + W] += 1;
    }
    const rows: DocRow[] = values.map((v, g) => ({
      cells: [attribute ? v || '(no value)' : 'Respondents', ...wavesInScope.map((w) => counts[g * (W + 1) + waveAt.get(w.id)!]), counts[g * (W + 1) + W]],
    }));
    if (attribute && values.length > 1) {
      const totals: number[] = wavesInScope.map((w) => values.reduce((n, _, g) => n + counts[g * (W + 1) + waveAt.get(w.id)!], 0));
      rows.push({ cells: ['All respondents', ...totals, values.reduce((n, _, g) => n + counts[g * (W + 1) + W], 0)] });
    }
    blocks.push({
      kind: 'table',
      caption: attribute ? `Respondents by ${attribute} and wave` : 'Respondents by wave',
      header: [[{ text: attribute ?? '' }, ...wavesInScope.map((w) => ({ text: w.name })), { text: 'Any wave' }]],
      rows,
      notes: ['Respondents who gave a non-blank answer to at least one question in scope in that wave.'],
    });
  }

  if (!omitted(choices, 'answers') && questionsInScope.length > 0) {
    const rows: DocRow[] = questionsInScope.map((q) => {
      const at = questionAt.get(q.id)!;
      const cells = wavesInScope.map((w) => perQuestionWave[at * W + waveAt.get(w.id)!]);
      return { cells: [questionLabel(q), ...cells, cells.reduce((n, c) => n + c, 0)] };
    });
    blocks.push({
      kind: 'table',
      caption: 'Answers per question and wave',
      header: [[{ text: 'Question' }, ...wavesInScope.map((w) => ({ text: w.name })), { text: 'All waves' }]],
      rows,
      notes: ['Non-blank answers.'],
    });
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Codebook

const CHANGE_WORDS: Record<CodebookChangeKind, [string, string]> = {
  added: ['added', 'added'],
  deleted: ['deleted', 'deleted'],
  renamed: ['renamed', 'renamed'],
  moved: ['moved', 'moved'],
  merged: ['merged into another', 'merged into others'],
  split: ['split off', 'split off'],
  definition: ['definition changed', 'definitions changed'],
  inclusion: ['inclusion criteria changed', 'inclusion criteria changed'],
  exclusion: ['exclusion criteria changed', 'exclusion criteria changed'],
  example: ['example changed', 'examples changed'],
};

/** "2 codes added; 1 merged into another" */
function changeSummary(kinds: readonly CodebookChangeKind[]): string {
  const counts = new Map<CodebookChangeKind, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .map(([kind, n]) => {
      const [one, many] = CHANGE_WORDS[kind];
      return kind === 'added' || kind === 'deleted' || kind === 'renamed' || kind === 'moved' || kind === 'split' || kind === 'merged'
        ? `${plural(n, 'code')} ${n === 1 ? one : many}`
        : `${n} ${n === 1 ? one : many}`;
    })
    .join('; ');
}

export function codebookSection(source: WriteUpSource, choices: SectionChoices): DocBlock[] {
  const { data } = source;
  const blocks: DocBlock[] = [];
  const codes = data.codes.map((c) => ({ ...c, projectId: '' }));
  const byId = new Map(codes.map((c) => [c.id, c]));
  const tree = codeTree(codes);
  const topLevel = tree.filter((r) => r.depth === 0).length;
  blocks.push(
    paragraph(
      tree.length === 0
        ? 'The codebook has no codes yet.'
        : `The codebook has ${plural(tree.length, 'code')}${topLevel < tree.length ? `, ${topLevel} at the top level` : ''}.`,
    ),
  );
  if (!omitted(choices, 'codebook-table') && tree.length > 0) {
    const has = (field: 'inclusion' | 'exclusion' | 'example') => codes.some((c) => c[field].trim() !== '');
    const extra = (['inclusion', 'exclusion', 'example'] as const).filter(has);
    const titles = { inclusion: 'Include when', exclusion: 'Exclude when', example: 'Example' };
    blocks.push({
      kind: 'table',
      caption: 'Codes and definitions',
      header: [[{ text: 'Code' }, { text: 'Definition' }, ...extra.map((f) => ({ text: titles[f] }))]],
      rows: tree.map(({ code }) => ({ cells: [codePath(code.id, byId), code.definition.trim(), ...extra.map((f) => code[f].trim())] })),
    });
  }
  const versions = [...(data.codebookVersions ?? [])].sort((a, b) => a.number - b.number);
  if (!omitted(choices, 'versions') && versions.length > 0) {
    blocks.push(heading(2, 'Version history'));
    blocks.push({
      kind: 'table',
      caption: 'Codebook versions',
      header: [[{ text: 'Version' }, { text: 'Name' }, { text: 'Date' }, { text: 'Codes' }, { text: 'Changes from the version before' }]],
      rows: versions.map((v, i) => {
        const changes = i === 0 ? '' : changeSummary(diffCodebookVersions(versions[i - 1].codes, v.codes).map((c) => c.kind)) || 'none';
        return { cells: [v.number, v.label, isoDate(v.createdAt), v.codes.length, changes] };
      }),
      align: ['right', 'left', 'left', 'right', 'left'],
      notes: ['A version is frozen when a double-coding round is drawn, or saved by the lead coder.'],
    });
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Coding process

export interface RoundAgreementResult {
  roundNumber: number;
  roundName: string;
  coderIds: string[];
  answers: number;
  includeSubcodes: boolean;
  uncodedAs: 'absent' | 'missing';
  rows: AgreementRow[];
  /** Over `pooledCodeIds` only, so a subcode never counts twice (alone and inside its parent). */
  pooled: AgreementRow;
  /** The top-level codes, in tree order: what the Agreement view compares by default. */
  pooledCodeIds: string[];
  bootstrap: { samples: number; seed: number };
}

/**
 * Agreement per code in one round, by the same steps the agreement worker
 * takes (`prepareCodings`, then `answerTableOf`) on the round's answers: the
 * round's two coders, every code in tree order, a parent counted with its
 * subcodes unless the round's stored agreement was computed without them,
 * uncoded answers as the stored record says (else "absent", the view's
 * default), and the default bootstrap (1,000 resamples, the default seed) for
 * α's interval. The pooled row stacks the top-level codes only (each with its
 * subcodes when the round counts them), as the Agreement view does by default:
 * a subcode listed on its own row would otherwise count twice in the pool.
 */
export function roundAgreement(
  data: WriteUpData,
  round: NonNullable<WriteUpData['rounds']>[number],
  bootstrapSamples = DEFAULT_BOOTSTRAP_SAMPLES,
  read: Pick<WriteUpSource, 'answerTexts'> = {},
): RoundAgreementResult | null {
  if (round.coderIds.length < 2) return null;
  const texts = answerTextsOf(read, data, new Set(round.answerIds));
  const ids = round.answerIds.filter((id) => texts.has(id));
  if (ids.length === 0) return null;
  const codes = data.codes.map((c) => ({ ...c, projectId: '' }));
  const tree = codeTree(codes);
  if (tree.length === 0) return null;
  const includeSubcodes = round.agreement?.includeSubcodes ?? true;
  const uncodedAs = round.agreement?.uncodedAs ?? 'absent';
  const children = new Map<string, string[]>();
  for (const c of codes) if (c.parentId !== null) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  const subtree = (id: string) => {
    const out = [id];
    for (let i = 0; i < out.length; i++) for (const child of children.get(out[i]) ?? []) if (!out.includes(child)) out.push(child);
    return out;
  };
  const codeIds = tree.map((r) => r.code.id);
  const codeGroups: CodeGroup[] = includeSubcodes ? codeIds.filter((id) => children.has(id)).map((id) => ({ codeId: id, memberIds: subtree(id) })) : [];
  const settings: AgreementSettings = {
    coderIds: round.coderIds.slice(0, 2),
    codeIds,
    codeGroups,
    uncodedAs,
    spanThreshold: 0.5,
    bootstrapSamples,
    bootstrapSeed: DEFAULT_BOOTSTRAP_SEED,
  };
  const input = { ids, texts: ids.map((id) => texts.get(id)!) };
  const table = answerTableOf(prepareCodings(input, data.codings, settings));
  const pooledCodeIds = tree.filter((r) => r.depth === 0).map((r) => r.code.id);
  const pooled =
    pooledCodeIds.length === codeIds.length
      ? table.pooled
      : answerTableOf(
          prepareCodings(input, data.codings, {
            ...settings,
            codeIds: pooledCodeIds,
            codeGroups: codeGroups.filter((g) => pooledCodeIds.includes(g.codeId)),
          }),
        ).pooled;
  return {
    roundNumber: round.number,
    roundName: round.name,
    coderIds: settings.coderIds.slice(),
    answers: table.answers,
    includeSubcodes,
    uncodedAs,
    rows: table.rows,
    pooled,
    pooledCodeIds,
    bootstrap: table.bootstrap,
  };
}

const DECISIONS: Record<'first' | 'second' | 'both' | 'neither', string> = {
  first: "the first coder's codes",
  second: "the second coder's codes",
  both: 'both coders’ codes',
  neither: 'neither coder’s codes',
};

export function processSection(source: WriteUpSource, choices: SectionChoices, options: { bootstrapSamples?: number } = {}): DocBlock[] {
  // The whole project (or the blind copy), never the filtered one: the coding process is the project's, whatever the filter bar says.
  const data = source.processData ?? source.data;
  const blocks: DocBlock[] = [];
  const coderName = new Map(data.coders.map((c) => [c.id, c.name]));
  // A coder missing from the project as given is one a blind coder may not see, or one no longer in the project: never named, never measured.
  const nameOf = (id: string) =>
    id === FINAL_CODER_ID ? 'Final' : (coderName.get(id) ?? (source.blind ? 'another coder' : 'a coder no longer in the project'));
  const humans = data.coders.filter((c) => c.id !== CONSENSUS_CODER_ID && c.id !== FINAL_CODER_ID);
  const rounds = [...(data.rounds ?? [])].sort((a, b) => a.number - b.number);

  if (!omitted(choices, 'coders')) {
    const answersBy = new Map<string, Set<string>>();
    const codingsBy = new Map<string, number>();
    for (const c of data.codings) {
      let set = answersBy.get(c.coderId);
      if (!set) answersBy.set(c.coderId, (set = new Set()));
      set.add(c.answerId);
      codingsBy.set(c.coderId, (codingsBy.get(c.coderId) ?? 0) + 1);
    }
    const listed = humans.filter((c) => (codingsBy.get(c.id) ?? 0) > 0);
    blocks.push(paragraph(listed.length === 0 ? 'No answers have been coded yet.' : `${plural(listed.length, 'coder')} coded the answers.`));
    if (listed.length > 0) {
      blocks.push({
        kind: 'table',
        caption: 'Coders',
        header: [[{ text: 'Coder' }, { text: 'Answers coded' }, { text: 'Codings' }]],
        rows: listed.map((c) => ({ cells: [c.name, answersBy.get(c.id)?.size ?? 0, codingsBy.get(c.id) ?? 0] })),
        notes: ['All codings in the project, whatever the filter of the other tables.'],
      });
    }
  }

  if (!omitted(choices, 'rounds')) {
    blocks.push(heading(2, 'Double coding'));
    if (rounds.length === 0) {
      blocks.push(paragraph('No double-coding round has been drawn: agreement between coders was not measured.'));
    } else {
      const versionNumber = new Map((data.codebookVersions ?? []).map((v) => [v.id, v.number]));
      blocks.push({
        kind: 'table',
        caption: 'Double-coding rounds',
        header: [
          [{ text: 'Round' }, { text: 'Drawn' }, { text: 'Answers' }, { text: 'Coders compared' }, { text: 'Codebook version' }, { text: 'Drawn by stratum' }],
        ],
        rows: rounds.map((r) => ({
          cells: [
            r.name.trim() ? `${r.number}. ${r.name}` : String(r.number),
            isoDate(r.createdAt),
            r.answerIds.length,
            r.coderIds.length >= 2 ? r.coderIds.map(nameOf).join(' and ') : 'second coder not yet known',
            versionNumber.has(r.codebookVersionId) ? String(versionNumber.get(r.codebookVersionId)) : '–',
            r.sample.strata.length === 0 ? 'no' : r.sample.strata.map((s) => (s.kind === 'attribute' ? s.name : s.kind)).join(', '),
          ],
        })),
        align: ['left', 'left', 'right', 'left', 'right', 'left'],
        notes: ['Each round is a seeded random sample of answers that a second coder coded blind, with the codebook frozen when it was drawn.'],
      });
    }
  }

  if (!omitted(choices, 'agreement') && rounds.length > 0) {
    const codesById = new Map(data.codes.map((c) => [c.id, c]));
    let any = false;
    for (const round of rounds) {
      if (!round.coderIds.slice(0, 2).every((id) => coderName.has(id))) {
        if (round.coderIds.length >= 2) {
          any = true;
          blocks.push(
            paragraph(
              source.blind
                ? `Agreement in round ${round.number} is not shown: it rests on another coder's codings, hidden while coding blind.`
                : `Agreement in round ${round.number} is not shown: one of its two coders is no longer in the project, so their codings cannot be compared.`,
            ),
          );
        }
        continue;
      }
      const result = roundAgreement(data, round, options.bootstrapSamples, source);
      if (!result) continue;
      any = true;
      const shown = result.rows.filter((row) => row.codeId !== null && row.allAbsent < row.pairableUnits);
      const left = result.rows.length - shown.length;
      const label = round.name.trim() ? `round ${round.number} (${round.name})` : `round ${round.number}`;
      blocks.push({
        kind: 'table',
        caption: `Agreement per code, ${label}: ${result.coderIds.map(nameOf).join(' and ')}`,
        header: [
          [{ text: 'Code' }, { text: 'Answers' }, { text: 'Either coder' }, { text: 'α' }, { text: '95% CI of α' }, { text: 'κ' }, { text: '% agreement' }],
        ],
        rows: [
          ...shown.map((row) => ({
            cells: [
              codePath(row.codeId!, codesById) + (result.includeSubcodes && data.codes.some((c) => c.parentId === row.codeId) ? ' (with subcodes)' : ''),
              row.pairableUnits,
              row.pairableUnits - row.allAbsent,
              stat(row.statistics.krippendorffAlpha),
              interval(row.alphaInterval),
              stat(row.statistics.cohenKappa),
              'value' in row.statistics.percentAgreement ? `${Math.round(row.statistics.percentAgreement.value * 100)}%` : '–',
            ],
          })),
          {
            cells: [
              'Top-level codes (pooled)',
              result.pooled.pairableUnits,
              result.pooled.pairableUnits - result.pooled.allAbsent,
              stat(result.pooled.statistics.krippendorffAlpha),
              interval(result.pooled.alphaInterval),
              stat(result.pooled.statistics.cohenKappa),
              'value' in result.pooled.statistics.percentAgreement ? `${Math.round(result.pooled.statistics.percentAgreement.value * 100)}%` : '–',
            ],
          },
        ],
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
        notes: [
          `Krippendorff's α (nominal) and Cohen's κ per code on the ${plural(result.answers, 'answer')} of the round, a code present or absent in each answer; ` +
            `${result.uncodedAs === 'absent' ? 'an answer a coder left uncoded counts as the code being absent' : 'an answer a coder left uncoded is missing for that coder'}. ` +
            `The interval is the 95% percentile bootstrap over answers (${result.bootstrap.samples.toLocaleString('en')} resamples, seed ${result.bootstrap.seed}). ` +
            `"Either coder": answers where at least one coder applied the code. ` +
            `The pooled row stacks the top-level codes (${result.pooledCodeIds.map((id) => codePath(id, codesById)).join(', ')})` +
            `${result.includeSubcodes ? ', each with its subcodes,' : ''} as the Agreement view compares them by default; ` +
            `${result.includeSubcodes ? 'a subcode counts there only inside its parent' : 'subcodes are not in it'}.` +
            (left > 0
              ? ` ${left === 1 ? 'One code neither coder applied in the round is' : `${left} codes neither coder applied in the round are`} not listed.`
              : ''),
        ],
      });
    }
    if (!any) blocks.push(paragraph('No round has two coders with codings yet: agreement could not be computed.'));
  }

  if (!omitted(choices, 'adjudication')) {
    const resolutions = data.resolutions ?? [];
    blocks.push(heading(2, 'Adjudication'));
    if (resolutions.length === 0) {
      blocks.push(paragraph('No disagreement between coders has been adjudicated.'));
    } else {
      const by = new Map<string, number>();
      for (const r of resolutions) by.set(r.decision, (by.get(r.decision) ?? 0) + 1);
      blocks.push(
        paragraph(
          `${plural(resolutions.length, 'answer')} where the coders disagreed ${resolutions.length === 1 ? 'was' : 'were'} adjudicated: ` +
            (['first', 'second', 'both', 'neither'] as const)
              .filter((d) => by.has(d))
              .map((d) => `${by.get(d)} kept ${DECISIONS[d]}`)
              .join(', ') +
            '.',
        ),
      );
    }
  }
  const method = methodText();
  blocks.push(heading(2, 'Methods'));
  blocks.push(paragraph(source.codingSet ? `${source.codingSet}.` : 'Counts use the codings chosen for the report.'));
  blocks.push(paragraph(`Prevalence: ${method.wilson} ${method.newcombe}`));
  return blocks;
}

// ---------------------------------------------------------------------------
// The document

/** Title and meta lines of every report. */
export function reportFrame(source: WriteUpSource): Pick<ReportDocument, 'title' | 'meta'> {
  const date = Number.isNaN(source.generatedAt.getTime()) ? '' : source.generatedAt.toISOString().slice(0, 10);
  const meta = [`Project: ${source.data.project.name}`, `Generated: ${date}`];
  if (source.codingSet) meta.push(source.codingSet);
  meta.push(source.filter ? `Filter: ${source.filter}` : 'Filter: none (every question, wave and respondent)');
  return { title: `${source.data.project.name}: coding report`, meta };
}

/** A section of the document; the findings and the appendix come from write-up-findings.ts. */
export function section(id: ReportSectionId, blocks: DocBlock[]): DocSection {
  return { id, title: REPORT_SECTIONS.find((s) => s.id === id)!.title, chosen: true, blocks };
}

// ---------------------------------------------------------------------------
// The author's choices

/** A dimension a findings table is split by (the same shape as the analysis module's `Dimension`). */
export type ReportDimension = { kind: 'attribute'; name: string } | { kind: 'wave' } | { kind: 'question' };

/** What the author chose in the Export tab's Report section; plain data, sent to the worker. */
export interface ReportSettings {
  sections: ReportSectionId[];
  /** Parts left out of the chosen sections. */
  omit: ReportPartId[];
  /** Up to two: the findings' columns (outer, then inner), e.g. role × wave. */
  dimensions: ReportDimension[];
  unit: 'respondents' | 'answers';
  /** Most exemplar quotes per theme. */
  quotesPerTheme: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  sections: ['data', 'codebook', 'process', 'findings', 'appendix'],
  omit: [],
  dimensions: [],
  unit: 'respondents',
  quotesPerTheme: 3,
};

/**
 * The report's dimensions as the Prevalence tab would take them: at most two; an attribute no longer in the
 * project is dropped, and so is the widest dimension while the tables would have more than
 * MAX_PREVALENCE_COLUMNS columns. `dropped` says what was dropped and why, one sentence each.
 */
export function reportDimensions(
  source: Pick<WriteUpSource, 'data' | 'index'>,
  settings: Pick<ReportSettings, 'dimensions'>,
): {
  dimensions: ReportDimension[];
  dropped: string[];
} {
  const dropped: string[] = [];
  const names = new Set(source.data.attributes.map((a) => a.name));
  const kept = settings.dimensions.slice(0, 2).filter((d) => {
    if (d.kind !== 'attribute' || names.has(d.name)) return true;
    dropped.push(`The attribute “${d.name}” chosen for the columns is no longer in the project, so the tables are not split by it.`);
    return false;
  });
  const { index } = source;
  const sizeOf = (d: ReportDimension) =>
    d.kind === 'wave' ? index.waveIds.length : d.kind === 'question' ? index.questionIds.length : new Set(index.attributeColumn(d.name)).size;
  const label = (d: ReportDimension) => (d.kind === 'attribute' ? `“${d.name}”` : d.kind === 'wave' ? 'wave' : 'question');
  while (kept.length > 0 && kept.reduce((n, d) => n * sizeOf(d), 1) > MAX_PREVALENCE_COLUMNS) {
    const sizes = kept.map(sizeOf);
    const widest = sizes.indexOf(Math.max(...sizes));
    dropped.push(
      `The tables are not split by ${label(kept[widest])}: its ${sizes[widest].toLocaleString('en')} values would make more than ${MAX_PREVALENCE_COLUMNS} columns.`,
    );
    kept.splice(widest, 1);
  }
  return { dimensions: kept, dropped };
}

/** The Findings and Appendix blocks (write-up-findings.ts); absent, the two sections are left out. */
export type FindingsBuilder = (source: WriteUpSource, settings: ReportSettings) => { findings: DocBlock[]; appendix: DocBlock[] };

/** The report as a document: the chosen sections, in the order of REPORT_SECTIONS. */
export function buildWriteUpReport(source: WriteUpSource, settings: ReportSettings, findings?: FindingsBuilder): ReportDocument {
  const chosen = new Set(settings.sections);
  const attribute = reportDimensions(source, settings).dimensions.find((d): d is { kind: 'attribute'; name: string } => d.kind === 'attribute');
  const choices: SectionChoices = { sections: settings.sections, omit: settings.omit, groupAttribute: attribute?.name ?? null };
  const sections: DocSection[] = [];
  const later = findings && (chosen.has('findings') || chosen.has('appendix')) ? findings(source, settings) : null;
  for (const { id } of REPORT_SECTIONS) {
    if (!chosen.has(id)) continue;
    if (id === 'data') sections.push(section(id, dataSection(source, choices)));
    else if (id === 'codebook') sections.push(section(id, codebookSection(source, choices)));
    else if (id === 'process') sections.push(section(id, processSection(source, choices)));
    else if (id === 'findings' && later) sections.push(section(id, later.findings));
    else if (id === 'appendix' && later) sections.push(section(id, later.appendix));
  }
  return { ...reportFrame(source), sections };
}
