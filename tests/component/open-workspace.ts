import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import type { CodebenchDatabase } from '../../src/lib/db/schema';

/** A coding workspace on `db`, opened on the project as `coder`, with its notifications. */
export async function openWorkspace(db: CodebenchDatabase, projectId: string, coder: { id: string; name: string; color: string }) {
  const coderState = new CoderState();
  coderState.current = { ...coder };
  const notifications = new Notifications();
  notifications.scope = projectId;
  const workspace = new CodingWorkspace(() => db, coderState, notifications);
  await workspace.load(projectId);
  return { workspace, notifications };
}
