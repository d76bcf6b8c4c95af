import { describe, expect, it } from 'vitest';
import { CODED_TEXT_LIMIT, answerPlace, codingListLabel, describeCodingChange } from './describe';

const m02 = { respondentId: 'M02', waveName: 'Baseline', questionLabel: 'Rewards question' };

describe('describeCodingChange', () => {
  it('names the code and the answer it was added to or removed from', () => {
    expect(describeCodingChange({ codeName: 'Rewards', outcome: 'added', answer: m02 })).toBe('Rewards added to M02, Baseline, Rewards question');
    expect(describeCodingChange({ codeName: 'Rewards', outcome: 'removed', answer: m02 })).toBe('Rewards removed from M02, Baseline, Rewards question');
  });

  it('says when a passage was coded, and what it was joined with', () => {
    expect(describeCodingChange({ codeName: 'Empathy', outcome: 'added', answer: m02, passage: true })).toBe(
      'Empathy added to a passage of M02, Baseline, Rewards question',
    );
    expect(describeCodingChange({ codeName: 'Empathy', outcome: 'added', answer: m02, passage: true, joined: 1 })).toBe(
      'Empathy added to a passage of M02, Baseline, Rewards question (joined with 1 overlapping passage)',
    );
    expect(describeCodingChange({ codeName: 'Empathy', outcome: 'added', answer: m02, passage: true, joined: 3 })).toMatch(
      /\(joined with 3 overlapping passages\)$/,
    );
    expect(describeCodingChange({ codeName: 'Empathy', outcome: 'removed', answer: m02, passage: true })).toBe(
      'Empathy removed from a passage of M02, Baseline, Rewards question',
    );
  });

  it('says when nothing changed', () => {
    expect(describeCodingChange({ codeName: 'Rewards', outcome: 'unchanged', answer: m02 })).toBe('M02, Baseline, Rewards question already has Rewards');
    expect(describeCodingChange({ codeName: 'Rewards', outcome: 'unchanged', answer: m02, passage: true })).toBe(
      'This passage of M02, Baseline, Rewards question already has Rewards',
    );
  });

  it('keeps names as given (any script, no quoting games) and skips blank parts', () => {
    expect(answerPlace({ respondentId: 'نور-7', waveName: ' ', questionLabel: 'Q5' })).toBe('نور-7, Q5');
    expect(
      describeCodingChange({ codeName: '__proto__', outcome: 'added', answer: { respondentId: 'constructor', waveName: 'toString', questionLabel: 'Q' } }),
    ).toBe('__proto__ added to constructor, toString, Q');
  });
});

describe('codingListLabel (the split list)', () => {
  const names = { respondentId: 'M02', questionLabel: 'Q1', waveName: 'Baseline' };

  it('names the respondent, question and wave, then the coded words', () => {
    expect(codingListLabel(names, 'I felt  the rewards\nwere real', 8, 24)).toBe('M02 · Q1 · Baseline — “the rewards were”');
    expect(codingListLabel(names, 'Whole answer here', null, null)).toBe('M02 · Q1 · Baseline — “Whole answer here”');
  });

  it('counts passages in code points, cuts a long passage, and shows the place alone while the text is read', () => {
    expect(codingListLabel(names, '😀 smile', 2, 7)).toBe('M02 · Q1 · Baseline — “smile”');
    const long = 'word '.repeat(40);
    const label = codingListLabel(names, long, null, null);
    expect(label.endsWith('…”')).toBe(true);
    expect(label.length).toBeLessThan(`M02 · Q1 · Baseline — “”`.length + CODED_TEXT_LIMIT + 2);
    expect(codingListLabel(names, undefined, 0, 3)).toBe('M02 · Q1 · Baseline');
    expect(codingListLabel({ ...names, questionLabel: ' ' }, '', null, null)).toBe('M02 · Baseline');
  });
});
