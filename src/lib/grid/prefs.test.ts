import { describe, expect, it } from 'vitest';
import { gridPrefsKey, parseGridPrefs, serializeGridPrefs, type GridPrefs } from './prefs';
import { MAX_COLUMN_WIDTH } from './columns';

const defaults: GridPrefs = { widths: {}, pinned: ['role'], groupByWave: false };

describe('grid prefs', () => {
  it('round-trips what the coder set', () => {
    const prefs: GridPrefs = { widths: { q1: 320, constructor: 200 }, pinned: ['institution', 'role'], groupByWave: true };
    const back = parseGridPrefs(serializeGridPrefs(prefs), defaults);
    expect({ ...back.widths }).toEqual({ q1: 320, constructor: 200 });
    expect(back.pinned).toEqual(['institution', 'role']);
    expect(back.groupByWave).toBe(true);
    expect(gridPrefsKey('p1')).toBe('codebench:grid:p1');
  });

  it('falls back to the defaults on missing, broken or odd stored text', () => {
    expect(parseGridPrefs(null, defaults)).toEqual(defaults);
    expect(parseGridPrefs('{not json', defaults)).toEqual(defaults);
    const odd = parseGridPrefs(JSON.stringify({ widths: { q1: 'wide', q2: 99999 }, pinned: [1, 'role', 'role'], groupByWave: 'yes' }), defaults);
    expect({ ...odd.widths }).toEqual({ q2: MAX_COLUMN_WIDTH });
    expect(odd.pinned).toEqual(['role']);
    expect(odd.groupByWave).toBe(false);
  });
});
