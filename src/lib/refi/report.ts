/**
 * What an import kept, what it could not keep and what it had to interpret,
 * in words for the user. REFI-QDA §7 asks importers to say which elements
 * were discarded "in as much detail as possible"; every count a reader or
 * mapper drops goes through here, so nothing disappears silently.
 */
import { plural } from './codes';
import { UNSUPPORTED_WORDS } from './qde-read';
import type { Unsupported } from './refi-model';

export interface RefiReport {
  /** What came in, e.g. "12 codes", "158 coded passages (205 codings)". */
  kept: string[];
  /** What could not be kept, with counts, e.g. "1 picture source (image)". */
  dropped: string[];
  /** Things read but interpreted: offsets counted another way, repaired names, ignored extras. */
  warnings: string[];
}

export class ReportBuilder {
  readonly kept: string[] = [];
  readonly warnings: string[] = [];
  private readonly drops = new Map<string, { n: number; one: string; many: string; examples: string[] }>();

  /** Counts `n` dropped things of one kind; `example` (a name) is listed for the first few. */
  drop(key: string, one: string, many: string, n = 1, example?: string) {
    if (n <= 0) return;
    const d = this.drops.get(key) ?? { n: 0, one, many, examples: [] };
    d.n += n;
    if (example && d.examples.length < 3 && !d.examples.includes(example)) d.examples.push(example);
    this.drops.set(key, d);
  }

  /** The reader's counts of content Codebench does not hold. */
  dropUnsupported(unsupported: Unsupported) {
    for (const [kind, n] of unsupported) {
      const [one, many] = UNSUPPORTED_WORDS[kind] ?? [kind, kind];
      this.drop(`unsupported:${kind}`, one, many, n);
    }
  }

  keep(n: number, one: string, many: string, detail = '') {
    if (n > 0) this.kept.push(`${plural(n, one, many)}${detail}`);
  }

  warn(message: string) {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  build(): RefiReport {
    const dropped = [...this.drops.values()].map((d) => {
      const names = d.examples.length > 0 ? ` (${d.examples.map((e) => JSON.stringify(e)).join(', ')}${d.n > d.examples.length ? ', …' : ''})` : '';
      return `${plural(d.n, d.one, d.many)}${names}`;
    });
    return { kept: this.kept.slice(), dropped, warnings: this.warnings.slice() };
  }
}
