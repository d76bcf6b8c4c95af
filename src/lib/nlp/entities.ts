/**
 * Named entities from wink-nlp, with their offsets in the text, for finding
 * personal data in quotes (`lib/analysis/redaction.ts`).
 *
 * A second wink instance with the `ner` pipe: the shared one ({@link loadNlp})
 * runs `pos` only, because lemmas need nothing else and entities would cost
 * the search index time for nothing. The model object is shared between the
 * two, so this one adds well under a megabyte.
 *
 * What the lite English model recognises (checked by running it): EMAIL,
 * URL, MENTION (@handle), HASHTAG, EMOJI, DATE, TIME, DURATION, CARDINAL,
 * ORDINAL, MONEY, PERCENT. It has no person, place or phone entity; those
 * come from our own patterns and heuristics.
 */
import type { WinkMethods } from 'wink-nlp';
import { winkLoader } from './wink';

/** An entity wink found, with UTF-16 offsets into the text it was read from. */
export interface Entity {
  start: number;
  end: number;
  /** wink's entity type, for example "EMAIL" or "MENTION". */
  type: string;
  value: string;
}

const entityNlp = winkLoader(['ner']);

/** Load wink-nlp with entity recognition (once); concurrent callers share one load, a failed load may be retried. */
export function loadEntityNlp(): Promise<WinkMethods> {
  return entityNlp.load();
}

/** True once {@link loadEntityNlp} has finished. */
export function isEntityNlpLoaded(): boolean {
  return entityNlp.loaded() !== null;
}

/**
 * The entities in `text`. wink's tokens with their preceding spaces rebuild
 * the text exactly, which gives each token's offset; an entity whose offsets
 * do not give back its value is left out rather than placed wrongly.
 *
 * @throws Error when {@link loadEntityNlp} has not finished.
 */
export function findEntities(text: string): Entity[] {
  const instance = entityNlp.loaded();
  if (!instance) throw new Error('Entity recognition is not loaded yet: await loadEntityNlp() first');
  const its = instance.its;
  const doc = instance.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += spaces[i].length;
    starts.push(at);
    at += values[i].length;
  }
  const details = doc.entities().out(its.detail) as unknown as { value: string; type: string }[];
  const spans = doc.entities().out(its.span) as unknown as [number, number][];
  const out: Entity[] = [];
  for (let e = 0; e < details.length; e++) {
    const [first, last] = spans[e];
    const start = starts[first];
    const end = starts[last] + values[last].length;
    if (text.slice(start, end) !== details[e].value) continue;
    out.push({ start, end, type: details[e].type, value: details[e].value });
  }
  return out;
}
