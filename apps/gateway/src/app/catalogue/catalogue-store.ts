/**
 * The database copy of each catalogue source: the last download that parsed. Read once at
 * start (so an offline gateway knows what it last knew), written after a good refresh.
 */
import type { CatalogueSourceKey } from '@orcest/config';
import type { PrismaClient } from '@orcest/db';

export interface StoredSource {
  readonly source: CatalogueSourceKey;
  readonly url: string;
  readonly body: string;
  readonly fetchedAt: Date;
}

export interface CatalogueStore {
  loadAll(): Promise<StoredSource[]>;
  save(copy: StoredSource): Promise<void>;
}

export class PrismaCatalogueStore implements CatalogueStore {
  constructor(private readonly prisma: PrismaClient) {}

  async loadAll(): Promise<StoredSource[]> {
    const rows = await this.prisma.catalogueSource.findMany();
    return rows.map((row) => ({ source: row.source as CatalogueSourceKey, url: row.url, body: row.body, fetchedAt: row.fetchedAt }));
  }

  async save(copy: StoredSource): Promise<void> {
    await this.prisma.catalogueSource.upsert({
      where: { source: copy.source },
      create: { source: copy.source, url: copy.url, body: copy.body, fetchedAt: copy.fetchedAt },
      update: { url: copy.url, body: copy.body, fetchedAt: copy.fetchedAt },
    });
  }
}
