/**
 * The bad-input cases: every hostile or broken file built in memory (nothing
 * large is committed), the pipeline it goes through, and what the user must be
 * told. `tests/bad-input/bad-input.test.ts` runs each one against a database
 * holding a coded project and checks that a refused file changed nothing.
 *
 * `pending` marks a case whose right behaviour waits for another part of
 * issue 10; the test is skipped until the flag is removed (see docs/bad-input.md).
 */
import { gzipSync, unzipSync, zipSync } from 'fflate';
import { expect } from 'vitest';
import { gzipExchange, sealExchange } from '../../src/lib/exchange';
import { writeXlsx } from '../../src/lib/export/xlsx';
import { loadAllAnswers, loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { loadCodes } from '../../src/lib/db/coding-store';
import type { ImportSummary } from '../../src/lib/db/commit-import';
import { ANSWER_ID_SEPARATOR } from '../../src/lib/model/types';
import { ANA, fixtureProjectText, type Fixture, type Outcome } from './pipeline';

/**
 * Which pipeline a case goes through (see pipeline.ts):
 * - survey: a new project's import; survey-wave: "Import a wave…" into the coded project;
 * - project: "Open a project file" (no project open); coder: "Import a coder file…" in the coded project (as Ana);
 * - codebook: "Load a codebook" (JSON) into the coded project;
 * - refi: a .qdpx restored as a project, or a .qdc read for the coded project.
 */
export type Pipeline = 'survey' | 'survey-wave' | 'project' | 'coder' | 'codebook' | 'refi';

/** Another engineer's part of issue 10 the case waits for, or 'lead' for a gap nobody owns yet. */
export type Pending = 'files' | 'names' | 'workers' | 'lead';

export interface Context {
  fixture: Fixture;
  /** The coded project as a project file (JSON text, as exported). */
  projectText: string;
}

export type Expectation =
  /** Refused with a message naming the problem; the database is exactly as before. */
  | { refused: RegExp }
  /** Listed as a problem in the import preview (Import stays disabled); the database is exactly as before. */
  | { problems: RegExp }
  /** The app asks the user before storing anything; the database is exactly as before. */
  | { asked: RegExp }
  /** Stored correctly; the coded project is exactly as before. */
  | {
      accepted: (outcome: Outcome, ctx: Context) => void | Promise<void>;
      message?: RegExp;
      /** The file adds to the coded project (a coder file, a codebook): what it held before must all still be there, unchanged. */
      addsToProject?: boolean;
    };

export interface BadInputCase {
  id: string;
  /** What the input is, in a few words (the docs table lists it). */
  input: string;
  fileName: string;
  pipeline: Pipeline;
  build: (ctx: Context) => Uint8Array | string | Promise<Uint8Array | string>;
  expect: Expectation;
  /** What the user is told (docs/bad-input.md). */
  told: string;
  pending?: Pending;
  note?: string;
}

// ---------------------------------------------------------------------------
// Builders

const enc = new TextEncoder();
const utf8 = (text: string) => enc.encode(text);

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let at = 0;
  const put = (code: number) => {
    out[at++] = littleEndian ? code & 0xff : code >> 8;
    out[at++] = littleEndian ? code >> 8 : code & 0xff;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

/** Windows-1252 for the few non-ASCII characters used here. */
function cp1252(text: string): Uint8Array {
  const map: Record<string, number> = { '’': 0x92, é: 0xe9, ü: 0xfc, '€': 0x80, '–': 0x96 };
  return Uint8Array.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

/** A deterministic pseudo-random byte stream (no Math.random: the same bytes every run). */
function noise(length: number, seed = 42): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A small survey with new respondents (N01…) and a coded-project-sized question. */
const SURVEY_HEADER = 'id,role,What did you gain from mentoring?';
/** Ten respondents: enough rows for the plan to tell an ID column (≥ 90 % filled, ≥ 80 % unique) from the rest. */
const ANSWERS = [
  'Confidence in the lab and someone to ask about the small things',
  '"Patience, mostly, and a better sense of what new students find hard"',
  'A new network of people outside my own department',
  'Regular meetings kept me on track with the thesis plan',
  'Learning how other institutions run their graduate programmes',
  'Honest feedback on my writing that I did not get elsewhere',
  'Someone who had moved countries too and understood that part',
  'Practical advice about funding applications and deadlines',
  'Seeing my mentee present at the conference was the highlight',
  'Time to reflect on my own career which I rarely take',
];
const row = (i: number, answer = ANSWERS[i]) => `N${String(i + 1).padStart(2, '0')},${i % 2 ? 'mentor' : 'mentee'},${answer}`;
const SURVEY_ROWS = ANSWERS.map((_, i) => row(i));
/** The ten rows with the answer of row `i` (0-based) replaced, and its ID too when `id` is given. */
const rowsWith = (i: number, answer: string, id?: string) =>
  SURVEY_ROWS.map((r, k) => (k === i ? (id === undefined ? row(k, answer) : `${id},${k % 2 ? 'mentor' : 'mentee'},${answer}`) : r));
/** Ten rows with these answers in place of the first ones. */
const rowsOf = (...answers: string[]) => SURVEY_ROWS.map((r, k) => (k < answers.length ? row(k, answers[k]) : r));
const survey = (rows = SURVEY_ROWS, header = SURVEY_HEADER) => [header, ...rows].join('\r\n') + '\r\n';

function xlsx(rows: (string | number | null)[][]): Uint8Array {
  return writeXlsx([{ name: 'Responses', rows }]);
}

const XLSX_ROWS: (string | null)[][] = [
  ['id', 'role', 'What did you gain from mentoring?'],
  ['N01', 'mentee', 'SECRET_CELL'],
  ['N02', 'mentor', 'Patience, mostly'],
];

/** Rewrites entries of a zip (unzipped, edited as text, zipped again). */
function editZip(zip: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip);
  edit(files);
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2024, 0, 1)) });
}

function sheetPath(files: Record<string, Uint8Array>): string {
  const path = Object.keys(files).find((n) => /^xl\/worksheets\/sheet\d*\.xml$/.test(n));
  if (!path) throw new Error('the written workbook has no worksheet');
  return path;
}

function editSheet(edit: (xml: string) => string): Uint8Array {
  return editZip(xlsx(XLSX_ROWS), (files) => {
    const path = sheetPath(files);
    files[path] = utf8(edit(new TextDecoder().decode(files[path])));
  });
}

/** Overwrites the declared uncompressed size of a central-directory entry. */
function lieAboutSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const nameBytes = utf8(name);
  for (let at = 0; at + 46 < out.length; at++) {
    if (out[at] !== 0x50 || out[at + 1] !== 0x4b || out[at + 2] !== 0x01 || out[at + 3] !== 0x02) continue;
    const length = out[at + 28] | (out[at + 29] << 8);
    if (length !== nameBytes.length || !nameBytes.every((b, i) => out[at + 46 + i] === b)) continue;
    new DataView(out.buffer).setUint32(at + 24, size, true);
  }
  return out;
}

const LAUGHS_DTD =
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>';
const XXE_DTD = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';

/** Inserts a DOCTYPE after the XML declaration (or at the start). */
function withDoctype(xml: string, doctype: string): string {
  const decl = /^<\?xml[^>]*\?>\s*/.exec(xml);
  return decl ? xml.slice(0, decl[0].length) + doctype + '\n' + xml.slice(decl[0].length) : doctype + '\n' + xml;
}

// Exchange documents -----------------------------------------------------------

type Doc = Record<string, unknown> & {
  project: Record<string, unknown>;
  answers: Record<string, unknown>[];
  codes: Record<string, unknown>[];
  codings: Record<string, unknown>[];
  attributes: Record<string, unknown>[];
  respondents: Record<string, unknown>[];
  themes: Record<string, unknown>[];
  memos: Record<string, unknown>[];
};

const FIXED_TIME = Date.UTC(2026, 10, 1);

/** The fields of a version-1 project file: a mutated document is written without any checksum (an older file). */
const PROJECT_FIELDS = [
  'format',
  'version',
  'exportedAt',
  'project',
  'waves',
  'questions',
  'attributes',
  'respondents',
  'answers',
  'codes',
  'coders',
  'codings',
  'memos',
  'themes',
  'resolutions',
];

/**
 * The coded project's file as another project (its own id and name, so a valid
 * one would be restored beside the coded project), changed by `mutate`, as
 * plain JSON bytes.
 */
