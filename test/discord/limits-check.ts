// Checks a recorded REST body against Discord's message limits and our no-ping rule; returns the problems found.
import type { RestCall } from '../fakes/discord-server.js';

/** The message a call carries: callback data for reply/update (types 4 and 7), the body for webhook edits/posts. */
export function messageOf(call: RestCall): Record<string, any> | undefined {
  if (call.method === 'POST' && call.path.endsWith('/callback')) {
    return call.body?.type === 4 || call.body?.type === 7 ? call.body.data : undefined;
  }
  if (/\/webhooks\//.test(call.path) && (call.method === 'PATCH' || call.method === 'POST')) return call.body;
  return undefined;
}

export function limitProblems(message: Record<string, any>): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  // Replies also say replied_user: false (no ping of the person replied to); nothing else may be allowed.
  const mentions = JSON.stringify(message.allowed_mentions);
  check(mentions === JSON.stringify({ parse: [] }) || mentions === JSON.stringify({ parse: [], replied_user: false }), `allowed_mentions is ${mentions}`);
  check((message.content ?? '').length <= 2000, 'content > 2000');
  const embeds: any[] = message.embeds ?? [];
  check(embeds.length <= 10, 'more than 10 embeds');
  let total = 0;
  for (const embed of embeds) {
    check((embed.title ?? '').length <= 256, 'title > 256');
    check((embed.description ?? '').length <= 4096, 'description > 4096');
    check((embed.footer?.text ?? '').length <= 2048, 'footer > 2048');
    const fields: any[] = embed.fields ?? [];
    check(fields.length <= 25, 'more than 25 fields');
    for (const field of fields) {
      check(field.name.length > 0 && field.name.length <= 256, 'field name empty or > 256');
      check(field.value.length > 0 && field.value.length <= 1024, 'field value empty or > 1024');
      total += field.name.length + field.value.length;
    }
    total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length;
  }
  check(total <= 6000, `embeds total ${total} > 6000`);
  const rows: any[] = message.components ?? [];
  check(rows.length <= 5, 'more than 5 rows');
  for (const row of rows) {
    check(row.components.length <= 5, 'more than 5 buttons in a row');
    for (const button of row.components) check((button.custom_id ?? '').length <= 100, 'custom_id > 100');
  }
  return problems;
}
