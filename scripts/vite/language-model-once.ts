import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { build, type Plugin, type Rolldown } from 'vite';

/**
 * The English language model (wink-eng-lite-web-model, about 1 MB gzip) and wink-nlp as ONE file in `dist/`.
 *
 * Vite builds every worker as a bundle of its own, so the search worker, the analysis worker and the page each
 * carried their own copy of the model (three identical 3.8 MB chunks under three names, each downloaded and cached
 * apart). This plugin bundles wink-nlp and the model once, as an ES module named by its content
 * (`assets/wink-<hash>.js`), and replaces both packages, wherever a build imports them, by a few lines that import
 * that one file: the browser downloads it once and the service worker precaches it once.
 *
 * Build only: the dev server and Vitest import the packages as before.
 */

const require = createRequire(import.meta.url);
const WINK_NLP = require.resolve('wink-nlp');
const WINK_MODEL = require.resolve('wink-eng-lite-web-model');
const ENTRY = '\0language-model-entry';

export interface LanguageModelAsset {
  fileName: string;
  source: string;
}

let bundled: Promise<LanguageModelAsset> | undefined;

/** wink-nlp and its English model as one minified ES module exporting `winkNLP` and `model` (built once per process). */
export function languageModelAsset(assetsDir = 'assets'): Promise<LanguageModelAsset> {
  bundled ??= (async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'language-model-entry',
          resolveId: (id) => (id === ENTRY ? ENTRY : null),
          load: (id) =>
            id === ENTRY
              ? `export { default as winkNLP } from ${JSON.stringify(WINK_NLP)};\nexport { default as model } from ${JSON.stringify(WINK_MODEL)};\n`
              : null,
        },
      ],
      build: {
        write: false,
        target: 'es2022',
        minify: true,
        rolldownOptions: { input: ENTRY, preserveEntrySignatures: 'strict', output: { format: 'es', codeSplitting: false } },
      },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
    const entry = chunks.find((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk' && chunk.isEntry);
    if (!entry || chunks.filter((c) => c.type === 'chunk').length !== 1) throw new Error('language model: expected one chunk');
    const hash = createHash('sha256').update(entry.code).digest('base64url').slice(0, 8);
    return { fileName: `${assetsDir}/wink-${hash}.js`, source: entry.code };
  })();
  return bundled;
}

/** The plugin; use it in `plugins` and in `worker.plugins` (each worker is a build of its own). */
export function languageModelOnce(): Plugin {
  let assetsDir = 'assets';
  return {
    name: 'codebench:language-model-once',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      assetsDir = config.build.assetsDir;
    },
    async load(id) {
      const exportName = id === WINK_NLP ? 'winkNLP' : id === WINK_MODEL ? 'model' : null;
      if (!exportName) return null;
      const asset = await languageModelAsset(assetsDir);
      // Every build emits it under the same content-named file, so the page's and the workers' builds write one file.
      this.emitFile({ type: 'asset', fileName: asset.fileName, source: asset.source });
      const base = asset.fileName.slice(asset.fileName.lastIndexOf('/') + 1);
      // Chunks and worker bundles are all written to assetsDir, so the file sits beside the chunk importing it.
      return `const shared = await import(/* @vite-ignore */ new URL(/* @vite-ignore */ ${JSON.stringify('./' + base)}, import.meta.url).href);\nexport default shared.${exportName};\n`;
    },
  };
}
