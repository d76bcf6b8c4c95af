export { loadNlp, getNlp, isNlpLoaded, NLP_PIPELINE, type Nlp } from './wink';
export { loadEntityNlp, isEntityNlpLoaded, findEntities, type Entity } from './entities';
export {
  wordTokens,
  wordBounds,
  wordStrings,
  forEachWord,
  normalizeWord,
  lemmatizeTerm,
  lemmaInfo,
  indexKeys,
  knownForms,
  knownFormsVersion,
  addKnownForms,
  LEMMA_KEY_VERSION,
  type WordToken,
  type WordBounds,
  type LemmaInfo,
  type LemmaPart,
} from './lemmatize';
