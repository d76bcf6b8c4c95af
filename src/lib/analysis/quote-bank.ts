/** The quote bank: exemplar passages grouped by code or theme, each attributed to its speaker. */
import { keepCoder, type AnalysisProject } from './analysis-project';
import { targetCodeIds, targetLabel, themeTargets } from './targets';
import { codePath } from '../codebook/code-path';
import { codeTree } from '../codebook/code-tree';
import { sourceCodingId } from '../coding/final-set';
import { type Code } from '../model/types';
import type { CoderChoice, Quote, QuoteGroup, QuotesResult } from './view-types';

// ---------------------------------------------------------------------------
// Quotes

/** The attribution rule, in words, for a project's quotes (the pseudonyms' role attribute, redaction). */
export function attributionRule(project: AnalysisProject): string {
  return project.publisher.rule();
}

/**
 * The quote bank: each exemplar passage as published (attributed to the speaker's pseudonym and the wave,
 * personal data replaced unless the author kept it; see publish-project.ts). `useEntities` adds wink-nlp's
 * entities to what is found, once `loadEntityNlp()` has finished.
 */
export function quotes(project: AnalysisProject, by: 'code' | 'theme', coders: CoderChoice, options: { useEntities?: boolean } = {}): QuotesResult {
  const keep = keepCoder(coders);
  const publisher = project.publisher;
  const exemplars = project.allCodings
    .filter((c) => c.exemplar === true && keep(c.coderId) && project.answer(c.answerId) !== undefined)
    .sort((a, b) => project.rank(a.answerId) - project.rank(b.answerId) || (a.start ?? -1) - (b.start ?? -1) || (a.end ?? -1) - (b.end ?? -1));
  const quoteOf = (c: (typeof exemplars)[number]): Quote => {
    const answer = project.answer(c.answerId)!;
    const published = publisher.quote(
      {
        answerId: c.answerId,
        answerText: answer.text,
        start: c.start,
        end: c.end,
        respondentId: answer.respondentId,
        waveName: project.waveName(answer.waveId),
        questionLabel: project.questionLabel(answer.questionId),
      },
      options.useEntities ?? false,
    );
    return {
      // A Final coding's mark is its source coding's: that is the one to toggle.
      codingIds: [sourceCodingId(c.id)],
      answerId: c.answerId,
      text: published.text,
      attribution: published.attribution,
      questionLabel: project.questionLabel(answer.questionId),
      coderNames: [project.coderName(c.coderId)],
      original: published.original,
      spans: published.spans,
      pseudonym: published.pseudonym,
    };
  };
  /** Quotes of the codings whose code is in the set; two coders marking the same passage give one quote. */
  const collect = (codeIds: Set<string>): Quote[] => {
    const byPassage = new Map<string, Quote>();
    for (const c of exemplars) {
      if (!codeIds.has(c.codeId)) continue;
      const key = `${c.answerId}\u0000${c.start}\u0000${c.end}`;
      const known = byPassage.get(key);
      if (!known) byPassage.set(key, quoteOf(c));
      else {
        known.codingIds.push(sourceCodingId(c.id));
        const name = project.coderName(c.coderId);
        if (!known.coderNames.includes(name)) known.coderNames.push(name);
      }
    }
    return [...byPassage.values()];
  };
  let groups: QuoteGroup[];
  if (by === 'code') {
    const byId = new Map(project.codes.map((c) => [c.id, c]));
    // "Rewards › Career": a subcode's quotes are listed under its whole path, so they read without the tree around them.
    const path = (code: Code): string => codePath(code.id, byId);
    groups = codeTree(project.codes).map(({ code, depth }) => ({ key: `code:${code.id}`, label: path(code), depth, quotes: collect(new Set([code.id])) }));
  } else {
    const index = project.index(null);
    groups = themeTargets(project.themes).map((t) => ({
      key: `theme:${t.kind === 'theme' ? t.themeId : ''}`,
      label: targetLabel(index, t),
      depth: 0,
      quotes: collect(new Set(targetCodeIds(index, t))),
    }));
  }
  return { kind: 'quotes', by, groups: groups.filter((g) => g.quotes.length > 0), rule: publisher.rule() };
}
