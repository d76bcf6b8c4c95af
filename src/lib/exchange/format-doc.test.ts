// @vitest-environment node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCoderFile } from './coder-file';
import { writeProjectFile } from './project-file';
import { readExchangeText } from './read-exchange';

const doc = readFileSync(resolve(__dirname, '../../../docs/exchange-format.md'), 'utf8');
const examples = [...doc.matchAll(/```json\n(\{\n {2}"format"[\s\S]*?\n\})\n```/g)].map((m) => m[1] + '\n');

describe('docs/exchange-format.md', () => {
  it('has one example of each format', () => {
    expect(examples.map((e) => readExchangeText(e).format)).toEqual(['codebench-coder', 'codebench-project']);
  });

  it('shows the examples in canonical form, as the writers write them', () => {
    for (const example of examples) {
      const read = readExchangeText(example);
      expect(read.format === 'codebench-coder' ? writeCoderFile(read.file) : writeProjectFile(read.file)).toBe(example);
    }
  });
});
