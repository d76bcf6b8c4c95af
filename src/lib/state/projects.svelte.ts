/** The list of projects on this machine, and the operations on it. */
import { deleteProject, listProjects, renameProject } from '../db/projects';
import type { CodebenchDatabase } from '../db/schema';
import type { Project } from '../model/types';

export class ProjectsState {
  projects = $state<Project[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  #db: () => CodebenchDatabase;

  constructor(db: () => CodebenchDatabase) {
    this.#db = db;
  }

  async refresh() {
    this.projects = await listProjects(this.#db());
    this.loaded = true;
  }

  async rename(projectId: string, name: string): Promise<boolean> {
    try {
      await renameProject(this.#db(), projectId, name);
      this.error = null;
      await this.refresh();
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    }
  }

  async remove(projectId: string) {
    await deleteProject(this.#db(), projectId);
    await this.refresh();
  }
}
