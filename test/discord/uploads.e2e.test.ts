// /add and /remove through the real discord.js client against the fake Discord, attachments served by a fake CDN.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS, ATTACHMENT, BOOLEAN, MEMBER_PERMISSIONS, STRING, snowflake, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { FakeCdn, type FakeAttachment } from '../fakes/cdn-server.js';
import { makeDocx, makePdf, makeZipBomb } from '../fixtures/documents.js';
import { FERRY_MEMO, QUAY_REPORT } from '../fixtures/document-specs.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let cdn: FakeCdn;
let pdf: Uint8Array;
const admin = { id: snowflake(), username: 'admin' };

beforeAll(async () => {
  cdn = await FakeCdn.start();
  h = await startHarness({ env: { DISCORD_CDN_BASE: cdn.base, MAX_UPLOAD_MB: '2' } });
  pdf = await makePdf(QUAY_REPORT);
});

afterAll(async () => {
  await h?.close();
  await cdn?.stop();
});

const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');
const isCallback = (call: RestCall) => call.method === 'POST' && call.path.endsWith('/callback');

function add(files: FakeAttachment[], extra: { replace?: boolean; permissions?: string } = {}): SentInteraction {
  const names = ['file', 'file2', 'file3', 'file4', 'file5'];
  const options: Array<{ name: string; type: number; value: string | boolean }> = files.map((f, i) => ({ name: names[i]!, type: ATTACHMENT, value: f.id }));
  if (extra.replace !== undefined) options.push({ name: 'replace', type: BOOLEAN, value: extra.replace });
  const attachments = Object.fromEntries(files.map((f) => [f.id, f]));
  return h.fake.slash('add', options, { user: admin, permissions: extra.permissions ?? ADMIN_PERMISSIONS, resolved: { attachments } });
}

/** The final reply of an /add or /remove (the last edit that is not a progress line). */
function finalEdit(sent: SentInteraction): Promise<RestCall> {
  return h.fake.waitForCall((c) => c.path.includes(sent.token) && isEdit(c) && !/^⏳/.test(c.body.content ?? ''), 30_000);
}

function corpusFiles(dir = ''): string[] {
  const root = join(h.config.corpusDir, dir);
  return existsSync(root) ? readdirSync(root, { recursive: true }).map(String).sort() : [];
}

