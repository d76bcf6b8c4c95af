/** The list of projects on this machine, and the operations on it. */
import { deleteProject, listProjects, renameProject } from '../db/projects';
import type { CodebenchDatabase } from '../db/schema';
import type { Project } from '../model/types';
import { describeRoom } from '../db/storage-room';
import { failureAdvice, failureReason, isStorageFailure } from '../db/write-failure';

export class ProjectsState {
  projects = $state<Project[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  #db: () => CodebenchDatabase;

  constructor(db: () => CodebenchDatabase) {
    this.#db = db;
  }

  /** How much room the browser has left for the projects ("About 812 MB free…"), when it says. */
  room = $state<string | null>(null);

  async refresh() {
    this.projects = await listProjects(this.#db());
    this.loaded = true;
    void this.measureRoom();
  }

  async measureRoom() {
    try {
      this.room = describeRoom(await globalThis.navigator?.storage?.estimate?.());
    } catch {
      this.room = null;
    }
  }

  async rename(projectId: string, name: string): Promise<boolean> {
    try {
      await renameProject(this.#db(), projectId, name);
      this.error = null;
      await this.refresh();
      return true;
    } catch (error) {
      this.error = isStorageFailure(error) ? `The name was not saved: ${failureReason(error)}. ${failureAdvice(error, 'try again')}` : (error as Error).message;
      return false;
    }
  }

  /** Deletes a project; false (with `error` saying why) when the database refuses. */
  async remove(projectId: string): Promise<boolean> {
    try {
      await deleteProject(this.#db(), projectId);
    } catch (error) {
      this.error = `The project was not deleted: ${failureReason(error)}. ${failureAdvice(error, 'try again')}`;
      return false;
    }
    await this.refresh();
    return true;
  }
}
