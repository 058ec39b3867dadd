/**
 * Usage rows as CSV (RFC 4180) for download. Model names come from API callers, so a cell that
 * a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe, and quotes are doubled.
 */
import type { AdminUsageGrouping, UsageRow } from './usage-report';

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FIRST_COLUMNS: Record<AdminUsageGrouping, readonly string[]> = {
  day: ['day'],
  model: ['model', 'deployment'],
  key: ['key_id', 'key'],
  user: ['user_id', 'email'],
};

export function usageCsv(by: AdminUsageGrouping, rows: readonly UsageRow[]): string {
  const header = [...FIRST_COLUMNS[by], 'requests', 'prompt_tokens', 'completion_tokens', 'cost_usd', 'unpriced_requests', 'errors', 'cache_hits'];
  const lines = rows.map((r) => {
    const first = by === 'day' ? [r.group] : [r.group, r.label ?? ''];
    return [...first, r.requests, r.promptTokens, r.completionTokens, Number(r.costUsd.toFixed(6)), r.unpriced, r.errors, r.cacheHits].map(cell).join(',');
  });
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
