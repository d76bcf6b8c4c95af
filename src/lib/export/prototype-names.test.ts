/**
 * Attribute, code, coder and theme names that are Object.prototype members are
 * exported as ordinary names. The respondents' attributes here are plain
 * objects, as a project read from JSON or IndexedDB has them, so a name a
 * respondent has no value for must not find Object.prototype's.
 */
import { describe, expect, it } from 'vitest';
import { codebookRows } from './codebook-rows';
import { countsByGroup, NO_VALUE } from './counts';
import { longTable } from './csv-long';
import { wideTable } from './csv-wide';
import { defaultAttribution } from './report-model';
import { writeUpData, writeUpSource } from './write-up-fixture';
import { buildWriteUpReport, DEFAULT_REPORT_SETTINGS } from './write-up-report';
import type { ExportSource } from './source';
import { sampleSource } from './test-data';

function source(): ExportSource {
  const s = sampleSource();
  return {
    ...s,
    attributes: [
      { name: 'constructor', order: 0, values: ['mentee', 'mentor'] },
      { name: '__proto__', order: 1, values: ['Uni A'] },
      { name: 'toString', order: 2, values: ['x'] },
    ],
    respondents: [
      { id: 'R1', attributes: JSON.parse('{"constructor":"mentee","__proto__":"Uni A"}') as Record<string, string> },
      { id: 'R2', attributes: JSON.parse('{"toString":"x"}') as Record<string, string> },
      { id: 'R3', attributes: {} },
    ],
    codes: s.codes.map((c, i) => (i === 0 ? { ...c, name: '__proto__' } : i === 2 ? { ...c, name: 'constructor' } : c)),
    coders: s.coders.map((c, i) => (i === 0 ? { ...c, name: 'hasOwnProperty' } : c)),
    themes: (s.themes ?? []).map((t, i) => (i === 0 ? { ...t, name: 'valueOf' } : t)),
  };
}

describe('exports with names that are Object.prototype members', () => {
  it('write each respondent’s own attribute values in the long and wide tables, blank where they have none', () => {
    const long = longTable(source());
    expect(long.header.slice(0, 4)).toEqual(['respondent', 'constructor', '__proto__', 'toString']);
    const heads = new Map([...long.rows].map((row) => [row[0], row.slice(1, 4)]));
    expect(heads.get('R1')).toEqual(['mentee', 'Uni A', '']);
    expect(heads.get('R2')).toEqual(['', '', 'x']);
    expect(heads.get('R3')).toEqual(['', '', '']);
    const wide = wideTable(source());
    expect(new Map([...wide.rows].map((row) => [row[0], row.slice(1, 4)])).get('R3')).toEqual(['', '', '']);
  });

  it('group answers by an attribute called "constructor", respondents without a value under "(no value)"', () => {
    const table = countsByGroup(source(), { attribute: 'constructor' });
    expect(table.groupLabel).toBe('constructor');
    expect(table.groups.every((g) => typeof g === 'string')).toBe(true);
    expect(table.groups).toContain(NO_VALUE);
  });

  it('attribute a quote by an attribute the respondent has no value for as "Respondent"', () => {
    const plain = { respondentId: 'R3', attributes: {}, waveName: 'Baseline', questionLabel: 'Q' };
    expect(defaultAttribution(plain, 'constructor')).toBe('Respondent R3, Baseline');
    expect(defaultAttribution({ ...plain, attributes: JSON.parse('{"__proto__":"mentor"}') as Record<string, string> }, '__proto__')).toBe(
      'Mentor R3, Baseline',
    );
  });

  it('count respondents in the report by an attribute called "toString", respondents without a value under "(no value)"', () => {
    const data = writeUpData();
    data.attributes = [{ name: 'toString', order: 0, values: ['x'] }];
    data.respondents = data.respondents.map((r, i) => ({ ...r, attributes: i === 0 ? (JSON.parse('{"toString":"x"}') as Record<string, string>) : {} }));
    const doc = buildWriteUpReport(writeUpSource({ data }), {
      ...DEFAULT_REPORT_SETTINGS,
      sections: ['data'],
      dimensions: [{ kind: 'attribute', name: 'toString' }],
    });
    const text = JSON.stringify(doc);
    expect(text).not.toContain('function');
    expect(text).toContain('Respondents by toString and wave');
    expect(text).toContain('(no value)');
  });

  it('list codes by their names', () => {
    expect(codebookRows(source().codes, new Map()).map((r) => r.path)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
  });
});
