import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AnswerRow from '../../src/ui/project/answer-row.svelte';
import type { Code, Coding } from '../../src/lib/model/types';
import { answerId as makeAnswerId } from '../../src/lib/model/types';

const PROJECT = 'p1';
const ANSWER = makeAnswerId('q-mentor', 'baseline', 'R07');

function code(id: string, name: string, color: string): Code {
  return { projectId: PROJECT, id, parentId: null, name, color, definition: '', inclusion: '', exclusion: '', example: '', order: 0 };
}

const positive = code('c-pos', 'Positive', '#1f78b4');
const negative = code('c-neg', 'Negative', '#e31a1c');
const codeById = new Map([positive, negative].map((c) => [c.id, c]));
const coders: Record<string, string> = { ana: 'Ana', bo: 'Bo' };

let seq = 0;
function coding(codeId: string, start: number | null, end: number | null, coderId = 'ana', id = `k${++seq}`): Coding {
  return { projectId: PROJECT, id, answerId: ANSWER, codeId, coderId, start, end, createdAt: seq };
}

function setup(text: string, codings: Coding[], extra: Partial<Record<string, unknown>> = {}) {
  const props = {
    row: { position: 0, respondentId: 'R07', waveId: 'baseline', text },
    answerId: ANSWER,
    waveName: 'Baseline',
    attributes: [
      ['role', 'mentee'],
      ['year', '2'],
    ] as [string, string][],
    codings,
    codeById,
    coderName: (id: string) => coders[id] ?? 'Someone',
    focused: false,
    onfocus: vi.fn(),
    onselect: vi.fn(),
    onremove: vi.fn(),
    ...extra,
  };
  const result = render(AnswerRow, props);
  return { ...result, props, text: screen.getByTestId('answer-text') };
}

const highlights = () => screen.queryAllByTestId('highlight');

