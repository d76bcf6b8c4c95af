import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, WebSocket as PageWebSocket } from 'playwright-core';
import { startRelay, type Relay } from '../../relay/relay.mjs';
import { parseInvite } from '../../src/lib/sync/invite-link';
import { createSealer } from '../../src/lib/sync/crypto';
import { allAnswerTexts, profilesPerTest, storedRecords, waitForProjectReady, type AppPage } from './browser';

// Team sync through a relay on this machine (issue 17): two people in two browser profiles. Every test starts its
// own relay on a port the OS picks, over a folder of its own, and both profiles reach it on 127.0.0.1 only.

const profiles = profilesPerTest();
let relay: Relay;
let relayDir: string;

beforeEach(async () => {
  relayDir = mkdtempSync(join(tmpdir(), 'codebench-relay-'));
  relay = await startRelay({ port: 0, host: '127.0.0.1', dir: relayDir });
});

afterEach(async () => {
  await relay.close();
  rmSync(relayDir, { recursive: true, force: true });
});

interface Person extends AppPage {
  /** Every WebSocket the page opened (its URL), and every frame's bytes it sent or received on them. */
  sockets: string[];
  frames: Buffer[];
}

async function person(coder: { id: string; name: string } | null, url?: string): Promise<Person> {
  const app = await profiles.open();
  const sockets: string[] = [];
  const frames: Buffer[] = [];
  app.page.on('websocket', (socket: PageWebSocket) => {
    sockets.push(socket.url());
    const keep = (data: { payload: string | Buffer }) => frames.push(typeof data.payload === 'string' ? Buffer.from(data.payload) : data.payload);
    socket.on('framesent', keep);
    socket.on('framereceived', keep);
  });
  if (coder) await app.context.addInitScript((c) => localStorage.setItem('codebench.coder', JSON.stringify({ ...c, color: '#2454a6' })), coder);
  await app.page.goto(url ?? app.page.url());
  return { ...app, sockets, frames };
}

async function codeAnswer(page: Page, index: number, key: string) {
  await page.getByTestId('answer').nth(index).focus();
  await page.keyboard.press(key);
}

type StoredPage = { codings: { coderId: string; answerId: string; codeId: string }[] };
const codingsBy = async (page: Page, coderId: string) =>
  (await storedRecords<StoredPage>(page, 'codingPages')).flatMap((p) => p.codings).filter((c) => c.coderId === coderId);

/** The lead connects the open project to the relay and makes an invitation link. */
async function leadConnects(page: Page, role: 'member' | 'blind'): Promise<string> {
  await page.getByTestId('team-open').click();
  await page.getByTestId('team-relay-url').fill(relay.url);
  await page.getByTestId('team-connect').click();
  await expect.poll(() => page.getByTestId('team-message').textContent(), { timeout: 60_000 }).toMatch(/Connected/);
  await expect.poll(() => page.getByTestId('team-status').getAttribute('data-status')).toBe('online');
  await page.getByTestId('team-invite-role').selectOption(role);
  await page.getByTestId('team-invite').click();
  const link = await page.getByTestId('team-invite-link').inputValue();
  await page.getByTestId('team-close').click();
  return link;
}

/** Opens the invitation in a fresh profile; `name` answers the coder dialog. */
async function joins(link: string, name: string): Promise<Person> {
  const coder = await person(null, link);
  const { page } = coder;
  await page.getByTestId('join-dialog').waitFor();
  // The key left the address bar.
  expect(page.url()).not.toContain('#join=');
  await page.getByTestId('join-submit').click();
  await page.getByTestId('coder-name').waitFor({ timeout: 60_000 });
  await page.getByTestId('coder-name').fill(name);
  await page.keyboard.press('Enter');
  await waitForProjectReady(page);
  return coder;
}

/** Every byte the relay keeps on disk, as text. */
function relayFiles(): string {
  return readdirSync(relay.dir)
    .map((name) => readFileSync(join(relay.dir, name)).toString('latin1'))
    .join('\n');
}

