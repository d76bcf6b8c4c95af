// @vitest-environment node
/**
 * A team of TeamSessions (src/lib/sync/team-session.ts) through the real relay on loopback: what one writes the
 * others materialize; a blind coder's space reaches nobody before the reveal; a session reopened from what it kept
 * holds what it had; the answers are shared once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocketClass from 'ws';
import { startRelay, type Relay } from '../../relay/relay.mjs';
import { newTeamKey } from '../../src/lib/sync/crypto';
import { allowedCoderSpaces, TeamSession, type TeamRole } from '../../src/lib/sync/team-session';
import { fetchSharedAnswers, shareAnswers } from '../../src/lib/sync/answers-share';
import { seedFromProject } from '../../src/lib/sync/project-doc';
import type { SyncedState } from '../../src/lib/sync/materialize';
import type { Code, Coding } from '../../src/lib/model/types';

// `ws` by its file: under Vitest the "browser" condition resolves it to a stub (see relay.test.ts).
const require = createRequire(import.meta.url);
const WebSocket = require(join(dirname(require.resolve('ws/package.json')), 'index.js')) as typeof WebSocketClass;
const TEST_MS = 30_000;

let relay: Relay;
let dir: string;
let sessions: TeamSession[] = [];
const key = newTeamKey();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codebench-team-'));
  relay = await startRelay({ port: 0, dir });
  sessions = [];
});

afterEach(async () => {
  for (const s of sessions) await s.close();
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Member {
  session: TeamSession;
  latest: () => SyncedState | null;
  kept: Map<string, Uint8Array>;
}

async function member(coderId: string, role: TeamRole, kept = new Map<string, Uint8Array>()): Promise<Member> {
  let latest: SyncedState | null = null;
  const session = await TeamSession.open({
    teamKey: key,
    relayUrl: relay.url,
    coderId,
    role,
    persisted: new Map(kept),
    save: async (states) => {
      for (const [space, state] of states) kept.set(space, state);
    },
    onChange: (state) => (latest = state),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    changeDelayMs: 10,
    saveDelayMs: 10,
  });
  sessions.push(session);
  return { session, latest: () => latest, kept };
}

const code = (id: string, name: string): Code => ({
  projectId: 'p',
  id,
  parentId: null,
  name,
  color: '#2454a6',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
  shortcut: '',
});
const coding = (id: string, coderId: string, answer: string, codeId = 'rewards'): Coding => ({
  projectId: 'p',
  id,
  answerId: `q1\u001fw1\u001f${answer}`,
  codeId,
  coderId,
  start: null,
  end: null,
  createdAt: 1,
});

const codingIds = (m: Member) => (m.latest()?.codings ?? []).map((c) => `${c.coderId}:${c.id}`).sort();

describe('allowedCoderSpaces', () => {
  const blind = new Map([['bea', { revealedAt: null }]]);
  it('gives a blind coder only her own space, even before the shared space says so', () => {
    expect([...allowedCoderSpaces('bea', 'blind', new Map(), ['ada', 'bea'])]).toEqual(['bea']);
    expect([...allowedCoderSpaces('bea', 'blind', blind, ['ada', 'bea'])]).toEqual(['bea']);
  });
  it('keeps a blind coder’s space from everyone else until she is revealed', () => {
    expect(allowedCoderSpaces('ada', 'lead', blind, ['ada', 'bea']).has('bea')).toBe(false);
    const revealed = new Map([['bea', { revealedAt: 5 }]]);
    expect(allowedCoderSpaces('ada', 'lead', revealed, ['ada', 'bea']).has('bea')).toBe(true);
    expect(allowedCoderSpaces('bea', 'blind', revealed, ['ada', 'bea']).has('ada')).toBe(true);
  });
});

describe('a team through the relay', () => {
  it(
    'shows what the lead seeded and a member coded on every side',
    async () => {
      const lead = await member('ada', 'lead');
      await lead.session.writeAsHeld(['ada'], (docs) =>
        seedFromProject(docs, {
          codes: [code('rewards', 'Rewards')],
          codings: [coding('a1', 'ada', 'R1')],
          memos: [],
          coders: [{ id: 'ada', name: 'Ada', color: '#000000' }],
          rounds: [],
          codebookVersions: [],
          resolutions: [],
          themes: [],
          project: { name: 'AIMMS' },
        }),
      );
      const ben = await member('ben', 'member');
      await expect.poll(() => codingIds(ben), { timeout: TEST_MS }).toEqual(['ada:a1']);
      expect(ben.latest()?.codes.map((c) => c.name)).toEqual(['Rewards']);
      ben.session.write({ change: { putCodes: [], deleteCodes: [], putCodings: [coding('b1', 'ben', 'R2')], deleteCodings: [] } });
      ben.session.write({ coder: { id: 'ben', name: 'Ben', color: '#111111' } });
      await expect.poll(() => codingIds(lead), { timeout: TEST_MS }).toEqual(['ada:a1', 'ben:b1']);
      // The lead holds Ben's space, so a change of hers that moves his coding (a split, a merge) reaches him.
      const moved = { ...coding('b1', 'ben', 'R2'), codeId: 'rewards-2' };
      lead.session.write({ change: { putCodes: [code('rewards-2', 'Rewards (split)')], deleteCodes: [], putCodings: [moved], deleteCodings: [] } });
      await expect.poll(() => ben.latest()?.codings.find((c) => c.id === 'b1')?.codeId, { timeout: TEST_MS }).toBe('rewards-2');
    },
    TEST_MS * 2,
  );

  it(
    'never sends a blind coder’s codings to the lead before the reveal, then does',
    async () => {
      const lead = await member('ada', 'lead');
      await lead.session.writeAsHeld(['ada'], (docs) =>
        seedFromProject(docs, {
          codes: [code('rewards', 'Rewards')],
          codings: [coding('a1', 'ada', 'R1')],
          memos: [],
          coders: [],
          rounds: [],
          codebookVersions: [],
          resolutions: [],
          themes: [],
          project: { name: 'AIMMS' },
        }),
      );
      const bea = await member('bea', 'blind');
      bea.session.write({ coder: { id: 'bea', name: 'Bea', color: '#222222' } });
      bea.session.write({ change: { putCodes: [], deleteCodes: [], putCodings: [coding('b1', 'bea', 'R1')], deleteCodings: [] } });
      // She does not hold Ada's space, so nothing of hers can be written there.
      bea.session.write({ change: { putCodes: [], deleteCodes: [], putCodings: [coding('x1', 'ada', 'R9')], deleteCodings: [] } });
      await bea.session.flush();
      // The lead learns that Bea is blind (the shared space), and nothing of hers.
      await expect.poll(() => lead.latest()?.blind.get('bea')?.revealedAt, { timeout: TEST_MS }).toBe(null);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(codingIds(lead)).toEqual(['ada:a1']);
      // Bea has the codebook, and none of Ada's codings.
      await expect.poll(() => bea.latest()?.codes.length ?? 0, { timeout: TEST_MS }).toBe(1);
      expect(codingIds(bea)).toEqual(['bea:b1']);
      expect([...bea.kept.keys()].some((space) => space === 'coder:ada')).toBe(false);

      lead.session.reveal('all');
      await expect.poll(() => codingIds(lead), { timeout: TEST_MS }).toEqual(['ada:a1', 'bea:b1']);
      await expect.poll(() => codingIds(bea), { timeout: TEST_MS }).toEqual(['ada:a1', 'bea:b1']);
    },
    TEST_MS * 2,
  );

  it(
    'reopens from what it kept, offline, with everything it had',
    async () => {
      const lead = await member('ada', 'lead');
      lead.session.write({ change: { putCodes: [code('rewards', 'Rewards')], deleteCodes: [], putCodings: [coding('a1', 'ada', 'R1')], deleteCodings: [] } });
      await lead.session.flush();
      const kept = lead.kept;
      await lead.session.close();
      const again = await member('ada', 'lead', kept);
      again.session.setPaused(true);
      await expect.poll(() => codingIds(again), { timeout: TEST_MS }).toEqual(['ada:a1']);
      expect(again.session.status).toBe('paused');
    },
    TEST_MS * 2,
  );

  it(
    'says so when the sealed state cannot be kept, so the outbox keeps what was written',
    async () => {
      let refuse = true;
      const errors: string[] = [];
      const session = await TeamSession.open({
        teamKey: key,
        relayUrl: relay.url,
        coderId: 'ada',
        role: 'lead',
        persisted: new Map(),
        save: async () => {
          if (refuse) throw new Error('QuotaExceededError');
        },
        onChange: () => {},
        onError: (message) => errors.push(message),
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        saveDelayMs: 10,
      });
      sessions.push(session);
      session.write({ change: { putCodes: [], deleteCodes: [], putCodings: [coding('a1', 'ada', 'R1')], deleteCodings: [] } });
      await expect(session.flush()).rejects.toThrow(/could not be kept/);
      expect(errors.join(' ')).toMatch(/QuotaExceededError/);
      refuse = false;
      await expect(session.flush()).resolves.toBeUndefined();
    },
    TEST_MS * 2,
  );

  it(
    'shares the answers once and gives them back whole; a wrong key gets a message',
    async () => {
      const bytes = new Uint8Array(1_300_000).map((_, i) => (i * 31) % 251);
      await shareAnswers({ teamKey: key, relayUrl: relay.url, bytes, WebSocketPolyfill: WebSocket });
      const back = await fetchSharedAnswers({ teamKey: key, relayUrl: relay.url, WebSocketPolyfill: WebSocket });
      expect(back).toEqual(bytes);
      await expect(fetchSharedAnswers({ teamKey: newTeamKey(), relayUrl: relay.url, WebSocketPolyfill: WebSocket, timeoutMs: 5000 })).rejects.toThrow(
        /not shared the answers|key/,
      );
    },
    TEST_MS * 2,
  );
});
