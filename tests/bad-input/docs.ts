/**
 * docs/bad-input.md, written from the case table so the two cannot drift:
 * `npx tsx tests/bad-input/write-docs.ts` rewrites it, and cases.test.ts fails
 * when it is out of date.
 */
import type { BadInputCase, Pipeline } from './cases';

const PIPELINES: Record<Pipeline, string> = {
  survey: 'survey import (new project)',
  'survey-wave': 'survey import (a wave into the coded project)',
  project: 'open a project file',
  coder: 'import a coder file',
  codebook: 'load a codebook (JSON)',
  refi: 'REFI-QDA import',
};

const GROUPS: Record<string, string> = {
  survey: 'Survey files (CSV, TSV, text)',
  xlsx: 'Excel workbooks (.xlsx)',
  project: 'Project files (.codebench.json, .codebench.json.gz)',
  coder: 'Coder files (.codebench-coder.json)',
  codebook: 'Codebooks (JSON)',
  refi: 'REFI-QDA projects and codebooks (.qdpx, .qdc)',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function docsMarkdown(cases: readonly BadInputCase[]): string {
  const pending = cases.filter((c) => c.pending);
  const lines = [
    '# The bad-input suite',
    '',
    '<!-- Written by `npx tsx tests/bad-input/write-docs.ts` from tests/bad-input/cases.ts; edit the cases, not this file. -->',
    '',
    `Hostile and broken files Codebench must refuse by name, or read correctly, without losing or changing anything`,
    `already stored (issue 10 §5). ${cases.length} cases; ${cases.length - pending.length} run today and ${pending.length} wait for`,
    'another part of issue 10 (column "pending").',
    '',
    '## How it works',
    '',
    '- `tests/bad-input/cases.ts` builds every input in memory (bytes or text; fflate for zips and gzip). Nothing large is',
    '  committed: the 10,000-column file, the 1 MB answer and the zip bombs are generated when the test runs.',
    '- `tests/bad-input/pipeline.ts` runs a file through the same library functions, in the same order, as the app:',
    '  the import worker (`checkFileSize → readSource → proposePlan → validatePlan`, then `buildBatch → commitImport`; the',
    "  preview's problems keep Import disabled), the exchange worker (`readExchangeBytes → importProjectFile`, or",
    "  `importCoderFile`, which plans the merge with `planCoderMerge`), the app's codebook loader (`parseCodebookJson →",
    "  flattenCodebook → addCodes`) and the analysis worker's own handler for `.qdpx` and `.qdc` (`AnalysisSession`).",
    '- Every case starts from a fresh fake-indexeddb database holding a coded project (two questions, codes with a subcode,',
    '  whole-answer and passage codings by two coders, an exemplar, memos, a theme, an adjudication and undo history).',
    "- A refused file must give a message matching the case's pattern, and `tests/bad-input/dump.ts` must find every",
    '  store of the schema exactly as before (a deep comparison of every record). An accepted file must be stored right',
    '  and leave the coded project exactly as it was (a coder file or codebook that adds to it must keep all it held).',
    '',
    '## Running it',
    '',
    '```sh',
    'npx vitest run tests/bad-input                       # the suite (also part of npm test)',
    'npx vitest run tests/bad-input/survey.test.ts        # one group: survey, xlsx, project, coder, codebook, refi',
    'BAD_INPUT_PENDING=files npx vitest run tests/bad-input   # also run the cases pending on "files" (or names, lead, all)',
    'npx tsx tests/bad-input/write-docs.ts                # rewrite this file after changing cases.ts',
    '```',
    '',
    'A pending case is skipped until its flag is removed from `cases.ts` (delete `pending: …` once the fix is merged;',
    '`BAD_INPUT_PENDING` shows first whether it passes). The flags: **files**, **names**, **workers** — another part of issue 10',
    '(damaged and wrongly named files; names that are `Object.prototype` members and the XLSX zip and XML checks; the worker',
    'client); **lead** — a gap found while writing the suite that no part of issue 10 owns (the note says what happens today).',
    `Pending now: ${
      pending.length === 0
        ? 'none'
        : [...new Set(pending.map((c) => c.pending))]
            .map(
              (flag) =>
                `${flag} (${pending
                  .filter((c) => c.pending === flag)
                  .map((c) => `\`${c.id}\``)
                  .join(', ')})`,
            )
            .join('; ')
    }.`,
    'The column also keeps, for cases that once failed, what happened before the fix.',
    '',
  ];
  let n = 0;
  for (const [group, title] of Object.entries(GROUPS)) {
    const list = cases.filter((c) => c.id.split('-')[0] === group);
    if (list.length === 0) continue;
    lines.push(
      `## ${title}`,
      '',
      `Tested in \`tests/bad-input/${group}.test.ts\`.`,
      '',
      '| # | id | input | through | what the user is told | pending |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const c of list) {
      const pendingText = c.pending ? `**${c.pending}**${c.note ? `: ${cell(c.note)}` : ''}` : c.note ? `(${cell(c.note)})` : '';
      lines.push(`| ${++n} | \`${c.id}\` | ${cell(c.input)} | ${PIPELINES[c.pipeline]} | ${cell(c.told)} | ${pendingText} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Not in this suite',
    '',
    '- The valid 944 MB project file of issue 10 §4: too large for a test that must take seconds; the size limit and its',
    '  message are tested where they are fixed (lib/exchange).',
    '- Write failures (a full disk, a closed database) are §1 of issue 10, with their own component and end-to-end tests.',
    '',
  );
  const others = cases.filter((c) => !(c.id.split('-')[0] in GROUPS));
  if (others.length > 0) throw new Error(`cases outside the known groups: ${others.map((c) => c.id).join(', ')}`);
  return lines.join('\n');
}
