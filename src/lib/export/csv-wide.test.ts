// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { wideCsvChunks, wideCsvToString, wideTable } from './csv-wide';
import { parseCsv, sampleSource, TEXTS, A1, A2, A3, A4, A5 } from './test-data';

const flags = (options: Parameters<typeof wideCsvToString>[1]) =>
  parseCsv(wideCsvToString(sampleSource(), options))
    .slice(1)
    .map((r) => r.slice(6).join(''));

describe('wide CSV', () => {
  it('writes one row per answer, uncoded ones included, with a 0/1 column per code headed by its path', () => {
    const rows = parseCsv(wideCsvToString(sampleSource()));
    expect(rows[0]).toEqual([
      'respondent',
      'role',
      'institution',
      'question',
      'wave',
      'answer',
      'Rewards',
      'Rewards › Career',
      'Rewards › Mentor <script>alert(1)</script>',
      'Barriers',
      'Barriers › Time',
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['R1', 'mentee', 'Uni A', 'Rewards', 'Baseline', TEXTS[A1]],
      ['R2', 'mentor', '', 'Rewards', 'Baseline', TEXTS[A2]],
      ['R1', 'mentee', 'Uni A', 'Rewards', '6 months', TEXTS[A3]],
      ['R1', 'mentee', 'Uni A', 'Barriers', 'Baseline', `'${TEXTS[A5]}`],
      ['R3', '', '', 'Barriers', 'Baseline', `'${TEXTS[A4]}`],
    ]);
  });

  it("by default marks only the code itself: a parent's column ignores its subcodes", () => {
    expect(flags({})).toEqual(['00100', '10001', '01000', '00000', '00000']);
  });

  it('with includeSubcodes marks a parent wherever a subcode was applied, and says so in its header', () => {
    const text = wideCsvToString(sampleSource(), { includeSubcodes: true });
    const [header] = parseCsv(text);
    expect(header.slice(6)).toEqual([
      'Rewards (incl. subcodes)',
      'Rewards › Career',
      'Rewards › Mentor <script>alert(1)</script>',
      'Barriers (incl. subcodes)',
      'Barriers › Time',
    ]);
    expect(flags({ includeSubcodes: true })).toEqual(['10100', '10011', '11000', '00000', '00000']);
  });

  it('counts one coder, the consensus coder, or any coder (whose union leaves the consensus out)', () => {
    expect(flags({ coder: { coderId: 'alice' } })).toEqual(['00100', '00001', '01000', '00000', '00000']);
    expect(flags({ coder: { coderId: 'bob' } })).toEqual(['00100', '10000', '00000', '00000', '00000']);
    expect(flags({ coder: 'consensus' })).toEqual(['00000', '00000', '00000', '00000', '00010']);
    expect(flags({ coder: 'any' })).toEqual(flags({}));
  });

  it('writes the flags as numbers, and can keep to some questions', () => {
    const [first] = [...wideTable(sampleSource()).rows];
    expect(first.slice(6)).toEqual([0, 0, 1, 0, 0]);
    const rows = parseCsv(wideCsvToString(sampleSource(), { questionIds: ['q-barriers'] }));
    expect(rows.slice(1).map((r) => r[3])).toEqual(['Barriers', 'Barriers']);
  });

  it('streams in chunks that join to the whole text', () => {
    const whole = wideCsvToString(sampleSource(), { bom: true });
    const chunks = [...wideCsvChunks(sampleSource(), { rowsPerChunk: 2, bom: true })];
    expect(chunks).toHaveLength(3);
    expect(chunks.join('')).toBe(whole);
  });

  it('has only the fixed columns when there are no codes', () => {
    const source = { ...sampleSource(), codes: [], codings: [] };
    const rows = parseCsv(wideCsvToString(source));
    expect(rows[0]).toHaveLength(6);
    expect(rows).toHaveLength(6);
  });
});
