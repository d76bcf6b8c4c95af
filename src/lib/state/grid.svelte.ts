/**
 * The survey grid: one row per respondent and wave, one column per question,
 * the respondent's attributes pinned at the left. It needs every answer of the
 * project, loaded once when the grid is first shown.
 */
import { loadAllAnswers } from '../db/projects';
import type { CodebenchDatabase } from '../db/schema';
import { IdMap } from '../model/id-map';
import { nameKeyed, ownValue } from '../model/name-keyed';
import { ANSWER_ID_SEPARATOR } from '../model/types';
import { gridPrefsKey, parseGridPrefs, serializeGridPrefs, type GridPrefs } from '../grid/prefs';
import { clampWidth } from '../grid/columns';
import type { AnswerView } from './answer-view.svelte';
import type { ProjectState } from './project.svelte';

export interface GridRow {
  respondentId: string;
  waveId: string;
}

export class GridState {
  loading = $state(false);
  /**
   * `${respondentId}␟${waveId}` → questionId → text. An IdMap: 200k row keys
   * in a native Map would lengthen every GC pause while the project is open.
   */
  cells = $state.raw<IdMap<Record<string, string>>>(new IdMap());
  #loadedFor: string | null = null;
  #db: () => CodebenchDatabase;
  #project: ProjectState;
  #view: AnswerView;

  constructor(db: () => CodebenchDatabase, project: ProjectState, view: AnswerView) {
    this.#db = db;
    this.#project = project;
    this.#view = view;
  }

  async load() {
    const projectId = this.#project.projectId;
    if (!projectId || this.#loadedFor === projectId) return;
    this.loading = true;
    const chunks = await loadAllAnswers(this.#db(), projectId);
    const cells = new IdMap<Record<string, string>>();
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.texts.length; i++) {
        const key = `${chunk.respondentIds[i]}${ANSWER_ID_SEPARATOR}${chunk.waveId}`;
        let row = cells.get(key);
        // Null prototype: a question id may be "constructor".
        if (!row) cells.set(key, (row = nameKeyed()));
        row[chunk.questionId] = chunk.texts[i];
      }
    }
    this.cells = cells;
    this.#loadedFor = projectId;
    this.loading = false;
  }

  /** The project's data changed (an import): load again next time. */
  invalidate() {
    this.#loadedFor = null;
  }

  /** Respondent × wave rows, in respondent order, passing the wave and attribute filters. */
  rows = $derived.by(() => {
    const respondents = this.#project.respondents;
    const waves = this.#project.overview?.waves ?? [];
    if (!respondents) return [] as GridRow[];
    const { waveId, attributes } = this.#view.filter;
    const wanted = Object.entries(attributes).filter(([, value]) => value !== '');
    const rows: GridRow[] = [];
    for (let i = 0; i < respondents.ids.length; i++) {
      if (wanted.some(([name, value]) => (ownValue(respondents.attributes, name)?.[i] ?? '') !== value)) continue;
      for (const wave of waves) {
        if (waveId !== null && wave.id !== waveId) continue;
        if (respondents.waves[i].includes(wave.id)) rows.push({ respondentId: respondents.ids[i], waveId: wave.id });
      }
    }
    return rows;
  });

  /** Column widths, pinned attributes and grouping of the open project's grid (see usePrefs). */
  prefs = $state<GridPrefs>({ widths: {}, pinned: [], groupByWave: false });
  #prefsFor: string | null = null;

  /** Reads the project's grid set-up from localStorage once per project; `pinned` is pinned when none is stored. */
  usePrefs(projectId: string | null, pinned: string[]) {
    if (!projectId || this.#prefsFor === projectId) return;
    this.#prefsFor = projectId;
    let stored: string | null = null;
    try {
      stored = globalThis.localStorage?.getItem(gridPrefsKey(projectId)) ?? null;
    } catch {
      // Storage blocked (a private window's policy): the grid works with its defaults.
    }
    this.prefs = parseGridPrefs(stored, { widths: {}, pinned, groupByWave: false });
  }

  #save() {
    if (!this.#prefsFor) return;
    try {
      globalThis.localStorage?.setItem(gridPrefsKey(this.#prefsFor), serializeGridPrefs(this.prefs));
    } catch {
      // Full or blocked storage: the set-up lasts for this visit only.
    }
  }

  /** A question column's width; `save` false while a drag is under way (saved once at its end). */
  setWidth(questionId: string, width: number, fallback: number, save = true) {
    this.prefs.widths = { ...this.prefs.widths, [questionId]: clampWidth(width, fallback) };
    if (save) this.#save();
  }

  saveWidths() {
    this.#save();
  }

  setPinned(pinned: string[]) {
    this.prefs.pinned = pinned;
    this.#save();
  }

  setGroupByWave(on: boolean) {
    this.prefs.groupByWave = on;
    this.#save();
  }

  text(row: GridRow, questionId: string): string | undefined {
    return ownValue(this.cells.get(`${row.respondentId}${ANSWER_ID_SEPARATOR}${row.waveId}`), questionId);
  }
}
