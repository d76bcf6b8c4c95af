import { describe, expect, it } from 'vitest';
import { cellToString, numberText } from './read-xlsx';

describe('XLSX cell values', () => {
  it('shows numbers as Excel does, keeping long whole numbers digit for digit', () => {
    expect(numberText('1')).toBe('1');
    expect(numberText('1.0')).toBe('1');
    expect(numberText('1.50')).toBe('1.5');
    expect(numberText('4.0999999999999996')).toBe('4.1');
    expect(numberText('0.30000000000000004')).toBe('0.3');
    expect(numberText('1E-3')).toBe('0.001');
    expect(numberText('12345678901234567890')).toBe('12345678901234567890');
    expect(numberText('-42')).toBe('-42');
  });

  it('turns dates into ISO strings, booleans into TRUE/FALSE, empty cells into ""', () => {
    expect(cellToString(new Date(Date.UTC(2024, 6, 1)))).toBe('2024-07-01');
    expect(cellToString(new Date(Date.UTC(2024, 6, 1, 13, 45, 59, 999)))).toBe('2024-07-01T13:46:00');
    expect(cellToString(true)).toBe('TRUE');
    expect(cellToString(false)).toBe('FALSE');
    expect(cellToString(null)).toBe('');
    expect(cellToString(3)).toBe('3');
    expect(cellToString('a\r\nb\rc')).toBe('a\nb\nc');
  });
});
