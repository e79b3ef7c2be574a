// The real discord.js client, started with startBot(), against the fake Discord on loopback.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import type { Answer, Timeline } from '../../src/core/types.js';
import { ADMIN_PERMISSIONS, BOOLEAN, STRING, snowflake, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { startHarness, type Harness } from './harness.js';
import { limitProblems, messageOf } from './limits-check.js';

const EPHEMERAL = 64;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const isCallback = (call: RestCall) => call.method === 'POST' && call.path.endsWith('/callback');
const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');
const isFollowUp = (call: RestCall) => call.method === 'POST' && /\/webhooks\/\d+\/[^/]+$/.test(call.path);

/** First call of `interaction` that satisfies `predicate` (waits for it). */
function callOf(interaction: SentInteraction, predicate: (call: RestCall) => boolean, timeoutMs = 8000): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.path.includes(`/${interaction.token}`) && call.status < 300 && predicate(call), timeoutMs);
}

function ask(question: string, extra: { private?: boolean; userId?: string } = {}): SentInteraction {
  const options = [{ name: 'question', type: STRING, value: question }];
  if (extra.private !== undefined) options.push({ name: 'private', type: BOOLEAN, value: extra.private } as never);
  return h.fake.slash('ask', options, extra.userId ? { user: { id: extra.userId, username: 'same-user' } } : {});
}

