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

/** Questions whose first chunks are read before the rest of the directory: more than a screen shows. */
const FIRST_QUESTIONS = 16;
/** Chunks kept at least: a screen needs one per question shown (two where it spans a chunk's end). */
const MIN_CACHED_CHUNKS = 16;
/**
 * Chunks are read once the rows on screen have stayed for this long: a scrollbar dragged across 100k rows shows
 * new rows every frame, and reading (deserializing) their chunks then would only lengthen frames for rows already
 * gone. Their cells show `…` until the drag stops.
 */
const READ_AFTER_MS = 50;

export class GridState {
  /** True while the directory is being built (the grid shows its rows, the cells wait). */
  loading = $state(false);
  /** The directory holds every chunk: a cell it does not know has no answer (before, it may be still unread). */
  complete = $state(false);
  /** Where each answer is stored; null until the first open has read it. */
  directory = $state.raw<AnswerDirectory | null>(null);
  /** Bumped when chunks arrive: the cells on screen read their text again. */
  #arrived = $state(0);
  #chunks = new LruCache<string[]>(MIN_CACHED_CHUNKS);
  #wanted: ChunkRef[] = [];
  #reader: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The chunks last found missing, as one key. */
  #missingKeys = '';
  /** What the timer will read. */
  #due: ChunkRef[] | null = null;
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

  /**
   * Builds the directory of the open project's answers, once per project (until invalidated). The first chunk of
   * each of the first questions in each wave is read first and shown (the rows the grid opens on, when the project
   * was imported at once); then every chunk through the cursor, after which `complete` says that a row the
   * directory does not know has no answer.
   */
  async load() {
    const projectId = this.#project.projectId;
    const respondents = this.#project.respondents;
    if (!projectId || !respondents || this.#loadedFor === projectId) return;
    this.#loadedFor = projectId;
    const generation = ++this.#generation;
    this.loading = true;
    this.complete = false;
    this.directory = null;
    this.#missingKeys = '';
    this.#chunks.clear();
    const directory = new AnswerDirectory(respondents.ids.length);
    const positionOf = (id: string) => respondents.positionOf.get(id);
    let hint = 0;
    const add = (chunk: { questionId: string; waveId: string; index: number; respondentIds: string[] }) => {
      const { positions, next } = resolvePositions(chunk.respondentIds, respondents.ids, positionOf, hint);
      hint = next;
      directory.add(chunk.questionId, chunk.waveId, chunk.index, positions);
    };
    const overview = this.#project.overview;
    const firsts = (overview?.questions ?? [])
      .slice(0, FIRST_QUESTIONS)
      .flatMap((q) => (overview?.waves ?? []).map((w) => ({ questionId: q.id, waveId: w.id })));
    try {
      const read = await Promise.all(firsts.map((f) => loadAnswerChunk(this.#db(), projectId, f.questionId, f.waveId, 0)));
      if (generation !== this.#generation) return;
      read.forEach((chunk, i) => {
        if (!chunk) return;
        add({ ...firsts[i], index: 0, respondentIds: chunk.respondentIds });
        this.#chunks.set(chunkKey(firsts[i].questionId, firsts[i].waveId, 0), chunk.texts);
      });
      this.directory = directory;
      await eachAnswerChunk(this.#db(), projectId, (chunk) => {
        if (generation === this.#generation) add(chunk);
      });
    } catch (error) {
      // Unreadable storage: the grid shows the answers it could place, the others stay "…" (not "no answer"), and
      // the next open tries again.
      if (generation !== this.#generation) return;
      console.error('The survey grid could not read the answers', error);
      this.#loadedFor = null;
      this.directory = directory;
      this.loading = false;
      return;
    }
    if (generation !== this.#generation) return;
    this.directory = directory;
    this.complete = true;
    this.loading = false;
  }

  /** The project's data changed (an import): load again next time. */
  invalidate() {
    this.#loadedFor = null;
    this.#generation++;
    this.#chunks.clear();
    this.#wanted = [];
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = null;
    this.#missingKeys = '';
    this.directory = null;
    this.complete = false;
  }

  /**
   * The rows and questions on screen: their chunks are kept before older ones, and those not held are read once
   * the window has stayed READ_AFTER_MS (a window scrolled past before then is never read).
   */
  show(rows: readonly GridRow[], questionIds: readonly string[]) {
    // The directory fills in place while it is walked: a caller's effect must run again when it is whole, or rows
    // placed only by the walk would stay "…" until the next scroll.
    void this.complete;
    const directory = this.directory;
    if (!directory) return;
    const wanted = directory.chunksFor(rows, questionIds);
    this.#chunks.capacity = Math.max(MIN_CACHED_CHUNKS, wanted.length * 2);
    for (const ref of wanted) this.#chunks.get(chunkKey(ref.questionId, ref.waveId, ref.index));
    const missing = wanted.filter((ref) => !this.#chunks.has(chunkKey(ref.questionId, ref.waveId, ref.index)));
    // The same chunks still wanted (a steady scroll within them): the wait or the read under way goes on.
    const missingKeys = missing.map((ref) => chunkKey(ref.questionId, ref.waveId, ref.index)).join('\u001e');
    if (missingKeys === this.#missingKeys) return;
    this.#missingKeys = missingKeys;
    // A chunk being read finishes; the rest waits for this window to stay.
    this.#wanted = [];
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = null;
    if (missing.length === 0) return;
    this.#due = missing;
    this.#timer = setTimeout(() => this.#readNow(missing), READ_AFTER_MS);
  }

  #readNow(missing: ChunkRef[]) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = null;
    this.#wanted = missing;
    void this.#read();
  }

  /** Resolves once the chunks wanted so far are read (tests wait on it; the view just redraws as they arrive). */
  settled(): Promise<void> {
    if (this.#due) this.#readNow(this.#due);
    return this.#reader ?? Promise.resolve();
  }

  #read(): Promise<void> {
    this.#reader ??= this.#readWanted().finally(() => {
      this.#reader = null;
      // Wanted between the last chunk and here: read too.
      if (this.#wanted.length > 0 && this.#loadedFor) void this.#read();
      // Read (or failed): the same chunks wanted again later, once the cache let them go, are read again.
      else if (this.#due === null) this.#missingKeys = '';
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
    // The directory fills in place while it is read: its end redraws the cells.
    void this.complete;
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
