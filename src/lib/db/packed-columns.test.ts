import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packCategories, packOpening, packStrings, unpackCategories, unpackOpening, unpackStrings } from './packed-columns';

describe('packed columns', () => {
  it('unpack what they pack, empty strings, emoji and separators included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' })), (strings) => {
        expect(unpackStrings(packStrings(strings))).toEqual(strings);
      }),
    );
    expect(unpackStrings(packStrings(['', 'a\u001fb', '😀', '', 'x\r\ny']))).toEqual(['', 'a\u001fb', '😀', '', 'x\r\ny']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('baseline', '6-months', '', 'mentor')), (column) => {
        expect(unpackCategories(packCategories(column))).toEqual(column);
      }),
    );
  });

  it('keep each distinct category once', () => {
    expect(packCategories(['b', 'a', 'b', 'b']).values).toEqual(['b', 'a']);
  });

  it('keep attribute columns named "__proto__" and "constructor", also after crossing to the page', () => {
    const attributes = Object.create(null) as Record<string, string[]>;
    attributes['__proto__'] = ['a'];
    attributes['constructor'] = ['b'];
    const none = { respondentIds: [], waveIds: [], texts: [] };
    const crossed = structuredClone(packOpening('q', { ids: ['r1'], attributes, waves: [['w']] }, none));
    const { respondents } = unpackOpening(crossed);
    expect(Object.entries(respondents.attributes)).toEqual([
      ['__proto__', ['a']],
      ['constructor', ['b']],
    ]);
    expect(respondents.attributes['toString']).toBeUndefined();
  });
});
