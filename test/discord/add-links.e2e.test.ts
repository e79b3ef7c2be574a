// Documents added by link, through the real discord.js client against the fake Discord: /add url:, the "Add to
// corpus" message command, citations that show the article's address, one document per article, /remove by address,
// the link limits and DISCORD_GUILD_IDS. Pages come from a web server on 127.0.0.1, let through by the test-only
// FETCH_ALLOW_ORIGINS (the fetcher's own tests prove loopback is refused without it; here too, for another origin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS, MEMBER_PERMISSIONS, STRING, snowflake, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { FakeCdn } from '../fakes/cdn-server.js';
import { articlePage, FakeWeb } from '../fakes/web-server.js';
import { makePdf } from '../fixtures/documents.js';
import { QUAY_REPORT } from '../fixtures/document-specs.js';
import { NOT_SERVED_MESSAGE } from '../../src/discord/guild-scope.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let cdn: FakeCdn;
let web: FakeWeb;
const admin = { id: snowflake(), username: 'admin' };

const BRIDGE = articlePage({
  title: 'Lumen Bridge opens over the Varna river',
  date: '2025-05-12',
  paragraphs: [
    'The Lumen Bridge over the Varna river opened to traffic on 12 May 2025 after four years of construction.',
    'The cable-stayed bridge cost 310 million euros and carries four lanes and a cycle path between the old town and the harbour district.',
    'City engineers expect about 40,000 vehicles to cross the Lumen Bridge every day.',
  ],
  // Its own address, without the tracking parameter of the link that was shared.
  canonical: '/news/lumen-bridge',
});

beforeAll(async () => {
  cdn = await FakeCdn.start();
  web = await FakeWeb.start();
  const canonicalBridge = BRIDGE.replace('href="/news/lumen-bridge"', `href="${web.url('/news/lumen-bridge')}"`);
  web.page('/news/lumen-bridge', canonicalBridge, 'text/html; charset=utf-8');
  web.page('/amp/lumen-bridge', canonicalBridge, 'text/html');
  // The same article's text again, under an address with no canonical link: found by its text.
  web.page('/mirror/bridge-story', canonicalBridge.replace(/<link rel="canonical"[^>]*>/, ''), 'text/html');
  web.page('/reports/quay.pdf', await makePdf(QUAY_REPORT), 'application/pdf');
  web.page(
    '/news/tram-line',
    articlePage({
      title: 'Tram line 7 extended to the airport',
      date: '2025-06-03',
      paragraphs: ['Tram line 7 was extended to the airport terminal on 3 June 2025, cutting the journey from the central station to 25 minutes.', 'The extension added six new stops.'],
    }),
    'text/html',
  );
  web.page('/notes/market.md', '# Night market moves\n\nThe Saturday night market moved to the Pier 4 car park on 7 June 2025, the organisers said.\n', 'text/markdown');
  web.halfway('/news/broken', 'text/html', BRIDGE);
  for (let i = 1; i <= 6; i++) web.redirect(`/hop${i}`, i === 6 ? '/news/tram-line' : `/hop${i + 1}`);
  web.bomb('/news/bomb', 'gzip', 8 * 1024 * 1024);
  web.page('/news/photo', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), 'image/png');
  web.page('/news/fake.pdf', 'Only text, although the server calls it a PDF.', 'application/pdf');
  web.slow('/news/slow', 200);
  h = await startHarness({ env: { DISCORD_CDN_BASE: cdn.base, FETCH_ALLOW_ORIGINS: web.origin, FETCH_COOLDOWN_SECONDS: '0', FETCH_TIMEOUT_SECONDS: '3', MAX_UPLOAD_MB: '2' } });
});

afterAll(async () => {
  await h?.close();
  await cdn?.stop();
  await web?.stop();
});

const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');
const isCallback = (call: RestCall) => call.method === 'POST' && call.path.endsWith('/callback');

function addUrl(url: string, as: { permissions?: string; user?: { id: string; username: string }; guildId?: string } = {}): SentInteraction {
  return h.fake.slash('add', [{ name: 'url', type: STRING, value: url }], { user: as.user ?? admin, permissions: as.permissions ?? ADMIN_PERMISSIONS, ...(as.guildId ? { guildId: as.guildId } : {}) });
}

function finalEdit(sent: SentInteraction, timeoutMs = 30_000): Promise<RestCall> {
  return h.fake.waitForCall((c) => c.path.includes(sent.token) && isEdit(c) && !/^⏳/.test(c.body.content ?? ''), timeoutMs);
}

async function ask(question: string): Promise<RestCall> {
  const sent = h.fake.slash('ask', [{ name: 'question', type: STRING, value: question }]);
  return h.fake.waitForCall((c) => c.path.includes(sent.token) && isEdit(c), 15_000);
}

