/**
 * Right-to-left answers (Arabic, Hebrew): every element showing user text takes its direction from the text
 * (`dir="auto"`), and a user string inside a sentence of UI text is isolated (`<bdi>`) so its punctuation stays on
 * the right side. Checked on the answer row, a published quote, a keyword-in-context line, a memo and a code name.
 * A selection in an Arabic answer still gives the code point offsets of the words chosen: the DOM holds the text in
 * logical order whatever the direction it is drawn in.
 */
import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import AnswerRow from '../../src/ui/project/answer-row.svelte';
import MemoPanel from '../../src/ui/project/memo-panel.svelte';
import PublishedQuote from '../../src/ui/analysis/published-quote.svelte';
import WordsTab from '../../src/ui/analysis/words-tab.svelte';
import type { AnalysisState } from '../../src/lib/state/analysis.svelte';
import type { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import type { WriteUpState } from '../../src/lib/state/write-up.svelte';
import type { Quote } from '../../src/workers/analysis-protocol';
import type { Memo } from '../../src/lib/db/schema';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { selectOffsetsIn, selectionOffsetsIn } from '../../src/lib/state/text-selection';
import { toCodePointSpan, toUtf16Span } from '../../src/lib/coding/offsets';

const PROJECT = 'p1';
const ANSWER = answerId('q1', 'w1', 'م-٧');
// An emoji first, so UTF-16 offsets and code point offsets differ.
const ARABIC = '👍 ساعدني الإرشاد كثيرًا في عملي، شكرًا!';
const HEBREW_CODE: Code = {
  projectId: PROJECT,
  id: 'c1',
  parentId: null,
  name: 'תמיכה',
  color: '#1f78b4',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
};

const cp = (text: string, word: string) => {
  const at = text.indexOf(word);
  return toCodePointSpan(text, { start: at, end: at + word.length });
};

function answerRow(text: string, codings: Coding[]) {
  return render(AnswerRow, {
    row: { position: 0, respondentId: 'م-٧', waveId: 'w1', text },
    answerId: ANSWER,
    waveName: 'الموجة الأولى',
    attributes: [['الدور', 'مرشد']] as [string, string][],
    codings,
    codeById: new Map([[HEBREW_CODE.id, HEBREW_CODE]]),
    coderName: () => 'سارة',
    focused: false,
    onfocus: vi.fn(),
    onselect: vi.fn(),
    onremove: vi.fn(),
  });
}

describe('right-to-left user text', () => {
  it('sets the answer, its respondent, wave, chips and code names in their own direction', () => {
    const span = cp(ARABIC, 'الإرشاد');
    const coding: Coding = { projectId: PROJECT, id: 'k1', answerId: ANSWER, codeId: 'c1', coderId: 'sara', ...span, createdAt: 1 };
    answerRow(ARABIC, [coding]);
    const text = screen.getByTestId('answer-text');
    expect(text).toHaveAttribute('dir', 'auto');
    expect(text.textContent).toBe(ARABIC);
    expect(screen.getByTestId('answer-respondent')).toHaveAttribute('dir', 'auto');
    expect(screen.getByText('الموجة الأولى')).toHaveAttribute('dir', 'auto');
    expect(screen.getByTitle('الدور')).toHaveAttribute('dir', 'auto');
    const chip = screen.getByTestId('coding-chip');
    expect(within(chip).getByText('תמיכה')).toHaveAttribute('dir', 'auto');
    // The passage and the coder sit in a line of UI text ("“…” · Sara"): each is isolated.
    const isolated = [...screen.getByTestId('coding-detail').querySelectorAll('bdi')].map((b) => b.textContent);
    expect(isolated).toEqual(['الإرشاد', 'سارة']);
    expect(screen.getByTestId('highlight').textContent!.trim()).toBe('الإرشاد');
  });

  it('turns a selection in an Arabic answer into the code point offsets of the words chosen', () => {
    // A coded word splits the text into several nodes; the selection starts before it and ends after it.
    const coded = cp(ARABIC, 'الإرشاد');
    answerRow(ARABIC, [{ projectId: PROJECT, id: 'k1', answerId: ANSWER, codeId: 'c1', coderId: 'sara', ...coded, createdAt: 1 }]);
    const element = screen.getByTestId('answer-text');
    for (const words of ['ساعدني الإرشاد كثيرًا', 'كثيرًا في عملي', '👍 ساعدني']) {
      const wanted = cp(ARABIC, words);
      const utf16 = toUtf16Span(ARABIC, wanted);
      selectOffsetsIn(element, utf16.start, utf16.end);
      const selection = document.getSelection();
      expect(selection!.toString()).toBe(words);
      const offsets = selectionOffsetsIn(element, selection);
      expect(offsets).toEqual(utf16);
      const span = toCodePointSpan(ARABIC, offsets!);
      expect(span).toEqual(wanted);
      expect([...ARABIC].slice(span.start, span.end).join('')).toBe(words);
    }
  });

  it('sets a published quote, its found names and its attribution in their own direction', () => {
    const original = 'قالت سارة: الإرشاد غيّر حياتي';
    const at = original.indexOf('سارة');
    const quote: Quote = {
      codingIds: ['k1'],
      answerId: ANSWER,
      text: original.replace('سارة', '[name]'),
      attribution: 'مرشدة ٧',
      questionLabel: 'ما الذي تغيّر؟',
      coderNames: ['سارة'],
      original,
      spans: [{ start: at, end: at + 4, answerStart: at, answerEnd: at + 4, kind: 'name', source: 'entity', text: 'سارة', kept: false }],
      pseudonym: 'مرشدة ٧',
    };
    const writeUp = { showOriginal: false, saving: false, settings: { redactionList: [] }, setKept: vi.fn(), addToList: vi.fn() } as unknown as WriteUpState;
    render(PublishedQuote, { quote, writeUp });
    expect(screen.getByTestId('quote-text')).toHaveAttribute('dir', 'auto');
    const found = screen.getByTestId('quote-found-item');
    expect(found.querySelector('bdi')?.textContent).toBe('سارة');
    expect(found.textContent).toMatch(/“سارة”/);
  });

  it('sets a memo, its editor and its author in their own direction', () => {
    const memo: Memo = {
      projectId: PROJECT,
      id: 'm1',
      target: { kind: 'answer', id: ANSWER },
      text: 'זו תשובה חשובה מאוד.',
      coderId: 'sara',
      coderName: 'שרה',
      createdAt: 1,
      updatedAt: 1,
    };
    render(MemoPanel, { memos: [memo], label: 'Memo on this answer', currentCoderId: 'sara', onsave: async () => true, onremove: vi.fn(), testId: 'memos' });
    expect(screen.getByText('זו תשובה חשובה מאוד.')).toHaveAttribute('dir', 'auto');
    expect(screen.getByTestId('memo-input')).toHaveAttribute('dir', 'auto');
    expect([...document.querySelectorAll('bdi')].map((b) => b.textContent)).toContain('שרה');
  });

  it('lays a keyword-in-context line of an Arabic answer right to left, and says the model is English', () => {
    const analysis = {
      wordsScope: { questionId: null, group: { kind: 'all' }, coders: { kind: 'all' } },
      words: {
        data: {
          kind: 'words',
          scopeLabel: 'كل الإجابات',
          texts: 2,
          words: 5,
          distinct: 4,
          top: [{ lemma: 'الإرشاد', count: 2, answers: 2, forms: ['الإرشاد'] }],
          scripts: { letters: 40, nonLatin: 0.9, mainScript: 'Arabic' },
        },
      },
      kwic: {
        data: {
          kind: 'kwic',
          scopeLabel: 'كل الإجابات',
          word: 'الإرشاد',
          truncated: false,
          lines: [
            { answerId: ANSWER, start: 9, end: 16, match: 'الإرشاد', left: 'ساعدني', right: 'كثيرًا في عملي،', moreLeft: true, moreRight: true },
            { answerId: 'a2', start: 4, end: 11, match: 'الإرشاد', left: 'I think the', right: 'helped', moreLeft: false, moreRight: false },
          ],
        },
      },
      distinctive: null,
      distinctiveTarget: null,
      isRunning: () => false,
      runWords: vi.fn(),
      runKwic: vi.fn(),
      runDistinctive: vi.fn(),
      openCell: vi.fn(),
    } as unknown as AnalysisState;
    const workspace = { codes: [], tree: [], themes: [] } as unknown as CodingWorkspace;
    render(WordsTab, { analysis, workspace, attributes: [] });

    const [arabic, english] = screen.getAllByTestId('kwic-line');
    expect(arabic).toHaveAttribute('dir', 'rtl');
    expect(english).toHaveAttribute('dir', 'ltr');
    for (const part of arabic.querySelectorAll('.left bdi, .right bdi, mark')) expect(part).toHaveAttribute('dir', 'auto');
    expect(arabic.querySelector('mark')!.textContent).toBe('الإرشاد');
    // An Arabic word quoted in an English answer: the line stays left to right.
    expect(english.querySelector('mark')!.textContent).toBe('الإرشاد');
    expect(screen.getByTestId('words-word')).toHaveAttribute('dir', 'auto');
    expect(screen.getByTestId('words-kwic-input')).toHaveAttribute('dir', 'auto');

    expect(screen.getByTestId('words-basis')).toHaveTextContent(/language model is English/);
    expect(screen.getByTestId('words-other-script')).toHaveTextContent(/90% of the letters here are in Arabic script/);
  });

  it('does not warn about other scripts when the answers are in English', () => {
    const analysis = {
      wordsScope: { questionId: null, group: { kind: 'all' }, coders: { kind: 'all' } },
      words: {
        data: {
          kind: 'words',
          scopeLabel: 'Every answer',
          texts: 1,
          words: 1,
          distinct: 1,
          top: [{ lemma: 'mentor', count: 1, answers: 1, forms: ['mentor'] }],
          scripts: { letters: 30, nonLatin: 0.05, mainScript: 'Arabic' },
        },
      },
      kwic: null,
      distinctive: null,
      distinctiveTarget: null,
      isRunning: () => false,
    } as unknown as AnalysisState;
    render(WordsTab, { analysis, workspace: { codes: [], tree: [], themes: [] } as unknown as CodingWorkspace, attributes: [] });
    expect(screen.queryByTestId('words-other-script')).toBeNull();
    expect(screen.getByTestId('words-basis')).toHaveTextContent(/English only/);
  });
});
