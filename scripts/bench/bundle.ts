/**
 * What the build sends: every file of dist/ with its raw and gzip size, the first-paint JavaScript against its budget,
 * and the files that hold the English language model (it must be one). Reads dist/ only, so it takes well under a
 * second and needs no browser.
 *
 *   npx tsx scripts/bench/bundle.ts [dist]     (npm run bench prints it too)
 *
 * First paint is what index.html loads before the app can paint: its entry script and every chunk that script imports
 * statically, read from Vite's manifest (dist/.vite/manifest.json, `build.manifest` in vite.config.ts). Chunks
 * imported with import() (the Agreement and Analysis views, the Word report), worker bundles and the model load later.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The first-paint JavaScript may weigh this much, gzipped (issue 14). */
export const FIRST_PAINT_BUDGET_GZIP = 150 * 1024;

export type BundleFileKind = 'first-paint' | 'lazy' | 'worker' | 'language-model' | 'service-worker' | 'style' | 'other';

export interface BundleFile {
  /** Path inside dist/, with forward slashes. */
  file: string;
  kind: BundleFileKind;
  bytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  dist: string;
  files: BundleFile[];
  firstPaint: { files: string[]; bytes: number; gzipBytes: number; budgetGzipBytes: number; withinBudget: boolean };
  /** The files that contain the English language model's data: one, or the model is downloaded more than once. */
  languageModelFiles: string[];
  totals: { bytes: number; gzipBytes: number };
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/**
 * A piece of the model's packed lexicon (the longest string in its core JSON): minifiers keep string literals as
 * they are, so any file holding the model holds this.
 */
export function languageModelMarker(): string {
  const require = createRequire(import.meta.url);
  const core = require('wink-eng-lite-web-model/dist/languages/cur/models/eng-core-web-model.json') as unknown;
  let longest = '';
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      if (value.length > longest.length) longest = value;
    } else if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v);
  };
  visit(core);
  if (longest.length < 200) throw new Error('bundle: the language model has no long string to recognise it by');
  const middle = Math.floor(longest.length / 2);
  return longest.slice(middle, middle + 64);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/** The chunks index.html loads before the first paint: its entry and the entry's static imports, transitively. */
function firstPaintFiles(dist: string): string[] {
  const path = join(dist, '.vite', 'manifest.json');
  if (!existsSync(path)) throw new Error(`bundle: ${path} is missing (build.manifest in vite.config.ts)`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  const entry = manifest['index.html'];
  if (!entry?.isEntry) throw new Error('bundle: the manifest has no index.html entry');
  const seen = new Set<string>();
  const files: string[] = [];
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`bundle: the manifest names ${key} but has no entry for it`);
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  return files;
}

export function bundleReport(dist = 'dist'): BundleReport {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`bundle: ${dist}/index.html is missing: build first (npx vite build)`);
  const firstPaint = new Set(firstPaintFiles(dist));
  const marker = languageModelMarker();
  const files: BundleFile[] = [];
  for (const path of walk(dist)) {
    const file = relative(dist, path).split(sep).join('/');
    if (file.startsWith('.vite/')) continue;
    const content = readFileSync(path);
    const name = file.slice(file.lastIndexOf('/') + 1);
    const kind: BundleFileKind = firstPaint.has(file)
      ? 'first-paint'
      : content.includes(marker)
        ? 'language-model'
        : /-worker-[\w-]+\.js$/.test(name)
          ? 'worker'
          : name === 'sw.js' || /^workbox-[\w-]+\.js$/.test(name)
            ? 'service-worker'
            : name.endsWith('.css')
              ? 'style'
              : name.endsWith('.js')
                ? 'lazy'
                : 'other';
    files.push({ file, kind, bytes: statSync(path).size, gzipBytes: gzipSync(content, { level: 9 }).length });
  }
  files.sort((a, b) => a.kind.localeCompare(b.kind) || b.gzipBytes - a.gzipBytes || a.file.localeCompare(b.file));
  const paint = files.filter((f) => f.kind === 'first-paint');
  const sum = (list: BundleFile[], key: 'bytes' | 'gzipBytes') => list.reduce((total, f) => total + f[key], 0);
  const gzipBytes = sum(paint, 'gzipBytes');
  return {
    dist,
    files,
    firstPaint: {
      files: paint.map((f) => f.file),
      bytes: sum(paint, 'bytes'),
      gzipBytes,
      budgetGzipBytes: FIRST_PAINT_BUDGET_GZIP,
      withinBudget: gzipBytes <= FIRST_PAINT_BUDGET_GZIP,
    },
    languageModelFiles: files
      .filter((f) => f.kind === 'language-model' || (f.kind === 'first-paint' && readFileSync(join(dist, f.file)).includes(marker)))
      .map((f) => f.file),
    totals: { bytes: sum(files, 'bytes'), gzipBytes: sum(files, 'gzipBytes') },
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The report as Markdown: the budget lines, then one row per file. */
export function renderBundle(report: BundleReport): string {
  const { firstPaint, languageModelFiles } = report;
  const lines = [
    '## Bundle',
    '',
    `- First-paint JavaScript: ${kb(firstPaint.gzipBytes)} gzip (${kb(firstPaint.bytes)} raw) in ${firstPaint.files.length} file(s); budget ${kb(firstPaint.budgetGzipBytes)} gzip — ${firstPaint.withinBudget ? 'within budget' : 'OVER BUDGET'}`,
    `- Language model: in ${languageModelFiles.length} file(s)${languageModelFiles.length ? ` (${languageModelFiles.join(', ')})` : ''} — ${languageModelFiles.length === 1 ? 'loaded once' : languageModelFiles.length === 0 ? 'NOT FOUND' : 'DOWNLOADED MORE THAN ONCE'}`,
    `- All of dist/: ${kb(report.totals.bytes)} raw, ${kb(report.totals.gzipBytes)} gzip, ${report.files.length} files`,
    '',
    '| File | Kind | Raw | Gzip |',
    '| --- | --- | ---: | ---: |',
    ...report.files.map((f) => `| ${f.file} | ${f.kind} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`),
  ];
  return lines.join('\n') + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderBundle(bundleReport(process.argv[2] ?? 'dist')));
}
