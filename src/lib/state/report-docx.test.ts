import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ReportDocument } from '../export/document';
import { packReportDocx } from './report-docx';

// A 1×1 white PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

function doc(): ReportDocument {
  const chart = (title: string) => ({
    kind: 'chart' as const,
    title,
    svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
    width: 10,
    height: 10,
    data: { header: [[{ text: 'Code' }, { text: 'Share' }]], rows: [{ cells: [title, '50%'] }] },
  });
  return {
    title: 'T',
    meta: [],
    sections: [
      { id: 'findings', title: 'Findings', chosen: true, blocks: [chart('Drawn'), chart('Not drawn')] },
      { id: 'appendix', title: 'Appendix', chosen: false, blocks: [chart('Left out')] },
    ],
  };
}

describe('packReportDocx', () => {
  it('draws the charts of the chosen sections and packs them as pictures; a chart it cannot draw goes in as its numbers', async () => {
    const drawn: string[] = [];
    const input = doc();
    const bytes = await packReportDocx(input, async (svg, width, height) => {
      expect([width, height]).toEqual([10, 10]);
      const title = drawn.length === 0 ? 'Drawn' : 'Not drawn';
      drawn.push(title);
      return title === 'Drawn' ? PNG : null;
    });
    expect(drawn).toEqual(['Drawn', 'Not drawn']);
    const files = unzipSync(bytes);
    expect(Object.keys(files).filter((f) => f.startsWith('word/media/'))).toHaveLength(1);
    const xml = strFromU8(files['word/document.xml']);
    expect(xml).toContain('The chart could not be drawn into this file; these are its numbers.');
    expect(xml).not.toContain('Left out');
  });
});
