/**
 * Team sync's code that needs Yjs, in one module the page loads only when a project has a team, or when the user
 * connects or joins one (state/sync.svelte.ts): Yjs, y-websocket and the sealing add ~30 KB gzip that the first
 * paint of every other user must not carry (tests/e2e/bundle-budget.e2e.ts).
 */
export { TeamSession } from './team-session';
export { externalChange, heldPushes } from './external-change';
export { describeConflict } from './conflicts';
export { fetchSharedAnswers, shareAnswers } from './answers-share';
export { seedFromProject } from './project-doc';
export { newTeamId, newTeamKey } from './crypto';
