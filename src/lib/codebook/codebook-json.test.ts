// @vitest-environment node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Code } from '../model/types';
import {
  CODEBOOK_MAX_DEPTH,
  CODEBOOK_PALETTE,
  CodebookError,
  codebookFromCodes,
  flattenCodebook,
  parseCodebookJson,
  serializeCodebook,
  type CodebookFile,
  type CodebookNode,
} from './codebook-json';

const root = resolve(__dirname, '../../..');
const shippedText = readFileSync(resolve(root, 'codebooks/aimms-evaluation.json'), 'utf8');

function walk(nodes: CodebookNode[], visit: (n: CodebookNode, depth: number) => void, depth = 1): void {
  for (const n of nodes) {
    visit(n, depth);
    walk(n.children, visit, depth + 1);
  }
}

function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** A minimal valid file around the given codes. */
function file(codes: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'codebench-codebook', version: 1, name: 'Test', codes, ...extra });
}

function expectError(text: string, message: string | RegExp): void {
  let caught: unknown;
  try {
    parseCodebookJson(text);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CodebookError);
  const actual = (caught as Error).message;
  if (typeof message === 'string') expect(actual).toBe(message);
  else expect(actual).toMatch(message);
}

describe('the shipped AIMMS codebook', () => {
  const book = parseCodebookJson(shippedText);

  it('has the four top-level codes with 2–5 subcodes each', () => {
    expect(book.name).not.toBe('');
    expect(book.description).not.toBe('');
    expect(book.codes.map((c) => c.name)).toEqual(['Rewards', 'Challenges', 'Shared background', 'Empathy']);
    for (const code of book.codes) {
      expect(code.children.length).toBeGreaterThanOrEqual(2);
      expect(code.children.length).toBeLessThanOrEqual(5);
      for (const child of code.children) expect(child.children).toEqual([]);
    }
  });

  it('gives every code a definition, inclusion, exclusion and example, and a distinct readable colour', () => {
    const colours = new Set<string>();
    let count = 0;
    walk(book.codes, (n) => {
      count++;
      for (const field of ['definition', 'inclusion', 'exclusion', 'example'] as const) {
        expect(n[field].trim().length, `${n.name}: ${field}`).toBeGreaterThan(10);
      }
      expect(n.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      colours.add(n.color);
      expect(contrast(n.color, '#ffffff'), `${n.name} on white`).toBeGreaterThanOrEqual(3);
      expect(contrast(n.color, '#1e1e1e'), `${n.name} on dark`).toBeGreaterThanOrEqual(3);
    });
    expect(colours.size).toBe(count);
  });

  it('quotes every example verbatim from the sample answers', () => {
    const parsed = Papa.parse<string[]>(readFileSync(resolve(root, 'sample-data/aimms-plain.csv'), 'utf8'), {
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    const answers = parsed.data.slice(1).flatMap((row) => row.slice(5));
    walk(book.codes, (n) => {
      expect(
        answers.some((a) => a.includes(n.example)),
        `example of ${n.name} not found: ${n.example}`,
      ).toBe(true);
    });
  });

  it('keeps its palette readable too', () => {
    for (const colour of CODEBOOK_PALETTE) {
      expect(colour).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(3);
      expect(contrast(colour, '#1e1e1e')).toBeGreaterThanOrEqual(3);
    }
  });

  it('is already in serialised form', () => {
    expect(serializeCodebook(book)).toBe(shippedText);
  });
});

describe('parseCodebookJson errors', () => {
  it('rejects text that is not JSON', () => {
    expectError('{"format": ', /^This file is not valid JSON \(.+\)\.$/);
    expectError('', /^This file is not valid JSON/);
  });

  it('rejects JSON that is not an object', () => {
    expectError('[1, 2]', 'This is not a Codebench codebook: the file holds a list, not an object.');
  });

  it('rejects a missing or wrong format marker', () => {
    expectError(JSON.stringify({ version: 1, codes: [] }), 'This is not a Codebench codebook: "format" is missing (expected "codebench-codebook").');
    expectError(
      JSON.stringify({ format: 'refi-qda', version: 1, codes: [] }),
      'This is not a Codebench codebook: "format" is the text "refi-qda" (expected "codebench-codebook").',
    );
  });

  it('rejects an unsupported version', () => {
    expectError(file([], { version: 2 }), 'Unsupported codebook version 2: this version of Codebench reads version 1.');
    expectError(file([], { version: undefined }), 'The codebook has no "version" (expected 1).');
    expectError(file([], { version: '1' }), /^Unsupported codebook version the text "1"/);
  });

  it('rejects a code with a missing or empty name, naming its path', () => {
    expectError(file([{ id: 'a' }]), 'code #1: the code has no name.');
    expectError(
      file([
        {
          id: 'c',
          name: 'Challenges',
          children: [
            { id: 't', name: 'Time' },
            { id: 'x', name: '   ' },
          ],
        },
      ]),
      "Challenges › code #2: the code's name is empty.",
    );
    expectError(file([{ id: 'a', name: 42 }]), "code #1: the code's name must be text, but it is number 42.");
  });

  it('rejects a missing or duplicate id', () => {
    expectError(file([{ name: 'Rewards' }]), 'Rewards: the code has no "id".');
    expectError(
      file([
        { id: 'rewards', name: 'Rewards', children: [{ id: 'time', name: 'Time' }] },
        { id: 'challenges', name: 'Challenges', children: [{ id: 'time', name: 'Time' }] },
      ]),
      'Challenges › Time: the id "time" is already used by Rewards › Time; ids must be unique in the file.',
    );
  });

  it('rejects duplicate sibling names, ignoring case and surrounding spaces', () => {
    expectError(
      file([
        {
          id: 'c',
          name: 'Challenges',
          children: [
            { id: 't1', name: 'Time' },
            { id: 't2', name: ' time ' },
          ],
        },
      ]),
      'Challenges › time: two codes under Challenges are named "Time" and "time"; names must differ (ignoring case).',
    );
    expectError(
      file([
        { id: 'a', name: 'Empathy' },
        { id: 'b', name: 'EMPATHY' },
      ]),
      'EMPATHY: two top-level codes are named "Empathy" and "EMPATHY"; names must differ (ignoring case).',
    );
  });

  it('allows the same name under different parents', () => {
    const book = parseCodebookJson(
      file([
        { id: 'a', name: 'A', children: [{ id: 'a-other', name: 'Other' }] },
        { id: 'b', name: 'B', children: [{ id: 'b-other', name: 'Other' }] },
      ]),
    );
    expect(book.codes[1].children[0].name).toBe('Other');
  });

  it('rejects a bad colour', () => {
    expectError(file([{ id: 'e', name: 'Empathy', color: 'teal' }]), 'Empathy: the colour "teal" is not of the form "#rrggbb".');
    expectError(file([{ id: 'e', name: 'Empathy', color: '#12345g' }]), 'Empathy: the colour "#12345g" is not of the form "#rrggbb".');
    expectError(file([{ id: 'e', name: 'Empathy', color: 255 }]), 'Empathy: the colour must be text of the form "#rrggbb", but it is number 255.');
  });

  it(`rejects nesting deeper than ${CODEBOOK_MAX_DEPTH} levels`, () => {
    const nest = (depth: number): unknown => {
      let node: Record<string, unknown> = { id: `n${depth}`, name: `L${depth}` };
      for (let d = depth - 1; d >= 1; d--) node = { id: `n${d}`, name: `L${d}`, children: [node] };
      return [node];
    };
    expect(() => parseCodebookJson(file(nest(CODEBOOK_MAX_DEPTH)))).not.toThrow();
    expectError(file(nest(CODEBOOK_MAX_DEPTH + 1)), 'L1 › L2 › L3 › L4 › L5 › L6 › L7 › L8 › L9: codes are nested too deeply (more than 8 levels).');
  });

  it('rejects wrongly typed fields', () => {
    expectError(file({ id: 'x' }), 'The codebook\'s "codes" must be a list, but it is an object.');
    expectError(file(['Rewards']), 'code #1: each code must be an object, but this is the text "Rewards".');
    expectError(file([{ id: 'r', name: 'Rewards', children: 'none' }]), 'Rewards: "children" must be a list, but it is the text "none".');
    expectError(file([{ id: 'r', name: 'Rewards', definition: ['x'] }]), 'Rewards: "definition" must be text, but it is a list.');
    expectError(file([], { name: 7 }), 'The codebook\'s "name" must be text, but it is number 7.');
  });
});

describe('parseCodebookJson defaults', () => {
  it('fills missing text fields with "" and missing colours from the palette, in order', () => {
    const book = parseCodebookJson(
      '\uFEFF' +
        JSON.stringify({
          format: 'codebench-codebook',
          version: 1,
          codes: [
            {
              id: 'a',
              name: '  Alpha  ',
              children: [
                { id: 'a1', name: 'One', color: '#ABC' },
                { id: 'a2', name: 'Two', color: null },
              ],
            },
            { id: 'b', name: 'Beta', color: '#0072B2', unknownField: true },
          ],
        }),
    );
    expect(book.name).toBe('');
    expect(book.description).toBe('');
    const [alpha, beta] = book.codes;
    expect(alpha).toMatchObject({ name: 'Alpha', color: CODEBOOK_PALETTE[0], definition: '', inclusion: '', exclusion: '', example: '' });
    expect(alpha.children[0].color).toBe('#aabbcc');
    expect(alpha.children[1].color).toBe(CODEBOOK_PALETTE[2]);
    expect(beta.color).toBe('#0072b2');
    expect(beta.children).toEqual([]);
    expect('unknownField' in beta).toBe(false);
  });

  it('accepts a file without codes', () => {
    expect(parseCodebookJson(JSON.stringify({ format: 'codebench-codebook', version: 1, name: ' X ' }))).toEqual({
      name: 'X',
      description: '',
      codes: [],
    });
  });
});

describe('flattenCodebook', () => {
  it('lists parents before children with parentId and sibling order', () => {
    const book = parseCodebookJson(shippedText);
    let n = 0;
    const seen: string[] = [];
    const codes = flattenCodebook(book, 'p1', (node) => {
      seen.push(node.id);
      return `code-${++n}`;
    });
    expect(codes).toHaveLength(19);
    expect(new Set(seen).size).toBe(19);
    expect(codes.every((c) => c.projectId === 'p1')).toBe(true);
    const top = codes.filter((c) => c.parentId === null);
    expect(top.map((c) => [c.name, c.order])).toEqual([
      ['Rewards', 0],
      ['Challenges', 1],
      ['Shared background', 2],
      ['Empathy', 3],
    ]);
    const challenges = top[1];
    const under = codes.filter((c) => c.parentId === challenges.id);
    expect(under.map((c) => c.name)).toEqual([
      'Time and workload',
      'Distance and remote contact',
      'Unclear expectations and boundaries',
      'Institutional barriers',
    ]);
    expect(under.map((c) => c.order)).toEqual([0, 1, 2, 3]);
    for (const c of codes) {
      if (c.parentId !== null) expect(codes.findIndex((p) => p.id === c.parentId)).toBeLessThan(codes.indexOf(c));
    }
    const time = under[0];
    const source = book.codes[1].children[0];
    expect(time).toEqual<Code>({
      projectId: 'p1',
      id: time.id,
      parentId: challenges.id,
      name: source.name,
      color: source.color,
      definition: source.definition,
      inclusion: source.inclusion,
      exclusion: source.exclusion,
      example: source.example,
      order: 0,
    });
  });
});

describe('codebookFromCodes', () => {
  it('rebuilds the tree from flattened codes', () => {
    const book = parseCodebookJson(shippedText);
    const codes = flattenCodebook(book, 'p', (node) => node.id);
    // Shuffle: the order field, not the array order, decides.
    const shuffled = [...codes].reverse();
    expect(codebookFromCodes(book.name, book.description, shuffled)).toEqual(book);
  });

  it('keeps orphans and cycles at the top level', () => {
    const base = { projectId: 'p', color: '#009e73', definition: '', inclusion: '', exclusion: '', example: '', order: 0 };
    const codes: Code[] = [
      { ...base, id: 'a', parentId: 'b', name: 'A' },
      { ...base, id: 'b', parentId: 'a', name: 'B' },
      { ...base, id: 'c', parentId: 'missing', name: 'C', order: 1 },
    ];
    const book = codebookFromCodes('n', '', codes);
    expect(book.codes.map((c) => c.id)).toEqual(['c', 'a']);
    expect(book.codes[1].children.map((c) => c.id)).toEqual(['b']);
  });
});

describe('serializeCodebook round trip', () => {
  const hex = fc.array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: 6, maxLength: 6 }).map((digits) => '#' + digits.join(''));
  const trimmedName = fc
    .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const text = fc.string({ maxLength: 40, unit: 'grapheme' });

  interface Draft {
    name: string;
    color: string;
    definition: string;
    inclusion: string;
    exclusion: string;
    example: string;
    children: Draft[];
  }
  const { tree } = fc.letrec<{ tree: Draft[]; node: Draft }>((tie) => ({
    tree: fc.array(tie('node'), { maxLength: 4 }),
    node: fc.record({
      name: trimmedName,
      color: hex,
      definition: text,
      inclusion: text,
      exclusion: text,
      example: text,
      children: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<Draft[]>([]), tie('tree')),
    }),
  }));

  /** Makes drafts valid: unique sibling names, unique ids, depth ≤ 8. */
  function toFile(name: string, description: string, drafts: Draft[]): CodebookFile {
    let nextId = 0;
    const build = (list: Draft[], depth: number): CodebookNode[] => {
      if (depth > CODEBOOK_MAX_DEPTH) return [];
      const names = new Set<string>();
      const out: CodebookNode[] = [];
      for (const d of list) {
        const folded = d.name.toLocaleLowerCase('en');
        if (names.has(folded)) continue;
        names.add(folded);
        out.push({ ...d, id: `code-${nextId++}`, children: build(d.children, depth + 1) });
      }
      return out;
    };
    return { name, description, codes: build(drafts, 1) };
  }

  it('parse(serialize(file)) equals file, and serialising again is stable', () => {
    fc.assert(
      fc.property(trimmedName, text, tree, (name, description, drafts) => {
        const book = toFile(name, description, drafts);
        const json = serializeCodebook(book);
        const back = parseCodebookJson(json);
        expect(back).toEqual(book);
        expect(serializeCodebook(back)).toBe(json);
      }),
      { numRuns: 300 },
    );
  });
});

