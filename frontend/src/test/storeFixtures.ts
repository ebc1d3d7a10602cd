// A store connection as the StoreConnections query returns it, for the store card tests.
import type { StoreConnectionsQuery } from '../graphql/operations';
import type { Channel, InventorySettings, QuickBooksToShipStationSettings } from '../graphql/schema';
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
    quickBooksOnlineConnectionId: null,
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

/** A QuickBooks Desktop connection as the QbdConnections query returns it, never connected unless `lastContactAt` is given. */
export function qbdNode(c: { id: string; name: string; lastContactAt?: string | null }) {
  return {
    id: c.id,
    name: c.name,
    webConnectorUsername: `llqbd-${c.id}`,
    companyFile: '',
    runEveryMinutes: 15,
    qbxmlVersion: '13.0',
    lastContactAt: c.lastContactAt ?? null,
    createdAt: '2026-11-01T09:00:00Z',
    qwc: '<QBWCXML/>',
    work: { queued: 0, inFlight: 0, inDoubt: 0, done: 0, failed: 0 },
  };
}

/** Sync Orders from QuickBooks of a ShipStation connection never set up, as the server returns it (jobs/orders WithDefaults), by hand. */
export const SHIPSTATION_OFF: QuickBooksToShipStationSettings = {
  enabled: false,
  txnTypes: ['SALES_RECEIPT', 'INVOICE', 'SALES_ORDER'],
  classFilter: 'ShipStation',
  allSales: false,
  storeId: 0,
  orderStatus: 'awaiting_shipment',
  testOrderNumbers: [],
  addTracking: false,
  addShippingCost: false,
  shippingCostAs: 'LINE',
  shippingItem: 'Shipping',
  shippedStatuses: ['shipped'],
};

/** A ShipStation account's stores (GET /stores) as shipStationStores returns them. */
export const SHIPSTATION_STORES = [
  { id: 0, name: 'Manual Orders', marketplace: 'ShipStation', active: true },
  { id: 301, name: 'Target', marketplace: 'Manual', active: true },
];