function corpusText(source: string): Promise<string> {
  return readFile(join(h.config.corpusDir, source), 'utf8');
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('bot against a fake Discord', () => {
  it('connects: IDENTIFY, READY with the application id', () => {
    expect(h.fake.gateway.identifies).toBe(1);
    expect(h.bot.applicationId).toBe(h.fake.applicationId);
    expect(h.bot.client.isReady()).toBe(true);
  });

  it('/ask defers at once, then edits in an embed whose citations are real passages', async () => {
    const sent = ask('When did Japanese and South Korean leaders agree to boost cooperation in Tokyo?');
    const defer = await callOf(sent, isCallback);
    expect(defer.body).toMatchObject({ type: 5 });
    expect(defer.body.data.flags ?? 0).toBe(0);
    const edit = await callOf(sent, isEdit);
    expect(edit.at).toBeGreaterThanOrEqual(defer.at);

    const answer = h.services.lastAnswer!;
    expect(answer.refused).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    const [embed] = edit.body.embeds;
    const markers = [...String(embed.description).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(markers.length).toBeGreaterThan(0);
    const sourcesField = embed.fields.find((f: { name: string }) => f.name === 'Sources');
    for (const n of new Set(markers)) {
      const citation = answer.citations.find((c) => c.n === n);
      expect(citation, `marker [${n}] has a citation`).toBeDefined();
      expect(sourcesField.value).toContain(`**[${n}]**`);
      expect(sourcesField.value).toContain(citation!.source);
      // The quote is really in the cited file (offsets refer to cleaned text, so compare the words).
      expect(normalise(await corpusText(citation!.source))).toContain(normalise(citation!.quote));
    }
    expect(embed.footer.text).toMatch(/Mode: (offline|LLM)/);
    const customIds = edit.body.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    expect(customIds).toEqual([`ask:quotes:${sent.id}`, `ask:wrong:${sent.id}`, `ask:up:${sent.id}`, `ask:down:${sent.id}`]);
  });

  it('Show quotes and Wrong citation? work from the answer message', async () => {
    const sent = ask('Where did Japanese and South Korean leaders meet to boost bilateral cooperation?');
    await callOf(sent, isEdit);
    const answer = h.services.lastAnswer!;
    const message = h.fake.originalMessage(sent);
    const [quotesId, wrongId] = message.components[0].components.map((b: { custom_id: string }) => b.custom_id);

    const clicker = { id: snowflake(), username: 'clicker' };
    const quotes = h.fake.button(quotesId, message, { user: clicker });
    const quotesReply = await callOf(quotes, isCallback);
    expect(quotesReply.body.type).toBe(4);
    expect(quotesReply.body.data.flags).toBe(EPHEMERAL);
    const shown = quotesReply.body.data.embeds.map((e: { description: string }) => e.description).join('\n');
    for (const c of answer.citations) expect(shown).toContain(`**[${c.n}]**`);
    // Quotes are shown word for word (markdown-escaped, in a block quote).
    const firstWords = normalise(answer.citations[0]!.quote).split(' ').slice(0, 4).join(' ');
    expect(normalise(shown.replace(/\\/g, ''))).toContain(firstWords);

    const wrong = h.fake.button(wrongId, message, { user: clicker });
    const thanks = await callOf(wrong, isCallback);
    expect(thanks.body.data).toMatchObject({ flags: EPHEMERAL });
    expect(thanks.body.data.content).toMatch(/thank/i);
    const lines = (await readFile(h.config.discord.feedbackFile, 'utf8')).trim().split('\n');
    const record = lines.map((line) => JSON.parse(line)).findLast((r: { kind: string }) => r.kind === 'wrong-citation');
    expect(record).toMatchObject({ question: answer.question, standalone: answer.question, mode: answer.mode, refused: false, kind: 'wrong-citation' });
    expect(record.sources).toEqual([...new Set(answer.citations.map((c) => c.source))]);
    // No message content beyond the question, and the user only as a hash.
    expect(record.user).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(record)).not.toContain(clicker.id);
    expect(record).not.toHaveProperty('answer');
    expect(Date.parse(record.at)).not.toBeNaN();
  });

  it('a button of a forgotten answer says so politely', async () => {
    const click = h.fake.button(`ask:quotes:${snowflake()}`, undefined);
    const reply = await callOf(click, isCallback);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toMatch(/no longer have that answer/);
  });

  it('a refusal is shown clearly with the closest sources', async () => {
    const sent = ask('What is the airspeed velocity of an unladen swallow carrying coconuts?');
    const edit = await callOf(sent, isEdit);
    const answer = h.services.lastAnswer!;
    expect(answer.refused).toBe(true);
    const [embed] = edit.body.embeds;
    expect(embed.description).toMatch(/No supported answer/);
    if (answer.citations.length > 0) {
      expect(embed.fields[0].name).toMatch(/Closest sources/);
      expect(edit.body.components[0].components).toHaveLength(1); // Show quotes only
    }
  });

  it('@everyone and <@id> in a question ping nobody', async () => {
    const sent = ask('@everyone <@123456789012345678> what did Japan and South Korea agree in Tokyo?', { private: false });
    const edit = await callOf(sent, isEdit);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.body.embeds[0].title).toContain('@everyone');
  });

  it('/ask private:true defers ephemerally', async () => {
    const sent = ask('Where did Japanese and South Korean leaders meet?', { private: true });
    const defer = await callOf(sent, isCallback);
    expect(defer.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    await callOf(sent, isEdit);
  });

  it('a very long answer with many long citations stays within every limit', async () => {
    const citations = Array.from({ length: 40 }, (_, i) => ({
      n: i + 1,
      source: `very/long/path/to/a/document-number-${i + 1}-${'x'.repeat(60)}.html`,
      title: `A *very* long _title_ @everyone ${'word '.repeat(60)}`,
      date: '2025-08-23',
      url: `https://example.com/${'p/'.repeat(40)}`,
      quote: `Quoted passage ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(120)}`,
      start: 0,
      end: 10,
    }));
    const text = citations.map((c) => `Sentence ${c.n} ${'and more words '.repeat(25)}[${c.n}]`).join(' ');
    h.services.overrides.ask = async (question): Promise<Answer> => ({ question, answer: text, refused: false, mode: 'llm', citations, fallbackReason: undefined });
    try {
      const sent = ask(`Long? ${'why '.repeat(400)}`);
      const edit = await callOf(sent, isEdit);
      expect(limitProblems(edit.body)).toEqual([]);
      expect(edit.body.embeds.map((e: { description?: string }) => e.description ?? '').join('')).toMatch(/shortened to fit Discord/);
      const message = h.fake.originalMessage(sent);
      const quotes = h.fake.button(message.components[0].components[0].custom_id, message);
      const reply = await callOf(quotes, isCallback);
      expect(limitProblems(reply.body.data)).toEqual([]);
    } finally {
      delete h.services.overrides.ask;
    }
  });

  it('a 429 from REST is waited out and retried', async () => {
    h.fake.rateLimitNext(1, 0.3, (method, path) => method === 'PATCH' && path.endsWith('@original'));
    const sent = ask('What did Biden and Kishida pledge about defense cooperation?');
    const edit = await callOf(sent, isEdit);
    const limited = h.fake.callsFor(sent).filter((c) => c.status === 429);
    expect(limited).toHaveLength(1);
    expect(edit.at - limited[0]!.at).toBeGreaterThanOrEqual(250);
    expect(h.logs.some((line) => line.includes('rate limited by Discord'))).toBe(true);
  });

  it('the per-user cooldown answers privately with the seconds left', async () => {
    const userId = snowflake();
    const first = ask('What did Japan and South Korea agree?', { userId });
    await callOf(first, isEdit);
    const second = ask('And China?', { userId });
    const reply = await callOf(second, isCallback);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toMatch(/again in \d+ seconds?/);
  });

  it('/timeline japan korea lists dated events in order with source numbers, and uploads the picture', async () => {
    const sent = h.fake.slash('timeline', [{ name: 'entities', type: STRING, value: 'japan korea' }]);
    const reply = await h.fake.waitForCall((c) => c.path.includes(sent.token) && (isEdit(c) || (isCallback(c) && c.body.type === 4)));
    const message = isEdit(reply) ? reply.body : reply.body.data;
    const [embed] = message.embeds;
    expect(embed.title).toMatch(/Timeline/);
    const dates = [...String(embed.description).matchAll(/^`(\d{4}(?:-\d\d){0,2})/gm)].map((m) => m[1]!);
    expect(dates.length).toBeGreaterThan(0);
    expect([...dates].sort()).toEqual(dates);
    expect(embed.description).toMatch(/\[\d+\]/);
    expect(embed.fields[0].name).toBe('Sources');
    // The multipart upload: one PNG, shown inside the embed.
    const [file] = reply.body.files;
    expect(file.filename).toBe('timeline.png');
    expect(file.data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(embed.image.url).toBe('attachment://timeline.png');
  });

  it('/timeline pages with ◀ ▶ and ends with an Undated section', async () => {
    const long: Timeline = {
      entities: [
        { name: 'japan', label: 'Japan', aliases: [], source: 'curated' },
        { name: 'korea', label: 'South Korea', aliases: [], source: 'curated' },
      ],
      events: Array.from({ length: 40 }, (_, i) => ({
        date: `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}`,
        status: i === 39 ? ('planned' as const) : ('happened' as const),
        text: `Event number ${i + 1} in which the two governments met again`,
        citations: [{ n: (i % 7) + 1, source: `doc${i % 7}.txt`, title: `Document ${i % 7}`, quote: 'q', start: 0, end: 1 }],
      })),
      undated: [{ text: 'Leaders talked at some point', citations: [{ n: 8, source: 'doc8.txt', title: 'Document 8', quote: 'q', start: 0, end: 1 }] }],
    };
    h.services.overrides.timeline = async () => long;
    try {
      const sent = h.fake.slash('timeline', [{ name: 'entities', type: STRING, value: 'japan korea' }]);
      const first = await callOf(sent, (c) => isCallback(c) && c.body.type === 4);
      const page1 = first.body.data;
      expect(page1.embeds[0].footer.text).toMatch(/^Page 1\/(\d+)/);
      const [prev, next] = page1.components[0].components;
      expect(prev.disabled).toBe(true);
      expect(next.disabled).toBe(false);

      let customId: string = next.custom_id;
      let last: any;
      for (let i = 0; i < 10 && customId; i += 1) {
        const click = h.fake.button(customId, { ...h.fake.originalMessage(sent), components: page1.components });
        const update = await callOf(click, isCallback);
        expect(update.body.type).toBe(7);
        last = update.body.data;
        const nextButton = last.components[0].components[1];
        customId = nextButton.disabled ? '' : nextButton.custom_id;
      }
      expect(last.embeds[0].description).toContain('**Undated**');
      expect(last.embeds[0].description).toMatch(/\*\(planned\)\*/);
    } finally {
      delete h.services.overrides.timeline;
    }
  });

  it('/timeline of a name the documents never mention says so privately, without a picture', async () => {
    const sent = h.fake.slash('timeline', [{ name: 'entities', type: STRING, value: 'atlantis' }]);
    const reply = await callOf(sent, isCallback);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toMatch(/No dated events mention 'atlantis' in the \d+ indexed documents/);
    expect(reply.body.data.files ?? []).toEqual([]);
  });

  it('/timeline autocompletes learned entity names, most-mentioned first (≤ 25 choices)', async () => {
    const known = await h.services.entities();
    expect(known.some((e) => e.source === 'learned')).toBe(true);
    expect(known.map((e) => e.mentions)).toEqual([...known.map((e) => e.mentions)].sort((a, b) => b - a));
    const first = known[0]!.label;
    const sent = h.fake.autocomplete('timeline', [{ name: 'entities', type: STRING, value: `x ${first.slice(0, 2)}`, focused: true }]);
    const reply = await callOf(sent, isCallback);
    expect(reply.body.type).toBe(8);
    const choices: Array<{ name: string; value: string }> = reply.body.data.choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.value)).toContain(`x ${first}`);
  });

  it('/reindex by a non-administrator is refused at run time', async () => {
    const before = h.services.calls.reindex;
    const sent = h.fake.slash('reindex');
    const reply = await callOf(sent, isCallback);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(reply.body.data.content).toMatch(/administrators/);
    expect(h.services.calls.reindex).toBe(before);
  });

  it('/reindex by an administrator picks up a new file, and /ask then finds it', async () => {
    const file = 'zz_zanzibar_guild.txt';
    await writeFile(
      join(h.config.corpusDir, file),
      'Zanzibar Cartographers Guild Publishes Harbour Charts\nStone Town (AFP) Aug 1, 2025\n\nThe Zanzibar cartographers guild agreed to publish new tidal charts of the harbour every spring. Officials welcomed the decision by the cartographers guild.\n',
    );
    const sent = h.fake.slash('reindex', [], { permissions: ADMIN_PERMISSIONS });
    const defer = await callOf(sent, isCallback);
    expect(defer.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const done = await h.fake.waitForCall((c) => c.path.includes(sent.token) && isEdit(c) && /Re-index done/.test(c.body.content), 30_000);
    expect(done.body.content).toMatch(/\+1 added · 0 changed · 0 removed · skipped:/);

    const question = ask('What did the Zanzibar cartographers guild agree to publish?');
    await callOf(question, isEdit);
    expect(h.services.lastAnswer!.refused).toBe(false);
    expect(h.services.lastAnswer!.citations.map((c) => c.source)).toContain(file);
  });

  it('a second /reindex while one runs is told one is running', async () => {
    // Hold the first run open so the second surely overlaps it; the busy answer is what the service contract promises.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    h.services.overrides.reindex = async (onProgress) => {
      running += 1;
      try {
        if (running > 1) throw new CoreError('REINDEX_BUSY', 'busy');
        onProgress?.({ phase: 'embedding', done: 3, total: 10 });
        await gate;
        return await h.services.base.reindex(onProgress);
      } finally {
        running -= 1;
      }
    };
    try {
      const admin = { permissions: ADMIN_PERMISSIONS };
      const first = h.fake.slash('reindex', [], admin);
      const progress = await callOf(first, (c) => isEdit(c) && /Re-indexing/.test(c.body.content));
      expect(progress.body.content).toMatch(/3\/10/);
      const second = h.fake.slash('reindex', [], admin);
      const busy = await callOf(second, isEdit);
      expect(busy.body.content).toMatch(/already running/);
      release();
      const done = await callOf(first, (c) => isEdit(c) && /Re-index done/.test(c.body.content));
      // The summary is the last word: no progress edit after it.
      expect(h.fake.callsFor(first).filter(isEdit).at(-1)).toBe(done);
    } finally {
      delete h.services.overrides.reindex;
    }
  });

  it('/sources lists the documents, /help describes the bot', async () => {
    const sources = h.fake.slash('sources', [{ name: 'query', type: STRING, value: 'zanzibar' }]);
    const list = await callOf(sources, isEdit);
    expect(list.body.embeds[0].title).toMatch(/Indexed documents matching “zanzibar” \(1\)/);
    expect(list.body.embeds[0].description).toMatch(/zz_zanzibar_guild\.txt/);
    expect(list.body.embeds[0].description).toMatch(/indexed \d{4}-\d\d-\d\d/);

    const help = h.fake.slash('help');
    const info = await callOf(help, isEdit);
    expect(info.body.embeds[0].fields.map((f: { name: string }) => f.name)).toContain('Documents');
  });

  it('a failing handler gets a short private message; the log has details but no token', async () => {
    let current: SentInteraction | undefined;
    h.services.overrides.ask = async () => {
      throw Object.assign(new Error(`upstream failed for /webhooks/${h.fake.applicationId}/${current?.token}/messages/@original`), { status: 500 });
    };
    try {
      current = ask('This will fail?');
      const followUp = await callOf(current, isFollowUp);
      expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
      expect(followUp.body.content).toMatch(/something went wrong/);
      const logged = h.logs.find((line) => line.includes('interaction failed') && line.includes(current!.id));
      expect(logged).toContain('upstream failed');
      expect(logged).not.toContain(current.token);
    } finally {
      delete h.services.overrides.ask;
    }
  });

  it('reconnects (RESUME) after the gateway closes the socket, and keeps answering', async () => {
    h.fake.closeGateway(4000);
    await h.fake.waitForGateway('resumes', 1);
    const sent = h.fake.slash('help');
    await callOf(sent, isEdit);
    expect(h.fake.gateway.connections).toBe(2);
    expect(h.logs.some((line) => line.includes('gateway session resumed'))).toBe(true);
  });

  it('every message sent stays within limits with allowed_mentions parse: [] and no token is ever logged', () => {
    const messages = h.fake.calls.filter((c) => c.status < 300).map(messageOf).filter((m) => m !== undefined);
    expect(messages.length).toBeGreaterThan(20);
    for (const message of messages) expect(limitProblems(message!)).toEqual([]);
    const logText = h.logs.join('');
    expect(logText).not.toContain(h.config.discord.token);
    for (const sent of h.fake.sent) expect(logText).not.toContain(sent.token);
  });

  it('stop() waits for an answer in progress before disconnecting', async () => {
    h.services.overrides.ask = async (question) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { question, answer: 'Late but delivered.', refused: false, mode: 'extractive', citations: [] };
    };
    const sent = ask('Slow question?');
    await callOf(sent, isCallback);
    await h.bot.stop();
    expect(h.fake.callsFor(sent).some(isEdit)).toBe(true);
    expect(h.bot.client.isReady()).toBe(false);
  });
});
