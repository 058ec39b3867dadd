/** Defensive readers for downloaded JSON: a field of the wrong type reads as missing. */
import { CatalogueFormatError, type CatalogueSourceName } from '../catalogue-model';

export function parseJson(text: string, source: CatalogueSourceName): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CatalogueFormatError(source, `not JSON (${(error as Error).message})`);
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A number, or a decimal string as OpenRouter writes prices; negative or malformed → undefined. */
export function nonNegativeNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function positiveInteger(value: unknown): number | undefined {
  const n = nonNegativeNumber(value);
  return n !== undefined && n > 0 && Number.isInteger(n) ? n : undefined;
}

export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
