/**
 * Team sync for the open project (issue 17, docs/sync.md): the team it belongs to, the connection, who is online,
 * and the bridge between the team's spaces (lib/sync/team-session.ts) and the project's stores.
 *
 * - Out: every local write the workspace stores is told here (CodingWorkspace.onStored) and written into the
 *   spaces; rounds, codebook versions, coders and the primary coder are compared with what the team last had
 *   (`#pushHeld`), so every way they are written reaches the team.
 * - In: the team's state is materialized, compared with what was last taken in (the baseline) and the difference
 *   written in one transaction (db/sync-store.ts), then shown (CodingWorkspace.applyExternal). A write that fails
 *   is tried again from the same baseline: nothing is half-taken.
 */
import type { CodebenchDatabase, TeamRecord } from '../db/schema';
import { forgetTeam, loadOutbox, loadSpaceStates, loadTeam, removeFromOutbox, saveSpaceStates, saveTeam, writeExternalChange } from '../db/sync-store';
import { readHeldState } from '../db/sync-held';
import type { SyncConflict } from '../sync/conflicts';
import type { SyncedState } from '../sync/materialize';
import type { Peer, TeamSession, TeamStatus } from '../sync/team-session';
import { formatInvite, parseInvite, relayUrlProblem, type Invite } from '../sync/invite-link';

/** Yjs and the rest of the sync stack, loaded on first use (see lib/sync/runtime.ts). */
type SyncRuntime = typeof import('../sync/runtime');
let runtimeLoading: Promise<SyncRuntime> | null = null;
const loadRuntime = (): Promise<SyncRuntime> => (runtimeLoading ??= import('../sync/runtime'));
import type { CodingWorkspace } from './coding.svelte';
import type { CoderState } from './coder.svelte';
import type { Notifications } from './notifications.svelte';

export interface SyncHooks {
  /** The bytes of the file a joining coder starts from (answers and codebook, no one's codings). */
  exportAnswers: (projectId: string) => Promise<Uint8Array>;
  /** Opens such a file as a new project; resolves once it is restored (the app routes to it). */
  openAnswers: (bytes: Uint8Array, invite: Invite) => void;
  /** Rounds, versions or the primary coder arrived: read them again. */
  onHeldChanged: (projectId: string) => void;
  /** The app's address, for invitation links. */
  appUrl: () => string;
}

export class SyncState {
  team = $state.raw<TeamRecord | null>(null);
  status = $state<TeamStatus | 'off'>('off');
  peers = $state.raw<Peer[]>([]);
  /** What could not be merged silently, in words, newest first. */
  conflicts = $state.raw<string[]>([]);
  /** Blind coders and whether the lead revealed them (coder id → revealed at, null while blind). */
  blindCoders = $state.raw<Map<string, number | null>>(new Map());
  /** What the team dialog is doing ("Sharing the answers…"), and its last message. */
  phase = $state('');
  message = $state<{ text: string; tone: 'info' | 'error' } | null>(null);
  /** An invitation being joined: its project is being restored. */
  pendingJoin = $state.raw<Invite | null>(null);
  /** When the team's changes were last taken in (for "Last synced"). */
  lastTakenAt = $state<number | null>(null);

  #db: () => CodebenchDatabase;
  #workspace: CodingWorkspace;
  #coder: CoderState;
  #notifications: Notifications;
  #hooks: SyncHooks;
  #projectId: string | null = null;
  #session: TeamSession | null = null;
  /** Loaded with the first session (every use of it below runs while a session exists). */
  #runtime: SyncRuntime | null = null;
  /** What was last taken in from (or sent to) the team: the difference from it is what changed. */
  #baseline: SyncedState | null = null;
  #taking: Promise<void> = Promise.resolve();
  #latest: SyncedState | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #pushTimer: ReturnType<typeof setTimeout> | null = null;
  #presence: { questionId: string | null } = { questionId: null };

  constructor(db: () => CodebenchDatabase, workspace: CodingWorkspace, coder: CoderState, notifications: Notifications, hooks: SyncHooks) {
    this.#db = db;
    this.#workspace = workspace;
    this.#coder = coder;
    this.#notifications = notifications;
    this.#hooks = hooks;
    workspace.onStored = (projectId) => this.#sent(projectId);
  }

  get projectId(): string | null {
    return this.#projectId;
  }