describe('/add and /remove', () => {
  it('refuses a non-administrator at run time, before downloading anything', async () => {
    const sent = add([cdn.add('member.pdf', pdf)], { permissions: MEMBER_PERMISSIONS });
    const reply = await h.fake.waitForCall((c) => c.path.includes(sent.token) && isCallback(c));
    expect(reply.body.data.content).toMatch(/Only server administrators/);
    expect(cdn.requests).toEqual([]);
  });

  it('adds a PDF and a Word file, refusing hostile names and content, and answers from page 2 with "p. 2"', async () => {
    const sent = add([
      cdn.add('Quay Report.pdf', pdf),
      cdn.add('ferry memo.docx', await makeDocx(FERRY_MEMO)),
      cdn.add('../../etc/passwd.pdf', pdf),
      cdn.add('invoice\u202Efdp.docx', pdf),
      cdn.add('fake.pdf', new TextEncoder().encode('This is not a PDF at all, just text with a .pdf name.')),
    ]);
    const reply = (await finalEdit(sent)).body.content as string;
    expect(reply).toMatch(/Added 2 documents/);
    expect(reply).toContain('`uploads/Quay Report.pdf` — **Northern Quay Reconstruction Report** · 2024-03-05 (dateline)');
    expect(reply).toMatch(/`uploads\/ferry memo\.docx` — \*\*Ferry Timetable Changes\*\* · 2024-02-10/);
    expect(reply).toMatch(/passwd\.pdf` skipped: file name must not contain a path/);
    expect(reply).toMatch(/skipped: file name contains control or right-to-left override characters/);
    expect(reply).toMatch(/`fake\.pdf` skipped: content does not match the \.pdf extension \(it is text\)/);
    expect(corpusFiles('uploads')).toEqual(['.uploads.json', 'Quay Report.pdf', 'ferry memo.docx']);
    expect(existsSync(join(h.dir, 'etc'))).toBe(false);
    expect(h.logs.some((line) => line.includes('"upload added"') && line.includes(admin.id))).toBe(true);

    const question = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'How much will the reconstruction of the hydrofoil terminal cost?' }]);
    const answer = await h.fake.waitForCall((c) => c.path.includes(question.token) && isEdit(c), 15_000);
    const cited = h.services.lastAnswer!.citations.find((c) => c.source === 'uploads/Quay Report.pdf');
    expect(cited?.page).toBe(2);
    expect(JSON.stringify(answer.body.embeds)).toContain('`uploads/Quay Report.pdf` · p. 2');
  });

  it('the same content again is "already indexed", and nothing is written', async () => {
    const before = corpusFiles();
    const reply = (await finalEdit(add([cdn.add('copy of report.pdf', pdf)]))).body.content as string;
    expect(reply).toContain('`copy of report.pdf` already indexed as `uploads/Quay Report.pdf`: nothing written.');
    expect(corpusFiles()).toEqual(before);
  });

  it('an existing name is not overwritten unless replace:true', async () => {
    const changed = await makePdf({ ...QUAY_REPORT, pages: [...QUAY_REPORT.pages, ['An appendix lists the contractors that bid for the caisson work in 2024.']] });
    const refused = (await finalEdit(add([cdn.add('Quay Report.pdf', changed)]))).body.content as string;
    expect(refused).toMatch(/uploads\/Quay Report\.pdf already exists \(send it again with replace:true/);
    const replaced = (await finalEdit(add([cdn.add('Quay Report.pdf', changed)], { replace: true }))).body.content as string;
    expect(replaced).toMatch(/replaced the previous upload/);
    expect(Buffer.from(await readFile(join(h.config.corpusDir, 'uploads', 'Quay Report.pdf'))).equals(Buffer.from(changed))).toBe(true);
    expect(corpusFiles('.trash').some((f) => f.endsWith('Quay Report.pdf'))).toBe(true);
  });

  it('keeps answering while a hostile file is refused (zip bomb, oversized), and loses nothing indexed', async () => {
    const indexedBefore = (await h.services.sources()).map((s) => s.source);
    const sent = add([cdn.add('bomb.docx', makeZipBomb(8 * 1024 * 1024)), cdn.add('big.pdf', pdf, { declaredSize: 3 * 1024 * 1024 })]);
    const question = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Where did Ishiba and Lee meet in August 2025?' }]);
    const reply = (await finalEdit(sent)).body.content as string;
    expect(reply).toMatch(/`bomb\.docx` skipped: unzips to more than .* refused as a zip bomb/);
    expect(reply).toMatch(/`big\.pdf` skipped: file too large \(3\.0 MB, limit 2\.0 MB\)/);
    await h.fake.waitForCall((c) => c.path.includes(question.token) && isEdit(c), 15_000);
    expect(h.services.lastAnswer!.refused).toBe(false);
    expect((await h.services.sources()).map((s) => s.source)).toEqual(indexedBefore);
  });

  it('/sources shows who added an upload; /remove autocompletes, moves it to the trash and re-indexes', async () => {
    const listed = h.fake.slash('sources', [{ name: 'query', type: STRING, value: 'ferry' }]);
    const sources = await h.fake.waitForCall((c) => c.path.includes(listed.token) && isEdit(c));
    expect(JSON.stringify(sources.body.embeds)).toContain(`added by <@${admin.id}>`);

    const suggest = h.fake.autocomplete('remove', [{ name: 'source', type: STRING, value: 'ferry', focused: true }], { permissions: ADMIN_PERMISSIONS });
    const choices = await h.fake.waitForCall((c) => c.path.includes(suggest.token) && isCallback(c));
    expect(choices.body.data.choices.map((c: { value: string }) => c.value)).toEqual(['uploads/ferry memo.docx']);

    const sent = h.fake.slash('remove', [{ name: 'source', type: STRING, value: 'uploads/ferry memo.docx' }], { user: admin, permissions: ADMIN_PERMISSIONS });
    const reply = (await finalEdit(sent)).body.content as string;
    expect(reply).toMatch(/Removed `uploads\/ferry memo\.docx`: moved to `\.trash\/.*\/uploads\/ferry memo\.docx`/);
    expect(reply).toMatch(/1 removed/);
    expect(corpusFiles('uploads')).not.toContain('ferry memo.docx');
    expect(corpusFiles('.trash').some((f) => f.endsWith('ferry memo.docx'))).toBe(true);
    // The trash is never indexed.
    expect((await h.services.sources()).map((s) => s.source).filter((s) => s.includes('ferry'))).toEqual([]);
    expect(h.logs.some((line) => line.includes('"document removed"') && line.includes(admin.id))).toBe(true);

    const unknown = h.fake.slash('remove', [{ name: 'source', type: STRING, value: '../../etc/passwd' }], { user: admin, permissions: ADMIN_PERMISSIONS });
    expect((await finalEdit(unknown)).body.content).toMatch(/No indexed document is called/);
  });
});
