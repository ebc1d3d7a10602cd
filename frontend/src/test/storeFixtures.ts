// A store connection as the StoreConnections query returns it, for the store card tests.
import type { Channel, InventorySettings, NumberClash, StoreWebhook, SyncProgress } from '../graphql/schema';
import { DEFAULT_POSTING_SETTINGS, type PostingSettingsBase } from '../storeSettings';

export type StoreNode = {
  id: string;
  channel: Channel;
  name: string;
  baseUrl: string;
  quickBooksConnectionId: string | null;
  syncEveryMinutes: number;
  enabled: boolean;
  syncedThrough: string | null;
  lastSyncAt: string | null;
  lastSyncError: string;
  createdAt: string;
  // Inventory sync left out: a connection never set up (the form shows it off).
  settings: PostingSettingsBase & { inventory?: InventorySettings };
  sync: SyncProgress | null;
  numberClash: NumberClash | null;
  webhooks: StoreWebhook[];
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