describe('AnswerRow', () => {
  it('shows the respondent, the wave and attribute chips (a number gets its attribute name)', () => {
    const { props } = setup('plain', []);
    const row = screen.getByTestId('answer');
    expect(row).toHaveAttribute('aria-label', 'Answer of R07, Baseline');
    expect(row).toHaveAttribute('data-answer-id', ANSWER);
    expect(screen.getByTestId('answer-respondent').textContent).toBe('R07');
    expect(within(row).getByText('Baseline')).toHaveClass('chip');
    expect(within(row).getByTitle('role').textContent).toBe('mentee');
    expect(within(row).getByTitle('year').textContent).toBe('year 2');
    expect(row).not.toHaveClass('focused');
    // No codings: no list of codes at all.
    expect(screen.queryByRole('list', { name: 'Codes on this answer' })).toBeNull();
    expect(props.onremove).not.toHaveBeenCalled();
  });

  it('marks the focused answer and reports focus with its id', async () => {
    const { props } = setup('plain', [], { focused: true });
    const row = screen.getByTestId('answer');
    expect(row).toHaveClass('focused');
    row.focus();
    expect(props.onfocus).toHaveBeenCalledWith(ANSWER);
  });

  it('renders markup in the answer as text, creating no elements', () => {
    const text = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & <b>bold</b> mentor';
    const alert = vi.spyOn(window, 'alert').mockImplementation(() => undefined);
    // A coding over the markup itself: highlighted text must stay text too.
    const { text: p } = setup(text, [coding(positive.id, 0, 25), coding(negative.id, null, null)]);
    expect(p.textContent).toBe(text);
    expect(p.querySelector('script, img, b')).toBeNull();
    expect(document.querySelector('[data-testid="answer"] script, [data-testid="answer"] img, [data-testid="answer"] b')).toBeNull();
    // Only the highlight span is an element inside the text.
    expect([...p.querySelectorAll('*')].map((el) => el.tagName)).toEqual(['SPAN']);
    expect(highlights()[0].textContent).toBe('<script>alert(1)</script>');
    // The chip's excerpt is text as well.
    expect(screen.getAllByTestId('coding-chip')[0].textContent).toContain('“<script>alert(1)</script>”');
    expect(alert).not.toHaveBeenCalled();
    alert.mockRestore();
  });

  it('highlights a span coding, naming the code and the coder in its title', () => {
    const text = 'My mentor was a good listener.';
    setup(text, [coding(positive.id, 16, 29, 'bo')]);
    const [mark] = highlights();
    expect(highlights()).toHaveLength(1);
    expect(mark.textContent).toBe('good listener');
    expect(mark).toHaveAttribute('title', 'Positive (Bo)');
    expect(mark).toHaveAttribute('data-codes', positive.id);
    // (jsdom's CSS parser drops the gradient/color-mix background, so the highlight colour is checked on the chip's swatch.)
    expect((screen.getByTestId('coding-chip').querySelector('.swatch') as HTMLElement).style.background).toBe('rgb(31, 120, 180)');
    expect(screen.getByTestId('answer-text').textContent).toBe(text);
  });

  it('splits overlapping spans of two codes into segments; the shared one names both', () => {
    const text = 'good support but too little time';
    //            0123456789012345678901234567890
    // Positive: "good support but" [0,16); Negative: "but too little" [13,27)
    setup(text, [coding(positive.id, 0, 16, 'ana', 'a'), coding(negative.id, 13, 27, 'bo', 'b')]);
    const marks = highlights();
    expect(marks.map((m) => m.textContent)).toEqual(['good support ', 'but', ' too little']);
    expect(marks.map((m) => m.getAttribute('title'))).toEqual(['Positive (Ana)', 'Positive (Ana), Negative (Bo)', 'Negative (Bo)']);
    expect(marks.map((m) => m.dataset.codes)).toEqual([positive.id, `${positive.id} ${negative.id}`, negative.id]);
    // Every code adds a 3px stripe: the shared segment makes room for two.
    expect(marks.map((m) => m.style.paddingBottom)).toEqual(['3px', '6px', '3px']);
    expect(screen.getByTestId('answer-text').textContent).toBe(text);
  });

  it('shows whole-answer codings as chips saying “whole answer”, with no highlight', () => {
    setup('Everything was fine.', [coding(positive.id, null, null, 'ana'), coding(negative.id, null, null, 'bo')]);
    expect(highlights()).toHaveLength(0);
    const chips = screen.getAllByTestId('coding-chip');
    expect(chips.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Positive whole answer · Ana ×', 'Negative whole answer · Bo ×']);
    expect(chips.map((c) => c.dataset.codeId)).toEqual([positive.id, negative.id]);
    expect(screen.getByRole('list', { name: 'Codes on this answer' })).toBeInTheDocument();
  });

  it('quotes the coded passage in a span chip, shortening a long one', () => {
    const long = 'x'.repeat(45);
    setup(`A ${long} B`, [coding(positive.id, 0, 1), coding(negative.id, 2, 47)]);
    const details = screen.getAllByTestId('coding-chip').map((c) => c.querySelector('.detail')!.textContent);
    expect(details).toEqual(['“A” · Ana', `“${'x'.repeat(40)}…” · Ana`]);
  });

  it('the remove button calls onremove with the coding id', async () => {
    const user = userEvent.setup();
    const whole = coding(positive.id, null, null, 'ana', 'whole-1');
    const span = coding(negative.id, 0, 4, 'ana', 'span-1');
    const { props } = setup('good day', [whole, span]);
    await user.click(screen.getByRole('button', { name: 'Remove Positive (whole answer)' }));
    expect(props.onremove).toHaveBeenCalledTimes(1);
    expect(props.onremove).toHaveBeenLastCalledWith('whole-1');
    await user.click(screen.getByRole('button', { name: 'Remove Negative (“good”)' }));
    expect(props.onremove).toHaveBeenCalledTimes(2);
    expect(props.onremove).toHaveBeenLastCalledWith('span-1');
    expect(props.onselect).not.toHaveBeenCalled();
  });

  it('marks a chip’s highlight active while the chip is hovered or its remove button focused', async () => {
    setup('good day, bad night', [coding(positive.id, 0, 8, 'ana', 'p'), coding(negative.id, 10, 19, 'ana', 'n')]);
    const [good, bad] = highlights();
    const [, negChip] = screen.getAllByTestId('coding-chip');
    expect(good).not.toHaveClass('active');
    await fireEvent.mouseEnter(negChip);
    expect(bad).toHaveClass('active');
    expect(good).not.toHaveClass('active');
    await fireEvent.mouseLeave(negChip);
    expect(bad).not.toHaveClass('active');

    const removeGood = screen.getByRole('button', { name: 'Remove Positive (“good day”)' });
    await fireEvent.focus(removeGood);
    expect(good).toHaveClass('active');
    await fireEvent.blur(removeGood);
    expect(good).not.toHaveClass('active');
  });

  it('counts stored offsets in code points: emoji before a span do not shift it', () => {
    const text = '😀 good mentor';
    setup(text, [coding(positive.id, 2, 6)]);
    const [mark] = highlights();
    expect(mark.textContent).toBe('good');
    expect(screen.getByTestId('answer-text').textContent).toBe(text);
    expect(screen.getByTestId('coding-chip').querySelector('.detail')!.textContent).toBe('“good” · Ana');
  });

  it('keeps emoji inside and around spans whole', () => {
    // Code points: 👩🏽 is two (woman + skin tone), each two UTF-16 units.
    const text = 'A 👩🏽‍🔬 said 🙂 thanks 🎉!';
    const chars = [...text];
    const start = chars.indexOf('s'); // "said 🙂 thanks"
    const end = chars.indexOf('🎉') - 1;
    setup(text, [coding(positive.id, start, end), coding(negative.id, chars.indexOf('🎉'), chars.length)]);
    const marks = highlights();
    expect(marks.map((m) => m.textContent)).toEqual(['said 🙂 thanks', '🎉!']);
    expect(screen.getByTestId('answer-text').textContent).toBe(text);
  });

  it('reports a mouse selection and a Shift+arrow selection, but not plain key presses', async () => {
    const text = 'good mentor';
    const { props, text: p } = setup(text, []);
    await fireEvent.mouseUp(p);
    expect(props.onselect).toHaveBeenCalledTimes(1);
    const [id, passed, element, event] = props.onselect.mock.calls[0];
    expect([id, passed, element]).toEqual([ANSWER, text, p]);
    expect(event).toBeInstanceOf(MouseEvent);
    await fireEvent.keyUp(p, { key: 'ArrowRight' });
    expect(props.onselect).toHaveBeenCalledTimes(1);
    await fireEvent.keyUp(p, { key: 'ArrowRight', shiftKey: true });
    expect(props.onselect).toHaveBeenCalledTimes(2);
    expect(props.onselect.mock.calls[1][3]).toBeInstanceOf(KeyboardEvent);
  });

  it('names a coding whose code is gone “Unknown code” rather than failing', () => {
    setup('orphaned passage', [coding('deleted-code', 0, 8, 'zed', 'o')]);
    const [mark] = highlights();
    expect(mark).toHaveAttribute('title', 'Unknown code (Someone)');
    expect((screen.getByTestId('coding-chip').querySelector('.swatch') as HTMLElement).style.background).toBe('rgb(136, 136, 136)');
    expect(screen.getByTestId('coding-chip').textContent).toContain('Unknown code');
    expect(screen.getByRole('button', { name: 'Remove code (“orphaned”)' })).toBeInTheDocument();
  });

  it('updates highlights and chips when the codings change', async () => {
    const first = coding(positive.id, 0, 4, 'ana', 'one');
    const { rerender } = setup('good day', [first]);
    expect(highlights()).toHaveLength(1);
    await rerender({ codings: [first, coding(negative.id, null, null, 'bo', 'two')] });
    expect(screen.getAllByTestId('coding-chip')).toHaveLength(2);
    await rerender({ codings: [] });
    expect(highlights()).toHaveLength(0);
    expect(screen.queryAllByTestId('coding-chip')).toHaveLength(0);
    expect(screen.getByTestId('answer-text').textContent).toBe('good day');
  });
});
