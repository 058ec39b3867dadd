/**
 * Owns the gateway's model catalogue: built at start from the shipped files, then from the
 * database copies (the last good downloads) when there are any, then kept fresh from the
 * configured URLs every `refresh_interval`. A download replaces a source only if it parses;
 * a bad or failed one is logged and the good copy stays, in memory and in the database.
 * Listeners hear about every new catalogue (the routing facts are re-resolved from it).
 */
import { readFileSync } from 'node:fs';
import { Catalogue, CatalogueFormatError, parseCatalogueSource, type CatalogueSourceName, type CatalogueSources, type ParsedSource } from '@orcest/catalogue';
import { ConfigError, type CatalogueSettings, type CatalogueSourceSettings } from '@orcest/config';
import type { CatalogueStore } from './catalogue-store';
import { downloadText, type Download } from './catalogue-download';

export interface SourceStatus {
  readonly source: CatalogueSourceName;
  /** Where the copy in use came from. */
  readonly from: 'file' | 'database' | 'download';
  readonly models: number;
  readonly fetchedAt?: string;
  readonly lastError?: string;
}

export interface RefreshReport {
  readonly updated: readonly CatalogueSourceName[];
  readonly failed: ReadonlyArray<{ readonly source: CatalogueSourceName; readonly error: string }>;
}

export class CatalogueService {
  private catalogueValue = Catalogue.empty();
  private readonly parsed = new Map<CatalogueSourceName, ParsedSource>();
  private readonly status = new Map<CatalogueSourceName, SourceStatus>();
  private readonly listeners: Array<(catalogue: Catalogue) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RefreshReport> | undefined;
  /** The refresh started by `start()`, for tests and for shutdown. */
  firstRefresh: Promise<RefreshReport> = Promise.resolve({ updated: [], failed: [] });

  constructor(
    private readonly settings: CatalogueSettings | undefined,
    private readonly store: CatalogueStore | undefined,
    private readonly warn: (message: string) => void,
    private readonly download: Download = downloadText,
    private readonly now: () => number = Date.now,
  ) {
    // The shipped files are part of the config: a broken one stops the start, naming it.
    for (const source of settings?.sources ?? []) if (source.file) this.adopt(source.name, readShipped(source), { source: source.name, from: 'file', models: 0 });
    this.rebuild();
  }

  get catalogue(): Catalogue {
    return this.catalogueValue;
  }

  sources(): SourceStatus[] {
    return [...this.status.values()];
  }

  onChange(listener: (catalogue: Catalogue) => void): void {
    this.listeners.push(listener);
  }

  /** Takes the database copies, then refreshes from the URLs in the background and on schedule. */
  async start(): Promise<void> {
    if (this.settings === undefined) return;
    if (this.store) {
      try {
        let changed = false;
        for (const copy of await this.store.loadAll()) {
          if (!this.settings.sources.some((s) => s.name === copy.source)) continue;
          try {
            this.adopt(copy.source, parseCatalogueSource(copy.source, copy.body), { source: copy.source, from: 'database', models: 0, fetchedAt: copy.fetchedAt.toISOString() });
            changed = true;
          } catch (error) {
            this.warn(`catalogue: the stored copy of ${copy.source} does not parse (${(error as Error).message}); keeping the shipped file`);
          }
        }
        if (changed) this.rebuild();
      } catch (error) {
        this.warn(`catalogue: stored copies unreadable (${(error as Error).message}); using the shipped files`);
      }
    }
    if (this.settings.sources.some((s) => s.url)) {
      this.firstRefresh = this.refresh();
      this.timer = setInterval(() => void this.refresh(), this.settings.refreshMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Downloads every source that has a URL; concurrent calls share one run. */
  refresh(): Promise<RefreshReport> {
    this.running ??= this.refreshAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refreshAll(): Promise<RefreshReport> {
    const updated: CatalogueSourceName[] = [];
    const failed: Array<{ source: CatalogueSourceName; error: string }> = [];
    for (const source of this.settings?.sources ?? []) {
      if (!source.url) continue;
      try {
        const body = await this.download(source.url);
        const parsed = parseCatalogueSource(source.name, body);
        const fetchedAt = new Date(this.now());
        this.adopt(source.name, parsed, { source: source.name, from: 'download', models: 0, fetchedAt: fetchedAt.toISOString() });
        updated.push(source.name);
        await this.store?.save({ source: source.name, url: source.url, body, fetchedAt }).catch((error: Error) => this.warn(`catalogue: ${source.name} downloaded but not stored: ${error.message}`));
      } catch (error) {
        const message = error instanceof CatalogueFormatError ? error.message : `${source.name}: ${(error as Error).message}`;
        failed.push({ source: source.name, error: message });
        const previous = this.status.get(source.name);
        if (previous) this.status.set(source.name, { ...previous, lastError: message });
        this.warn(`catalogue refresh from ${source.url} failed (keeping the copy in use): ${message}`);
      }
    }
    if (updated.length > 0) this.rebuild();
    return { updated, failed };
  }

  private adopt(name: CatalogueSourceName, parsed: ParsedSource, status: SourceStatus): void {
    this.parsed.set(name, parsed);
    this.status.set(name, { ...status, models: parsed.models.length });
  }

  private rebuild(): void {
    const sources: { -readonly [K in keyof CatalogueSources]: CatalogueSources[K] } = {};
    for (const parsed of this.parsed.values()) {
      if (parsed.source === 'openrouter') sources.openrouter = parsed.models;
      else if (parsed.source === 'huggingface') sources.huggingface = parsed.models;
      else sources.arena = parsed.models;
    }
    this.catalogueValue = new Catalogue(sources);
    for (const listener of this.listeners) listener(this.catalogueValue);
  }
}

function readShipped(source: CatalogueSourceSettings): ParsedSource {
  const file = source.file as string;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`catalogue.${source.name}.file: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseCatalogueSource(source.name, text);
  } catch (error) {
    throw new ConfigError(`catalogue.${source.name}.file: ${file}: ${(error as Error).message}`);
  }
}