  /** Follows the open project: its team's session, if it has one. */
  async open(projectId: string) {
    if (this.#projectId === projectId) return;
    await this.close();
    this.#projectId = projectId;
    let team: TeamRecord | undefined;
    try {
      team = await loadTeam(this.#db(), projectId);
    } catch {
      team = undefined;
    }
    if (this.#projectId !== projectId || !team) return;
    await this.#start(team);
  }

  async close() {
    const session = this.#session;
    this.#session = null;
    this.#projectId = null;
    this.#baseline = null;
    this.team = null;
    this.status = 'off';
    this.peers = [];
    this.conflicts = [];
    this.#standing = [];
    this.#overwritten = [];
    this.#told = new Set();
    this.blindCoders = new Map();
    if (this.#retry !== null) clearTimeout(this.#retry);
    if (this.#pushTimer !== null) clearTimeout(this.#pushTimer);
    await session?.close();
  }

  async #start(team: TeamRecord) {
    const db = this.#db();
    const projectId = team.projectId;
    this.team = team;
    this.status = team.paused ? 'paused' : 'connecting';
    const persisted = await loadSpaceStates(db, projectId);
    const runtime = await loadRuntime();
    this.#runtime = runtime;
    if (this.#projectId !== projectId) return;
    const session = await runtime.TeamSession.open({
      teamKey: team.key,
      relayUrl: team.relayUrl,
      coderId: team.coderId,
      role: team.role,
      persisted,
      paused: team.paused,
      blindRoundId: team.roundId ?? null,
      save: (states) => saveSpaceStates(this.#db(), projectId, states),
      onChange: (state) => this.#arrived(projectId, state),
      onStatus: (status) => {
        if (this.#projectId === projectId) this.status = status;
      },
      onPresence: (peers) => {
        if (this.#projectId === projectId) this.peers = peers;
      },
      onConflict: (conflict) => this.#conflict(conflict),
      onError: (text) => this.#notifications.error(text, { projectId, key: 'sync-error' }),
    });
    if (this.#projectId !== projectId) {
      await session.close();
      return;
    }
    this.#session = session;
    this.status = session.status;
    this.#sayWhere();
    // What a reload or a crash left unsent.
    this.#drainSoon();
  }

  // ---------------------------------------------------------------------------
  // Out: what this browser stored

  #sent(projectId: string) {
    if (!this.#session || projectId !== this.#projectId) return;
    this.#drainSoon();
  }

  #drainTimer: ReturnType<typeof setTimeout> | null = null;
  #draining: Promise<void> = Promise.resolve();

  #drainSoon() {
    if (this.#drainTimer !== null) return;
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = null;
      this.#draining = this.#draining.then(() => this.#drain()).catch(() => undefined);
    }, 20);
  }

  /**
   * Sends what the outbox holds (every local write of this project, kept in its own transaction: db/coding-store.ts)
   * and empties it once the spaces hold it sealed and kept. After a reload or a crash, what was not yet sent is sent
   * at the start, so no local write is lost for the team; sending one twice changes nothing.
   */
  async #drain() {
    const session = this.#session;
    const projectId = this.#projectId;
    if (!session || !projectId) return;
    const db = this.#db();
    const records = await loadOutbox(db, projectId);
    if (records.length === 0) return;
    for (const record of records) {
      const { write } = record;
      session.write({
        change: write.change,
        memo: write.memo ? stripProject(write.memo) : undefined,
        memoDeleted: write.memoDeleted,
        coder: write.coder ? stripProject(write.coder) : undefined,
      });
    }
    // Throws when the sealed state could not be kept: the records then stay, and go again with the next write.
    await session.flush();
    if (this.#session !== session) return;
    await removeFromOutbox(
      db,
      records.map((r) => r.seq!),
    );
  }

  /**
   * Rounds, versions, the primary coder or a coder file's merge changed what is held here, outside the outbox: sent
   * a moment later, by comparing the whole project (rare acts, so a whole read is affordable; codings never come
   * this way).
   */
  heldChanged() {
    this.#pushHeldSoon();
  }

  #pushHeldSoon() {
    if (this.#pushTimer !== null) clearTimeout(this.#pushTimer);
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = null;
      void this.#pushHeld();
    }, 250);
  }

  /** Writes into the spaces what this browser holds and the team does not (never deletes the team's work). */
  async #pushHeld() {
    const session = this.#session;
    const projectId = this.#projectId;
    if (!session || !projectId || !this.#readyToTake(session)) return;
    await this.#serial(async () => {
      const baseline = this.#baseline;
      // Nothing taken in yet: what is here is compared once the team's state has been.
      if (!baseline) return;
      const held = await readHeldState(this.#db(), projectId);
      const pushes = this.#runtime!.heldPushes(baseline, session.materialize(), held);
      if (pushes.empty) return;
      await session.writeAsHeld(pushes.coderIds, (docs) => pushes.write(docs));
    });
  }

  // ---------------------------------------------------------------------------
  // In: what the team changed

  /** The shared space has come from the lead (or was kept here): until then an empty state means nothing. */
  #readyToTake(session: TeamSession): boolean {
    return session.shared.getMap('project').get('name') !== undefined;
  }

  #arrived(projectId: string, state: SyncedState) {
    if (projectId !== this.#projectId || !this.#session || !this.#readyToTake(this.#session)) return;
    this.#latest = state;
    this.blindCoders = new Map([...state.blind].map(([id, b]) => [id, b.revealedAt]));
    // The state's conflicts stand until someone settles them (a merge of two "Empathy" codes): shown while they do.
    this.#standing = state.conflicts.map((c) => this.#describe(c));
    this.#showConflicts();
    void this.#serial(() => this.#takeIn(projectId));
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const next = this.#taking.then(task, task);
    this.#taking = next.catch(() => undefined);
    return next;
  }

  async #takeIn(projectId: string) {
    const state = this.#latest;
    const session = this.#session;
    if (!state || !session || projectId !== this.#projectId) return;
    this.#latest = null;
    const before = this.#baseline ?? (await readHeldState(this.#db(), projectId));
    const external = this.#runtime!.externalChange(projectId, before, state);
    if (external.empty) {
      this.#baseline = state;
      this.lastTakenAt = Date.now();
      return;
    }
    const stored = await this.#workspace.applyExternal(projectId, external.change, (db) => writeExternalChange(db, projectId, external.change));
    if (!stored) {
      // Tried again from the same baseline with whatever is newest then.
      this.#latest ??= state;
      if (this.#retry === null) {
        this.#retry = setTimeout(() => {
          this.#retry = null;
          void this.#serial(() => this.#takeIn(projectId));
        }, 2000);
      }
      return;
    }
    this.#baseline = state;
    this.lastTakenAt = Date.now();
    if (external.heldChanged) this.#hooks.onHeldChanged(projectId);
  }

