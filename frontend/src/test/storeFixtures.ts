// A store connection as the StoreConnections query returns it, for the store card tests.
import type { StoreConnectionsQuery } from '../graphql/operations';
import type { Channel, InventorySettings } from '../graphql/schema';
import { DEFAULT_POSTING_SETTINGS, type PostingSettingsBase } from '../storeSettings';
import type { NodeOf } from '../usePagedConnection';

/** A row of the StoreConnections query; inventory sync may be left out (a connection never set up: the form shows it off). */
export type StoreNode = Omit<NodeOf<StoreConnectionsQuery['storeConnections']>, 'settings' | 'channel'> & {
  channel: Channel;
  settings: PostingSettingsBase & { inventory?: InventorySettings };
};

/** A Shopify store "Store <id>" posting to company qb-1 with the default settings, never synced; `extra` overrides. */
export function storeNode(id: string, extra: Partial<StoreNode> = {}): StoreNode {
  return {
    id,
    channel: 'SHOPIFY',
    name: `Store ${id}`,
    baseUrl: 'https://acme.myshopify.com',
    quickBooksConnectionId: 'qb-1',
    syncEveryMinutes: 15,
    enabled: true,
    syncedThrough: null,
    lastSyncAt: null,
    lastSyncError: '',
    createdAt: '2026-11-01T09:00:00Z',
    settings: { ...DEFAULT_POSTING_SETTINGS },
    sync: null,
    numberClash: null,
    webhooks: [],
    ...extra,
  };
}
