import type { Connection, Model, Schema } from 'mongoose';

/** Registers a model on a connection once; later calls (a second app on the same connection) reuse it. */
export function defineModel<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}
