/**
 * How the open project's quotes are published: the role attribute pseudonyms are numbered by, the pseudonyms
 * themselves (given once, never renumbered, editable), the author's redaction list and the spans kept as they
 * are. Read with `load`, written through the named operations of db/write-up-store.ts; what is shown is what is
 * stored: a write the browser refuses leaves the state as it was and says so.
 */
import {
  completePseudonyms,
  emptyWriteUpSettings,
  keepDecision,
  labelProblem,
  pseudonymMap,
  pseudonymTable,
  roleAttributeOf,
  type PublishedSpan,
} from '../analysis/publishing';
import { loadWriteUp, savePseudonyms, saveWriteUpSettings } from '../db/write-up-store';
import type { CodebenchDatabase } from '../db/schema';
import type { ProjectOverview, RespondentTable } from '../db/projects';
import { storageFailureMessage } from '../db/write-failure';
import { ownValue } from '../model/name-keyed';
import type { PseudonymTable, WriteUpSettings } from '../model/types';
import type { Notifications } from './notifications.svelte';

/** What WriteUpState reads from the open project. */
export interface WriteUpProject {
  readonly overview: Pick<ProjectOverview, 'attributes'> | null;
  readonly respondents: Pick<RespondentTable, 'ids' | 'attributes'> | null;
}

export interface PseudonymRow {
  respondentId: string;
  role: string;
  label: string;
}

/** Rows the pseudonym panel lists at most; a search narrows the rest. */
export const PSEUDONYM_ROWS_SHOWN = 200;

export class WriteUpState {
  #db: () => CodebenchDatabase;
  #project: WriteUpProject;
  #notifications: Notifications;
  #onChanged: () => void;

  projectId = $state<string | null>(null);
  loaded = $state(false);
  settings = $state.raw<WriteUpSettings>(emptyWriteUpSettings());
  tables = $state.raw<PseudonymTable[]>([]);
  /** A write on its way: the controls wait for it. */
  saving = $state(false);
  /** The quote bank shows quotes as published (false) or as stored (true). Not stored: a way of looking. */
  showOriginal = $state(false);
  /** The pseudonym panel's search. */
  query = $state('');
  /** Bumped after every stored change, for whoever shows quotes to ask again. */
  revision = $state(0);

  /** `onChanged` is told after every stored change (the analysis worker reads the write-up again). */
  constructor(db: () => CodebenchDatabase, project: WriteUpProject, notifications: Notifications, onChanged: () => void = () => {}) {
    this.#db = db;
    this.#project = project;
    this.#notifications = notifications;
    this.#onChanged = onChanged;
  }

