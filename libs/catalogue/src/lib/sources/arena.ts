/**
 * An arena-style leaderboard (LMArena / Chatbot Arena): CSV with a header row, or JSON rows,
 * with a model column (`Model`, `model` or `key`) and a rating column (`Arena Score`,
 * `rating`, `score` or `elo`); other columns (`Rank* (UB)`, `95% CI`, `Votes`,
 * `Organization`, `License`…) are ignored. The rating becomes the catalogue's quality on the
 * config's 0–10 scale: (score − 1100) / 40, clamped, so 1300 → 5 and 1500 → 10.
 */
import { CatalogueFormatError } from '../catalogue-model';
import { asRecord, nonNegativeNumber, parseJson } from './json-fields';

export interface ArenaEntry {
  readonly model: string;
  readonly score: number;
  readonly quality: number;
}

const MODEL_COLUMNS = ['model', 'key'];
const SCORE_COLUMNS = ['arena score', 'arena_score', 'rating', 'score', 'elo', 'arena elo rating'];

export function arenaQuality(score: number): number {
  return Math.min(10, Math.max(0, (score - 1100) / 40));
}

export function parseArenaLeaderboard(text: string): ArenaEntry[] {
  const rows = text.trimStart().startsWith('[') ? jsonRows(text) : csvRows(text);
  if (rows.length === 0) throw new CatalogueFormatError('arena', 'the leaderboard has no rows');
  const sample = rows[0];
  const modelKey = findColumn(sample, MODEL_COLUMNS);
  const scoreKey = findColumn(sample, SCORE_COLUMNS);
  if (modelKey === undefined || scoreKey === undefined) throw new CatalogueFormatError('arena', 'expected a model column and an "Arena Score" (or rating) column');
  const entries: ArenaEntry[] = [];
  for (const row of rows) {
    const model = row[modelKey];
    const score = nonNegativeNumber(row[scoreKey]);
    if (typeof model !== 'string' || model.trim() === '' || score === undefined) continue;
    entries.push({ model: model.trim(), score, quality: Math.round(arenaQuality(score) * 100) / 100 });
  }
  if (entries.length === 0) throw new CatalogueFormatError('arena', 'no row has both a model and a score');
  return entries;
}

function findColumn(row: Record<string, unknown>, candidates: readonly string[]): string | undefined {
  return Object.keys(row).find((key) => candidates.includes(key.trim().toLowerCase()));
}

function jsonRows(text: string): Array<Record<string, unknown>> {
  const root = parseJson(text, 'arena');
  if (!Array.isArray(root)) throw new CatalogueFormatError('arena', 'expected a JSON array of rows');
  return root.map((row) => asRecord(row) ?? {});
}

function csvRows(text: string): Array<Record<string, unknown>> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return [];
  const header = splitCsvLine(lines[0]);
  if (header.length < 2) throw new CatalogueFormatError('arena', 'not a CSV leaderboard');
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const row: Record<string, unknown> = {};
    header.forEach((name, i) => (row[name] = cells[i]));
    return row;
  });
}

/** RFC 4180 fields: commas inside quotes, doubled quotes as a literal quote. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}
