/**
 * fast-check arbitraries shared by the unit tests (never imported by the app).
 *
 * `anyCodePoint` generates what `fc.string({ unit: 'binary' })` does (any code point, lone surrogates included,
 * with the same bias), but fast-check 4 builds a reverse table of all 1,114,112 code points the first time a
 * 'binary' string is generated in a process: 5 s per test file on an idle machine, enough to time a test out on a
 * busy one. Here the reverse mapping is computed, so the dangerous strings fast-check injects ("__proto__",
 * "constructor"…) still come through.
 */
import fc from 'fast-check';

export const anyCodePoint: fc.Arbitrary<string> = fc.nat({ max: 0x10ffff }).map(
  (codePoint) => String.fromCodePoint(codePoint),
  (value) => {
    if (typeof value !== 'string') throw new Error('not a string');
    const codePoint = value.codePointAt(0);
    if (codePoint === undefined || String.fromCodePoint(codePoint) !== value) throw new Error('not one code point');
    return codePoint;
  },
);
