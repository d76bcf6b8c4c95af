import { describe, expect, it } from 'vitest';
import { answerPlace, describeCodingChange } from './describe';

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
