import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_FILE_NAME_BYTES, fileNamePart, safeFileName } from './file-name';

const bytes = (text: string) => new TextEncoder().encode(text).length;
const FORBIDDEN = /[/\\:*?"<>|\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F]/u;

// Text that leans on the hard cases: other scripts, marks, forbidden characters, dots, spaces, device names.
const piece = fc.constantFrom(
  'تقييم',
  'الإرشاد',
  'שלום',
  'Łódź',
  'e\u0301',
  '\u0301',
  'हिन्दी',
  'می\u200Cخواهم',
  '日本語',
  '👩🏽‍💻',
  '🇳🇿',
  'CON',
  'nul',
  'Com1',
  'lpt9',
  '.',
  '..',
  ' ',
  '\t',
  '\n',
  '-',
  '/',
  '\\',
  ':',
  '*',
  '?',
  '"',
  '<',
  '>',
  '|',
  '\u0000',
  '\u202E',
  '\u200F',
  '\uFEFF',
  '\uD800',
  '.csv',
  'a',
  '1',
);
const hostile = fc.oneof(
  fc.array(piece, { maxLength: 80 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);

describe('safeFileName', () => {
  it('keeps the letters of every script', () => {
    expect(safeFileName('تقييم الإرشاد')).toBe('تقييم-الإرشاد');
    expect(safeFileName('Łódź')).toBe('Łódź');
    expect(safeFileName('שלום עולם')).toBe('שלום-עולם');
    expect(safeFileName('Исследование 2026')).toBe('Исследование-2026');
    expect(safeFileName('हिन्दी सर्वेक्षण')).toBe('हिन्दी-सर्वेक्षण');
    expect(safeFileName('می‌خواهم')).toBe('می‌خواهم');
    expect(safeFileName('日本語の調査')).toBe('日本語の調査');
    expect(safeFileName('Mentoring (2026), wave 1')).toBe('Mentoring-(2026),-wave-1');
  });

  it('composes letters and marks (NFC), so one name typed two ways is one name', () => {
    expect(safeFileName('E\u0301tude')).toBe('\u00C9tude');
    expect(safeFileName('e\u200F\u0301')).toBe('\u00E9');
  });

  it('replaces only what file systems forbid, and whitespace, by one hyphen', () => {
    expect(safeFileName('Étude: "été"/2026?')).toBe('Étude-été-2026');
    expect(safeFileName('a<b>c|d*e\\f')).toBe('a-b-c-d-e-f');
    expect(safeFileName('line\nbreak\ttab\u0007bell')).toBe('line-break-tab-bell');
    expect(safeFileName('  spaced   out  ')).toBe('spaced-out');
  });

  it('drops direction controls, so a name cannot pretend to end in another extension', () => {
    expect(safeFileName('invoice\u202Etxt.exe')).toBe('invoicetxt.exe');
    expect(safeFileName('\u2067تقييم\u2069 report')).toBe('تقييم-report');
  });

  it('trims dots and spaces at the ends and never climbs a folder', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFileName(' .hidden. ')).toBe('hidden');
    expect(safeFileName('...')).toBe('file');
  });

  it('renames the device names Windows reserves, with or without an extension', () => {
    expect(safeFileName('CON')).toBe('CON_');
    expect(safeFileName('nul.csv')).toBe('nul_.csv');
    expect(safeFileName('Com1')).toBe('Com1_');
    expect(safeFileName('lpt9.tar.gz')).toBe('lpt9_.tar.gz');
    // The cap can leave a device name behind: the check comes after it.
    expect(safeFileName('lpt9👩🏽‍💻', { maxBytes: 16 })).toBe('lpt9_');
    expect(safeFileName('console')).toBe('console');
    expect(safeFileName('CON-agreement.csv')).toBe('CON-agreement.csv');
  });

  it('falls back only when nothing is left', () => {
    expect(safeFileName('', { fallback: 'project' })).toBe('project');
    expect(safeFileName('?*?', { fallback: 'project' })).toBe('project');
    expect(safeFileName('///')).toBe('file');
    expect(fileNamePart('///')).toBe('');
    expect(fileNamePart('تقييم')).toBe('تقييم');
  });

  it('caps the length in UTF-8 bytes on a whole character, keeping the extension', () => {
    const arabic = 'تقييم '.repeat(60);
    const name = safeFileName(`${arabic}.csv`);
    expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(name).toMatch(/^(?:تقييم-)+[تقيم]+\.csv$/u);
    expect(name).not.toContain('\uFFFD');
    // A family emoji is one character of 25 bytes: it is kept whole or left out.
    const family = '👨‍👩‍👧‍👦';
    const capped = safeFileName(family.repeat(10), { maxBytes: 60 });
    expect(capped).toBe(family.repeat(2));
    expect(fileNamePart('a'.repeat(300), 60)).toBe('a'.repeat(60));
  });

  it('never holds a forbidden character, is never empty, never too long, and is idempotent', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 16, max: 255 }), (text, maxBytes) => {
        const name = safeFileName(text, { maxBytes });
        expect(name).not.toBe('');
        expect(name).not.toMatch(FORBIDDEN);
        expect(name).not.toMatch(/^[.\s-]|[.\s-]$/u);
        expect(name).not.toMatch(/^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\.|$)/i);
        expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(bytes(name)).toBeLessThanOrEqual(maxBytes);
        expect(name).toBe(name.normalize('NFC'));
        expect(safeFileName(name, { maxBytes })).toBe(name);
        expect(safeFileName(text)).toBe(safeFileName(safeFileName(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every letter, mark and digit of a short name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const kept = (s: string) => [...s.normalize('NFC')].filter((c) => /[\p{L}\p{M}\p{N}]/u.test(c)).join('');
        const name = safeFileName(text, { maxBytes: 255 });
        if (kept(text) !== '') expect(kept(name)).toBe(kept(text));
      }),
      { numRuns: 1000 },
    );
  });
});
