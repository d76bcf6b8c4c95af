/**
 * The open project's double-coding rounds: loading them and the codebook
 * versions they froze, drawing a new round, deleting one, and each coder's
 * progress through a round (an answer counts as coded by a coder when it has at
 * least one of their codings).
 */
import { deleteRound, loadAnswerKeys, loadCodebookVersions, loadRounds, saveRound, saveRoundAgreement } from '../db/rounds';
import type { CodebenchDatabase } from '../db/schema';
import { storageFailureMessage } from '../db/write-failure';
import { newId, type Code, type CodebookVersion, type Coding, type Round, type RoundSample } from '../model/types';
import { answersInRounds, DrawError, drawRound, nextQuestionWithUncoded, questionOfAnswer, roundProgress } from '../rounds/draw-round';
import { versionForRound } from '../rounds/codebook-snapshot';
import { agreementToStore, computedOnText, type RoundComputation } from '../rounds/round-agreement';
import type { Notifications } from './notifications.svelte';
import type { ProjectOverview, RespondentTable } from '../db/projects';

/** What RoundsState reads from the open project. */
export interface RoundsProject {
  readonly overview: ProjectOverview | null;
  readonly respondents: RespondentTable | null;
}

/** What RoundsState reads from the coding workspace: the codebook, and codings (with a version that moves when they change). */
export interface RoundsWorkspace {
  readonly codes: readonly Code[];
  readonly version: number;
  readonly index: { forAnswer(answerId: string): readonly Coding[] };
}

/** What the draw form asks for. */
export interface RoundDraft {
  name: string;
  size: RoundSample['size'];
  seed: number;
  /** Empty: every question (and wave). */
  questionIds: string[];
  waveIds: string[];
  strata: RoundSample['strata'];
  /** Leave out answers earlier rounds drew (a main round after a pilot draws new answers). */
  excludeEarlier: boolean;
}

export class RoundsState {
  projectId = $state<string | null>(null);
  rounds = $state.raw<Round[]>([]);
  versions = $state.raw<CodebookVersion[]>([]);
  loading = $state(false);
  drawing = $state(false);
  /** Why the last draw could not run (shown by the form), or null. */
  drawError = $state<string | null>(null);

  #db: () => CodebenchDatabase;
  #project: RoundsProject;
  #workspace: RoundsWorkspace;
  #coderId: () => string | null;
  #notifications: Notifications;
  /** Hears that a round was deleted, so whatever showed it (a filter, the agreement's choice) lets go of it. */
  onRemoved: (roundId: string) => void = () => {};
  /** Told after a round (or the version it froze) is stored or removed here: team sync sends it. */
  onStored: () => void = () => {};
  #loadToken = 0;
  #sets = new WeakMap<Round, ReadonlySet<string>>();

  constructor(db: () => CodebenchDatabase, project: RoundsProject, workspace: RoundsWorkspace, coderId: () => string | null, notifications: Notifications) {
    this.#db = db;
    this.#project = project;
    this.#workspace = workspace;
    this.#coderId = coderId;
    this.#notifications = notifications;
  }