  /** The role attribute in force: the author's choice, else the likely one. */
  roleAttribute = $derived.by(() => roleAttributeOf(this.settings, this.#project.overview?.attributes ?? []));

  /** Every respondent's pseudonym under the role attribute in force (respondent id → label). Read only: copy to change. */
  pseudonyms = $derived(pseudonymMap(this.tables, this.roleAttribute));

  /** The panel's rows: respondent, role, label; filtered by the search (any of the three), at most PSEUDONYM_ROWS_SHOWN. */
  rows = $derived.by(() => this.#rows());

  #rows(): { rows: PseudonymRow[]; matching: number } {
    const respondents = this.#project.respondents;
    if (!respondents) return { rows: [], matching: 0 };
    const attribute = this.roleAttribute;
    const roles = attribute === null ? undefined : ownValue(respondents.attributes, attribute);
    const map = this.pseudonyms;
    const query = this.query.trim().toLowerCase();
    const rows: PseudonymRow[] = [];
    let matching = 0;
    for (let i = 0; i < respondents.ids.length; i++) {
      const row = { respondentId: respondents.ids[i], role: roles?.[i] ?? '', label: map.get(respondents.ids[i]) ?? '' };
      if (query && !`${row.respondentId}\u0000${row.role}\u0000${row.label}`.toLowerCase().includes(query)) continue;
      matching++;
      if (rows.length < PSEUDONYM_ROWS_SHOWN) rows.push(row);
    }
    return { rows, matching };
  }

  /** Reads the project's write-up, then labels anyone not labelled yet (stored at once, so labels hold after an import). */
  async load(projectId: string): Promise<void> {
    if (this.projectId !== projectId) {
      this.projectId = projectId;
      this.loaded = false;
      this.settings = emptyWriteUpSettings();
      this.tables = [];
    }
    try {
      const stored = await loadWriteUp(this.#db(), projectId);
      if (this.projectId !== projectId) return;
      this.settings = stored.settings;
      this.tables = stored.pseudonyms;
      this.loaded = true;
    } catch (error) {
      if (this.projectId === projectId)
        this.#notifications.error(`Reading how quotes are published failed: ${error instanceof Error ? error.message : String(error)}. Reload the page.`, {
          key: 'write-up',
        });
      return;
    }
    await this.ensurePseudonyms();
  }

  /**
   * Gives a pseudonym to every respondent without one under the role attribute in force and stores the table.
   * False when that write failed (said in a message); the labels shown are then still the stored ones.
   */
  async ensurePseudonyms(): Promise<boolean> {
    const projectId = this.projectId;
    const respondents = this.#project.respondents;
    if (!projectId || !respondents || !this.loaded) return true;
    const attribute = this.roleAttribute;
    const roles = attribute === null ? undefined : ownValue(respondents.attributes, attribute);
    const { map, changed } = completePseudonyms(respondents.ids, (i) => roles?.[i], this.pseudonyms);
    if (!changed) return true;
    // The likely role attribute becomes the chosen one once labels are given under it: an attribute imported later
    // that looks likelier must not switch everyone to other labels.
    if (this.settings.roleAttribute === undefined && !(await this.#saveSettings('Keeping the role attribute', { ...this.settings, roleAttribute: attribute })))
      return false;
    // Another project opened meanwhile: these labels were made from the old one's respondents, and its load gives its own.
    if (this.projectId !== projectId) return true;
    return this.#write('Giving respondents their pseudonyms', async () => {
      const table = pseudonymTable(attribute, map);
      await savePseudonyms(this.#db(), projectId, table);
      if (this.projectId === projectId) this.tables = [...this.tables.filter((t) => t.roleAttribute !== table.roleAttribute), table];
    });
  }

  /** Numbers pseudonyms by another attribute (null: none, "Respondent 7"); a table once given under it comes back. */
  async setRoleAttribute(attribute: string | null): Promise<boolean> {
    const stored = await this.#saveSettings('Choosing the role attribute', { ...this.settings, roleAttribute: attribute });
    return stored && (await this.ensurePseudonyms());
  }

  async setShowQuestion(show: boolean): Promise<boolean> {
    return this.#saveSettings('Naming the question in attributions', { ...this.settings, showQuestion: show });
  }

  /** Adds a word or name to the author's list (redacted wherever it appears as a whole word). */
  async addToList(word: string): Promise<boolean> {
    const clean = word.trim().replace(/\s+/g, ' ');
    if (clean === '') return false;
    if (this.settings.redactionList.some((w) => w.toLowerCase() === clean.toLowerCase())) {
      this.#notifications.info(`“${clean}” is already on your list.`, { key: 'write-up' });
      return false;
    }
    return this.#saveSettings(`Adding “${clean}” to your list`, { ...this.settings, redactionList: [...this.settings.redactionList, clean] });
  }

  async removeFromList(word: string): Promise<boolean> {
    return this.#saveSettings(`Removing “${word}” from your list`, { ...this.settings, redactionList: this.settings.redactionList.filter((w) => w !== word) });
  }

  /** True when the author kept this span of the answer as it is. */
  isKept(answerId: string, span: Pick<PublishedSpan, 'answerStart' | 'answerEnd'>): boolean {
    return this.settings.kept.some((k) => k.answerId === answerId && k.start === span.answerStart && k.end === span.answerEnd);
  }

  /** Keeps a found span as it is ("not personal"), or redacts it again. */
  async setKept(answerId: string, span: Pick<PublishedSpan, 'answerStart' | 'answerEnd'>, keep: boolean): Promise<boolean> {
    const others = this.settings.kept.filter((k) => !(k.answerId === answerId && k.start === span.answerStart && k.end === span.answerEnd));
    const kept = keep ? [...others, keepDecision(answerId, span)] : others;
    return this.#saveSettings(keep ? 'Keeping the text as it is' : 'Redacting the text again', { ...this.settings, kept });
  }

  /** Why a label cannot be given (null when it can). */
  labelProblem(respondentId: string, label: string): string | null {
    return labelProblem(this.pseudonyms, respondentId, label);
  }

  /** Gives a respondent another pseudonym; refused (with the reason) when blank or someone else's. */
  async rename(respondentId: string, label: string): Promise<string | null> {
    const projectId = this.projectId;
    if (!projectId) return 'No project is open.';
    const problem = this.labelProblem(respondentId, label);
    if (problem) return problem;
    const map = new Map(this.pseudonyms);
    if (map.get(respondentId) === label.trim()) return null;
    map.set(respondentId, label.trim());
    const table = pseudonymTable(this.roleAttribute, map);
    const stored = await this.#write('Changing the pseudonym', async () => {
      await savePseudonyms(this.#db(), projectId, table);
      // Stored for the project it was made in; the tables on screen are another project's once it changed.
      if (this.projectId === projectId) this.tables = [...this.tables.filter((t) => t.roleAttribute !== table.roleAttribute), table];
    });
    return stored ? null : 'Not saved: the browser refused the change (see the message above).';
  }

  async #saveSettings(action: string, next: WriteUpSettings): Promise<boolean> {
    const projectId = this.projectId;
    if (!projectId) return false;
    // A plain copy: the store must never be handed a reactive proxy.
    const plain = $state.snapshot(next) as WriteUpSettings;
    return this.#write(action, async () => {
      await saveWriteUpSettings(this.#db(), projectId, plain);
      if (this.projectId === projectId) this.settings = plain;
    });
  }

  async #write(action: string, write: () => Promise<void>): Promise<boolean> {
    this.saving = true;
    try {
      await write();
      this.revision++;
      this.#onChanged();
      return true;
    } catch (error) {
      this.#notifications.error(storageFailureMessage(action, error), { key: 'write-up' });
      return false;
    } finally {
      this.saving = false;
    }
  }
}
