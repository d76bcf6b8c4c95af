/**
 * The codebook versions dialog's state: the stored versions and the rounds
 * that used them, saving a snapshot of the codebook now, and the diff between
 * two chosen versions with its exports.
 */
import { codebookDiffToCsv, codebookDiffToMarkdown, diffCodebookVersions, type CodebookChange } from '../codebook/version-diff';
import { database } from '../db/database';
import { loadCodebookVersions, loadRounds, saveCodebookVersion } from '../db/rounds';
import type { CodebenchDatabase } from '../db/schema';
import { storageFailureMessage } from '../db/write-failure';
import { newId, type Code, type CodebookVersion, type Round } from '../model/types';
import { sameCodebook, snapshotCodes } from '../rounds/codebook-snapshot';
import type { ExportFile } from './agreement.svelte';
import type { Notifications } from './notifications.svelte';

export class CodebookVersionsState {
  versions = $state.raw<CodebookVersion[]>([]);
  rounds = $state.raw<Round[]>([]);
  loaded = $state(false);
  saving = $state(false);
  /** Why the versions could not be read, or null. */
  error = $state<string | null>(null);
  olderId = $state<string | null>(null);
  newerId = $state<string | null>(null);

  #db: () => CodebenchDatabase;
  #notifications: Notifications;
  #projectId: string | null = null;

  constructor(notifications: Notifications, db: () => CodebenchDatabase = database) {
    this.#notifications = notifications;
    this.#db = db;
  }

  older = $derived(this.versions.find((v) => v.id === this.olderId) ?? null);
  newer = $derived(this.versions.find((v) => v.id === this.newerId) ?? null);

  /** The changes from the older chosen version to the newer; null until two are chosen. */
  changes = $derived.by((): CodebookChange[] | null => {
    const { older, newer } = this;
    return older && newer ? diffCodebookVersions(older.codes, newer.codes) : null;
  });

  /** The rounds coded with a version. */
  roundsUsing(versionId: string): Round[] {
    return this.rounds.filter((r) => r.codebookVersionId === versionId);
  }

  async load(projectId: string) {
    this.#projectId = projectId;
    try {
      const db = this.#db();
      const [versions, rounds] = await Promise.all([loadCodebookVersions(db, projectId), loadRounds(db, projectId)]);
      if (this.#projectId !== projectId) return;
      this.versions = versions;
      this.rounds = rounds;
      this.error = null;
      this.#chooseLatestPair();
    } catch (error) {
      this.error = `The codebook versions could not be read (${error instanceof Error ? error.message : String(error)}). Close and open this again.`;
    }
    this.loaded = true;
  }

  /** By default the two newest versions, so a version just saved shows what changed since the one before. */
  #chooseLatestPair() {
    const n = this.versions.length;
    if (!this.versions.some((v) => v.id === this.newerId)) this.newerId = n > 0 ? this.versions[n - 1].id : null;
    if (!this.versions.some((v) => v.id === this.olderId)) this.olderId = n > 1 ? this.versions[n - 2].id : this.newerId;
  }

  /**
   * Stores the codebook as it is now as the next version; false (with a message) when the write fails or the
   * codebook is the latest version's (an identical version would only make the diff between them empty).
   */
  async saveNow(projectId: string, codes: readonly Code[], createdBy: string, label: string): Promise<boolean> {
    if (this.saving) return false;
    const snapshot = snapshotCodes(codes.filter((c) => c.projectId === projectId));
    const latest = this.versions.reduce<CodebookVersion | null>((best, v) => (best === null || v.number > best.number ? v : best), null);
    if (latest && sameCodebook(latest.codes, snapshot)) {
      this.#notifications.info(`The codebook has not changed since version ${latest.number}.`, { key: 'codebook-version' });
      return false;
    }
    this.saving = true;
    const version: CodebookVersion = {
      projectId,
      id: newId(),
      number: this.versions.reduce((max, v) => Math.max(max, v.number), 0) + 1,
      label: label.trim(),
      createdAt: Date.now(),
      createdBy,
      codes: snapshot,
    };
    try {
      await saveCodebookVersion(this.#db(), version);
    } catch (error) {
      this.#notifications.error(storageFailureMessage(`Saving codebook version ${version.number}`, error), { key: 'codebook-version' });
      return false;
    } finally {
      this.saving = false;
    }
    this.olderId = this.versions.at(-1)?.id ?? version.id;
    this.newerId = version.id;
    this.versions = [...this.versions, version];
    this.#notifications.info(`Saved codebook version ${version.number} (${version.codes.length} codes).`, { key: 'codebook-version' });
    return true;
  }

  #fileName(ext: string): string {
    const { older, newer } = this;
    return `codebook-changes-v${older?.number ?? ''}-v${newer?.number ?? ''}.${ext}`;
  }

  diffMarkdown(): ExportFile | null {
    const { older, newer, changes } = this;
    if (!older || !newer || !changes) return null;
    return { filename: this.#fileName('md'), mime: 'text/markdown;charset=utf-8', text: codebookDiffToMarkdown(changes, older, newer) };
  }

  diffCsv(): ExportFile | null {
    const { changes } = this;
    if (!changes) return null;
    return { filename: this.#fileName('csv'), mime: 'text/csv;charset=utf-8', text: codebookDiffToCsv(changes) };
  }
}