describe('code keys in the codebook file', () => {
  const codes: Code[] = [
    {
      projectId: 'p',
      id: 'a',
      parentId: null,
      name: 'A',
      color: '#112233',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
      shortcut: '3',
    },
    { projectId: 'p', id: 'b', parentId: 'a', name: 'B', color: '#112233', definition: '', inclusion: '', exclusion: '', example: '', order: 0, shortcut: 'x' },
    { projectId: 'p', id: 'c', parentId: null, name: 'C', color: '#112233', definition: '', inclusion: '', exclusion: '', example: '', order: 1, shortcut: '' },
  ];

  it('are written with each code and read back onto the flattened codes (a cleared key is left out)', () => {
    const text = serializeCodebook(codebookFromCodes('Keys', '', codes));
    expect(JSON.parse(text).codes[0].shortcut).toBe('3');
    expect('shortcut' in JSON.parse(text).codes[1]).toBe(false);
    const flat = flattenCodebook(parseCodebookJson(text), 'q', (node) => `new-${node.id}`);
    expect(flat.map((c) => [c.id, c.shortcut])).toEqual([
      ['new-a', '3'],
      ['new-b', 'x'],
      ['new-c', undefined],
    ]);
    expect(serializeCodebook(parseCodebookJson(text))).toBe(text);
  });

  it('takes a capital letter as lower case and refuses a key a code cannot have, naming the code', () => {
    const file = (shortcut: unknown) => JSON.stringify({ format: 'codebench-codebook', version: 1, codes: [{ id: 'a', name: 'Alpha', shortcut }] });
    expect(parseCodebookJson(file('Q')).codes[0].shortcut).toBe('q');
    expect(parseCodebookJson(file(null)).codes[0].shortcut).toBeUndefined();
    expect(() => parseCodebookJson(file('j'))).toThrow('Alpha: the key the text "j" is not a key a code can have');
    expect(() => parseCodebookJson(file(5))).toThrow(CodebookError);
  });
});
