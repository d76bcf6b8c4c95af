// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { bytesToBase64url, newTeamId, newTeamKey } from './crypto';
import { InviteError, formatInvite, parseInvite, type Invite } from './invite-link';

const invite = (over: Partial<Invite> = {}): Invite => ({
  version: 1,
  relayUrl: 'wss://relay.example.ac.uk/codebench',
  teamId: newTeamId(),
  key: newTeamKey(),
  projectName: 'Mentoring survey 2024 — Welle 2 (Ünïcödé, 中文)',
  role: 'member',
  ...over,
});

/** A link whose fragment holds this JSON, for inputs formatInvite would never make. */
const linkWith = (json: unknown) => `https://app.example/#join=${bytesToBase64url(new TextEncoder().encode(JSON.stringify(json)))}`;
const fields = (i: Invite) => ({ ...i, key: bytesToBase64url(i.key) });

describe('invitation links', () => {
  it('round-trip, with everything in the fragment', () => {
    const original = invite({ role: 'blind', roundId: 'round-7' });
    const link = formatInvite('https://codebench.example/app/?x=1#old', original);
    const [beforeHash, fragment] = link.split('#');
    expect(beforeHash).toBe('https://codebench.example/app/?x=1');
    expect(fragment).toMatch(/^join=[A-Za-z0-9_-]+$/);
    expect(beforeHash).not.toContain(bytesToBase64url(original.key));
    expect(parseInvite(link)).toEqual(original);
    const member = invite();
    expect(parseInvite(formatInvite('http://localhost:5173/', member))).toEqual(member);
    expect(parseInvite(formatInvite('http://localhost:5173/', member))).not.toHaveProperty('roundId');
  });

  it('read from the fragment alone, with spaces and line breaks a mail program added', () => {
    const original = invite();
    const fragment = formatInvite('https://a.example/', original).split('#')[1];
    expect(parseInvite(`  #${fragment}\n`)).toEqual(original);
    expect(parseInvite(fragment)).toEqual(original);
    const wrapped = fragment.slice(0, 40) + '\n  ' + fragment.slice(40);
    expect(parseInvite(`https://a.example/#${wrapped}`)).toEqual(original);
  });

  it('refuse what is not an invitation', () => {
    for (const text of ['', 'hello', 'https://codebench.example/', 'https://codebench.example/#project=3']) {
      expect(() => parseInvite(text)).toThrow(InviteError);
      expect(() => parseInvite(text)).toThrow(/not a Codebench invitation/);
    }
  });

  it('say a damaged one is damaged', () => {
    const link = formatInvite('https://a.example/', invite());
    expect(() => parseInvite(link.slice(0, link.length - 30))).toThrow(/damaged.*could not be read/);
    expect(() => parseInvite('https://a.example/#join=')).toThrow(/damaged.*nothing follows/);
    expect(() => parseInvite('https://a.example/#join=%%%')).toThrow(/damaged/);
    expect(() => parseInvite(linkWith([1, 2]))).toThrow(/damaged.*holds no invitation/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), version: undefined }))).toThrow(/damaged.*no version/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), key: bytesToBase64url(new Uint8Array(16)) }))).toThrow(/team key is 16 bytes, not 32/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), key: 'not*base64' }))).toThrow(/team key is not readable/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), teamId: '' }))).toThrow(/no team id/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), role: 'admin' }))).toThrow(/role “admin” is neither member nor blind/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), roundId: 3 }))).toThrow(/round/);
  });

  it('name a version they do not know', () => {
    expect(() => parseInvite(linkWith({ ...fields(invite()), version: 2 }))).toThrow(/newer version of Codebench.*update Codebench/);
    expect(() => parseInvite(linkWith({ ...fields(invite()), version: 0 }))).toThrow(/version \(0\) is not one Codebench knows/);
  });

  it('accept only a ws: or wss: relay', () => {
    for (const relayUrl of ['https://relay.example', 'ftp://relay.example', 'relay.example:4455', 'wss://relay.example/?token=1']) {
      expect(() => parseInvite(linkWith({ ...fields(invite()), relayUrl }))).toThrow(/damaged.*relay address/);
      expect(() => formatInvite('https://a.example/', invite({ relayUrl }))).toThrow(InviteError);
    }
    expect(parseInvite(linkWith(fields(invite({ relayUrl: 'ws://127.0.0.1:4455' })))).relayUrl).toBe('ws://127.0.0.1:4455');
  });
});