async function roomOf(link: string, space: string): Promise<string> {
  const invite = parseInvite(link);
  return (await createSealer(invite.key)).roomName(space);
}

async function setOffline(page: Page, offline: boolean) {
  await page.getByTestId('team-open').click();
  await page.getByTestId(offline ? 'team-go-offline' : 'team-go-online').click();
  await expect.poll(() => page.getByTestId('team-status').getAttribute('data-status'), { timeout: 60_000 }).toBe(offline ? 'paused' : 'online');
  await page.getByTestId('team-close').click();
}

const codeNames = (page: Page) => page.getByTestId('code-name').allTextContents();

describe('team sync through a relay', () => {
  it('shows a member’s live coding to the lead, keeps it through a reload mid-sync, and sends only ciphertext', async () => {
    const lead = await person({ id: 'coder-ada', name: 'Ada Lead' });
    await lead.page.getByTestId('open-sample').click();
    await waitForProjectReady(lead.page);
    await codeAnswer(lead.page, 0, '1');
    await expect.poll(async () => (await codingsBy(lead.page, 'coder-ada')).length).toBe(1);
    const link = await leadConnects(lead.page, 'member');

    const ben = await joins(link, 'Ben Member');
    const benId = await ben.page.evaluate(() => JSON.parse(localStorage.getItem('codebench.coder') ?? '{}').id as string);
    // A member receives the lead's coding.
    await expect.poll(async () => (await codingsBy(ben.page, 'coder-ada')).length, { timeout: 60_000 }).toBe(1);

    // Live: Ben codes, the lead's browser stores it.
    await codeAnswer(ben.page, 2, '2');
    await expect.poll(async () => (await codingsBy(lead.page, benId)).length, { timeout: 60_000 }).toBe(1);
    // The lead sees Ben online, on the question he is on.
    await lead.page.getByTestId('team-open').click();
    await expect.poll(() => lead.page.getByTestId('team-peer').count()).toBe(1);
    expect(await lead.page.getByTestId('team-peer').textContent()).toContain('Ben Member');
    await lead.page.getByTestId('team-close').click();

    // Ben codes again and reloads at once (mid-sync): nothing is lost, and both sides converge.
    await codeAnswer(ben.page, 3, '3');
    await expect.poll(async () => (await codingsBy(ben.page, benId)).length).toBe(2);
    await ben.page.reload();
    await waitForProjectReady(ben.page);
    await expect.poll(async () => (await codingsBy(lead.page, benId)).length, { timeout: 60_000 }).toBe(2);
    // The lead removes his own coding; Ben's browser follows.
    await codeAnswer(lead.page, 0, '1');
    await expect.poll(async () => (await codingsBy(ben.page, 'coder-ada')).length, { timeout: 60_000 }).toBe(0);

    // What the relay keeps and forwards is ciphertext: no answer, name or code in its files or on the wire.
    const texts = (await allAnswerTexts(lead.page)).filter((t) => t.length > 20);
    expect(texts.length).toBeGreaterThan(3);
    const stored = relayFiles();
    const wire = [...lead.frames, ...ben.frames].map((b) => b.toString('latin1')).join('\n');
    for (const needle of [...texts.slice(0, 8).map((t) => t.slice(0, 24)), 'Ada Lead', 'Ben Member', 'Rewards', 'coder-ada', benId]) {
      expect(stored, `relay files contain ${needle}`).not.toContain(needle);
      expect(wire, `the wire carries ${needle}`).not.toContain(needle);
    }
    // The pages talked to the relay and nothing else beyond the app's origin.
    for (const url of [...lead.sockets, ...ben.sockets]) expect(url.startsWith(relay.url)).toBe(true);
  });

  it('runs a blind round: the coder codes offline, nothing of hers reaches the lead before reveal, then agreement and adjudication', async () => {
    const lead = await person({ id: 'coder-ada', name: 'Ada Lead' });
    await lead.page.getByTestId('open-sample').click();
    await waitForProjectReady(lead.page);
    for (const i of [0, 1, 2]) await codeAnswer(lead.page, i, '1');
    await expect.poll(async () => (await codingsBy(lead.page, 'coder-ada')).length).toBe(3);
    const link = await leadConnects(lead.page, 'blind');

    const bea = await joins(link, 'Bea Blind');
    const beaId = await bea.page.evaluate(() => JSON.parse(localStorage.getItem('codebench.coder') ?? '{}').id as string);
    // Blind: none of the lead's codings in her browser, nor his name (coder records travel in each coder's space).
    expect(await codingsBy(bea.page, 'coder-ada')).toEqual([]);
    expect((await storedRecords<{ name: string }>(bea.page, 'coders')).map((c) => c.name)).not.toContain('Ada Lead');

    // Offline, she codes the first answers: one the same as the lead, one differently.
    await bea.page.getByTestId('team-open').click();
    await bea.page.getByTestId('team-go-offline').click();
    await expect.poll(() => bea.page.getByTestId('team-status').getAttribute('data-status')).toBe('paused');
    await bea.page.getByTestId('team-close').click();
    await codeAnswer(bea.page, 0, '1');
    await codeAnswer(bea.page, 1, '2');
    await expect.poll(async () => (await codingsBy(bea.page, beaId)).length).toBe(2);

    // She reconnects: her space reaches the relay, and still not the lead.
    await bea.page.getByTestId('team-open').click();
    await bea.page.getByTestId('team-go-online').click();
    await expect.poll(() => bea.page.getByTestId('team-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('online');
    await bea.page.getByTestId('team-close').click();
    const beaRoom = await roomOf(link, `coder:${beaId}`);
    await expect.poll(() => readdirSync(relay.dir).some((f) => f.startsWith(beaRoom)), { timeout: 60_000 }).toBe(true);
    // Give the lead's browser every chance to (wrongly) receive it.
    await lead.page.waitForTimeout(1500);
    expect(await codingsBy(lead.page, beaId)).toEqual([]);
    expect(lead.sockets.some((url) => url.includes(beaRoom))).toBe(false);
    // Not even sealed: the lead's browser keeps no copy of her space.
    const leadSpaces = (await storedRecords<{ space: string }>(lead.page, 'syncSpaces')).map((r) => r.space);
    expect(leadSpaces).toContain('shared');
    expect(leadSpaces).not.toContain(`coder:${beaId}`);
    const adaRoom = await roomOf(link, 'coder:coder-ada');
    expect(bea.sockets.some((url) => url.includes(adaRoom))).toBe(false);
    expect(await codingsBy(bea.page, 'coder-ada')).toEqual([]);
    expect(await bea.page.evaluate(() => document.documentElement.outerHTML)).not.toContain('Ada Lead');

    // The lead reveals: her codings arrive, and agreement is computed as before.
    await lead.page.getByTestId('team-open').click();
    await lead.page.getByTestId('team-reveal').click();
    await lead.page.getByTestId('team-close').click();
    await expect.poll(async () => (await codingsBy(lead.page, beaId)).length, { timeout: 60_000 }).toBe(2);
    expect(lead.sockets.some((url) => url.includes(beaRoom))).toBe(true);

    await lead.page.getByTestId('layout-agreement').click();
    await lead.page.getByTestId('agreement-run').click();
    await lead.page.getByTestId('agreement-table').waitFor();
    expect(await lead.page.getByTestId('agreement-table').textContent()).not.toMatch(/NaN/);
    const progress = lead.page.getByTestId('disagreement-progress');
    await expect.poll(() => progress.textContent()).toMatch(/0 of \d+ resolved/);
    await lead.page.getByTestId('resolve-first').click();
    await expect.poll(() => progress.textContent()).toMatch(/1 of \d+ resolved/);
    // The adjudication reaches Bea's browser too (the consensus coder's space), now that she is revealed.
    await expect.poll(async () => (await codingsBy(bea.page, 'consensus')).length, { timeout: 60_000 }).toBeGreaterThan(0);

    // The relay's files hold no answer, name, code or coder id in plain text.
    const texts = (await allAnswerTexts(bea.page)).filter((t) => t.length > 20).slice(0, 10);
    expect(texts.length).toBeGreaterThan(3);
    const stored = relayFiles();
    for (const needle of [...texts.map((t) => t.slice(0, 24)), 'Ada Lead', 'Bea Blind', 'Rewards', beaId]) expect(stored).not.toContain(needle);
  });

  it('merges offline work from both sides: a merge made on one applies to the other’s codings of the merged code', async () => {
    const lead = await person({ id: 'coder-ada', name: 'Ada Lead' });
    await lead.page.getByTestId('open-sample').click();
    await waitForProjectReady(lead.page);
    const link = await leadConnects(lead.page, 'member');
    const ben = await joins(link, 'Ben Member');
    const benId = await ben.page.evaluate(() => JSON.parse(localStorage.getItem('codebench.coder') ?? '{}').id as string);
    await expect.poll(() => codeNames(ben.page)).toContain('Career progression');
    const careerId = (await storedRecords<{ id: string; name: string }>(lead.page, 'codes')).find((c) => c.name === 'Career progression')!.id;
    const confidenceId = (await storedRecords<{ id: string; name: string }>(lead.page, 'codes')).find((c) => c.name === 'Confidence and self-belief')!.id;

    // Both offline. Ben codes two answers with Career progression (key 2); Ada codes one, then merges the code away.
    await setOffline(lead.page, true);
    await setOffline(ben.page, true);
    await codeAnswer(ben.page, 4, '2');
    await codeAnswer(ben.page, 5, '2');
    await codeAnswer(lead.page, 0, '3');
    await lead.page
      .locator('li.code-row', { has: lead.page.getByText('Career progression', { exact: true }) })
      .getByTestId('edit-code')
      .click();
    const target = lead.page.getByTestId('code-editor-merge-target');
    await target.selectOption((await target.locator('option', { hasText: 'Confidence and self-belief' }).getAttribute('value'))!);
    await lead.page.getByTestId('code-editor-merge').click();
    await expect.poll(() => codeNames(lead.page)).not.toContain('Career progression');
    await expect.poll(async () => (await codingsBy(ben.page, benId)).length).toBe(2);

    // Back online: nothing is lost, and Ben's codings of the merged code count under its target on both sides.
    await setOffline(lead.page, false);
    await setOffline(ben.page, false);
    for (const page of [lead.page, ben.page]) {
      await expect.poll(() => codeNames(page), { timeout: 60_000 }).not.toContain('Career progression');
      await expect.poll(async () => (await codingsBy(page, benId)).map((c) => c.codeId).sort(), { timeout: 60_000 }).toEqual([confidenceId, confidenceId]);
      await expect.poll(async () => (await codingsBy(page, 'coder-ada')).map((c) => c.codeId), { timeout: 60_000 }).toEqual([confidenceId]);
    }
    expect(careerId).not.toBe(confidenceId);
    // The relay never held an answer in plain text.
    const texts = (await allAnswerTexts(lead.page)).filter((t) => t.length > 20).slice(0, 10);
    const stored = relayFiles();
    for (const text of texts) expect(stored).not.toContain(text.slice(0, 24));
  });

  it('takes a coder file as a sync update: what it brings reaches the team, and its coder’s own sync adds nothing twice', async () => {
    const lead = await person({ id: 'coder-ada', name: 'Ada Lead' });
    await lead.page.getByTestId('open-sample').click();
    await waitForProjectReady(lead.page);
    const link = await leadConnects(lead.page, 'member');
    const ben = await joins(link, 'Ben Member');
    const cy = await joins(link, 'Cy Member');
    const benId = await ben.page.evaluate(() => JSON.parse(localStorage.getItem('codebench.coder') ?? '{}').id as string);

    // Ben codes offline and mails his coder file instead.
    await setOffline(ben.page, true);
    await codeAnswer(ben.page, 1, '1');
    await codeAnswer(ben.page, 2, '4');
    await expect.poll(async () => (await codingsBy(ben.page, benId)).length).toBe(2);
    await ben.page.getByTestId('share-open').click();
    const [download] = await Promise.all([ben.page.waitForEvent('download'), ben.page.getByTestId('exchange-export-coder').click()]);
    const folder = mkdtempSync(join(tmpdir(), 'codebench-coder-file-'));
    const coderFile = join(folder, 'ben.coder.codebench.json.gz');
    await download.saveAs(coderFile);
    await ben.page.getByTestId('share-close').click();

    // The lead merges it: the team (Cy) receives Ben's codings through the lead, with Ben still offline.
    await lead.page.getByTestId('share-open').click();
    await lead.page.getByTestId('exchange-import-input').setInputFiles(coderFile);
    await expect.poll(() => lead.page.getByTestId('exchange-message').textContent()).toMatch(/2 codings added/);
    await lead.page.getByTestId('share-close').click();
    rmSync(folder, { recursive: true, force: true });
    await expect.poll(async () => (await codingsBy(cy.page, benId)).length, { timeout: 60_000 }).toBe(2);

    // Ben comes back: the same codings by id, counted once everywhere.
    await setOffline(ben.page, false);
    await codeAnswer(ben.page, 3, '2');
    for (const page of [lead.page, cy.page, ben.page]) {
      await expect.poll(async () => (await codingsBy(page, benId)).length, { timeout: 60_000 }).toBe(3);
    }
    await lead.page.waitForTimeout(500);
    for (const page of [lead.page, cy.page, ben.page]) expect((await codingsBy(page, benId)).length).toBe(3);
  });

  it('syncs memos and rounds, and shows what cannot be merged silently (two codes of one name made offline)', async () => {
    const lead = await person({ id: 'coder-ada', name: 'Ada Lead' });
    await lead.page.getByTestId('open-sample').click();
    await waitForProjectReady(lead.page);
    const link = await leadConnects(lead.page, 'member');
    const ben = await joins(link, 'Ben Member');

    // A memo and a round drawn by the lead reach Ben.
    const first = lead.page.getByTestId('answer').first();
    await first.getByTestId('memo-toggle').click();
    await first.getByTestId('answer-memos').getByTestId('memo-input').fill('Ask about the mentor match');
    await first.getByTestId('answer-memos').getByTestId('memo-save').click();
    await lead.page.getByTestId('rounds-open').click();
    await lead.page.getByTestId('round-name').fill('Pilot');
    await lead.page.getByTestId('round-count').fill('10');
    await lead.page.getByTestId('round-count').press('Tab');
    await lead.page.getByTestId('round-draw').click();
    await expect.poll(() => lead.page.getByTestId('rounds-dialog').getByTestId('round-row').count()).toBe(1);
    await lead.page.getByTestId('rounds-close').click();
    await expect
      .poll(async () => (await storedRecords<{ text: string }>(ben.page, 'memos')).map((m) => m.text), { timeout: 60_000 })
      .toEqual(['Ask about the mentor match']);
    await expect.poll(async () => (await storedRecords<{ name: string }>(ben.page, 'rounds')).map((r) => r.name), { timeout: 60_000 }).toEqual(['Pilot']);

    // Offline, both add a code called "Mentor match": both are kept, and each side is told.
    await setOffline(lead.page, true);
    await setOffline(ben.page, true);
    for (const page of [lead.page, ben.page]) {
      await page.getByTestId('new-code').click();
      await page.getByTestId('new-code-name').fill('Mentor match');
      await page.keyboard.press('Enter');
      await expect.poll(() => codeNames(page)).toContain('Mentor match');
    }
    await setOffline(lead.page, false);
    await setOffline(ben.page, false);
    for (const page of [lead.page, ben.page]) {
      await expect.poll(async () => (await codeNames(page)).filter((n) => n === 'Mentor match').length, { timeout: 60_000 }).toBe(2);
      await page.getByTestId('team-open').click();
      await expect.poll(() => page.getByTestId('team-conflicts').textContent(), { timeout: 60_000 }).toMatch(/2 codes called “Mentor match”/);
      await page.getByTestId('team-close').click();
    }
  });
});
