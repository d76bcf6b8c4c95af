/**
 * Blank-cell tests shared by the plan and the batch, so both agree on what an
 * empty answer is. They look at the first/last character before trimming:
 * almost every cell has none to trim, and trimming 100k × 8 answers twice shows
 * up in the import time.
 */

/** The characters String.prototype.trim removes. */
function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Empty, whitespace only, or missing. */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || value.length === 0 || (isSpaceCode(value.charCodeAt(0)) && value.trim().length === 0);
}

/** Same result as value.trim(). */
export function trimmed(value: string): string {
  return value.length > 0 && (isSpaceCode(value.charCodeAt(0)) || isSpaceCode(value.charCodeAt(value.length - 1))) ? value.trim() : value;
}
