// Downloads an attachment, only from Discord's CDN (plus one configured origin for tests), never more than the size
// limit: the body is read as a stream and abandoned as soon as it passes the limit, whatever Content-Length said.

/** Hosts Discord serves attachments from. */
export const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

export interface DownloadOptions {
  maxBytes: number;
  /** Extra allowed URL prefix (DISCORD_CDN_BASE). */
  extraBase?: string | undefined;
  timeoutMs?: number;
}

export type DownloadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

export function isAllowedAttachmentUrl(url: string, extraBase?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (DISCORD_CDN_ORIGINS.includes(parsed.origin)) return true;
  if (!extraBase) return false;
  const base = new URL(extraBase);
  const prefix = base.pathname.replace(/\/+$/, '');
  return parsed.origin === base.origin && (prefix === '' || parsed.pathname === prefix || parsed.pathname.startsWith(`${prefix}/`));
}

export async function downloadAttachment(url: string, options: DownloadOptions): Promise<DownloadOutcome> {
  if (!isAllowedAttachmentUrl(url, options.extraBase)) return { ok: false, reason: 'not a Discord attachment URL (only Discord’s CDN is allowed)' };
  const limit = `limit ${formatMb(options.maxBytes)}`;
  let response: Response;
  try {
    // Redirects are refused: they could lead off the allowed hosts.
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    return { ok: false, reason: name === 'TimeoutError' ? 'download timed out' : 'download failed' };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `download failed (HTTP ${response.status})` };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `file too large (${formatMb(declared)}, ${limit})` };
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return { ok: false, reason: 'download failed (empty response)' };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: `file too large (more than ${formatMb(options.maxBytes)}, ${limit})` };
      }
      parts.push(value);
    }
  } catch {
    return { ok: false, reason: 'download interrupted' };
  }
  return { ok: true, bytes: new Uint8Array(Buffer.concat(parts)) };
}
