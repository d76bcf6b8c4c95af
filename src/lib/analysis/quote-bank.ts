/** The quote bank: exemplar passages grouped by code or theme, each attributed to its speaker. */
import { keepCoder, type AnalysisProject } from './analysis-project';
import { targetCodeIds, targetLabel, themeTargets } from './targets';
import { codeTree } from '../codebook/code-tree';
import { sourceCodingId } from '../coding/final-set';
import { sliceCodePoints } from '../export/quote-text';
import { defaultAttribution } from '../export/report-model';
import { type Code } from '../model/types';
import type { CoderChoice, Quote, QuoteGroup, QuotesResult } from './view-types';

// ---------------------------------------------------------------------------
// Quotes

/** The attribution rule, in words (see defaultAttribution in lib/export). */
export function attributionRule(attribute: string | null): string {
  return attribute
    ? `Each quote is attributed as: the respondent’s ${attribute} (capitalised; “Respondent” when they have none), their respondent ID, and the wave — e.g. “Mentee 7, 6 months”.`
    : 'Each quote is attributed as: “Respondent”, the respondent ID, and the wave — e.g. “Respondent 7, 6 months”. Choose an attribute to name the speaker’s role instead.';
}

export function quotes(project: AnalysisProject, by: 'code' | 'theme', coders: CoderChoice, attribute: string | null): QuotesResult {
  const keep = keepCoder(coders);
  const exemplars = project.allCodings
    .filter((c) => c.exemplar === true && keep(c.coderId) && project.answer(c.answerId) !== undefined)
    .sort((a, b) => project.rank(a.answerId) - project.rank(b.answerId) || (a.start ?? -1) - (b.start ?? -1) || (a.end ?? -1) - (b.end ?? -1));
  const quoteOf = (c: (typeof exemplars)[number]): Quote => {
    const answer = project.answer(c.answerId)!;
    const text = c.start === null || c.end === null ? answer.text : sliceCodePoints(answer.text, c.start, c.end);
    return {
      // A Final coding's mark is its source coding's: that is the one to toggle.
      codingIds: [sourceCodingId(c.id)],
      answerId: c.answerId,
      text: text.trim(),
      attribution: defaultAttribution(
        {
          respondentId: answer.respondentId,
          attributes: project.respondents.get(answer.respondentId) ?? {},
          waveName: project.waveName(answer.waveId),
          questionLabel: project.questionLabel(answer.questionId),
        },
        attribute ?? undefined,
      ),
      questionLabel: project.questionLabel(answer.questionId),
      coderNames: [project.coderName(c.coderId)],
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
    // "Rewards > Career": a subcode's quotes are listed under its whole path, so they read without the tree around them.
    const path = (code: Code): string => {
      const names = [code.name];
      const seen = new Set([code.id]);
      for (
        let p = code.parentId === null ? undefined : byId.get(code.parentId);
        p && !seen.has(p.id);
        p = p.parentId === null ? undefined : byId.get(p.parentId)
      ) {
        seen.add(p.id);
        names.unshift(p.name);
      }
      return names.join(' > ');
    };
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
  return { kind: 'quotes', by, groups: groups.filter((g) => g.quotes.length > 0), rule: attributionRule(attribute) };
}