  /** Conflicts the team's state holds now, and edits of this browser's overwritten meanwhile (this visit). */
  #standing: string[] = [];
  #overwritten: string[] = [];
  /** Conflicts already told in the notification area, so a standing one is told once. */
  #told = new Set<string>();

  #describe(conflict: SyncConflict): string {
    return this.#runtime!.describeConflict(conflict, {
      code: (id: string) => this.#workspace.codes.find((c) => c.id === id)?.name ?? 'a code',
      coder: (id: string) => (id === this.#coder.current?.id ? 'you' : (this.#workspace.coders.find((c) => c.id === id)?.name ?? 'another coder')),
    });
  }

  #conflict(conflict: SyncConflict) {
    const text = this.#describe(conflict);
    this.#overwritten = [text, ...this.#overwritten.filter((t) => t !== text)].slice(0, 20);
    this.#showConflicts();
  }

  #showConflicts() {
    this.conflicts = [...this.#overwritten, ...this.#standing.filter((t) => !this.#overwritten.includes(t))];
    const fresh = this.conflicts.filter((t) => !this.#told.has(t));
    for (const text of fresh) this.#told.add(text);
    if (fresh.length > 0 && this.#projectId) {
      const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more in the Team dialog)` : '';
      this.#notifications.notify(`${fresh[0]}${more}`, { tone: 'warning', projectId: this.#projectId, key: 'sync-conflict' });
    }
  }

  // ---------------------------------------------------------------------------
  // The lead: a team for this project

  /** Connects this project to a relay as its lead: its codebook and work go into the spaces, its answers are shared once. */
  async createTeam(projectId: string, relayUrl: string): Promise<boolean> {
    const problem = relayUrlProblem(relayUrl.trim());
    if (problem) {
      this.message = { text: problem, tone: 'error' };
      return false;
    }
    const coder = this.#coder.current;
    if (!coder) {
      this.message = { text: 'Choose who is coding first: the team knows you by that name.', tone: 'error' };
      return false;
    }
    this.message = null;
    try {
      this.phase = 'Preparing the answers to share…';
      const { newTeamId, newTeamKey, seedFromProject, shareAnswers } = await loadRuntime();
      const answers = await this.#hooks.exportAnswers(projectId);
      const team: TeamRecord = {
        projectId,
        teamId: newTeamId(),
        relayUrl: relayUrl.trim(),
        key: newTeamKey(),
        role: 'lead',
        coderId: coder.id,
        joinedAt: Date.now(),
      };
      // Shared before the team is kept: a relay that does not answer leaves no team behind, and Connect can be tried
      // again, rather than a team whose coders could never join.
      this.phase = 'Sharing the answers (encrypted)…';
      await shareAnswers({ teamKey: team.key, relayUrl: team.relayUrl, bytes: answers });
      const session = await this.#begin(team);
      if (!session) return false;
      this.phase = 'Putting the codebook and the coding into the team’s spaces…';
      const held = await readHeldState(this.#db(), projectId);
      const project = await this.#db().projects.get(projectId);
      await session.writeAsHeld([...held.codings.map((c) => c.coderId), ...held.memos.map((m) => m.coderId), ...held.coders.map((c) => c.id)], (docs) =>
        seedFromProject(docs, { ...held, project: { ...held.project, name: project?.name ?? 'Project' } }),
      );
      await session.flush();
      this.phase = '';
      this.message = { text: 'Connected. Invite coders with a link: it carries the team key, so send it privately.', tone: 'info' };
      return true;
    } catch (error) {
      this.phase = '';
      this.message = { text: `The project could not be connected: ${(error as Error).message}`, tone: 'error' };
      return false;
    }
  }

  /** An invitation link: a member sees everyone's coding; a blind coder codes the round blind until revealed. */
  async inviteLink(role: 'member' | 'blind', roundId: string | null): Promise<string | null> {
    const team = this.team;
    const projectId = this.#projectId;
    if (!team || !projectId) return null;
    const project = await this.#db().projects.get(projectId);
    return formatInvite(this.#hooks.appUrl(), {
      version: 1,
      relayUrl: team.relayUrl,
      teamId: team.teamId,
      key: team.key,
      projectName: project?.name ?? 'Project',
      role,
      ...(roundId ? { roundId } : {}),
    });
  }

  /** The lead reveals the blind coders: everyone's clients then receive their spaces. */
  reveal() {
    this.#session?.reveal('all');
    this.message = { text: 'Revealed: every coder’s work now reaches the team, and agreement can be computed.', tone: 'info' };
  }

  // ---------------------------------------------------------------------------
  // A coder: joining from an invitation

  /** Reads an invitation (a link or its text) and fetches the shared answers; the app opens them as a project. */
  async join(text: string): Promise<boolean> {
    let invite: Invite;
    try {
      invite = parseInvite(text.trim());
    } catch (error) {
      this.message = { text: (error as Error).message, tone: 'error' };
      return false;
    }
    this.message = null;
    try {
      this.phase = 'Fetching the shared answers (encrypted)…';
      const { fetchSharedAnswers } = await loadRuntime();
      const bytes = await fetchSharedAnswers({ teamKey: invite.key, relayUrl: invite.relayUrl });
      this.phase = 'Opening the project…';
      this.pendingJoin = invite;
      this.#hooks.openAnswers(bytes, invite);
      return true;
    } catch (error) {
      this.phase = '';
      this.message = { text: `Could not join: ${(error as Error).message}`, tone: 'error' };
      return false;
    }
  }

  /** The invitation's project is restored as `projectId`: it joins the team as the current coder. */
  async completeJoin(projectId: string): Promise<void> {
    const invite = this.pendingJoin;
    const coder = this.#coder.current;
    this.pendingJoin = null;
    this.phase = '';
    if (!invite || !coder) return;
    const team: TeamRecord = {
      projectId,
      teamId: invite.teamId,
      relayUrl: invite.relayUrl,
      key: invite.key,
      role: invite.role,
      ...(invite.roundId ? { roundId: invite.roundId } : {}),
      coderId: coder.id,
      joinedAt: Date.now(),
    };
    const session = await this.#begin(team);
    session?.write({ coder: { id: coder.id, name: coder.name, color: coder.color } });
  }

  /** Keeps a new team for its project and starts its session there (a lead connecting, a coder joining). */
  async #begin(team: TeamRecord): Promise<TeamSession | null> {
    await saveTeam(this.#db(), team);
    await this.close();
    this.#projectId = team.projectId;
    await this.#start(team);
    return this.#session;
  }

  /** Works offline (nothing sent or received) or connects again; kept for the next visit. */
  async setPaused(paused: boolean) {
    const team = this.team;
    if (!team) return;
    const next = { ...team, paused };
    try {
      await saveTeam(this.#db(), next);
    } catch {
      // The choice holds for this visit.
    }
    this.team = next;
    this.#session?.setPaused(paused);
    if (paused) this.status = 'paused';
  }

  /** Leaves the team on this browser: the project stays as it is here. */
  async leave(): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId) return;
    await this.close();
    await forgetTeam(this.#db(), projectId);
  }

  /** The question the coder is on, for the others' presence list. */
  where(questionId: string | null) {
    this.#presence = { questionId };
    this.#sayWhere();
  }

  #sayWhere() {
    const session = this.#session;
    const coder = this.#coder.current;
    const team = this.team;
    if (!session || !coder || !team) return;
    void session.setPresence({ coderId: coder.id, color: coder.color, questionId: this.#presence.questionId, role: team.role });
  }
}

function stripProject<T extends { projectId: string }>(record: T): Omit<T, 'projectId'> {
  const { projectId: _projectId, ...rest } = record;
  return rest;
}
