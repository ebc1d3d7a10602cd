// What every settings section of a store connection shares: the row updateStoreConnection
// returns, the section's props, and the call that saves a part of the connection.
import { graphql } from '../../api';
import { UPDATE_STORE_MUTATION } from '../../graphql/connections';
import type { UpdateStoreConnectionMutation } from '../../graphql/operations';
import type { UpdateStoreConnectionInput } from '../../graphql/schema';

/** A store connection as updateStoreConnection returns it. */
export type UpdatedStore = UpdateStoreConnectionMutation['updateStoreConnection'];

/** A section of a store connection's settings: the store as listed (S: what the section reads of it) and what to do once saved. */
export interface StoreSectionProps<S> {
  store: { id: string; name: string } & S;
  onSaved: (row: UpdatedStore) => void;
}

/** Updates a store connection; what input leaves out stays as it is. */
export async function updateStoreConnection(id: string, input: UpdateStoreConnectionInput): Promise<UpdatedStore> {
  const data = await graphql<UpdateStoreConnectionMutation>(UPDATE_STORE_MUTATION, { id, input });
  return data.updateStoreConnection;
}
