/** Your own API keys and usage, through Login's account API (the same rules as the /account pages). */
import type { Command } from '../command';
import { stringOption } from '../command';
import { usageError } from '../exit-codes';
import { failure, jsonOf, request } from '../http';
import type { CliContext } from '../context';
import { table } from '../output';

interface Key {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly state: string;
  readonly rpm_limit: number | null;
  readonly tpm_limit: number | null;
  readonly monthly_budget_usd: number | null;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  /** Only in the answer to create: shown once. */
  readonly key?: string;
}

async function accountApi(ctx: CliContext, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const creds = ctx.credentials();
  const { token } = await ctx.accountToken();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return request(`${creds.login}/api/account${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

export const keys: Command = {
  name: 'keys',
  summary: 'your API keys: keys list | keys create --name N [--rpm N] [--tpm N] [--budget USD] [--expires YYYY-MM-DD] | keys revoke ID',
  usage: 'keys list | keys create --name NAME [--rpm N] [--tpm N] [--budget USD] [--expires YYYY-MM-DD] | keys revoke ID',
  options: ['name', 'rpm', 'tpm', 'budget', 'expires'],
  async run(ctx, args) {
    const [action = 'list', ...rest] = args.positionals;
    const { out } = ctx;
    if (action === 'list') {
      if (rest.length) throw usageError('keys list takes no arguments');
      const list = await jsonOf<{ data: Key[] }>(await accountApi(ctx, '/keys'), 'keys list');
      out.result(list, () =>
        table(['ID', 'NAME', 'PREFIX', 'STATE', 'RPM', 'TPM', 'BUDGET/MO', 'EXPIRES', 'LAST USED'], list.data.map((k) => [k.id, k.name, k.prefix, k.state, k.rpm_limit?.toString() ?? '', k.tpm_limit?.toString() ?? '', k.monthly_budget_usd === null ? '' : `$${k.monthly_budget_usd}`, day(k.expires_at), day(k.last_used_at)])),
      );
      return;
    }
    if (action === 'create') {
      const name = stringOption(args, 'name');
      if (!name || rest.length) throw usageError('usage: rainymodel keys create --name NAME [--rpm N] [--tpm N] [--budget USD] [--expires YYYY-MM-DD]');
      const body = { name, rpm_limit: stringOption(args, 'rpm'), tpm_limit: stringOption(args, 'tpm'), monthly_budget_usd: stringOption(args, 'budget'), expires_at: stringOption(args, 'expires') };
      const key = await jsonOf<Key>(await accountApi(ctx, '/keys', { method: 'POST', body }), 'keys create');
      out.result(key, () => `${out.color.green('Created')} key ${key.name} (${key.id}).\n${out.color.bold(key.key ?? '')}\n${out.color.dim('Copy it now: it is not shown again.')}`);
      return;
    }
    if (action === 'revoke') {
      const [id, ...extra] = rest;
      if (!id || extra.length) throw usageError('usage: rainymodel keys revoke ID');
      const res = await accountApi(ctx, `/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (!res.ok) throw await failure(res, `keys revoke ${id}`);
      out.result({ revoked: true, id }, () => `Revoked key ${id}.`);
      return;
    }
    throw usageError(`unknown keys action "${action}": list, create or revoke`);
  },
};

interface UsageReport {
  readonly from: string;
  readonly to: string;
  readonly group_by: string;
  readonly totals: { requests: number; prompt_tokens: number; completion_tokens: number; cost_usd: number; unpriced_requests: number };
  readonly data: { group: string; label?: string; requests: number; prompt_tokens: number; completion_tokens: number; cost_usd: number }[];
}

export const usage: Command = {
  name: 'usage',
  summary: 'your calls, tokens and cost (--from/--to YYYY-MM-DD, --by day|model|key)',
  usage: 'usage [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by day|model|key]',
  options: ['from', 'to', 'by'],
  async run(ctx, args) {
    if (args.positionals.length) throw usageError('usage takes no arguments');
    const by = stringOption(args, 'by') ?? 'day';
    if (!['day', 'model', 'key'].includes(by)) throw usageError('--by must be day, model or key');
    const query = new URLSearchParams({ group_by: by });
    for (const name of ['from', 'to']) {
      const value = stringOption(args, name);
      if (value !== undefined) query.set(name, value);
    }
    const report = await jsonOf<UsageReport>(await accountApi(ctx, `/usage?${query}`), 'usage');
    const usd = (n: number) => `$${n.toFixed(4)}`;
    const t = report.totals;
    ctx.out.result(report, () =>
      [
        `${day(report.from)} – ${day(report.to)} by ${report.group_by}`,
        table([by.toUpperCase(), 'REQUESTS', 'PROMPT', 'COMPLETION', 'COST'], report.data.map((r) => [r.label ?? r.group, String(r.requests), String(r.prompt_tokens), String(r.completion_tokens), usd(r.cost_usd)])),
        `total: ${t.requests} requests, ${t.prompt_tokens + t.completion_tokens} tokens, ${usd(t.cost_usd)}${t.unpriced_requests ? ` (${t.unpriced_requests} unpriced)` : ''}`,
      ].join('\n'),
    );
  },
};
