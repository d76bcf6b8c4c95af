/**
 * Word statistics over a loaded project.
 *
 * Words are counted over texts: every answer in scope, the answers of an
 * attribute group, or the passages coded with a code or theme. A coded
 * passage is read once however many coders marked it: per answer, a
 * whole-answer coding gives the whole text; otherwise the coded spans are
 * merged where they overlap. "The rest", for distinctive words, is the
 * answers in scope that were not coded with the target at all.
 */
import { AnalysisRequestError, NO_VALUE_LABEL, keepCoder, scopeWords, whoseCodings, type AnalysisProject, type ProgressReporter } from './analysis-project';
import { targetCodeIds, targetLabel, type Target } from './targets';
import { type ExchangeAnswer } from '../exchange';
import { sliceCodePoints } from '../export/quote-text';
import { loadNlp } from '../nlp/wink';
import { scriptShare } from '../nlp/scripts';
import { distinctiveWords, keywordsInContext, wordFrequencies, type TextRef } from '../nlp/word-stats';
import type { CoderChoice, DistinctiveResult, KwicResult, WordScope, WordsResult } from './view-types';
import { ownValue } from '../model/name-keyed';

/** Texts between two progress reports in word counting. */
const WORD_PROGRESS_STEP = 2000;
// ---------------------------------------------------------------------------
// Words

interface Passage {
  answerId: string;
  /** Where the text starts in its answer, in code points. */
  start: number;
  text: string;
}

function inScope(project: AnalysisProject, questionId: string | null) {
  return (answerId: string) => {
    const answer = project.answer(answerId);
    return answer !== undefined && (questionId === null || answer.questionId === questionId);
  };
}

/** The passages coded with the target, each read once (see the module notes), in answer order. */
export function codedPassages(project: AnalysisProject, target: Target, coders: CoderChoice, questionId: string | null): Passage[] {
  const index = project.index(questionId);
  const codeIds = new Set(targetCodeIds(index, target));
  const keep = keepCoder(coders);
  const wanted = inScope(project, questionId);
  const byAnswer = new Map<string, { whole: boolean; spans: [number, number][] }>();
  for (const c of project.allCodings) {
    if (!codeIds.has(c.codeId) || !keep(c.coderId) || !wanted(c.answerId)) continue;
    let entry = byAnswer.get(c.answerId);
    if (!entry) byAnswer.set(c.answerId, (entry = { whole: false, spans: [] }));
    if (c.start === null || c.end === null) entry.whole = true;
    else entry.spans.push([c.start, c.end]);
  }
  const answerIds = [...byAnswer.keys()].sort((a, b) => project.rank(a) - project.rank(b));
  const passages: Passage[] = [];
  for (const answerId of answerIds) {
    const { whole, spans } = byAnswer.get(answerId)!;
    const text = project.answer(answerId)!.text;
    if (whole) {
      passages.push({ answerId, start: 0, text });
      continue;
    }
    spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let [from, to] = spans[0];
    for (let i = 1; i <= spans.length; i++) {
      if (i < spans.length && spans[i][0] <= to) {
        to = Math.max(to, spans[i][1]);
        continue;
      }
      passages.push({ answerId, start: from, text: sliceCodePoints(text, from, to) });
      if (i < spans.length) [from, to] = spans[i];
    }
  }
  return passages;
}

/** One text per answer: its passages joined by a blank line (so "answers" counts answers, not passages). */
function perAnswer(passages: readonly Passage[]): TextRef[] {
  const out: TextRef[] = [];
  for (const p of passages) {
    const last = out[out.length - 1];
    if (last && last.id === p.answerId) last.text += `\n\n${p.text}`;
    else out.push({ id: p.answerId, text: p.text });
  }
  return out;
}

function answersInScope(project: AnalysisProject, questionId: string | null, keep: (a: ExchangeAnswer) => boolean = () => true): Passage[] {
  const out: Passage[] = [];
  for (const a of project.data.answers) {
    if ((questionId === null || a.questionId === questionId) && keep(a)) out.push({ answerId: a.id, start: 0, text: a.text });
  }
  return out;
}

function targetName(project: AnalysisProject, target: Target, questionId: string | null): string {
  return targetLabel(project.index(questionId), target);
}

