/**
 * The side panel: the answers behind the table cell last opened, a page at a
 * time. Results carry counts, not ids, so the panel names the cell and the
 * worker works its answers out again.
 */
import type { AnswerRow, AnswerSelect, TransitionPair } from '../../workers/analysis-protocol';
import type { AnalysisConnection, FinalReply } from './analysis-connection.svelte';

export interface CellPanel {
  title: string;
  select: AnswerSelect;
  rows: AnswerRow[];
  /** Answers behind the cell (respondents, for a transition cell); null until the worker has answered. */
  total: number | null;
  /** A transition cell: each respondent's answers in the two waves, side by side (their rows are in `rows`). */
  pairs: TransitionPair[] | null;
  loading: boolean;
  error: string | null;
}

/** Answers listed per page in the side panel. */
export const CELL_PAGE = 100;

export class AnalysisCell {
  /** The answers behind the cell last opened, shown beside the tables. */
  cell = $state.raw<CellPanel | null>(null);

  #connection: AnalysisConnection;

  constructor(connection: AnalysisConnection) {
    this.#connection = connection;
  }

  /** Lists the answers behind a cell (or these answer ids) in the side panel. */
  openCell(title: string, select: AnswerSelect | string[]) {
    const chosen: AnswerSelect = Array.isArray(select) ? { kind: 'ids', answerIds: select } : select;
    this.cell = { title, select: chosen, rows: [], total: null, pairs: null, loading: true, error: null };
    this.#connection.send('cell', { type: 'answers', select: chosen, offset: 0, limit: CELL_PAGE }, '', (reply) => this.#receive(reply));
  }

  moreCell() {
    const cell = this.cell;
    const shown = cell?.pairs ? cell.pairs.length : (cell?.rows.length ?? 0);
    if (!cell || cell.loading || cell.total === null || shown >= cell.total) return;
    this.cell = { ...cell, loading: true };
    this.#connection.send('cell', { type: 'answers', select: cell.select, offset: shown, limit: CELL_PAGE }, '', (reply) => this.#receive(reply));
  }

  closeCell() {
    this.cell = null;
  }

  /** Cancel: the panel stays, without its spinner. */
  stopped() {
    if (this.cell?.loading) this.cell = { ...this.cell, loading: false };
  }

  #receive(reply: FinalReply) {
    const cell = this.cell;
    if (!cell) return;
    if (reply.type === 'error') {
      this.cell = { ...cell, loading: false, error: reply.message };
      return;
    }
    if (reply.type !== 'result' || reply.result.kind !== 'answers') return;
    const { result } = reply;
    const rows = result.offset === 0 ? result.rows : [...cell.rows, ...result.rows];
    const pairs = result.pairs ? (result.offset === 0 ? result.pairs : [...(cell.pairs ?? []), ...result.pairs]) : null;
    this.cell = { ...cell, rows, pairs, total: result.total, loading: false, error: null };
  }
}