function otherProject(ctx: Context, mutate: (doc: Doc) => void = () => {}): Doc {
  const parsed = JSON.parse(ctx.projectText) as Record<string, unknown>;
  const doc = Object.fromEntries(PROJECT_FIELDS.filter((k) => k in parsed).map((k) => [k, parsed[k]])) as Doc;
  // Fixed dates, so the bytes (and where a cut or a flipped bit lands in the deflate stream) are the same every run.
  doc.project = { ...doc.project, id: 'other-project', name: 'Other study', createdAt: FIXED_TIME, updatedAt: FIXED_TIME };
  doc.waves = (doc.waves as Record<string, unknown>[]).map((w) => ({ ...w, importedAt: FIXED_TIME }));
  mutate(doc);
  return doc;
}
const json = (value: unknown) => utf8(JSON.stringify(value, null, 1));
/** A document sealed with its checksum, as the app writes it (sealExchange wants the text to end in "\n}\n"). */
const sealed = (value: unknown) => sealExchange(JSON.stringify(value, null, 1) + '\n');
const projectBytes = (ctx: Context, mutate?: (doc: Doc) => void) => json(otherProject(ctx, mutate));

type CoderDoc = Record<string, unknown> & {
  codebook: Record<string, unknown>[];
  codings: Record<string, unknown>[];
  coder: Record<string, unknown>;
  project: Record<string, unknown>;
};

/** Carl's coder file for the coded project: two codings on answers it has, one code of its own. */
function carlFile(ctx: Context, mutate: (doc: CoderDoc) => void = () => {}): Uint8Array {
  const { fixture } = ctx;
  const code = (id: string, name: string, parentId: string | null, order: number) => ({
    id,
    parentId,
    name,
    color: '#aa3300',
    definition: `About ${name}.`,
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  });
  const doc: CoderDoc = {
    format: 'codebench-coder',
    version: 1,
    exportedAt: '2026-12-01T00:00:00.000Z',
    project: { id: fixture.projectId, name: 'AIMMS mentoring' },
    coder: { id: 'carl', name: 'Carl', color: '#1f7a3f' },
    codebook: [
      code('rewards', 'Rewards', null, 0),
      code('rewards-growth', 'Growth', 'rewards', 0),
      code('challenges', 'Challenges', null, 1),
      code('carl-empathy', 'Empathy', null, 2),
    ],
    codings: [
      { id: 'c1', answerId: fixture.answer(0, 'M03'), codeId: 'carl-empathy', coderId: 'carl', start: null, end: null, createdAt: 5 },
      { id: 'c2', answerId: fixture.answer(0, 'M04'), codeId: 'rewards', coderId: 'carl', start: 0, end: 6, createdAt: 6 },
    ],
    memos: [],
    answerFingerprints: {},
  };
  mutate(doc);
  return json(doc);
}

function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at] ^= 0x01;
  return out;
}

/** A codebook JSON document. */
function codebook(codes: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'codebench-codebook', version: 1, name: 'Hostile', description: '', codes, ...extra });
}
const node = (id: string, name: unknown, children: unknown[] = []) => ({ id, name, color: '#336699', children });

// REFI-QDA ---------------------------------------------------------------------

const PROJECT_NS = 'urn:QDA-XML:project:1.0';
const CODEBOOK_NS = 'urn:QDA-XML:codebook:1.0';
const USER = 'AAAAAAAA-0000-0000-0000-000000000001';
const CODE = 'CCCCCCCC-0000-0000-0000-000000000001';

function qde(opts: { ns?: string; path?: string; start?: number; end?: number; doctype?: string; name?: string } = {}): string {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="${opts.ns ?? PROJECT_NS}" name="${opts.name ?? 'Vendor project'}" origin="OtherTool 1.0">
  <Users><User guid="${USER}" name="Vera"/></Users>
  <CodeBook><Codes><Code guid="${CODE}" name="Topic" isCodable="true" color="#ff0000"/></Codes></CodeBook>
  <Sources><TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Doc" plainTextPath="${opts.path ?? 'internal://a.txt'}">
    <PlainTextSelection guid="EEEEEEEE-0000-0000-0000-000000000001" startPosition="${opts.start ?? 0}" endPosition="${opts.end ?? 3}">
      <Coding guid="DDDDDDDD-0000-0000-0000-000000000001" creatingUser="${USER}"><CodeRef targetGUID="${CODE}"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>`;
  return opts.doctype ? withDoctype(xml, opts.doctype) : xml;
}

function qdpx(files: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) entries[name] = typeof content === 'string' ? utf8(content) : content;
  return zipSync(entries, { level, mtime: new Date(Date.UTC(2024, 0, 1)) });
}
const SOURCE_TEXT = 'abc def ghi';

function qdc(opts: { ns?: string; doctype?: string; root?: string } = {}): string {
  const root = opts.root ?? 'CodeBook';
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<${root} xmlns="${opts.ns ?? CODEBOOK_NS}"><Codes><Code guid="${CODE}" name="Topic" isCodable="true" color="#ff0000"/></Codes></${root}>`;
  return opts.doctype ? withDoctype(xml, opts.doctype) : xml;
}

// ---------------------------------------------------------------------------
// Checks for accepted files

async function importedProject(outcome: Outcome, ctx: Context) {
  expect(outcome.kind, outcome.message).toBe('accepted');
  const summary = (outcome as { detail: ImportSummary }).detail;
  const { db } = ctx.fixture;
  const answers = await loadAllAnswers(db, summary.projectId);
  const overview = (await loadProjectOverview(db, summary.projectId))!;
  return { summary, overview, texts: answers.flatMap((a) => a.texts), respondents: await loadRespondents(db, summary.projectId) };
}

/** The survey is stored with these answer texts (in any question order). */
const storesTexts =
  (...expected: string[]) =>
  async (outcome: Outcome, ctx: Context) => {
    const { texts } = await importedProject(outcome, ctx);
    for (const text of expected) expect(texts).toContain(text);
  };

/** The given names are columns stored as attributes, questions, with their values. */
const keepsNames = (attributes: string[], questions: string[]) => async (outcome: Outcome, ctx: Context) => {
  const { overview, respondents } = await importedProject(outcome, ctx);
  expect(overview.attributes.map((a) => a.name).sort()).toEqual([...attributes, 'role'].sort());
  for (const name of attributes) {
    expect(Object.prototype.hasOwnProperty.call(respondents.attributes, name), name).toBe(true);
    expect(respondents.attributes[name]).toEqual(['v1', 'v2']);
  }
  expect(overview.questions.map((q) => q.key)).toEqual(questions);
};

// ---------------------------------------------------------------------------
// The cases

const RAGGED_NOTE = 'a delimiter or line break without quotes shifts answers onto the wrong question';

