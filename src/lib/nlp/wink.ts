/**
 * One shared wink-nlp instance, loaded on first use.
 *
 * The English model (`wink-eng-lite-web-model`) is about 1 MB gzipped, so it is
 * not part of the main bundle: {@link loadNlp} dynamic-imports wink-nlp and the
 * model the first time it is called (in the search worker, or in Node tests)
 * and every later call gets the same instance. Once loaded, {@link getNlp}
 * returns it synchronously, which is what the memoised lemmatiser needs inside
 * MiniSearch's synchronous `processTerm`.
 *
 * Pipeline: only `pos`. `its.lemma` needs part-of-speech tags (wink lemmatises
 * a word by its tag); sentence boundaries, negation, sentiment and entities
 * are not needed to lemmatise, and we only ever read single words, so they
 * would cost time for nothing.
 */
import type { WinkMethods } from 'wink-nlp';

export type Nlp = WinkMethods;

/** The wink-nlp annotation pipeline: lemmas need POS tags and nothing else. */
export const NLP_PIPELINE: readonly string[] = ['pos'];

/** CommonJS packages come through `import()` as `{ default: module.exports }`; some bundlers nest it once more. */
export function unwrapDefault<T>(mod: unknown): T {
  let value = (mod as { default?: unknown }).default ?? mod;
  if (value !== null && typeof value === 'object' && 'default' in value && typeof value !== 'function') {
    const inner = (value as { default?: unknown }).default;
    if (inner !== undefined && inner !== null) value = inner;
  }
  return value as T;
}

/**
 * A loader of one wink-nlp instance with this pipeline over the English model:
 * loaded on the first call, then the same instance; concurrent callers share
 * one load, and a failed load may be retried.
 */
export function winkLoader(pipeline: readonly string[]): { load: () => Promise<Nlp>; loaded: () => Nlp | null } {
  let loaded: Nlp | null = null;
  let loading: Promise<Nlp> | null = null;
  const load = (): Promise<Nlp> => {
    if (loaded) return Promise.resolve(loaded);
    if (!loading) {
      loading = (async () => {
        const [winkModule, modelModule] = await Promise.all([import('wink-nlp'), import('wink-eng-lite-web-model')]);
        const winkNLP = unwrapDefault<typeof winkModule.default>(winkModule);
        const model = unwrapDefault<typeof modelModule.default>(modelModule);
        loaded = winkNLP(model, [...pipeline]);
        return loaded;
      })();
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  };
  return { load, loaded: () => loaded };
}

const shared = winkLoader(NLP_PIPELINE);

/** Load wink-nlp and its English model (once) and return the shared instance. */
export function loadNlp(): Promise<Nlp> {
  return shared.load();
}

/** True once {@link loadNlp} has finished. */
export function isNlpLoaded(): boolean {
  return shared.loaded() !== null;
}

/** The loaded instance; throws if {@link loadNlp} has not finished yet. */
export function getNlp(): Nlp {
  const instance = shared.loaded();
  if (!instance) throw new Error('wink-nlp is not loaded yet: await loadNlp() first');
  return instance;
}
