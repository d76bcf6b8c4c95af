// @vitest-environment node
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from './groups';
import { assignPseudonyms, defaultRoleLabel, type PseudonymSubject } from './pseudonyms';

describe('naturalCompare', () => {
  it('orders numbers inside text as numbers', () => {
    expect(['pair 10', 'pair 2', 'pair 1', 'R100', 'R9', 'r10'].sort(naturalCompare)).toEqual(['pair 1', 'pair 2', 'pair 10', 'R9', 'r10', 'R100']);
  });

  it('is total for distinct strings that the collator finds equal', () => {
    expect(naturalCompare('a', 'A')).not.toBe(0);
    expect(naturalCompare('a', 'A')).toBe(-naturalCompare('A', 'a'));
    expect(naturalCompare('x', 'x')).toBe(0);
  });

  it('property: antisymmetric, and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a))).toBe(0);
        expect(naturalCompare(a, b) === 0).toBe(a === b);
      }),
    );
  });
});

describe('assignPseudonyms', () => {
  const people: PseudonymSubject[] = [
    { id: 'pair 10-b', role: 'mentor' },
    { id: 'pair 2-a', role: 'mentee' },
    { id: 'pair 10-a', role: 'mentee' },
    { id: 'pair 2-b', role: 'mentor' },
    { id: 'pair 1-a', role: 'mentee' },
    { id: 'x7', role: '' },
    { id: 'x3' },
  ];

  it('numbers each role in the natural order of ids', () => {
    expect(Object.fromEntries(assignPseudonyms(people))).toEqual({
      'pair 1-a': 'Mentee 1',
      'pair 2-a': 'Mentee 2',
      'pair 10-a': 'Mentee 3',
      'pair 2-b': 'Mentor 1',
      'pair 10-b': 'Mentor 2',
      x3: 'Respondent 1',
      x7: 'Respondent 2',
    });
  });

  it('keeps existing labels, edited ones too, and never reuses their numbers', () => {
    const existing = new Map([
      ['pair 2-a', 'Mentee 2'],
      ['pair 10-a', 'Aisha (mentee)'],
      ['gone', 'Mentee 5'],
    ]);
    const labels = assignPseudonyms([...people, { id: 'pair 3-a', role: 'mentee' }], existing);
    expect(labels.get('pair 2-a')).toBe('Mentee 2');
    expect(labels.get('pair 10-a')).toBe('Aisha (mentee)');
    expect(labels.get('gone')).toBe('Mentee 5');
    // New mentees continue after the highest number in use (5), in natural order of ids.
    expect(labels.get('pair 1-a')).toBe('Mentee 6');
    expect(labels.get('pair 3-a')).toBe('Mentee 7');
    expect(labels.get('pair 2-b')).toBe('Mentor 1');
  });

  it('gives a newcomer the next free number', () => {
    const first = assignPseudonyms(people);
    const next = assignPseudonyms([...people, { id: 'pair 0-a', role: 'mentee' }], first);
    expect(next.get('pair 0-a')).toBe('Mentee 4');
    for (const [id, label] of first) expect(next.get(id)).toBe(label);
  });

  it('never gives a label the author already used, whatever its case', () => {
    const labels = assignPseudonyms([{ id: 'a', role: 'mentee' }], new Map([['b', 'MENTEE 1']]));
    expect(labels.get('a')).toBe('Mentee 2');
  });

  it('capitalises and trims roles, and takes another fallback or role label', () => {
    expect(defaultRoleLabel('  peer   mentor ')).toBe('Peer mentor');
    expect(defaultRoleLabel('élève')).toBe('Élève');
    const labels = assignPseudonyms([{ id: '1', role: 'mentee' }, { id: '2' }], undefined, { fallback: 'Participant', roleLabel: (r) => r.toUpperCase() });
    expect([...labels.values()]).toEqual(['MENTEE 1', 'Participant 1']);
  });

  it('takes a repeated id once, with its first role', () => {
    const labels = assignPseudonyms([
      { id: 'r1', role: 'mentor' },
      { id: 'r1', role: 'mentee' },
    ]);
    expect([...labels]).toEqual([['r1', 'Mentor 1']]);
  });

  const ids = fc.uniqueArray(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: 0, max: 500 }).map((n) => `pair ${n}`),
    ),
    { maxLength: 40 },
  );
  const roles = fc.constantFrom<string | undefined>('mentee', 'mentor', 'Mentee', ' mentor ', '', undefined);
  const subjects = ids.chain((list) => fc.tuple(...list.map((id) => roles.map((role): PseudonymSubject => ({ id, role })))));

  it('property: labels are unique and every respondent has one', () => {
    fc.assert(
      fc.property(subjects, (list) => {
        const labels = assignPseudonyms(list);
        expect(labels.size).toBe(list.length);
        expect(new Set([...labels.values()].map((l) => l.toLowerCase())).size).toBe(list.length);
      }),
    );
  });

  it('property: adding respondents keeps every earlier label and stays unique', () => {
    fc.assert(
      fc.property(subjects, fc.nat(), (list, cut) => {
        const before = list.slice(0, list.length ? cut % (list.length + 1) : 0);
        const first = assignPseudonyms(before);
        const second = assignPseudonyms(list, first);
        for (const [id, label] of first) expect(second.get(id)).toBe(label);
        expect(new Set([...second.values()].map((l) => l.toLowerCase())).size).toBe(second.size);
      }),
    );
  });

  it('property: existing labels are kept and new ones never equal them', () => {
    fc.assert(
      fc.property(
        subjects,
        fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.constantFrom('Mentee 3', 'mentor 1', 'Respondent 9', 'Alex', 'Mentee 07')), { maxLength: 6 }),
        (list, pairs) => {
          const existing = new Map(pairs);
          const labels = assignPseudonyms(list, existing);
          for (const [id, label] of existing) expect(labels.get(id)).toBe(label);
          const old = new Set([...existing.values()].map((l) => l.toLowerCase()));
          for (const [id, label] of labels) if (!existing.has(id)) expect(old.has(label.toLowerCase())).toBe(false);
        },
      ),
    );
  });
});

describe('assignPseudonyms on the AIMMS sample', () => {
  it('labels the 16 mentors and 16 mentees by role, in the order of their ids, the same in both waves', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync('sample-data/aimms-plain.csv', 'utf8'), { header: true, skipEmptyLines: true }).data;
    const labels = assignPseudonyms(rows.map((r) => ({ id: r.respondent_id, role: r.role })));
    expect(labels.size).toBe(32);
    expect(labels.get('M01')).toBe('Mentor 1');
    expect(labels.get('M16')).toBe('Mentor 16');
    expect(labels.get('E07')).toBe('Mentee 7');
    expect(new Set(labels.values()).size).toBe(32);
  });
});
