import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdIndex, IdKeys, IdMap, idHash } from './id-map';

/** Ids that share a 30-bit hash, found by brute force (the birthday bound makes this quick). */
function collidingIds(groups: number): string[][] {
  const byHash = new Map<number, string[]>();
  const found: string[][] = [];
  for (let i = 0; found.length < groups; i++) {
    const id = `R${i}`;
    const hash = idHash(id);
    const same = byHash.get(hash);
    if (same) {
      same.push(id);
      if (same.length === 2) found.push(same);
    } else byHash.set(hash, [id]);
  }
  return found;
}

const [pairA, pairB] = collidingIds(2);

describe('idHash', () => {
  it('is a small non-negative integer, the same for equal ids', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const hash = idHash(id);
        return Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30 && hash === idHash(id.slice(0));
      }),
    );
  });
});

describe('IdMap', () => {
  it('keeps ids whose hashes collide apart', () => {
    const [a, b] = pairA;
    expect(idHash(a)).toBe(idHash(b));
    const map = new IdMap<number>();
    map.set(a, 1).set(b, 2);
    expect(map.get(a)).toBe(1);
    expect(map.get(b)).toBe(2);
    expect(map.size).toBe(2);
    expect(map.delete(a)).toBe(true);
    expect(map.get(a)).toBeUndefined();
    expect(map.get(b)).toBe(2);
    map.set(a, 3);
    expect([...map.entries()].sort()).toEqual(
      [
        [a, 3],
        [b, 2],
      ].sort(),
    );
    expect(map.delete(b)).toBe(true);
    expect(map.delete(b)).toBe(false);
    expect([...map.keys()]).toEqual([a]);
  });

  it('maps sharing IdKeys agree when only one of them holds the first id of a hash', () => {
    const [a, b] = pairA;
    const keys = new IdKeys();
    const first = keys.map<string>();
    const second = keys.map<string>();
    first.set(a, 'a in first');
    second.set(b, 'b in second');
    expect(second.has(a)).toBe(false);
    expect(second.get(b)).toBe('b in second');
    expect(first.has(b)).toBe(false);
    expect([...second.keys()]).toEqual([b]);
  });

  it('behaves as a Map for any sequence of sets and deletes, colliding ids included', () => {
    const ids = [...pairA, ...pairB, 'x', 'y', 'q1\u001fbaseline\u001fR000001', ''];
    const op = fc.record({ kind: fc.constantFrom('set', 'delete', 'get'), id: fc.constantFrom(...ids), value: fc.integer() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, shared) => {
        const keys = new IdKeys();
        if (shared) keys.map<number>().set(pairA[1], 0); // another map took pairA's hash for pairA[1]
        const model = new Map<string, number>();
        const map = shared ? keys.map<number>() : new IdMap<number>();
        for (const { kind, id, value } of ops) {
          if (kind === 'set') {
            model.set(id, value);
            map.set(id, value);
          } else if (kind === 'delete') expect(map.delete(id)).toBe(model.delete(id));
          else expect(map.get(id)).toBe(model.get(id));
          expect(map.size).toBe(model.size);
        }
        for (const id of ids) {
          expect(map.has(id)).toBe(model.has(id));
          expect(map.get(id)).toBe(model.get(id));
        }
        const sorted = <T>(xs: Iterable<T>) => [...xs].map((x) => JSON.stringify(x)).sort();
        expect(sorted(map.entries())).toEqual(sorted(model.entries()));
        expect(sorted(map.keys())).toEqual(sorted(model.keys()));
        expect(sorted(map.values())).toEqual(sorted(model.values()));
      }),
    );
  });

  it('iterates in insertion order when no hashes collide', () => {
    const map = new IdMap([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
    map.delete('a');
    map.set('a', 4);
    expect([...map]).toEqual([
      ['c', 1],
      ['b', 3],
      ['a', 4],
    ]);
    map.clear();
    expect(map.size).toBe(0);
  });
});

describe('IdKeys slots', () => {
  it('gives the first id of a hash the hash, a later one the overflow, and an unknown one nothing', () => {
    const [a, b] = pairA;
    const keys = new IdKeys();
    expect(keys.peek(a)).toBe(-2);
    expect(keys.slot(a)).toBe(idHash(a));
    expect(keys.peek(a)).toBe(idHash(a));
    expect(keys.slot(b)).toBe(-1);
    expect(keys.peek(b)).toBe(-1);
    const map = keys.map<string>();
    map.setAt(keys.slot(b), b, 'b');
    expect(map.getAt(keys.peek(b), b)).toBe('b');
    expect(map.getAt(keys.peek(a), a)).toBeUndefined();
    expect(() => map.setAt(keys.peek('never seen'), 'never seen', 'x')).toThrow(/slot/);
  });
});

describe('IdIndex', () => {
  interface Row {
    id: string;
    n: number;
  }
  const ids = [...pairA, ...pairB, 'x', 'y', ''];

  it("behaves as a Map from each value's id for any sequence of puts and deletes, colliding ids included", () => {
    const op = fc.record({ kind: fc.constantFrom('put', 'delete', 'get'), id: fc.constantFrom(...ids), n: fc.integer() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const model = new Map<string, Row>();
        const index = new IdIndex<Row>((row) => row.id);
        for (const { kind, id, n } of ops) {
          if (kind === 'put') {
            const row = { id, n };
            model.set(id, row);
            index.put(row);
          } else if (kind === 'delete') expect(index.delete(id)).toBe(model.delete(id));
          else expect(index.get(id)).toBe(model.get(id));
          expect(index.size).toBe(model.size);
        }
        for (const id of ids) {
          expect(index.get(id)).toBe(model.get(id));
          expect(index.has(id)).toBe(model.has(id));
        }
        expect([...index.values()].map((r) => r.id).sort()).toEqual([...model.keys()].sort());
      }),
    );
  });

  it('finds an id whose hash-mate was deleted before it', () => {
    const [a, b] = pairA;
    const index = new IdIndex<Row>((row) => row.id);
    index.put({ id: a, n: 1 }).put({ id: b, n: 2 });
    index.delete(a);
    expect(index.get(b)?.n).toBe(2);
    index.put({ id: b, n: 3 });
    expect(index.size).toBe(1);
    expect(index.get(b)?.n).toBe(3);
  });
});