export const CASES: BadInputCase[] = [
  // Survey files: encodings ------------------------------------------------------
  {
    id: 'survey-empty',
    input: 'an empty file (0 bytes)',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => new Uint8Array(0),
    expect: { refused: /"responses\.csv" is empty/ },
    told: '"responses.csv" is empty. Export the survey results again…',
  },
  {
    id: 'survey-bom-only',
    input: 'a UTF-8 byte-order mark and blank lines only',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => concat([0xef, 0xbb, 0xbf], utf8('\r\n  \r\n\t\r\n')),
    expect: { refused: /is empty/ },
    told: '"responses.csv" is empty…',
  },
  {
    id: 'survey-header-only',
    input: 'a header row and no answers',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(SURVEY_HEADER + '\r\n'),
    expect: { refused: /has a header row but no answers/ },
    told: '"responses.csv" has a header row but no answers…',
  },
  {
    id: 'survey-utf16le-bom',
    input: 'UTF-16 LE with a byte-order mark (Excel "Unicode text")',
    fileName: 'responses.txt',
    pipeline: 'survey',
    build: () => utf16(survey(rowsWith(0, 'Nguyễn was patient 🙂 and kind')).replaceAll(',', '\t'), true, true),
    expect: { accepted: storesTexts('Nguyễn was patient 🙂 and kind') },
    told: 'imported; every character decoded right',
  },
  {
    id: 'survey-utf16be-bom',
    input: 'UTF-16 BE with a byte-order mark',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf16(survey(rowsWith(0, 'Zoë was patient 🙂 and kind')), false, true),
    expect: { accepted: storesTexts('Zoë was patient 🙂 and kind') },
    told: 'imported; every character decoded right',
  },
  {
    id: 'survey-utf16le-no-bom',
    input: 'UTF-16 LE without a byte-order mark',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf16(survey(rowsWith(0, 'Nguyễn was patient 🙂 and kind')), true, false),
    expect: { accepted: storesTexts('Nguyễn was patient 🙂 and kind'), message: /UTF-16 without a byte-order mark; it was read as UTF-16 \(little-endian\)/ },
    told: 'imported, with the note "The file is UTF-16 without a byte-order mark; it was read as UTF-16 (little-endian)."',
    note: 'before issue 10: "doesn\'t look like a CSV, TSV or Excel file"',
  },
  {
    id: 'survey-utf16be-no-bom',
    input: 'UTF-16 BE without a byte-order mark',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf16(survey(rowsWith(0, 'Zoë was patient 🙂 and kind')), false, false),
    expect: { accepted: storesTexts('Zoë was patient 🙂 and kind'), message: /UTF-16 without a byte-order mark; it was read as UTF-16 \(big-endian\)/ },
    told: 'imported, with the note "The file is UTF-16 without a byte-order mark; it was read as UTF-16 (big-endian)."',
    note: 'before issue 10: "doesn\'t look like a CSV, TSV or Excel file"',
  },
  {
    id: 'survey-windows-1252',
    input: 'Windows-1252 (Excel "CSV" on Western Windows): ’ é €',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => cp1252(survey(rowsWith(0, 'It’s a café for €5 – worth it'))),
    expect: { accepted: storesTexts('It’s a café for €5 – worth it'), message: /not UTF-8, so it was read as Windows-1252/ },
    told: 'imported, with the note "The file is not UTF-8, so it was read as Windows-1252…"',
  },
  {
    id: 'survey-invalid-utf8',
    input: 'invalid UTF-8 (a lone continuation byte, a truncated sequence)',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => concat(utf8(SURVEY_HEADER + '\r\nN00,mentee,ok '), [0x80, 0x20, 0xe2, 0x82], utf8('\r\n' + survey().split('\r\n').slice(1).join('\r\n'))),
    expect: { accepted: storesTexts(ANSWERS[2]), message: /not UTF-8/ },
    told: 'read as Windows-1252 with a note saying so (no bytes silently dropped)',
  },
  {
    id: 'survey-utf8-bom',
    input: 'UTF-8 with a byte-order mark and a BOM-prefixed header name',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => concat([0xef, 0xbb, 0xbf], utf8(survey())),
    expect: {
      accepted: async (outcome, ctx) => {
        const { overview } = await importedProject(outcome, ctx);
        expect(overview.attributes.map((a) => a.name)).toEqual(['role']);
        expect(overview.questions.map((q) => q.key)).toEqual(['What did you gain from mentoring?']);
      },
    },
    told: "imported; the mark is not part of the ID column's name",
  },
  // Survey files: not a survey ------------------------------------------------------
  {
    id: 'survey-png',
    input: 'a PNG image renamed .csv',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], utf8('IHDR'), noise(2000)),
    expect: { refused: /doesn't look like a CSV, TSV or Excel file/ },
    told: '"responses.csv" doesn\'t look like a CSV, TSV or Excel file…',
  },
  {
    id: 'survey-pdf',
    input: 'a PDF renamed .csv',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => concat(utf8('%PDF-1.7\n%'), [0xe2, 0xe3, 0xcf, 0xd3], utf8('\n1 0 obj\n<< /Length 5 >>\nstream\n'), noise(3000, 7)),
    expect: { refused: /"responses\.csv" is a PDF document/ },
    told: '"responses.csv" is a PDF document, not…',
  },
  {
    id: 'survey-random-bytes',
    input: '64 KB of random bytes',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => noise(64 * 1024, 3),
    expect: { refused: /doesn't look like a CSV, TSV or Excel file/ },
    told: "…doesn't look like a CSV, TSV or Excel file…",
  },
  {
    id: 'survey-nul-bytes',
    input: 'a CSV with NUL bytes in one answer',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(0, 'Confidence\u0000\u0000 in the lab'))),
    expect: { refused: /contains 2 NUL bytes \(the first on line 2, at byte \d+\)/ },
    told: '"responses.csv" contains 2 NUL bytes (the first on line 2, at byte 64), which no survey export has…',
    note: 'before issue 10: "doesn\'t look like a CSV, TSV or Excel file"',
  },
  {
    id: 'survey-control-chars',
    input: 'text full of control characters (a terminal log)',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(SURVEY_HEADER + '\r\n' + 'N01,mentee,\u001b[31mred\u001b[0m\u0007\u0008\u0001\u0002\u0003\u0004\u0005\u0006\r\n'.repeat(20)),
    expect: { refused: /doesn't look like a CSV, TSV or Excel file/ },
    told: "…doesn't look like a CSV, TSV or Excel file…",
  },
  {
    id: 'survey-html-page',
    input: 'an HTML error page saved as .csv',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () =>
      utf8(
        '<!DOCTYPE html>\n<html lang="en"><head><title>Session expired</title></head>\n<body><h1>Your session has expired</h1><p>Please log in again, to continue.</p></body></html>\n',
      ),
    expect: { refused: /is a web page \(HTML\), not a survey export/ },
    told: '"responses.csv" is a web page (HTML), not a survey export: the survey tool or the browser probably saved an error or sign-in page…',
    note: 'before issue 10: "Choose the column that holds the respondent ID"',
  },
  {
    id: 'survey-json',
    input: 'a JSON export saved as .csv',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () =>
      utf8(
        JSON.stringify(
          [
            { id: 'N01', answer: 'Confidence, mostly' },
            { id: 'N02', answer: 'Patience' },
          ],
          null,
          2,
        ),
      ),
    expect: { refused: /holds JSON data, not a survey table/ },
    told: '"responses.csv" holds JSON data, not a survey table. Export the survey results as CSV or Excel…',
    note: 'before issue 10: a one-column plan with "Choose the column that holds the respondent ID"; fixed with the HTML-page check',
  },
  {
    id: 'survey-xml',
    input: 'an XML export saved as .csv',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () =>
      utf8(
        '<?xml version="1.0"?>\n<responses>\n<response id="N01"><answer>Confidence, mostly</answer></response>\n<response id="N02"><answer>Patience</answer></response>\n</responses>\n',
      ),
    expect: { refused: /is an XML document, not a survey export/ },
    told: '"responses.csv" is an XML document, not a survey export…',
    note: 'before issue 10: a plan with "Choose the column that holds the respondent ID"; fixed with the HTML-page check',
  },
  {
    id: 'survey-legacy-xls',
    input: 'a legacy Excel .xls (OLE compound file)',
    fileName: 'responses.xls',
    pipeline: 'survey',
    build: () => concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Uint8Array(504), noise(1024, 9)),
    expect: { refused: /old-style Excel file \(\.xls\)/ },
    told: '"responses.xls" is an old-style Excel file (.xls). Open it in Excel and save it as .xlsx or CSV…',
  },
  {
    id: 'survey-encrypted-xlsx',
    input: 'a password-protected .xlsx (Excel wraps it in an OLE file)',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Uint8Array(504), noise(1024, 11)),
    expect: { refused: /password-protected/ },
    told: '"responses.xlsx" is password-protected or saved in an old Excel format…',
  },
  // Survey files: shape ------------------------------------------------------------
  {
    id: 'survey-ragged-long',
    input: 'a row with more cells than the header',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(1, 'Patience, mostly'))),
    expect: { refused: /Row 3 has 4 cells, but the header has 3.*comma without quotes/s },
    told: 'Row 3 has 4 cells, but the header has 3. An answer in that row probably contains a comma without quotes…',
    note: RAGGED_NOTE,
  },
  {
    id: 'survey-ragged-short',
    input: 'a row split in two by an unquoted line break',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey([...SURVEY_ROWS.slice(0, 2), 'mostly', ...SURVEY_ROWS.slice(2)])),
    expect: { refused: /Row 4 has 1 cell, but the header has 3/ },
    told: 'Row 4 has 1 cell, but the header has 3. An answer with a line break but no quotes…',
    note: RAGGED_NOTE,
  },
  {
    id: 'survey-unclosed-quote',
    input: 'an answer whose opening quote is never closed',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(9, '"Time to reflect'))),
    expect: { refused: /Row 11 has a quote mark \(".*never closed.*Add the missing closing quote in row 11/s },
    told: 'Row 11 has a quote mark (") that is never closed… Add the missing closing quote in row 11…',
  },
  {
    id: 'survey-stray-quote-swallows-row',
    input: 'an unclosed quote that a later quoted answer "closes", swallowing the next respondent',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(0, '"Confidence in the lab'))),
    expect: { refused: /Row 2 has a quote mark \("\) that is closed in an unexpected place, so the lines after it would be read into one answer/ },
    told: 'Row 2 has a quote mark (") that is closed in an unexpected place, so the lines after it would be read into one answer…',
    note: "was imported with only a note, N02's row inside N01's answer and N02 gone; fixed in read-delimited.ts",
  },
  {
    id: 'survey-duplicate-ids',
    input: 'the same respondent ID twice in one wave',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(2, 'A network', 'N01'))),
    expect: { problems: /"N01".*rows 2 and 4|N01.*(twice|more than once)/s },
    told: 'names the ID and its rows; Import stays disabled',
  },
  {
    id: 'survey-blank-ids',
    input: 'rows without a respondent ID',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(1, 'Patience', ''))),
    expect: { problems: /Row 3 has no respondent ID/ },
    told: 'Row 3 has no respondent ID. Fill it in (or delete the row)…',
  },
  {
    id: 'survey-duplicate-columns',
    input: 'two question columns with the same name',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(['N01,mentee,Confidence,More', 'N02,mentor,Patience,Less'], 'id,role,What did you gain?,What did you gain?')),
    expect: { refused: /What did you gain\?/ },
    told: 'names the column that appears twice',
  },
  {
    id: 'survey-no-question',
    input: 'no column that looks like open text (IDs and numbers only)',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(['id,age,score', 'N01,34,5', 'N02,29,4', 'N03,41,3'].join('\n')),
    expect: { problems: /Choose at least one question column/ },
    told: 'Choose at least one question column: the open-text answers you want to code.',
  },
  {
    id: 'survey-delimiters-only',
    input: 'only delimiters and blank rows',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(',,,\r\n,,,\r\n\r\n,,,\r\n'),
    expect: { refused: /is empty|no answers/ },
    told: 'says the file is empty',
  },
  {
    id: 'survey-zip-not-xlsx',
    input: 'a .zip of CSV files',
    fileName: 'export.zip',
    pipeline: 'survey',
    build: () => qdpx({ 'responses.csv': survey() }),
    expect: { refused: /is a ZIP archive, not an Excel workbook.*unzip it/ },
    told: '"export.zip" is a ZIP archive, not an Excel workbook. If your export is inside it, unzip it…',
  },
  {
    id: 'survey-formula-cells',
    input: 'answers that are spreadsheet formulas (=HYPERLINK, +cmd, @SUM, -2+3)',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsOf('"=HYPERLINK(""http://evil.example"",""click"")"', "+cmd|' /C calc'!A0", '@SUM(1+1)*cmd', '-2+3 hours a week'))),
    expect: { accepted: storesTexts('=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", '@SUM(1+1)*cmd', '-2+3 hours a week') },
    told: 'imported as the literal text (exports guard them, see formula-injection.test.ts)',
  },
  {
    id: 'survey-10000-columns',
    input: '10,000 columns',
    fileName: 'wide.csv',
    pipeline: 'survey',
    build: () => {
      const header = ['id', ...Array.from({ length: 9_999 }, (_, i) => `Q${i + 1}`)].join(',');
      const row = (id: string) =>
        [id, ...Array.from({ length: 9_999 }, (_, i) => (i % 100 === 0 ? `A long and varied answer number ${i} from ${id}` : ''))].join(',');
      return utf8([header, row('N01'), row('N02')].join('\n'));
    },
    expect: {
      accepted: async (outcome, ctx) => {
        const { overview } = await importedProject(outcome, ctx);
        expect(overview.questions.length + overview.attributes.length).toBeGreaterThanOrEqual(100);
      },
    },
    told: 'read and imported (no column dropped or renamed)',
  },
  {
    id: 'survey-1mb-cell',
    input: 'one answer of 1 MB',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(rowsWith(1, `"${'word, '.repeat(170_000)}end"`))),
    expect: {
      accepted: async (outcome, ctx) => {
        const { texts } = await importedProject(outcome, ctx);
        expect(Math.max(...texts.map((t) => t.length))).toBe('word, '.length * 170_000 + 3);
      },
    },
    told: 'imported whole, not cut',
  },
  {
    id: 'survey-proto-attribute',
    input: 'attribute columns named __proto__, constructor and toString',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () =>
      utf8(
        [
          'id,role,__proto__,constructor,toString,What did you gain from mentoring?',
          'N01,mentee,v1,v1,v1,Confidence in the lab',
          'N02,mentor,v2,v2,v2,Patience and more patience',
        ].join('\n'),
      ),
    expect: { accepted: keepsNames(['__proto__', 'constructor', 'toString'], ['What did you gain from mentoring?']) },
    told: 'imported; all three are ordinary attributes with their values',
    note: 'before issue 10: __proto__ is silently dropped; constructor fails with a DataCloneError',
  },
  {
    id: 'survey-proto-question',
    input: 'question columns named toString and hasOwnProperty',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () =>
      utf8(
        [
          'id,role,toString,hasOwnProperty',
          'N01,v1,A long answer about the first thing,Another long answer here',
          'N02,v2,Something quite different said here,And more different text',
        ].join('\n'),
      ),
    expect: {
      accepted: async (outcome, ctx) => {
        const { overview } = await importedProject(outcome, ctx);
        expect(overview.questions.map((q) => q.key).sort()).toEqual(['hasOwnProperty', 'toString']);
      },
    },
    told: 'imported; ordinary questions',
  },
  {
    id: 'survey-proto-ids',
    input: 'respondent IDs __proto__ and constructor',
    fileName: 'responses.csv',
    pipeline: 'survey',
    build: () => utf8(survey(SURVEY_ROWS.map((r, k) => (k < 3 ? r.replace(/^N0\d/, ['__proto__', 'constructor', 'toString'][k]) : r)))),
    expect: {
      accepted: async (outcome, ctx) => {
        const { respondents } = await importedProject(outcome, ctx);
        expect([...respondents.ids]).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString']));
      },
    },
    told: 'imported; ordinary IDs',
  },
  {
    id: 'survey-wave-again',
    input: 'the baseline wave imported again into the coded project',
    fileName: 'baseline.csv',
    pipeline: 'survey-wave',
    build: () =>
      utf8(
        [
          'id,role,pair,What rewarded you?,What was hard?',
          ...['M01', 'M02', 'M03', 'M04'].map(
            (id, i) => `${id},${i % 2 ? 'mentor' : 'mentee'},P${(i >> 1) + 1},A different answer this time from ${id},Still not enough time for ${id}`,
          ),
        ].join('\n'),
      ),
    expect: { refused: /M01.*already/s },
    told: 'names the respondent who already has answers in that wave; nothing is stored',
  },
  // XLSX -------------------------------------------------------------------------
  {
    id: 'xlsx-corrupt-zip',
    input: 'a ZIP signature followed by garbage',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => concat([0x50, 0x4b, 0x03, 0x04], noise(4000, 5)),
    expect: { refused: /could not be read as an Excel workbook; it may be damaged/ },
    told: '"responses.xlsx" could not be read as an Excel workbook; it may be damaged…',
  },
  {
    id: 'xlsx-truncated',
    input: 'a workbook cut off halfway (an interrupted download)',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => {
      const book = xlsx(XLSX_ROWS);
      return book.subarray(0, Math.floor(book.length / 2));
    },
    expect: { refused: /may be damaged/ },
    told: '…could not be read as an Excel workbook; it may be damaged…',
  },
  {
    id: 'xlsx-no-sheets',
    input: 'a workbook whose workbook.xml lists no sheets',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () =>
      editZip(xlsx(XLSX_ROWS), (files) => {
        files['xl/workbook.xml'] = utf8(new TextDecoder().decode(files['xl/workbook.xml']).replace(/<sheets>.*<\/sheets>/s, '<sheets/>'));
      }),
    expect: { refused: /could not be read as an Excel workbook/ },
    told: '…could not be read as an Excel workbook…',
  },
  {
    id: 'xlsx-no-workbook',
    input: 'an .xlsx zip without xl/workbook.xml',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () =>
      editZip(xlsx(XLSX_ROWS), (files) => {
        delete files['xl/workbook.xml'];
      }),
    expect: { refused: /could not be read as an Excel workbook/ },
    told: '…could not be read as an Excel workbook…',
  },
  {
    id: 'xlsx-header-only',
    input: 'a workbook with only the header row',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => xlsx([XLSX_ROWS[0]]),
    expect: { refused: /has a header row but no answers/ },
    told: '"responses.xlsx" has a header row but no answers…',
  },
  {
    id: 'xlsx-bomb-ratio',
    input: 'a zip bomb: a 4 MB sheet of blanks that compresses 1,000:1',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => editSheet((xml) => xml.replace('</worksheet>', `<!--${' '.repeat(4 * 1024 * 1024)}--></worksheet>`)),
    expect: { refused: /would unpack its part "xl\/worksheets\/sheet1\.xml" from .* to 4 MiB, more than 200 times its size — it may be a zip bomb/ },
    told: '"responses.xlsx" would unpack its part "xl/worksheets/sheet1.xml" from 4.6 KiB to 4 MiB, more than 200 times its size — it may be a zip bomb or damaged…',
    note: 'before issue 10: read-excel-file inflates and parses it (the 1.5 MB bomb of the issue took 3.2 GB)',
  },
  {
    id: 'xlsx-bomb-lying-size',
    input: 'a sheet whose zip header understates its size',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => {
      const book = editSheet((xml) => xml.replace('</worksheet>', `<!--${'x'.repeat(300_000)}--></worksheet>`));
      return lieAboutSize(book, sheetPath(unzipSync(book)), 1000);
    },
    expect: { refused: /to more than the 1000 bytes its header declares — it may be a zip bomb/ },
    told: '"responses.xlsx" would unpack its part … to more than the 1000 bytes its header declares — it may be a zip bomb or damaged…',
  },
  {
    id: 'xlsx-xxe',
    input: 'an external entity (XXE) in the sheet XML',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => editSheet((xml) => withDoctype(xml, XXE_DTD).replace('SECRET_CELL', '&xxe;')),
    expect: { refused: /is refused: its part "xl\/worksheets\/sheet1\.xml" declares a document type \(<!DOCTYPE>\)/ },
    told: '"responses.xlsx" is refused: its part "xl/worksheets/sheet1.xml" declares a document type (<!DOCTYPE>)…',
  },
  {
    id: 'xlsx-billion-laughs',
    input: 'nested entities (billion laughs) in the sheet XML',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () => editSheet((xml) => withDoctype(xml, LAUGHS_DTD).replace('SECRET_CELL', '&lol9;')),
    expect: { refused: /declares a document type \(<!DOCTYPE>\)/ },
    told: '"responses.xlsx" is refused: its part … declares a document type (<!DOCTYPE>)…',
  },
  {
    id: 'xlsx-path-traversal',
    input: 'a workbook with a zip entry named ../../evil.xml',
    fileName: 'responses.xlsx',
    pipeline: 'survey',
    build: () =>
      editZip(xlsx(XLSX_ROWS), (files) => {
        files['../../evil.xml'] = utf8('<x/>');
      }),
    expect: { refused: /outside the archive|could not be read as an Excel workbook; it may be damaged/ },
    told: '…could not be read as an Excel workbook; it may be damaged… (nothing is unpacked to disk either way)',
    note: 'the same zip checks as .qdpx',
  },
  // Project files ------------------------------------------------------------------
  {
    id: 'project-valid-other',
    input: 'control: a valid project file of another project',
    fileName: 'other.codebench.json.gz',
    pipeline: 'project',
    build: async (ctx) => gzipExchange(new TextDecoder().decode(await sealed(otherProject(ctx)))),
    expect: { accepted: (outcome) => expect(outcome.message).toBe('Restored “Other study”.') },
    told: 'restored beside the coded project, which is untouched (no warning: the checksum matches)',
  },
  {
    id: 'project-no-checksum',
    input: 'a project file without a checksum (an older Codebench)',
    fileName: 'other.codebench.json',
    pipeline: 'project',
    build: (ctx) => projectBytes(ctx),
    expect: { accepted: () => {}, message: /no checksum \(written by an older Codebench\)/ },
    told: 'restored, saying the file has no checksum so damage could not be ruled out',
  },
  {
    id: 'project-checksum-moved',
    input: 'a sealed project file reformatted by an editor (its checksum no longer last)',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) => utf8(JSON.stringify(JSON.parse(ctx.projectText), null, 4)),
    expect: { refused: /has a checksum, but it is not where Codebench writes it/ },
    told: 'This file has a checksum, but it is not where Codebench writes it… Nothing was opened…',
  },
  {
    id: 'project-coder-file',
    input: 'a coder file chosen in "Open a project file…"',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'project',
    build: (ctx) => carlFile(ctx),
    expect: { refused: /This is a coder file \(Carl's codings from “AIMMS mentoring”\), not a project file/ },
    told: "This is a coder file (Carl's codings from “AIMMS mentoring”), not a project file. Nothing was opened…",
  },
  {
    id: 'project-truncated-gzip',
    input: 'a .codebench.json.gz cut off (an interrupted copy)',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipExchange(JSON.stringify(otherProject(ctx)));
      return gz.subarray(0, gz.length - 200);
    },
    expect: { refused: /compressed file is damaged or incomplete/ },
    told: 'This compressed file is damaged or incomplete (…).',
  },
  {
    id: 'project-gzip-no-trailer',
    input: 'a .codebench.json.gz missing its last 8 bytes (the gzip trailer)',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipExchange(JSON.stringify(otherProject(ctx)));
      return gz.subarray(0, gz.length - 8);
    },
    expect: { refused: /This file is damaged|damaged or incomplete/ },
    told: 'This file is damaged: its contents do not match the check gzip stores with them (CRC-32)… Nothing was opened…',
    note: 'before issue 10: restored without complaint (the trailer was never checked)',
  },
  {
    id: 'project-gzip-cut-in-last-block',
    input: 'a .codebench.json.gz missing its last 20 bytes (cut inside the last deflate block)',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipExchange(JSON.stringify(otherProject(ctx)));
      return gz.subarray(0, gz.length - 20);
    },
    expect: { refused: /damaged or incomplete|This file is damaged/ },
    told: 'This compressed file is damaged or incomplete (unexpected EOF).',
    note: 'before issue 10 some such cuts gave "This file is not valid JSON (Unterminated string…)": the inflater returned what it had',
  },
  {
    id: 'project-gzip-crc',
    input: 'one flipped bit in the gzip CRC trailer',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipExchange(JSON.stringify(otherProject(ctx)));
      return flipByte(gz, gz.length - 6);
    },
    expect: { refused: /This file is damaged: its contents do not match the check gzip stores with them \(CRC-32\)/ },
    told: 'This file is damaged: its contents do not match the check gzip stores with them (CRC-32)… Nothing was opened…',
    note: 'before issue 10: stored without complaint',
  },
  {
    id: 'project-gzip-flipped-text',
    input: "one flipped bit in the compressed data, changing an answer's text",
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipSync(utf8(JSON.stringify(otherProject(ctx))), { level: 0, mtime: 0 });
      const at = gz.indexOf(
        utf8('Meeting')[0],
        gz.findIndex((_, i) => new TextDecoder().decode(gz.subarray(i, i + 7)) === 'Meeting'),
      );
      return flipByte(gz, at + 1);
    },
    expect: { refused: /This file is damaged: its contents do not match the check gzip stores with them \(CRC-32\)/ },
    told: 'This file is damaged: … (CRC-32)… Nothing was opened…',
    note: "the issue's case: `gzip -t` rejects it, Codebench stored the damaged text",
  },
  {
    id: 'project-gzip-length',
    input: 'a gzip trailer whose length field is wrong',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: (ctx) => {
      const gz = gzipExchange(JSON.stringify(otherProject(ctx)));
      return flipByte(gz, gz.length - 3);
    },
    expect: { refused: /This file is damaged/ },
    told: 'This file is damaged: … (CRC-32)… Nothing was opened…',
  },
  {
    id: 'project-bad-checksum',
    input: 'an exported project file with one answer edited (its checksum kept)',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) => utf8(ctx.projectText.replace('Meeting my mentor', 'Meeting my mentee')),
    expect: { refused: /This file is damaged: its checksum does not match its contents/ },
    told: 'This file is damaged: its checksum does not match its contents… Nothing was opened.',
    note: 'before the checksum (issue 10 §4) it was restored with the edited answer',
  },
  {
    id: 'project-not-gzip-not-json',
    input: 'plain text that is neither gzip nor JSON',
    fileName: 'study.codebench.json.gz',
    pipeline: 'project',
    build: () => utf8('This is not a backup.\n'),
    expect: { refused: /not valid JSON/ },
    told: 'This file is not valid JSON (…).',
  },
  {
    id: 'project-empty',
    input: 'an empty file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: () => new Uint8Array(0),
    expect: { refused: /not valid JSON|empty/ },
    told: 'This file is not valid JSON (Unexpected end of JSON input).',
  },
  {
    id: 'project-not-utf8',
    input: 'a project file re-saved as Latin-1',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      cp1252(
        JSON.stringify(
          otherProject(ctx, (doc) => {
            doc.project.name = 'Café study';
          }),
        ),
      ),
    expect: { refused: /not UTF-8 text/ },
    told: 'This file is not UTF-8 text, so it is not a Codebench file.',
  },
  {
    id: 'project-zip',
    input: 'a .zip holding the project file',
    fileName: 'study.zip',
    pipeline: 'project',
    build: (ctx) => qdpx({ 'study.codebench.json': JSON.stringify(otherProject(ctx)) }),
    expect: { refused: /\.zip archive\. Unzip it first/ },
    told: 'This is a .zip archive. Unzip it first, then open the .codebench.json file inside.',
  },
  {
    id: 'project-json-array',
    input: 'JSON that is a list, not an object',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: () => utf8('[1, 2, 3]'),
    expect: { refused: /not a Codebench file: it holds a list/ },
    told: 'This is not a Codebench file: it holds a list, not an object.',
  },
  {
    id: 'project-format-missing',
    input: 'a JSON object without "format"',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) => json({ ...otherProject(ctx), format: undefined }),
    expect: { refused: /"format" is missing/ },
    told: 'This is not a Codebench exchange file: "format" is missing…',
  },
  {
    id: 'project-wrong-format',
    input: 'a codebook JSON opened as a project file',
    fileName: 'codebook.json',
    pipeline: 'project',
    build: () => utf8(codebook([node('a', 'A')])),
    expect: { refused: /This is a Codebench codebook, not a coder or project file/ },
    told: 'This is a Codebench codebook, not a coder or project file.',
  },
  {
    id: 'project-newer-version',
    input: 'a project file from a newer Codebench (version 99)',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.version = 99;
      }),
    expect: { refused: /newer Codebench \(format version 99\)/ },
    told: 'This file was written by a newer Codebench (format version 99); this version reads up to 1.',
  },
  {
    id: 'project-version-text',
    input: '"version": "1" (text, not a number)',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.version = '1';
      }),
    expect: { refused: /"version" must be a whole number/ },
    told: '"version" must be a whole number ≥ 1, but it is the text "1".',
  },
  {
    id: 'project-already-here',
    input: "the coded project's own file, opened again",
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: async (ctx) => utf8(await fixtureProjectText(ctx.fixture)),
    expect: { refused: /already in this browser/ },
    told: 'This project (“AIMMS mentoring”) is already in this browser. Open it, or restore the file as a copy.',
  },
  {
    id: 'project-dangling-code',
    input: 'a coding on a code that is not in the file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.codings[0].codeId = 'no-such-code';
      }),
    expect: { refused: /codeId "no-such-code" is not among the codes/ },
    told: 'codings[0].codeId "no-such-code" is not among the codes.',
  },
  {
    id: 'project-dangling-answer',
    input: 'a coding on an answer that is not in the file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.codings[0].answerId = `q9${ANSWER_ID_SEPARATOR}baseline${ANSWER_ID_SEPARATOR}M99`;
      }),
    expect: { refused: /answerId .* is not among the answers/ },
    told: 'codings[0].answerId … is not among the answers.',
  },
  {
    id: 'project-dangling-coder',
    input: 'a coding by a coder who is not in the file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.codings[0].coderId = 'ghost';
      }),
    expect: { refused: /coderId "ghost" is not among the coders/ },
    told: 'codings[0].coderId "ghost" is not among the coders.',
  },
  {
    id: 'project-dangling-respondent',
    input: 'an answer by a respondent who is not in the file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.answers[0].respondentId = 'M99';
      }),
    expect: { refused: /respondentId "M99" is not among the respondents/ },
    told: 'answers[0].respondentId "M99" is not among the respondents.',
  },
  {
    id: 'project-theme-dangling',
    input: 'a theme naming a code that is not in the file',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.themes[0].codeIds = ['rewards', 'gone'];
      }),
    expect: { refused: /"gone" is not a code in this file/ },
    told: 'themes[0].codeIds[1] "gone" is not a code in this file.',
  },
  {
    id: 'project-negative-span',
    input: 'a coded passage starting at -5',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        const c = doc.codings.find((k) => k.start !== null)!;
        c.start = -5;
      }),
    expect: { refused: /start must be a whole number ≥ 0/ },
    told: 'codings[…].start must be a whole number ≥ 0 or null, but it is number -5.',
  },
  {
    id: 'project-reversed-span',
    input: 'a coded passage whose end is before its start',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        const c = doc.codings.find((k) => k.start !== null)!;
        c.start = 12;
        c.end = 3;
      }),
    expect: { refused: /end must be a whole number greater than start \(12\)/ },
    told: 'codings[…].end must be a whole number greater than start (12)…',
  },
  {
    id: 'project-span-past-end',
    input: "a coded passage ending past its answer's text",
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        const c = doc.codings.find((k) => k.start !== null)!;
        c.end = 100_000;
      }),
    expect: { refused: /\.end \(100000\) is past the end of its answer's text/ },
    told: "codings[…].end (100000) is past the end of its answer's text (… characters).",
  },
  {
    id: 'project-fractional-span',
    input: 'a coded passage at offset 1.5',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        const c = doc.codings.find((k) => k.start !== null)!;
        c.start = 1.5;
      }),
    expect: { refused: /start must be a whole number/ },
    told: 'codings[…].start must be a whole number ≥ 0 or null…',
  },
  {
    id: 'project-duplicate-coding-ids',
    input: 'two codings with the same id',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.codings[1].id = doc.codings[0].id;
      }),
    expect: { refused: /the id "k\d+" is already used by codings\[0\]/ },
    told: 'codings[1]: the id "k1" is already used by codings[0].',
  },
  {
    id: 'project-duplicate-answer',
    input: 'a respondent with two answers to one question in one wave',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.answers.push({ ...doc.answers[0], text: 'A second answer' });
      }),
    expect: { refused: /has two answers to question/ },
    told: 'answers[…]: respondent "M01" has two answers to question … in wave ….',
  },
  {
    id: 'project-wrong-types',
    input: 'an answer text that is a number',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.answers[0].text = 42;
      }),
    expect: { refused: /answers\[0\]\.text must be text/ },
    told: 'answers[0].text must be text, but it is number 42.',
  },
  {
    id: 'project-codings-not-list',
    input: '"codings" is an object, not a list',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        (doc as Record<string, unknown>).codings = { k1: {} };
      }),
    expect: { refused: /"?codings"? must be a list/ },
    told: 'codings must be a list, but it is an object.',
  },
  {
    id: 'project-code-cycle',
    input: 'codes whose parents loop (A in B, B in A)',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.codes.find((c) => c.id === 'rewards')!.parentId = 'rewards-growth';
      }),
    expect: { refused: /is inside itself \(its parents loop back to it\)/ },
    told: 'codes[…]: the code "…" is inside itself (its parents loop back to it).',
  },
  {
    id: 'project-code-depth',
    input: 'codes nested 12 levels deep',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        for (let i = 0; i < 12; i++)
          doc.codes.push({ ...doc.codes[0], id: `deep-${i}`, name: `Deep ${i}`, parentId: i === 0 ? null : `deep-${i - 1}`, order: 9 });
      }),
    expect: { refused: /nested more than 8 levels deep/ },
    told: 'codes[…]: the code "Deep 8" is nested more than 8 levels deep.',
  },
  {
    id: 'project-bad-date',
    input: '"exportedAt" that is not a date',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.exportedAt = 'yesterday';
      }),
    expect: { refused: /exportedAt/ },
    told: 'exportedAt must be an ISO 8601 date and time…',
  },
  {
    id: 'project-proto-attribute',
    input: 'a project file with an attribute named __proto__',
    fileName: 'study.codebench.json',
    pipeline: 'project',
    build: (ctx) =>
      projectBytes(ctx, (doc) => {
        doc.attributes.push({ name: '__proto__', order: 9, values: ['x'] });
        for (const r of doc.respondents) (r.attributes as Record<string, string>)['__proto__'] = 'x';
        for (const r of doc.respondents) Object.defineProperty(r.attributes, '__proto__', { value: 'x', enumerable: true, configurable: true, writable: true });
      }),
    expect: {
      accepted: async (_outcome, ctx) => {
        const respondents = await loadRespondents(ctx.fixture.db, 'other-project');
        expect(Object.prototype.hasOwnProperty.call(respondents.attributes, '__proto__')).toBe(true);
        expect(respondents.attributes['__proto__']).toEqual(respondents.ids.map(() => 'x'));
      },
    },
    told: 'restored; __proto__ is an ordinary attribute',
  },
  // Coder files --------------------------------------------------------------------
  {
    id: 'coder-valid',
    input: 'control: a valid coder file from a second coder',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) => carlFile(ctx),
    expect: {
      addsToProject: true,
      accepted: async (outcome) => {
        expect((outcome as { detail: { report: { codingsAdded: number } } }).detail.report.codingsAdded).toBe(2);
      },
    },
    told: 'merged: 2 codings added (the control for the cases below)',
  },
  {
    id: 'coder-other-project',
    input: 'a coder file from another project (answers this project lacks)',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.project = { id: 'elsewhere', name: 'Another study' };
        doc.codings = doc.codings.map((c, i) => ({ ...c, answerId: `q-x${ANSWER_ID_SEPARATOR}w-x${ANSWER_ID_SEPARATOR}Z0${i}` }));
      }),
    expect: { refused: /Nothing was imported: Carl's file codes 2 answers that this project does not have/ },
    told: "Nothing was imported: Carl's file codes 2 answers that this project does not have…",
  },
  {
    id: 'coder-dangling-code',
    input: "a coding on a code missing from the file's codebook",
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[0].codeId = 'nowhere';
      }),
    expect: { refused: /"nowhere" is not a code in this file's codebook/ },
    told: 'codings[0].codeId "nowhere" is not a code in this file\'s codebook.',
  },
  {
    id: 'coder-foreign-coding',
    input: "a coding by another coder inside one coder's file",
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[1].coderId = 'ben';
      }),
    expect: { refused: /"ben" is not this file's coder/ },
    told: 'codings[1].coderId "ben" is not this file\'s coder ("carl")…',
  },
  {
    id: 'coder-span-past-end',
    input: "a passage ending past the answer's text here",
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[1].end = 5000;
      }),
    expect: { refused: /1 passage in Carl's file ends past the end of the answer's text here/ },
    told: "Nothing was imported: 1 passage in Carl's file ends past the end of the answer's text here…",
  },
  {
    id: 'coder-negative-span',
    input: 'a passage starting at -1',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[1].start = -1;
      }),
    expect: { refused: /start must be a whole number ≥ 0/ },
    told: 'codings[1].start must be a whole number ≥ 0 or null…',
  },
  {
    id: 'coder-reversed-span',
    input: 'a passage whose end equals its start',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[1].start = 4;
        doc.codings[1].end = 4;
      }),
    expect: { refused: /end must be a whole number greater than start \(4\)/ },
    told: 'codings[1].end must be a whole number greater than start (4)…',
  },
  {
    id: 'coder-half-span',
    input: 'a passage with a start but a null end',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[0].end = 3;
      }),
    expect: { refused: /end must be null when start is null/ },
    told: 'codings[0].end must be null when start is null (the whole answer is coded)…',
  },
  {
    id: 'coder-duplicate-ids',
    input: 'two codings with the same id in a coder file',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codings[1].id = 'c1';
      }),
    expect: { refused: /the id "c1" is already used by codings\[0\]/ },
    told: 'codings[1]: the id "c1" is already used by codings[0].',
  },
  {
    id: 'coder-codebook-cycle',
    input: 'a codebook whose parents loop',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.codebook[0].parentId = 'rewards-growth';
      }),
    expect: { refused: /inside itself/ },
    told: 'codebook[0]: the code "Rewards" is inside itself…',
  },
  {
    id: 'coder-bad-fingerprint',
    input: 'an answer fingerprint that is not 8 hex digits',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.answerFingerprints = { [ctx.fixture.answer(0, 'M04')]: 'zz' };
      }),
    expect: { refused: /must be 8 lower-case hex digits/ },
    told: 'answerFingerprints[…] must be 8 lower-case hex digits…',
  },
  {
    id: 'coder-newer-version',
    input: 'a coder file from a newer Codebench',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.version = 2;
      }),
    expect: { refused: /newer Codebench \(format version 2\)/ },
    told: 'This file was written by a newer Codebench (format version 2)…',
  },
  {
    id: 'coder-truncated',
    input: 'a coder file cut off halfway (not gzip)',
    fileName: 'carl.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) => {
      const b = carlFile(ctx);
      return b.subarray(0, Math.floor(b.length / 2));
    },
    expect: { refused: /not valid JSON/ },
    told: 'This file is not valid JSON (…).',
  },
  {
    id: 'coder-own-id',
    input: 'a coder file carrying your own coder id (Ana)',
    fileName: 'ana.codebench-coder.json',
    pipeline: 'coder',
    build: (ctx) =>
      carlFile(ctx, (doc) => {
        doc.coder = { id: ANA.id, name: 'Ana (laptop)', color: ANA.color };
        doc.codings = doc.codings.map((c) => ({ ...c, coderId: ANA.id }));
      }),
    expect: { asked: /carries your coder id: 2 codings and 0 memos would be added as yours/ },
    told: "asks first: the file's codings would be added in your name; nothing is stored until you agree",
    note: 'before issue 10: merged in your name with a warning (the issue: "0 codings added" while adding 4)',
  },
  {
    id: 'coder-project-file',
    input: 'a project file chosen in "Import a coder file…"',
    fileName: 'study.codebench.json.gz',
    pipeline: 'coder',
    build: (ctx) => gzipExchange(JSON.stringify(otherProject(ctx))),
    expect: { refused: /This is a project file \(“Other study”\), not a coder file.*Nothing was imported/s },
    told: 'This is a project file (“Other study”), not a coder file… Nothing was imported. To open it as a project of its own, use “Open a project file…”…',
    note: 'before issue 10: creates and switches to a new project',
  },
  // Codebooks ------------------------------------------------------------------------
  {
    id: 'codebook-valid',
    input: 'control: a valid codebook with a new top-level code',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('e', 'Empathy', [node('e1', 'Listening')])]),
    expect: {
      addsToProject: true,
      accepted: async (_o, ctx) => {
        const names = (await loadCodes(ctx.fixture.db, ctx.fixture.projectId)).map((c) => c.name);
        expect(names).toEqual(expect.arrayContaining(['Empathy', 'Listening', 'Rewards']));
      },
    },
    told: 'added (the control for the cases below)',
  },
  {
    id: 'codebook-not-json',
    input: 'a Word document renamed .json',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => new TextDecoder('latin1').decode(concat([0x50, 0x4b, 0x03, 0x04], noise(500, 13))),
    expect: { refused: /not valid JSON/ },
    told: "This codebook can't be loaded: This file is not valid JSON (…).",
  },
  {
    id: 'codebook-project-file',
    input: 'a project file loaded as a codebook',
    fileName: 'study.codebench.json',
    pipeline: 'codebook',
    build: (ctx) => ctx.projectText,
    expect: { refused: /"format" is the text "codebench-project" \(expected "codebench-codebook"\)/ },
    told: 'This is not a Codebench codebook: "format" is the text "codebench-project"…',
  },
  {
    id: 'codebook-newer-version',
    input: 'a codebook of version 7',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('a', 'A')], { version: 7 }),
    expect: { refused: /Unsupported codebook version 7/ },
    told: 'Unsupported codebook version 7…',
  },
  {
    id: 'codebook-cycle',
    input: 'a code whose subcode reuses its id (a loop by id)',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('loop', 'Outer', [node('loop', 'Inner')])]),
    expect: { refused: /the id "loop" is already used by Outer/ },
    told: 'Outer › Inner: the id "loop" is already used by Outer; ids must be unique in the file.',
  },
  {
    id: 'codebook-duplicate-names',
    input: 'two sibling codes named "Time" and "time"',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('a', 'Time'), node('b', 'time')]),
    expect: { refused: /two top-level codes are named "Time" and "time"/ },
    told: 'time: two top-level codes are named "Time" and "time"; names must differ (ignoring case).',
  },
  {
    id: 'codebook-clash',
    input: 'a codebook whose top-level code is already in the project',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('x', 'rewards')]),
    expect: { refused: /already has "rewards"/ },
    told: 'This project already has "rewards". Nothing was added…',
  },
  {
    id: 'codebook-missing-name',
    input: 'a code without a name',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([{ id: 'a', color: '#336699' }]),
    expect: { refused: /code #1: the code has no name/ },
    told: 'code #1: the code has no name.',
  },
  {
    id: 'codebook-blank-name',
    input: 'a code named "   "',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('a', '   ')]),
    expect: { refused: /the code's name is empty/ },
    told: "code #1: the code's name is empty.",
  },
  {
    id: 'codebook-name-not-text',
    input: 'a code whose name is a number',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('a', 42)]),
    expect: { refused: /name must be text, but it is number 42/ },
    told: "code #1: the code's name must be text, but it is number 42.",
  },
  {
    id: 'codebook-deep',
    input: 'codes nested 50 levels deep',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => {
      let tree = node('d49', 'Level 49');
      for (let i = 48; i >= 0; i--) tree = node(`d${i}`, `Level ${i}`, [tree]);
      return codebook([tree]);
    },
    expect: { refused: /nested too deeply \(more than 8 levels\)/ },
    told: 'Level 0 › … › Level 8: codes are nested too deeply (more than 8 levels).',
  },
  {
    id: 'codebook-very-deep',
    input: 'JSON nested 100,000 levels deep',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () =>
      `{"format":"codebench-codebook","version":1,"codes":[${Array.from({ length: 100_000 }, (_, i) => `{"id":"d${i}","name":"L${i}","children":[`).join('')}${']}'.repeat(100_000)}]}`,
    expect: { refused: /nested too deeply \(more than 8 levels\)/ },
    told: 'L0 › … › L8: codes are nested too deeply (more than 8 levels); never a frozen page or a stack overflow',
  },
  {
    id: 'codebook-bad-colour',
    input: 'a colour that is CSS, not #rrggbb',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([{ ...node('a', 'A'), color: 'red; background:url(x)' }]),
    expect: { refused: /is not of the form "#rrggbb"/ },
    told: 'A: the colour "red; background:url(x)" is not of the form "#rrggbb".',
  },
  {
    id: 'codebook-children-not-list',
    input: '"children" that is an object',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([{ ...node('a', 'A'), children: { b: 1 } }]),
    expect: { refused: /"children" must be a list/ },
    told: 'A: "children" must be a list, but it is an object.',
  },
  {
    id: 'codebook-proto-names',
    input: 'codes named __proto__, constructor and toString',
    fileName: 'codebook.json',
    pipeline: 'codebook',
    build: () => codebook([node('p', '__proto__', [node('c', 'constructor')]), node('t', 'toString')]),
    expect: {
      addsToProject: true,
      accepted: async (_o, ctx) => {
        const names = (await loadCodes(ctx.fixture.db, ctx.fixture.projectId)).map((c) => c.name);
        expect(names).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString']));
      },
    },
    told: 'added as ordinary codes',
  },
  // REFI-QDA -------------------------------------------------------------------------
  {
    id: 'refi-qdpx-valid',
    input: 'control: a small valid .qdpx from another tool',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde(), 'sources/a.txt': SOURCE_TEXT }),
    expect: { accepted: (outcome) => expect((outcome as { detail: { name: string } }).detail.name).toBe('Vendor project') },
    told: 'restored as a new project (the control)',
  },
  {
    id: 'refi-qdpx-not-zip',
    input: 'a .qdpx that is plain text',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => utf8('<Project/>'),
    expect: { refused: /not a \.qdpx: it is not a zip archive/ },
    told: 'This file is not a .qdpx: it is not a zip archive, or the archive is damaged.',
  },
  {
    id: 'refi-qdpx-truncated',
    input: 'a .qdpx cut off halfway',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => {
      const z = qdpx({ 'project.qde': qde(), 'sources/a.txt': SOURCE_TEXT });
      return z.subarray(0, z.length >> 1);
    },
    expect: { refused: /not a zip archive, or the archive is damaged/ },
    told: '…not a zip archive, or the archive is damaged.',
  },
  {
    id: 'refi-qdpx-no-qde',
    input: 'a .qdpx without project.qde',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'sources/a.txt': SOURCE_TEXT }),
    expect: { refused: /holds no project\.qde file/ },
    told: 'This .qdpx holds no project.qde file…',
  },
  {
    id: 'refi-qdpx-xxe',
    input: 'project.qde with an external entity (XXE)',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ doctype: XXE_DTD, name: '&xxe;' }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { refused: /DOCTYPE/ },
    told: 'project.qde is not XML Codebench can read (line 2): it contains a <!DOCTYPE> declaration…',
  },
  {
    id: 'refi-qdpx-billion-laughs',
    input: 'project.qde with nested entities (billion laughs)',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ doctype: LAUGHS_DTD, name: '&lol9;' }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { refused: /DOCTYPE/ },
    told: '…it contains a <!DOCTYPE> declaration…',
  },
  {
    id: 'refi-qdpx-entry-traversal',
    input: 'a zip entry named ../../evil.txt',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde(), 'sources/a.txt': SOURCE_TEXT, '../../evil.txt': 'x' }),
    expect: { refused: /"\.\.\/\.\.\/evil\.txt" would be written outside the archive/ },
    told: 'This .qdpx is refused: the archive entry "../../evil.txt" would be written outside the archive…',
  },
  {
    id: 'refi-qdpx-source-traversal',
    input: 'a source whose plainTextPath is internal://../../etc/passwd',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ path: 'internal://../../etc/passwd' }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { refused: /points at "internal:\/\/\.\.\/\.\.\/etc\/passwd", outside the archive/ },
    told: '…the source "Doc" points at "internal://../../etc/passwd", outside the archive…',
  },
  {
    id: 'refi-qdpx-bomb',
    input: 'a source of 8 MB that compresses 1,000:1 (a zip bomb)',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde(), 'sources/a.txt': new Uint8Array(8 * 1024 * 1024).fill(0x41) }),
    expect: { refused: /as a zip bomb does/ },
    told: 'This .qdpx is refused: "sources/a.txt" would expand from … to 8388608 bytes (more than 200 times), as a zip bomb does.',
  },
  {
    id: 'refi-qdpx-bad-offsets',
    input: 'a coded passage from 50 to 9,000 in an 11-character source',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ start: 50, end: 9000 }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { accepted: () => {}, message: /1 text selection outside its source's text/ },
    told: 'restored; the report lists "1 text selection outside its source\'s text (or empty)" as not kept',
  },
  {
    id: 'refi-qdpx-reversed-offsets',
    input: 'a coded passage whose end is before its start',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ start: 8, end: 2 }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { accepted: () => {}, message: /1 text selection outside its source's text \(or empty\)/ },
    told: 'restored; the report lists the selection as not kept',
  },
  {
    id: 'refi-qdpx-wrong-namespace',
    input: 'project.qde in another XML namespace',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qde({ ns: 'urn:example:not-refi' }), 'sources/a.txt': SOURCE_TEXT }),
    expect: { accepted: () => {}, message: /project\.qde is in the XML namespace "urn:example:not-refi", not REFI-QDA's "urn:QDA-XML:project:1\.0"/ },
    told: 'restored by element names, with the warning "project.qde is in the XML namespace "urn:example:not-refi", not REFI-QDA\'s …; check what came in."',
    note: 'was read without a word (xml-reader.ts dropped namespaces); now the report warns',
  },
  {
    id: 'refi-qdpx-codebook',
    input: 'a REFI codebook zipped as a .qdpx',
    fileName: 'vendor.qdpx',
    pipeline: 'refi',
    build: () => qdpx({ 'project.qde': qdc() }),
    expect: { refused: /codebook \(\.qdc\), not a project/ },
    told: 'This is a REFI-QDA codebook (.qdc), not a project: import it as a codebook.',
  },
  {
    id: 'refi-qdc-xxe',
    input: 'a .qdc with an external entity (XXE)',
    fileName: 'codes.qdc',
    pipeline: 'refi',
    build: () => qdc({ doctype: XXE_DTD }),
    expect: { refused: /DOCTYPE/ },
    told: '…is not XML Codebench can read…: it contains a <!DOCTYPE> declaration…',
  },
  {
    id: 'refi-qdc-billion-laughs',
    input: 'a .qdc with nested entities (billion laughs)',
    fileName: 'codes.qdc',
    pipeline: 'refi',
    build: () => qdc({ doctype: LAUGHS_DTD }),
    expect: { refused: /DOCTYPE/ },
    told: '…it contains a <!DOCTYPE> declaration…',
  },
  {
    id: 'refi-qdc-project',
    input: 'a project.qde chosen as a codebook',
    fileName: 'codes.qdc',
    pipeline: 'refi',
    build: () => qde(),
    expect: { refused: /REFI-QDA project \(\.qde\), not a codebook/ },
    told: 'This is a REFI-QDA project (.qde), not a codebook: import it as a project.',
  },
  {
    id: 'refi-qdc-not-xml',
    input: 'a .qdc that is binary',
    fileName: 'codes.qdc',
    pipeline: 'refi',
    build: () => noise(2000, 17),
    expect: { refused: /not XML Codebench can read|not valid UTF-8/ },
    told: '…is not XML Codebench can read… (or not UTF-8)',
  },
  {
    id: 'refi-qdc-wrong-namespace',
    input: 'a .qdc in another XML namespace',
    fileName: 'codes.qdc',
    pipeline: 'refi',
    build: () => qdc({ ns: 'urn:example:not-refi' }),
    expect: { accepted: () => {}, message: /The codebook is in the XML namespace "urn:example:not-refi", not REFI-QDA's "urn:QDA-XML:codebook:1\.0"/ },
    told: 'read, with the warning "The codebook is in the XML namespace …, not REFI-QDA\'s …; check what came in."',
    note: 'was read without a word; now it warns',
  },
];