  async load(projectId: string) {
    const token = ++this.#loadToken;
    if (this.projectId !== projectId) {
      this.rounds = [];
      this.versions = [];
    }
    this.projectId = projectId;
    this.loading = true;
    try {
      const [rounds, versions] = await Promise.all([loadRounds(this.#db(), projectId), loadCodebookVersions(this.#db(), projectId)]);
      if (token !== this.#loadToken) return;
      this.rounds = rounds;
      this.versions = versions;
    } catch (error) {
      if (token === this.#loadToken)
        this.#notifications.error(`The rounds could not be read: ${(error as Error).message}. Reopen the project to try again.`, { projectId });
    } finally {
      if (token === this.#loadToken) this.loading = false;
    }
  }

  round(roundId: string | null): Round | null {
    return this.rounds.find((r) => r.id === roundId) ?? null;
  }

  /** "Round 1 · Pilot". */
  label(round: Round): string {
    return round.name ? `Round ${round.number} · ${round.name}` : `Round ${round.number}`;
  }

  versionOf(round: Round): CodebookVersion | null {
    return this.versions.find((v) => v.id === round.codebookVersionId) ?? null;
  }

  /** A round's answer ids as a set (the coding view's filter tests every answer of the question against it). */
  answerSet(roundId: string): ReadonlySet<string> | null {
    const round = this.round(roundId);
    if (!round) return null;
    let set = this.#sets.get(round);
    if (!set) this.#sets.set(round, (set = new Set(round.answerIds)));
    return set;
  }

  /** True for an answer the coder has at least one coding on. Reactive: reads the workspace's version. */
  codedBy(coderId: string | null): (answerId: string) => boolean {
    void this.#workspace.version;
    const index = this.#workspace.index;
    return (answerId) => coderId !== null && index.forAnswer(answerId).some((c) => c.coderId === coderId);
  }

  /** The current coder's progress through a round, overall and (given a question) in that question. */
  progress(round: Round, questionId: string | null = null): { coded: number; total: number; question: { coded: number; total: number } } {
    const coded = this.codedBy(this.#coderId());
    const overall = roundProgress(round, coded);
    const inQuestion = roundProgress({ answerIds: questionId === null ? [] : round.answerIds.filter((id) => questionOfAnswer(id) === questionId) }, coded);
    return { ...overall, question: inQuestion };
  }

  /** The next question (after `current`, wrapping) with answers of the round the current coder has not coded; null when all are. */
  nextQuestion(round: Round, current: string | null): string | null {
    const order = this.#project.overview?.questions.map((q) => q.id) ?? [];
    return nextQuestionWithUncoded(round, order, current, this.codedBy(this.#coderId()));
  }

  /** Draws a round and stores it with the codebook it is coded with. Null when it was not drawn (the form or a message says why). */
  async draw(draft: RoundDraft): Promise<Round | null> {
    const projectId = this.projectId;
    const overview = this.#project.overview;
    if (!projectId || !overview || this.drawing) return null;
    this.drawing = true;
    this.drawError = null;
    try {
      const sample: RoundSample = {
        size: { ...draft.size },
        seed: draft.seed,
        questionIds: [...draft.questionIds],
        waveIds: [...draft.waveIds],
        strata: draft.strata.map((s) => ({ ...s })),
      };
      const questionIds = overview.questions.map((q) => q.id).filter((id) => sample.questionIds.length === 0 || sample.questionIds.includes(id));
      const answers = await loadAnswerKeys(
        this.#db(),
        projectId,
        questionIds,
        overview.waves.map((w) => w.id),
      );
      const drawn = drawRound({
        answers,
        respondents: this.#project.respondents,
        sample,
        exclude: draft.excludeEarlier ? answersInRounds(this.rounds) : undefined,
      });
      const number = this.rounds.reduce((max, r) => Math.max(max, r.number), 0) + 1;
      const name = draft.name.trim();
      const createdBy = this.#coderId() ?? '';
      const at = Date.now();
      const { version, isNew } = versionForRound(this.#workspace.codes as Code[], this.versions, {
        projectId,
        id: newId(),
        createdBy,
        at,
        label: `Round ${number}${name ? ` · ${name}` : ''}`,
      });
      const round: Round = {
        projectId,
        id: newId(),
        number,
        name,
        createdAt: at,
        createdBy,
        sample,
        answerIds: drawn.answerIds,
        codebookVersionId: version.id,
        coderIds: [],
      };
      await saveRound(this.#db(), round, isNew ? version : undefined);
      this.onStored();
      if (this.projectId !== projectId) return null;
      this.rounds = [...this.rounds, round];
      if (isNew) this.versions = [...this.versions, version];
      const codebook = isNew ? `the codebook frozen as version ${version.number}` : `codebook version ${version.number} (unchanged)`;
      this.#notifications.info([`${this.label(round)}: ${drawn.answerIds.length} answers drawn, coded with ${codebook}.`, ...drawn.notes].join(' '), {
        projectId,
        key: 'rounds',
      });
      return round;
    } catch (error) {
      if (error instanceof DrawError) this.drawError = error.message;
      else this.#notifications.error(storageFailureMessage('Drawing the round', error), { projectId, key: 'rounds' });
      return null;
    } finally {
      this.drawing = false;
    }
  }

  /** Deletes a round (the caller has asked the user); its codebook version stays. */
  async remove(roundId: string): Promise<boolean> {
    const projectId = this.projectId;
    const round = this.round(roundId);
    if (!projectId || !round) return false;
    try {
      await deleteRound(this.#db(), projectId, roundId);
      this.onStored();
      this.rounds = this.rounds.filter((r) => r.id !== roundId);
      this.onRemoved(roundId);
      this.#notifications.info(`${this.label(round)} was deleted. The codings made in it stay.`, { projectId, key: 'rounds' });
      return true;
    } catch (error) {
      this.#notifications.error(storageFailureMessage(`Deleting ${this.label(round)}`, error), { projectId, key: 'rounds' });
      return false;
    }
  }

  /**
   * Stores a computation on a round with it (and the round's coders, the first time), so the comparison across
   * rounds shows what the round measured then. It replaces the stored one when made by the same coders on the
   * same codebook version; one made with an earlier codebook is kept (a merge since would rewrite it) unless
   * `force` (the message's "Store this one instead"); other coders' comparisons are not the round's. `quiet`: no
   * message when it is kept (the comparison computes many rounds); a failed write is always reported.
   * True when stored.
   */
  async recordAgreement(roundId: string, computed: RoundComputation, options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
    const projectId = this.projectId;
    const round = this.round(roundId);
    if (!projectId || !round || round.projectId !== projectId) return false;
    const codes = this.#workspace.codes.filter((c) => c.projectId === projectId);
    const at = Date.now();
    const make = { projectId, id: newId(), createdBy: this.#coderId() ?? '', at, label: `${this.label(round)} · agreement` };
    let outcome: ReturnType<typeof agreementToStore> | null = null;
    try {
      const saved = await saveRoundAgreement(this.#db(), projectId, roundId, (stored, versions) => {
        outcome = agreementToStore({ round: stored, versions, codes, table: computed.table, settings: computed, make, force: options.force });
        if (outcome.decision !== 'store') return null;
        return outcome.isNew ? { agreement: outcome.agreement, version: outcome.version } : { agreement: outcome.agreement };
      });
      if (this.projectId !== projectId) return false;
      if (saved) {
        this.onStored();
        this.rounds = this.rounds.map((r) => (r.id === roundId ? saved.round : r));
        if (saved.version && !this.versions.some((v) => v.id === saved.version!.id)) this.versions = [...this.versions, saved.version];
        if (saved.version && !options.quiet)
          this.#notifications.info(
            `${this.label(round)}: agreement stored with the round. The codebook has changed since the latest version, so it was frozen as version ${saved.version.number} for it.`,
            { projectId, key: 'round-agreement' },
          );
        return true;
      }
      const decided = outcome as ReturnType<typeof agreementToStore> | null;
      if (options.quiet || !decided) return false;
      if (decided.decision === 'other-coders') {
        this.#notifications.info(`Not stored with ${this.label(round)}: the round’s agreement is between its own two coders, and this compared others.`, {
          projectId,
          key: 'round-agreement',
        });
      } else {
        const stored = this.round(roundId)?.agreement ?? round.agreement;
        const version = stored ? (this.versions.find((v) => v.id === stored.codebookVersionId)?.number ?? null) : null;
        const when = stored ? computedOnText(stored.computedAt, version) : 'as computed before';
        const why =
          decided.decision === 'codebook-changed'
            ? 'the codebook has changed since, and a merge or split would rewrite what the round measured'
            : 'it covers codes this comparison left out';
        this.#notifications.info(`${this.label(round)}’s stored agreement (${when}) is kept: ${why}. This result is not stored.`, {
          projectId,
          key: 'round-agreement',
          actions: [{ label: 'Store this one instead', run: () => this.recordAgreement(roundId, computed, { force: true }) }],
        });
      }
      return false;
    } catch (error) {
      this.#notifications.error(storageFailureMessage(`Storing ${this.label(round)}’s agreement`, error), { projectId, key: 'round-agreement' });
      return false;
    }
  }

  /** Records the two coders compared in a round, once (the first agreement computed on it). */
  async setCoders(roundId: string, coderIds: readonly string[]): Promise<boolean> {
    const round = this.round(roundId);
    if (!round || round.coderIds.length > 0 || coderIds.length < 2) return false;
    const updated: Round = { ...round, coderIds: coderIds.slice(0, 2) };
    try {
      await saveRound(this.#db(), updated);
      this.onStored();
      this.rounds = this.rounds.map((r) => (r.id === roundId ? updated : r));
      return true;
    } catch (error) {
      this.#notifications.error(storageFailureMessage(`Recording who was compared in ${this.label(round)}`, error, false), {
        projectId: round.projectId,
        key: 'rounds',
      });
      return false;
    }
  }
}
