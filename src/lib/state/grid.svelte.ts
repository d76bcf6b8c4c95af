/**
 * The survey grid: one row per respondent and wave, one column per question,
 * the respondent's attributes pinned at the left. It reads answers by window
 * of rows: on first open a directory of where each answer is stored (chunk by
 * chunk, one in memory at a time), then only the chunks that cover the rows
 * on screen, kept in a small least-recently-used cache.
 */
import { eachAnswerChunk, loadAnswerChunk } from '../db/projects';
import type { CodebenchDatabase } from '../db/schema';
import { ownValue } from '../model/name-keyed';
import { gridPrefsKey, parseGridPrefs, serializeGridPrefs, type GridPrefs } from '../grid/prefs';
import { clampWidth } from '../grid/columns';
import { AnswerDirectory, LruCache, chunkKey, resolvePositions, type ChunkRef } from '../grid/answer-window';
import type { AnswerView } from './answer-view.svelte';
import type { ProjectState } from './project.svelte';

export interface GridRow {
  respondentId: string;
  waveId: string;
  /** The respondent's position in the project's respondent table. */
  position: number;
}

/** Chunks kept at least: a screenful of rows × the questions on screen, twice over, fits many times. */
const MIN_CACHED_CHUNKS = 32;

export class GridState {
  /** True while the directory is being built (the grid shows its rows, the cells wait). */
  loading = $state(false);
  /** Where each answer is stored; null until the first open has read it. */
  directory = $state.raw<AnswerDirectory | null>(null);
  /** Bumped when chunks arrive: the cells on screen read their text again. */
  #arrived = $state(0);
  #chunks = new LruCache<string[]>(MIN_CACHED_CHUNKS);
  #wanted: ChunkRef[] = [];
  #reader: Promise<void> | null = null;
  #loadedFor: string | null = null;
  #generation = 0;
  #db: () => CodebenchDatabase;
  #project: ProjectState;
  #view: AnswerView;

  constructor(db: () => CodebenchDatabase, project: ProjectState, view: AnswerView) {
    this.#db = db;
    this.#project = project;
    this.#view = view;
  }

  /** Builds the directory of the open project's answers, once per project (until invalidated). */
  async load() {
    const projectId = this.#project.projectId;
    const respondents = this.#project.respondents;
    if (!projectId || !respondents || this.#loadedFor === projectId) return;
    this.#loadedFor = projectId;
    const generation = ++this.#generation;
    this.loading = true;
    this.directory = null;
    this.#chunks.clear();
    const directory = new AnswerDirectory(respondents.ids.length);
    const positionOf = (id: string) => respondents.positionOf.get(id);
    let hint = 0;
    try {
      await eachAnswerChunk(this.#db(), projectId, (chunk) => {
        const { positions, next } = resolvePositions(chunk.respondentIds, respondents.ids, positionOf, hint);
        hint = next;
        directory.add(chunk.questionId, chunk.waveId, chunk.index, positions);
      });
    } catch (error) {
      // Unreadable storage: the grid shows its rows with no answers rather than half a directory; the next open tries again.
      if (generation === this.#generation) this.#loadedFor = null;
      console.error('The survey grid could not read the answers', error);
    }
    if (generation !== this.#generation) return;
    this.directory = directory;
    this.loading = false;
    void this.#read();
  }

  /** The project's data changed (an import): load again next time. */
  invalidate() {
    this.#loadedFor = null;
    this.#generation++;
    this.#chunks.clear();
    this.#wanted = [];
    this.directory = null;
  }

  /**
   * The rows and questions on screen: their chunks are read (the latest window only; a window scrolled past while
   * a chunk was read is not read) and kept before older ones.
   */
  show(rows: readonly GridRow[], questionIds: readonly string[]) {
    const directory = this.directory;
    if (!directory) return;
    const wanted = directory.chunksFor(rows, questionIds);
    this.#chunks.capacity = Math.max(MIN_CACHED_CHUNKS, wanted.length * 2);
    for (const ref of wanted) this.#chunks.get(chunkKey(ref.questionId, ref.waveId, ref.index));
    this.#wanted = wanted.filter((ref) => !this.#chunks.has(chunkKey(ref.questionId, ref.waveId, ref.index)));
    void this.#read();
  }

  /** Resolves once the chunks wanted so far are read (tests wait on it; the view just redraws as they arrive). */
  settled(): Promise<void> {
    return this.#reader ?? Promise.resolve();
  }

  #read(): Promise<void> {
    this.#reader ??= this.#readWanted().finally(() => {
      this.#reader = null;
      // Wanted between the last chunk and here: read too.
      if (this.#wanted.length > 0 && this.#loadedFor) void this.#read();
    });
    return this.#reader;
  }

  /** Reads the wanted chunks one at a time, each its own task, so no frame waits for more than one chunk's texts. */
  async #readWanted() {
    for (;;) {
      const ref = this.#wanted.shift();
      const projectId = this.#loadedFor;
      if (!ref || !projectId) break;
      const key = chunkKey(ref.questionId, ref.waveId, ref.index);
      if (this.#chunks.has(key)) continue;
      const generation = this.#generation;
      let chunk: { texts: string[] } | undefined;
      try {
        chunk = await loadAnswerChunk(this.#db(), projectId, ref.questionId, ref.waveId, ref.index);
      } catch (error) {
        console.error('The survey grid could not read answers', error);
        continue;
      }
      if (generation !== this.#generation) continue;
      this.#chunks.set(key, chunk?.texts ?? []);
      this.#arrived++;
    }
  }

  /** Whether the row has an answer to the question (known from the directory, before its text is read). */
  has(row: GridRow, questionId: string): boolean {
    return this.directory?.has(questionId, row.waveId, row.position) ?? false;
  }

  /** The answer's text; undefined for no answer, and while its chunk is being read (see `has`). */
  text(row: GridRow, questionId: string): string | undefined {
    void this.#arrived;
    const at = this.directory?.locate(questionId, row.waveId, row.position);
    if (!at) return undefined;
    return this.#chunks.peek(chunkKey(questionId, row.waveId, at.index))?.[at.offset];
  }

  /** Chunks of text held now (for tests: the window, not the project). */
  get cachedChunks(): number {
    return this.#chunks.size;
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
        if (respondents.waves[i].includes(wave.id)) rows.push({ respondentId: respondents.ids[i], waveId: wave.id, position: i });
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
}
