/**
 * The project's primary coder: the one the Final coding set follows where
 * only one coder coded an answer or a disagreement is not yet adjudicated
 * (lib/coding/final-set.ts). Read with the project, chosen in the agreement
 * view, stored on the project record; a write that fails is said, and the
 * choice shown stays the stored one.
 */
import { primaryCoderOf } from '../coding/final-set';
import { setPrimaryCoder } from '../db/rounds';
import type { CodebenchDatabase } from '../db/schema';
import { storageFailureMessage } from '../db/write-failure';
import { CONSENSUS_CODER_ID, FINAL_CODER_ID, type Coder } from '../model/types';
import type { Notifications } from './notifications.svelte';

export class PrimaryCoderState {
  /** The stored choice (null: none, so the first coder listed). */
  chosen = $state<string | null>(null);
  saving = $state(false);
  #projectId: string | null = null;
  #db: () => CodebenchDatabase;
  #notifications: Notifications;
  #onChanged: () => void;

  /** `onChanged` is told after a choice is stored (the analysis re-reads the Final set). */
  constructor(db: () => CodebenchDatabase, notifications: Notifications, onChanged: () => void = () => {}) {
    this.#db = db;
    this.#notifications = notifications;
    this.#onChanged = onChanged;
  }

  /** Reads the project's choice. */
  async load(projectId: string): Promise<void> {
    this.#projectId = projectId;
    try {
      const project = await this.#db().projects.get(projectId);
      if (this.#projectId === projectId) this.chosen = project?.primaryCoderId ?? null;
    } catch {
      // Unread (the database may be closed): the default shows until the next read; choosing still works.
      if (this.#projectId === projectId) this.chosen = null;
    }
  }

  /** The primary coder in effect among these coders. */
  effective(coders: readonly Coder[]): string | null {
    return primaryCoderOf(
      coders.map((c) => c.id),
      this.chosen ?? undefined,
    );
  }

  /** Stores a new primary coder; false (and a message) when the browser refused it. */
  async choose(projectId: string, coderId: string, coderName: string): Promise<boolean> {
    if (coderId === CONSENSUS_CODER_ID || coderId === FINAL_CODER_ID) return false;
    this.saving = true;
    try {
      await setPrimaryCoder(this.#db(), projectId, coderId);
      if (this.#projectId === projectId || this.#projectId === null) this.chosen = coderId;
      this.#notifications.info(`${coderName} is now the primary coder: Final follows them where only one coder coded or a disagreement is open.`, {
        key: 'primary-coder',
      });
      this.#onChanged();
      return true;
    } catch (error) {
      this.#notifications.error(storageFailureMessage('Choosing the primary coder', error), { key: 'primary-coder' });
      return false;
    } finally {
      this.saving = false;
    }
  }
}
