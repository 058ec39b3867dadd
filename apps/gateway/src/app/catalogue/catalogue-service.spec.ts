import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@orcest/config';
import { FakeTarget } from '@orcest/testing';
import type { CatalogueStore, StoredSource } from './catalogue-store';
import { CatalogueService } from './catalogue-service';

const shipped = (file: string) => join(process.cwd(), 'config/catalogue', file);
const settings = (file: string, url?: string) => ({ sources: [{ name: 'openrouter' as const, file, url }], refreshMs: 3_600_000, names: {} });

/** An in-memory store: the database's role without a database (the e2e suite uses PostgreSQL). */
class MemoryStore implements CatalogueStore {
  rows: StoredSource[] = [];
  async loadAll(): Promise<StoredSource[]> {
    return this.rows;
  }
  async save(copy: StoredSource): Promise<void> {
    this.rows = [...this.rows.filter((r) => r.source !== copy.source), copy];
  }
}

describe('CatalogueService', () => {
  it('stops the start on a shipped file that is missing or not in its format, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const bad = join(dir, 'models.json');
    writeFileSync(bad, '{"models": []}');
    expect(() => new CatalogueService(settings(bad), undefined, () => undefined)).toThrow(ConfigError);
    expect(() => new CatalogueService(settings(bad), undefined, () => undefined)).toThrow(/catalogue\.openrouter\.file: .*models\.json: openrouter catalogue: expected \{"data"/);
    expect(() => new CatalogueService(settings(join(dir, 'nope.json')), undefined, () => undefined)).toThrow(/cannot read/);
  });

  it('keeps the copy in use when a download fails or does not parse, and tells listeners only of good ones', async () => {
    const store = new MemoryStore();
    const warnings: string[] = [];
    // A real server on loopback, downloaded from with the real client.
    const server = await FakeTarget.start({ kind: 'up', body: '<html>busy</html>', contentType: 'text/html' });
    const url = `${server.url}/models`;
    const service = new CatalogueService(settings(shipped('openrouter-models.json'), url), store, (m) => warnings.push(m), undefined, () => 1_000);
    let changes = 0;
    service.onChange(() => changes++);
    expect(service.catalogue.lookup('gpt-4o-mini')?.contextLength).toBe(128000);

    expect((await service.refresh()).failed[0].error).toMatch(/not JSON/);
    expect(service.catalogue.lookup('gpt-4o-mini')?.contextLength).toBe(128000);
    expect(store.rows).toEqual([]);

    server.set({ kind: 'up', body: JSON.stringify({ data: [{ id: 'openai/gpt-4o-mini', context_length: 999 }] }) });
    expect((await service.refresh()).updated).toEqual(['openrouter']);
    expect(service.catalogue.lookup('gpt-4o-mini')?.contextLength).toBe(999);
    expect(store.rows).toEqual([{ source: 'openrouter', url, body: expect.stringContaining('999'), fetchedAt: new Date(1_000) }]);

    server.set({ kind: 'down', status: 502 });
    expect((await service.refresh()).failed[0].error).toMatch(/HTTP 502/);
    await server.close();
    expect((await service.refresh()).failed[0].error).toMatch(/ECONNREFUSED|other side closed/);
    expect(service.catalogue.lookup('gpt-4o-mini')?.contextLength).toBe(999);
    expect(changes).toBe(1);
    expect(warnings).toHaveLength(3);
  });
});
