/**
 * The invitation link that carries a team project to a new coder: the relay's address, the team id, the team key,
 * the project's name and the invitee's role, all in the URL's fragment (`<app>#join=<base64url JSON>`). Browsers
 * never send a fragment to a server, so the key reaches neither the app's host nor the relay; whoever holds the
 * link can read the team's data, which is why the app tells the lead to send it privately.
 */
import { TEAM_KEY_BYTES, base64urlToBytes, bytesToBase64url } from './crypto';

export const INVITE_VERSION = 1;
const FRAGMENT_KEY = 'join';

export type InviteRole = 'member' | 'blind';

export interface Invite {
  version: 1;
  /** ws: or wss: address of the relay. */
  relayUrl: string;
  teamId: string;
  /** The 32-byte team key. */
  key: Uint8Array;
  projectName: string;
  role: InviteRole;
  /** For a blind invitee: the double-coding round they code blind. */
  roundId?: string;
}

/** An invitation that cannot be used, with a message naming what is wrong. */
export class InviteError extends Error {
  override name = 'InviteError';
}

/** The JSON inside the fragment: the key as base64url so the whole stays text. */
interface InviteJson {
  version: number;
  relayUrl: string;
  teamId: string;
  key: string;
  projectName: string;
  role: string;
  roundId?: string;
}

/** What is wrong with a relay address (lower case, to sit inside a sentence), or null when it is usable. */
export function relayUrlProblem(relayUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch {
    return `the relay address “${relayUrl}” is not an address`;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return `the relay address “${relayUrl}” does not start with ws:// or wss://`;
  if (url.hash || url.search) return `the relay address “${relayUrl}” has a ? or # part`;
  return null;
}

export function formatInvite(appUrl: string, invite: Invite): string {
  const problem = relayUrlProblem(invite.relayUrl);
  if (problem) throw new InviteError(problem[0].toUpperCase() + problem.slice(1) + '.');
  if (invite.key.length !== TEAM_KEY_BYTES) throw new InviteError(`A team key is ${TEAM_KEY_BYTES} bytes; this one is ${invite.key.length}.`);
  const json: InviteJson = {
    version: INVITE_VERSION,
    relayUrl: invite.relayUrl,
    teamId: invite.teamId,
    key: bytesToBase64url(invite.key),
    projectName: invite.projectName,
    role: invite.role,
    ...(invite.roundId !== undefined ? { roundId: invite.roundId } : {}),
  };
  const base = appUrl.split('#')[0];
  return `${base}#${FRAGMENT_KEY}=${bytesToBase64url(new TextEncoder().encode(JSON.stringify(json)))}`;
}

const NOT_AN_INVITE = 'This is not a Codebench invitation: an invitation link ends in “#join=” followed by letters and digits.';
const damaged = (what: string) => new InviteError(`This invitation is damaged (${what}); ask for the link again and paste all of it.`);

/**
 * Reads an invitation from what a user pasted: the whole link, or only its fragment (`#join=…` or `join=…`).
 * Throws an InviteError whose message says what is wrong.
 */
export function parseInvite(text: string): Invite {
  const trimmed = text.trim();
  const hash = trimmed.indexOf('#');
  const fragment = hash >= 0 ? trimmed.slice(hash + 1) : trimmed;
  // The fragment may carry other parameters one day: look for join= among &-separated parts.
  const part = fragment.split('&').find((p) => p.startsWith(`${FRAGMENT_KEY}=`));
  if (part === undefined) throw new InviteError(NOT_AN_INVITE);
  // Mail programs wrap long links; whitespace is never part of base64url.
  const payload = part.slice(FRAGMENT_KEY.length + 1).replace(/\s+/g, '');
  if (payload === '') throw damaged('nothing follows “#join=”');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(payload)));
  } catch {
    throw damaged('it could not be read; part of it may be missing');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw damaged('it holds no invitation');
  const j = json as Partial<Record<keyof InviteJson, unknown>>;
  if (typeof j.version !== 'number') throw damaged('it has no version');
  if (j.version > INVITE_VERSION) {
    throw new InviteError(
      `This invitation was made by a newer version of Codebench (invitation version ${j.version}); update Codebench, then open the link again.`,
    );
  }
  if (j.version !== INVITE_VERSION) throw new InviteError(`This invitation's version (${j.version}) is not one Codebench knows.`);
  if (typeof j.relayUrl !== 'string') throw damaged('it has no relay address');
  const relayProblem = relayUrlProblem(j.relayUrl);
  if (relayProblem) throw damaged(relayProblem);
  if (typeof j.teamId !== 'string' || j.teamId === '') throw damaged('it has no team id');
  if (typeof j.key !== 'string') throw damaged('it has no team key');
  let key: Uint8Array;
  try {
    key = base64urlToBytes(j.key);
  } catch {
    throw damaged('its team key is not readable');
  }
  if (key.length !== TEAM_KEY_BYTES) throw damaged(`its team key is ${key.length} bytes, not ${TEAM_KEY_BYTES}`);
  if (typeof j.projectName !== 'string') throw damaged('it has no project name');
  if (j.role !== 'member' && j.role !== 'blind') throw damaged(`its role “${String(j.role)}” is neither member nor blind`);
  if (j.roundId !== undefined && typeof j.roundId !== 'string') throw damaged('its round is not a round id');
  return {
    version: INVITE_VERSION,
    relayUrl: j.relayUrl,
    teamId: j.teamId,
    key,
    projectName: j.projectName,
    role: j.role,
    ...(j.roundId !== undefined ? { roundId: j.roundId } : {}),
  };
}
