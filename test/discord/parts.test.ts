import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ReindexSummary } from '../../src/commands/types.js';
import { CoreError } from '../../src/core/errors.js';
import { commandDefinitions, commands } from '../../src/discord/commands/index.js';
import { Cooldowns } from '../../src/discord/cooldown.js';
import { customId, parseCustomId } from '../../src/discord/custom-id.js';
import { parseEntities, suggestEntities } from '../../src/discord/entities.js';
import { FeedbackLog } from '../../src/discord/feedback.js';
import { recentStore } from '../../src/discord/recent-store.js';
import { describeError } from '../../src/discord/router.js';
import { throttledSender } from '../../src/discord/throttle.js';
import { watchCorpus } from '../../src/discord/watch.js';
import { createLogger } from '../../src/logging.js';

const KNOWN = ['japan', 'korea', 'north-korea', 'South Korea', 'united states'];

describe('entities option', () => {
  it('splits on spaces or commas and matches multi-word names greedily', () => {
    expect(parseEntities('japan korea', KNOWN)).toEqual(['japan', 'korea']);
    expect(parseEntities('south korea  Japan japan', KNOWN)).toEqual(['South Korea', 'Japan']);
    expect(parseEntities('japan, united   states', KNOWN)).toEqual(['japan', 'united states']);
    expect(parseEntities('  ', KNOWN)).toEqual([]);
  });

  it('completes the name being typed and keeps what came before', () => {
    expect(suggestEntities('', KNOWN, 25)).toEqual(KNOWN);
    expect(suggestEntities('japan ko', KNOWN, 25)).toEqual(['japan korea', 'japan north-korea', 'japan South Korea']);
    expect(suggestEntities('japan south ko', KNOWN, 25)).toEqual(['japan South Korea']);
    expect(suggestEntities('japan ', KNOWN, 25)).not.toContain('japan japan');
    expect(suggestEntities('kor', KNOWN, 25)).toEqual(['korea', 'north-korea', 'South Korea']);
    expect(suggestEntities('a', Array.from({ length: 40 }, (_, i) => `a${i}`), 25)).toHaveLength(25);
  });
});

