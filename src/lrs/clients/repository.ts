import type { Connection } from 'mongoose';
import { lrsModels, type ClientDoc } from '../model.ts';
import { isObjectId } from '../../shared/object-id.ts';

export type ClientRow = Omit<ClientDoc, '_id'> & { id: string };
const toRow = ({ _id, ...rest }: ClientDoc): ClientRow => ({ ...rest, id: _id.toString() });
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The only place that touches lrs_clients. */
export function createClientRepository(connection: Connection) {
  const { Client } = lrsModels(connection);
  return {
    async insert(c: Omit<ClientDoc, '_id'>): Promise<ClientRow | 'duplicate'> {
      try {
        return toRow((await Client.create(c)).toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    async findByKey(key: string): Promise<ClientRow | undefined> {
      const d = await Client.findOne({ key }).lean<ClientDoc>();
      return d ? toRow(d) : undefined;
    },
    /** Admin-made clients, newest first (minted launch credentials are not listed). */
    async listAdminClients(): Promise<ClientRow[]> {
      return (await Client.find({ expiresAt: null }).sort({ createdAt: -1 }).lean<ClientDoc[]>()).map(toRow);
    },
    async revoke(id: string, at: Date): Promise<ClientRow | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Client.findOneAndUpdate({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }, { returnDocument: 'after' }).lean<ClientDoc>();
      return d ? toRow(d) : undefined;
    },
    async touch(key: string, at: Date): Promise<void> {
      await Client.updateOne({ key }, { $set: { lastUsedAt: at } });
    },
    async update(key: string, patch: Partial<Pick<ClientDoc, 'secretHash' | 'scopes' | 'revokedAt' | 'name'>>): Promise<void> {
      await Client.updateOne({ key }, { $set: patch });
    },
    /** FerretDB has no TTL indexes: expired launch credentials are deleted on a schedule. */
    async deleteExpired(now: Date): Promise<void> {
      await Client.deleteMany({ expiresAt: { $ne: null, $lt: now } });
    },
  };
}
export type ClientRepository = ReturnType<typeof createClientRepository>;
