/**
 * oidc-provider's storage adapter over the one `oidc_model` table, so any replica can serve any
 * step of a flow. `Client` is special: clients live in `oidc_clients` (upserted from the
 * environment, editable in the admin panel) and are read from there on every lookup, so a
 * rotated secret or a disabled client takes effect on every replica at once.
 */
import { pgJson, pgText, type Prisma, type PrismaClient } from '@orcest/db';
import { clientMetadataOf } from './client-metadata';

/** The payload shape oidc-provider hands us; we only read the indexed fields. */
export interface OidcPayload {
  readonly grantId?: string;
  readonly uid?: string;
  readonly userCode?: string;
  readonly consumed?: number;
  readonly [key: string]: unknown;
}

export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

type Row = { payload: Prisma.JsonValue; consumedAt: Date | null; expiresAt: Date | null };

function payloadOf(row: Row | null): OidcPayload | undefined {
  if (!row) return undefined;
  // Expired rows are left for the cleanup job; the provider must never see them.
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
  const payload = row.payload as OidcPayload;
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}

/**
 * What a client sends reaches this store as it is: a client id, code, token or user code to look
 * up, and request parameters (a `login_hint`, a `state`) inside the payloads the provider saves.
 * PostgreSQL cannot hold some text: U+0000 (text and jsonb refuse the statement) and a lone
 * UTF-16 surrogate, which a JSON-decoded value can carry (`"\ud800"`): jsonb refuses it, and in
 * a text parameter the driver sends U+FFFD instead, so a lookup would find another value. The
 * one definition of that text is `pgText`/`pgJson` of @orcest/db: they change exactly it and
 * return anything else as it is, so "changed" means "PostgreSQL can't hold it" (uncapped here:
 * length is no reason). No value we store holds such text, so a value with it is found to be
 * nothing: the provider answers it as any unknown value (invalid_client, invalid_grant…). A
 * payload with it is refused with the provider's own error (`refusedText`, invalid_request),
 * not saved with the text changed.
 */
function storableText(value: string): boolean {
  return pgText(value, Infinity) === value;
}

function storablePayload(payload: OidcPayload): boolean {
  return pgJson(payload) === payload;
}

export interface OidcAdapterErrors {
  /**
   * Thrown when a concurrent request consumed the same code or refresh token first
   * (oidc-provider only checks `consumed` before calling `consume`, so two parallel redemptions
   * would both pass): the grant is revoked and this request fails, exactly as a sequential
   * replay does.
   */
  readonly alreadyConsumed: () => Error;
  /** Thrown for a payload holding text PostgreSQL refuses (see above). */
  readonly refusedText: () => Error;
}

export function prismaOidcAdapterFactory(prisma: PrismaClient, { alreadyConsumed, refusedText }: OidcAdapterErrors): new (model: string) => OidcAdapter {
  return class PrismaOidcAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      if (!storablePayload(payload)) throw refusedText();
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const fields = {
        payload: payload as Prisma.InputJsonValue,
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt,
      };
      await prisma.oidcModel.upsert({
        where: { model_id: { model: this.model, id } },
        create: { model: this.model, id, ...fields },
        update: fields,
      });
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      if (!storableText(id)) return undefined;
      if (this.model === 'Client') {
        const client = await prisma.oidcClient.findUnique({ where: { clientId: id } });
        return client ? clientMetadataOf(client) : undefined;
      }
      return payloadOf(await prisma.oidcModel.findUnique({ where: { model_id: { model: this.model, id } } }));
    }

    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      if (!storableText(userCode)) return undefined;
      return payloadOf(await prisma.oidcModel.findFirst({ where: { model: this.model, userCode } }));
    }

    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      if (!storableText(uid)) return undefined;
      return payloadOf(await prisma.oidcModel.findFirst({ where: { model: this.model, uid } }));
    }

    /** Atomic: of two concurrent redemptions of one code, exactly one sees it unconsumed. */
    async consume(id: string): Promise<void> {
      const { count } = await prisma.oidcModel.updateMany({ where: { model: this.model, id, consumedAt: null }, data: { consumedAt: new Date() } });
      if (count > 0) return;
      const row = await prisma.oidcModel.findUnique({ where: { model_id: { model: this.model, id } }, select: { grantId: true } });
      if (row?.grantId) await prisma.oidcModel.deleteMany({ where: { grantId: row.grantId } });
      throw alreadyConsumed();
    }

    async destroy(id: string): Promise<void> {
      await prisma.oidcModel.deleteMany({ where: { model: this.model, id } });
    }

    /** Every artifact of the grant goes, whatever its model: tokens, codes and the grant itself. */
    async revokeByGrantId(grantId: string): Promise<void> {
      await prisma.oidcModel.deleteMany({ where: { grantId } });
    }
  };
}

/** Deletes expired artifacts; returns how many. Run periodically by one replica or all (idempotent). */
export async function deleteExpiredOidcRows(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.oidcModel.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