function wordPassages(project: AnalysisProject, scope: WordScope): { passages: Passage[]; label: string } {
  const where = scopeWords(project, scope.questionId);
  const group = scope.group;
  switch (group.kind) {
    case 'all':
      return { passages: answersInScope(project, scope.questionId), label: `Every answer to ${where}` };
    case 'attribute': {
      const shown = group.value === '' ? NO_VALUE_LABEL : group.value;
      return {
        passages: answersInScope(project, scope.questionId, (a) => (ownValue(project.respondents.get(a.respondentId), group.name) ?? '') === group.value),
        label: `Answers to ${where} from respondents with ${group.name} “${shown}”`,
      };
    }
    case 'target':
      return {
        passages: codedPassages(project, group.target, scope.coders, scope.questionId),
        label: `Passages coded “${targetName(project, group.target, scope.questionId)}” in ${where} (${whoseCodings(project, scope.coders)})`,
      };
  }
}

function* reporting<T>(items: readonly T[], phase: string, progress: ProgressReporter): Generator<T> {
  for (let i = 0; i < items.length; i++) {
    if (i % WORD_PROGRESS_STEP === 0) progress(phase, i, items.length);
    yield items[i];
  }
  progress(phase, items.length, items.length);
}

export async function words(project: AnalysisProject, scope: WordScope, limit: number, progress: ProgressReporter): Promise<WordsResult> {
  progress('Loading the language model', 0, 1);
  await loadNlp();
  const { passages, label } = wordPassages(project, scope);
  const texts = perAnswer(passages);
  const frequencies = wordFrequencies(reporting(texts, 'Counting words', progress));
  return {
    kind: 'words',
    scope,
    scopeLabel: label,
    texts: texts.length,
    words: frequencies.reduce((n, w) => n + w.count, 0),
    distinct: frequencies.length,
    top: frequencies.slice(0, Math.max(1, limit)),
    scripts: scriptShare(texts.map((t) => t.text)),
  };
}

export async function kwic(project: AnalysisProject, scope: WordScope, word: string, limit: number): Promise<KwicResult> {
  await loadNlp();
  const trimmed = word.trim();
  if (!trimmed) throw new AnalysisRequestError('Type or choose a word to see in context.');
  const { passages, label } = wordPassages(project, scope);
  // Each passage is read on its own, then its lines are moved to their place in the answer.
  const found = keywordsInContext(
    passages.map((p, i) => ({ id: String(i), text: p.text })),
    trimmed,
    { limit: limit + 1 },
  );
  const lines = found.slice(0, limit).map((line) => {
    const p = passages[Number(line.answerId)];
    return { ...line, answerId: p.answerId, start: line.start + p.start, end: line.end + p.start };
  });
  return { kind: 'kwic', scope, scopeLabel: label, word: trimmed, lines, truncated: found.length > limit };
}

export async function distinctive(
  project: AnalysisProject,
  target: Target,
  coders: CoderChoice,
  questionId: string | null,
  limit: number,
  progress: ProgressReporter,
): Promise<DistinctiveResult> {
  progress('Loading the language model', 0, 1);
  await loadNlp();
  const group = perAnswer(codedPassages(project, target, coders, questionId));
  const coded = new Set(group.map((t) => t.id));
  const rest = perAnswer(answersInScope(project, questionId, (a) => !coded.has(a.id)));
  const total = group.length + rest.length;
  let seen = 0;
  const counted = function* (texts: TextRef[]) {
    for (const t of texts) {
      if (seen++ % WORD_PROGRESS_STEP === 0) progress('Comparing words', seen, total);
      yield t;
    }
  };
  const result = distinctiveWords(counted(group), counted(rest), { minCount: 3 });
  progress('Comparing words', total, total);
  const n = Math.max(1, limit);
  const label = targetName(project, target, questionId);
  return {
    kind: 'distinctive',
    target,
    label,
    questionId,
    typical: result.words.filter((w) => w.z > 0).slice(0, n),
    atypical: result.words
      .filter((w) => w.z < 0)
      .slice(-n)
      .reverse(),
    groupAnswers: result.groupAnswers,
    restAnswers: result.restAnswers,
    groupWords: result.groupWords,
    restWords: result.restWords,
    method: result.method,
    basis:
      `The group: the passages coded “${label}” (${whoseCodings(project, coders)}), each read once. ` +
      `The rest: the answers to ${scopeWords(project, questionId)} not coded with it at all. Words seen fewer than 3 times in all are left out.`,
  };
}
