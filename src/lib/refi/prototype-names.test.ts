/**
 * Attribute names that are Object.prototype members become ordinary REFI-QDA
 * variables: a respondent without a value for "constructor" gets no value, not
 * Object.prototype's, and every value comes back on import.
 */
import { describe, expect, it } from 'vitest';
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange';
import { sampleProjectFile } from '../exchange/test-fixtures';
import { readQdpx, writeQdpx } from './qdpx';

describe('REFI-QDA with names that are Object.prototype members', () => {
  it('writes and reads back each respondent’s own attribute values', () => {
    const input = sampleProjectFile();
    input.attributes = [
      { name: 'constructor', order: 0, values: ['mentee'] },
      { name: '__proto__', order: 1, values: ['Uni A'] },
      { name: 'toString', order: 2, values: ['x'] },
    ];
    input.respondents[0].attributes = JSON.parse('{"constructor":"mentee","__proto__":"Uni A"}') as Record<string, string>;
    input.respondents[1].attributes = JSON.parse('{"toString":"x"}') as Record<string, string>;
    const { project } = readQdpx(writeQdpx({ format: PROJECT_FORMAT, version: EXCHANGE_VERSION, ...input }));
    expect(project.respondents.map((r) => [r.id, Object.entries(r.attributes).sort()])).toEqual([
      [
        input.respondents[0].id,
        [
          ['__proto__', 'Uni A'],
          ['constructor', 'mentee'],
        ],
      ],
      [input.respondents[1].id, [['toString', 'x']]],
    ]);
    expect(project.respondents[1].attributes['constructor']).toBeUndefined();
  });
});
