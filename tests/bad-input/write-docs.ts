/** Rewrites docs/bad-input.md from the case table: `npx tsx tests/bad-input/write-docs.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases';
import { docsMarkdown } from './docs';

const target = fileURLToPath(new URL('../../docs/bad-input.md', import.meta.url));
writeFileSync(target, docsMarkdown(CASES));
console.log(`wrote ${target}: ${CASES.length} cases`);