describe('adding documents by link', () => {
  it('/add url: indexes a linked article under its canonical address, and /ask cites that address', async () => {
    const reply = (await finalEdit(addUrl(web.url('/news/lumen-bridge?utm_source=chat#top')))).body.content as string;
    expect(reply).toMatch(/✅ Added 1 document/);
    expect(reply).toContain('**Lumen Bridge opens over the Varna river** · 2025-05-12 (meta-tag)');
    expect(reply).toContain(`<${web.url('/news/lumen-bridge')}>`);
    expect(reply).toMatch(/`uploads\/127\.0\.0\.1-lumen-bridge\.html`/);
    expect(web.requests.some((r) => r.path === '/news/lumen-bridge' && /corpus-citation-bot/.test(String(r.headers['user-agent'])))).toBe(true);

    const answer = await ask('When did the Lumen Bridge open?');
    const cited = h.services.lastAnswer!.citations.find((c) => c.source === 'uploads/127.0.0.1-lumen-bridge.html');
    expect(cited?.url).toBe(web.url('/news/lumen-bridge'));
    // A clickable title in the embed.
    expect(JSON.stringify(answer.body.embeds)).toContain(`(${web.url('/news/lumen-bridge')})`);

    // So do /sources and /timeline's sources.
    const listed = h.fake.slash('sources', [{ name: 'query', type: STRING, value: 'lumen' }]);
    const sources = await h.fake.waitForCall((c) => c.path.includes(listed.token) && (isEdit(c) || isCallback(c)) && JSON.stringify(c.body).includes('Lumen'), 15_000);
    expect(JSON.stringify(sources.body)).toContain(`](${web.url('/news/lumen-bridge')}) (127.0.0.1)`);

    const timeline = h.fake.slash('timeline', [{ name: 'entities', type: STRING, value: 'lumen bridge' }]);
    const shown = await h.fake.waitForCall((c) => c.path.includes(timeline.token) && (isEdit(c) || isCallback(c)) && JSON.stringify(c.body).includes('Lumen'), 15_000);
    expect(JSON.stringify(shown.body)).toContain(`](${web.url('/news/lumen-bridge')}) (127.0.0.1)`);
  });

  it('the same article under a second address is one document: same canonical address, or same text', async () => {
    const before = (await h.services.sources()).length;
    const amp = (await finalEdit(addUrl(web.url('/amp/lumen-bridge')))).body.content as string;
    expect(amp).toContain('already indexed as `uploads/127.0.0.1-lumen-bridge.html`: nothing written.');
    const mirror = (await finalEdit(addUrl(web.url('/mirror/bridge-story')))).body.content as string;
    expect(mirror).toContain('already indexed as `uploads/127.0.0.1-lumen-bridge.html`: nothing written.');
    // The address typed before: not even fetched again.
    const fetchedBefore = web.requests.length;
    const again = (await finalEdit(addUrl(web.url('/news/lumen-bridge?utm_source=chat')))).body.content as string;
    expect(again).toContain('already indexed as `uploads/127.0.0.1-lumen-bridge.html`');
    expect(web.requests.length).toBe(fetchedBefore);
    expect((await h.services.sources()).length).toBe(before);
  });

  it('/add url: indexes a linked PDF, whose citations carry the link', async () => {
    const reply = (await finalEdit(addUrl(web.url('/reports/quay.pdf')))).body.content as string;
    expect(reply).toContain('`uploads/127.0.0.1-quay.pdf` — **Northern Quay Reconstruction Report**');
    await ask('How much will the reconstruction of the hydrofoil terminal cost?');
    const cited = h.services.lastAnswer!.citations.find((c) => c.source === 'uploads/127.0.0.1-quay.pdf');
    expect(cited).toMatchObject({ url: web.url('/reports/quay.pdf'), page: 2 });
  });

  it('"Add to corpus" adds the two links and the attachment of a message, with one summary', async () => {
    const attachment = cdn.add('harbour notice.txt', new TextEncoder().encode('Harbour notice\n\nThe harbour pilots will strike on 20 June 2025 from 6 am to noon, the pilots union announced.\n'));
    const sent = h.fake.messageCommand(
      'Add to corpus',
      { content: `Two good reads: ${web.url('/news/tram-line')} and <${web.url('/notes/market.md')}>.`, attachments: [attachment] },
      { user: admin, permissions: ADMIN_PERMISSIONS },
    );
    const reply = (await finalEdit(sent)).body.content as string;
    expect(reply).toMatch(/✅ Added 3 documents/);
    expect(reply).toContain('`uploads/harbour notice.txt`');
    expect(reply).toContain(`**Tram line 7 extended to the airport** · 2025-06-03 (meta-tag) · 1 chunk · <${web.url('/news/tram-line')}>`);
    expect(reply).toContain(`<${web.url('/notes/market.md')}>`);
    // One summary: the deferral, then edits of that one reply.
    expect(h.fake.callsFor(sent).filter((c) => c.method === 'POST' && !isCallback(c))).toEqual([]);

    await ask('When was tram line 7 extended to the airport?');
    expect(h.services.lastAnswer!.citations.some((c) => c.url === web.url('/news/tram-line'))).toBe(true);
  });

  it('refuses with the reason shown to the administrator, and loses nothing indexed when a fetch fails half-way', async () => {
    const indexedBefore = (await h.services.sources()).map((s) => s.source);
    const cases: Array<[string, RegExp]> = [
      [web.url('/news/broken'), /skipped: the download was interrupted/],
      ['http://127.0.0.2/admin', /skipped: 127\.0\.0\.2 resolves to a loopback address \(127\.0\.0\.2\); only public addresses are fetched/],
      ['http://169.254.169.254/latest/meta-data/', /skipped: .*a link-local address \(169\.254\.169\.254\)/],
      ['http://10.0.0.8/', /skipped: .*a private address/],
      ['http://[::ffff:7f00:1]/', /skipped: .*IPv4-mapped IPv6/],
      ['https://user:pw@example.test/', /skipped: links with a user name or password are refused/],
      ['ftp://example.test/file.txt', /skipped: only http and https links are fetched/],
      ['http://127.0.0.1:9/', /skipped: port 9 is not allowed \(only 80, 443\)/],
      [web.url('/missing'), /skipped: the server answered HTTP 404/],
      [web.url('/hop1'), /skipped: too many redirects \(more than 5\)/],
      [web.url('/news/bomb'), /skipped: larger than 2\.0 MB once decompressed/],
      [web.url('/news/photo'), /skipped: unsupported type image\/png: only HTML, PDF, Word \(\.docx\), plain text and Markdown/],
      [web.url('/news/fake.pdf'), /skipped: the server called it application\/pdf, but its content does not match the \.pdf type \(it is text\)/],
    ];
    for (const [link, reason] of cases) {
      const reply = (await finalEdit(addUrl(link))).body.content as string;
      expect(reply, link).toMatch(reason);
    }
    expect((await h.services.sources()).map((s) => s.source)).toEqual(indexedBefore);
  });

  it('/remove takes the address as well as the file name', async () => {
    const sent = h.fake.slash('remove', [{ name: 'source', type: STRING, value: web.url('/news/tram-line') }], { user: admin, permissions: ADMIN_PERMISSIONS });
    const reply = (await finalEdit(sent)).body.content as string;
    expect(reply).toMatch(/Removed `uploads\/127\.0\.0\.1-tram-line\.html`/);
    expect((await h.services.sources()).some((s) => s.url === web.url('/news/tram-line'))).toBe(false);
  });

  it('non-administrators are refused at run time, by the context menu too', async () => {
    const before = web.requests.length;
    const sent = h.fake.messageCommand('Add to corpus', { content: web.url('/news/tram-line') }, { permissions: MEMBER_PERMISSIONS });
    const reply = await h.fake.waitForCall((c) => c.path.includes(sent.token) && isCallback(c));
    expect(reply.body.data.content).toBe('Only server administrators can run “Add to corpus”.');
    const slash = addUrl(web.url('/news/tram-line'), { permissions: MEMBER_PERMISSIONS, user: { id: snowflake(), username: 'member' } });
    expect((await h.fake.waitForCall((c) => c.path.includes(slash.token) && isCallback(c))).body.data.content).toMatch(/Only server administrators/);
    expect(web.requests.length).toBe(before);
  });

  it('one fetch at a time per server, and a cooldown per user', async () => {
    const slow = addUrl(web.url('/news/slow'));
    await h.fake.waitForCall((c) => c.path.includes(slow.token) && isCallback(c));
    const second = addUrl(web.url('/news/tram-line'), { user: { id: snowflake(), username: 'admin2' } });
    const busy = await h.fake.waitForCall((c) => c.path.includes(second.token) && isCallback(c));
    expect(busy.body.data.content).toBe('A link is already being added in this server. Try again when it has finished.');
    expect((await finalEdit(slow)).body.content).toMatch(/skipped: timed out after 3 s/);

    h.config.fetch.cooldownSeconds = 60;
    await h.restart();
    try {
      const first = (await finalEdit(addUrl(web.url('/news/tram-line')))).body.content as string;
      expect(first).toMatch(/Added 1 document/);
      const next = addUrl(web.url('/notes/none.md'));
      const cooled = await h.fake.waitForCall((c) => c.path.includes(next.token) && isCallback(c));
      expect(cooled.body.data.content).toMatch(/^Easy there! You can add another link in \d+ seconds\.$/);
    } finally {
      h.config.fetch.cooldownSeconds = 0;
    }
  });

  it('DISCORD_GUILD_IDS: in another server it answers nothing and says why once', async () => {
    const elsewhere = snowflake();
    await h.restart({ guildIds: [h.fake.guildId] });
    const first = h.fake.slash('ask', [{ name: 'question', type: STRING, value: 'Where did Ishiba and Lee meet?' }], { guildId: elsewhere });
    const notice = await h.fake.waitForCall((c) => c.path.includes(first.token) && isCallback(c));
    expect(notice.body.data).toMatchObject({ content: NOT_SERVED_MESSAGE, flags: 64 });
    const second = addUrl(web.url('/news/tram-line'), { guildId: elsewhere });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.fake.callsFor(second)).toEqual([]);
    expect(h.logs.filter((line) => line.includes('does not serve')).length).toBe(1);
    // Its own server is served as before.
    const own = h.fake.slash('help', []);
    await h.fake.waitForCall((c) => c.path.includes(own.token) && (isCallback(c) || isEdit(c)));
    await h.restart({ guildIds: [] });
  });
});