describe('small parts', () => {
  it('custom ids round-trip and respect the 100-character limit', () => {
    expect(parseCustomId(customId('ask', 'quotes', '123'))).toEqual({ command: 'ask', action: 'quotes', args: ['123'] });
    expect(() => customId('ask', 'x', 'y'.repeat(100))).toThrow(/100/);
    expect(() => customId('a:b', 'x')).toThrow();
    expect(parseCustomId('nonsense')).toBeNull();
  });

  it('the recent store evicts the least recently used and expires entries', () => {
    let now = 1;
    const store = recentStore<{ n: number }>({ maxEntries: 2, ttlMs: 100, now: () => now });
    store.set('a', { n: 1 });
    store.set('b', { n: 2 });
    store.set('c', { n: 3 });
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toEqual({ n: 2 });
    now = 50;
    store.set('d', { n: 4 }); // c, not the just-read b, is the least recently used
    expect(store.get('c')).toBeUndefined();
    now = 102;
    expect(store.get('b')).toBeUndefined();
    expect(store.get('d')).toEqual({ n: 4 });
    expect(store.size).toBe(1);
  });

  it('Cooldowns tell the time left and are off at 0 seconds', () => {
    let now = 0;
    const cooldowns = new Cooldowns(5, () => now);
    expect(cooldowns.take('u')).toBe(0);
    now = 2000;
    expect(cooldowns.take('u')).toBe(3000);
    expect(cooldowns.take('other')).toBe(0);
    now = 5000;
    expect(cooldowns.take('u')).toBe(0);
    expect(new Cooldowns(0).take('u')).toBe(0);
    expect(new Cooldowns(0).take('u')).toBe(0);
  });

  it('throttledSender sends the latest value at most once per interval, in order', async () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      const sender = throttledSender(async (v: number) => void sent.push(v), 1000, () => undefined, () => Date.now());
      sender.push(1);
      await vi.advanceTimersByTimeAsync(0);
      sender.push(2);
      sender.push(3);
      await vi.advanceTimersByTimeAsync(999);
      expect(sent).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([1, 3]);
      sender.push(4);
      await sender.close();
      await vi.advanceTimersByTimeAsync(5000);
      expect(sent).toEqual([1, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('FeedbackLog appends one JSON line per report, creating the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feedback-'));
    try {
      const log = new FeedbackLog(join(dir, 'sub', 'feedback.jsonl'));
      const record = { kind: 'wrong-citation' as const, at: 't', user: 'u', question: 'q', standalone: 'q', mode: 'extractive', refused: false, sources: [] };
      await Promise.all([log.append(record), log.append({ ...record, user: 'v' })]);
      const lines = (await readFile(log.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.user)).toEqual(['u', 'v']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describeError removes interaction tokens from URLs, messages and stacks', () => {
    const error = Object.assign(new Error('failed /webhooks/123/aW50ZXJhY3Rpb246secret-token_x/messages/@original'), {
      url: 'https://discord.com/api/v10/interactions/456/aW50ZXJhY3Rpb246secret/callback',
      status: 404,
    });
    const described = JSON.stringify(describeError(error));
    expect(described).not.toContain('secret');
    expect(described).toContain('/webhooks/123/[token]/messages');
  });
});

describe('command definitions', () => {
  it('one module per command, unique names, /reindex hidden from non-admins', () => {
    const all = commandDefinitions();
    expect(all.map((d) => d.name)).toEqual(['ask', 'timeline', 'sources', 'add', 'remove', 'reindex', 'report', 'help', 'Add to corpus']);
    // The message context-menu command: type 3, no description or options, hidden from non-admins like /add.
    expect(all.at(-1)).toMatchObject({ name: 'Add to corpus', type: 3, default_member_permissions: '8' });
    const definitions = all.filter((d) => 'options' in d || 'description' in d).map((d) => d as Extract<typeof d, { description: string }>);
    expect(new Set(commands.map((c) => c.data.name)).size).toBe(commands.length);
    expect(definitions.find((d) => d.name === 'reindex')!.default_member_permissions).toBe('8');
    for (const name of ['add', 'remove', 'report']) expect(definitions.find((d) => d.name === name)!.default_member_permissions).toBe('8');
    const add = definitions.find((d) => d.name === 'add')!;
    expect(add.options?.filter((o) => o.type === 11).map((o) => o.name)).toEqual(['file', 'file2', 'file3', 'file4', 'file5']);
    expect(add.options?.find((o) => o.name === 'url')).toMatchObject({ type: 3 });
    const timeline = definitions.find((d) => d.name === 'timeline')!;
    expect(timeline.options?.[0]).toMatchObject({ name: 'entities', autocomplete: true, required: true });
  });
});

describe('corpus watcher', () => {
  it('re-indexes after a burst of changes (debounced), and again when it found one busy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'watch-'));
    const summary: ReindexSummary = { added: 1, updated: 0, removed: 0, unchanged: 0, chunks: 1, embedded: 1, skipped: [], embedder: 'e', ms: 1 };
    const reindex = vi.fn().mockRejectedValueOnce(new CoreError('REINDEX_BUSY', 'busy')).mockResolvedValue(summary);
    const watcher = watchCorpus({ dir, services: { reindex }, logger: createLogger({ level: 'silent' }), debounceMs: 150 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // let chokidar finish its initial scan
      await writeFile(join(dir, 'a.txt'), 'a');
      await writeFile(join(dir, 'b.txt'), 'b');
      // Two files, one debounced run; that run finds a re-index busy and goes again once.
      await vi.waitFor(() => expect(reindex).toHaveBeenCalledTimes(2), { timeout: 4000, interval: 50 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(reindex).toHaveBeenCalledTimes(2);
    } finally {
      await watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
