// Store connections: what each channel asks for, the posting settings as a form, and the
// Manual Sync date range. No React here, so the conversions can be tested on their own.
import type {
  Channel,
  CustomerMatch,
  InventoryBasis,
  InventorySettings,
  InventorySettingsInput,
  MissingProductAction,
  NewItemType,
  PostingSettings,
  PostingSettingsInput,
  StoreCredentialsInput,
  SyncProgress,
  TransactionType,
} from './graphql/schema';

// ---------------------------------------------------------------------------
// Channels

export type CredentialKey = keyof StoreCredentialsInput;

/**
 * One credential field. An optional one may be left blank: it is then not sent, so on an
 * update the server keeps the value it has (e.g. Shopify's app client secret).
 */
export interface CredentialField {
  key: CredentialKey;
  label: string;
  placeholder: string;
  optional?: boolean;
  /** Help under the field when adding a store, and when replacing the credentials. */
  hint?: string;
  editHint?: string;
}

export interface ChannelInfo {
  label: string;
  /** Label of the base URL field. */
  baseUrlLabel: string;
  baseUrlPlaceholder: string;
  /** What the wizard starts the base URL with. */
  defaultBaseUrl: string;
  baseUrlHint: string;
  credentials: readonly CredentialField[];
  /** Where to find the credentials, step by step. */
  howTo: readonly string[];
}

export const CHANNELS: Record<Channel, ChannelInfo> = {
  SHOPIFY: {
    label: 'Shopify',
    baseUrlLabel: 'Store URL',
    baseUrlPlaceholder: 'https://your-shop.myshopify.com',
    defaultBaseUrl: '',
    baseUrlHint: 'Your shop’s myshopify.com address, e.g. https://acme-outdoor.myshopify.com (not a custom domain).',
    credentials: [
      { key: 'accessToken', label: 'Admin API access token', placeholder: 'shpat_…' },
      {
        key: 'webhookSecret',
        label: 'App client secret',
        placeholder: 'Client secret (optional)',
        optional: true,
        hint:
          'Used to verify Shopify’s webhook signatures, so new orders arrive within seconds. Without it Ledgerlink cannot trust the webhooks and relies on the scheduled pulls.',
        editHint: 'Used to verify Shopify’s webhook signatures. Leave it blank to keep the one stored.',
      },
    ],
    howTo: [
      'In Shopify admin, open Settings › Apps and sales channels › Develop apps and create an app named “Ledgerlink”.',
      'Under Configuration › Admin API integration, allow read_orders, read_products and read_inventory (write_inventory to push stock).',
      'Install the app, then reveal the Admin API access token (it starts with shpat_). Shopify shows it only once.',
      'Under API credentials, copy the Client secret (API secret key) as well: Shopify signs its webhooks with it.',
    ],
  },
  WOOCOMMERCE: {
    label: 'WooCommerce',
    baseUrlLabel: 'Store URL',
    baseUrlPlaceholder: 'https://store.example.com',
    defaultBaseUrl: '',
    baseUrlHint: 'The address of your WordPress site, starting with https://.',
    credentials: [
      { key: 'consumerKey', label: 'Consumer key', placeholder: 'ck_…' },
      { key: 'consumerSecret', label: 'Consumer secret', placeholder: 'cs_…' },
    ],
    howTo: [
      'In WordPress admin, open WooCommerce › Settings › Advanced › REST API and click Add key.',
      'Describe it as “Ledgerlink”, choose a user who can manage orders, and set Permissions to Read (Read/Write to push stock).',
      'Click Generate API key and copy the consumer key (ck_…) and consumer secret (cs_…). WooCommerce shows the secret only once.',
    ],
  },
  SHIPSTATION: {
    label: 'ShipStation',
    baseUrlLabel: 'API URL',
    baseUrlPlaceholder: 'https://ssapi.shipstation.com',
    defaultBaseUrl: 'https://ssapi.shipstation.com',
    baseUrlHint: 'Leave it as https://ssapi.shipstation.com unless ShipStation support told you otherwise.',
    credentials: [
      { key: 'apiKey', label: 'API key', placeholder: 'e.g. 3f9a…' },
      { key: 'apiSecret', label: 'API secret', placeholder: 'e.g. 81bc…' },
    ],
    howTo: [
      'In ShipStation, click the gear icon (Settings) and open Account › API Settings.',
      'Click Generate API Keys (or Regenerate) for the ShipStation API v1.',
      'Copy the API key and the API secret.',
    ],
  },
};

export const CHANNEL_ORDER: readonly Channel[] = ['SHOPIFY', 'WOOCOMMERCE', 'SHIPSTATION'];

export type CredentialValues = Partial<Record<CredentialKey, string>>;

/** The credentials input of a channel: only its own fields, trimmed; an optional one left blank is left out. */
export function credentialsInput(channel: Channel, values: CredentialValues): StoreCredentialsInput {
  const out: StoreCredentialsInput = {};
  for (const { key, optional } of CHANNELS[channel].credentials) {
    const value = (values[key] ?? '').trim();
    if (value || !optional) out[key] = value;
  }
  return out;
}

/** The first missing required credential of the channel, with "Enter the API secret.", else null. */
export function missingCredentialField(channel: Channel, values: CredentialValues): { key: CredentialKey; message: string } | null {
  for (const { key, label, optional } of CHANNELS[channel].credentials) {
    if (!optional && !(values[key] ?? '').trim()) {
      const phrase = /^(API|Admin)/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
      return { key, message: `Enter the ${phrase}.` };
    }
  }
  return null;
}

/** A QuickBooks company as the store forms know it: lastContactAt null when its Web Connector never called. */
export interface CompanyContact {
  id: string;
  lastContactAt?: string | null;
}

/**
 * The company a new store is linked to unless the merchant chooses: the first whose Web Connector
 * has called, else the first (the wizard then says it has never connected), else none.
 */
export function preferredCompany(companies: readonly CompanyContact[]): string {
  return (companies.find((c) => c.lastContactAt) ?? companies[0])?.id ?? '';
}

/**
 * preferredCompany as a CompanySelect value ("qbd:<id>"); with no Desktop company, the first
 * QuickBooks Online one ("qbo:<id>"), else "" (not linked yet).
 */
export function preferredChoice(desktop: readonly CompanyContact[], online: readonly { id: string }[]): string {
  const qbd = preferredCompany(desktop);
  if (qbd) return `qbd:${qbd}`;
  return online[0] ? `qbo:${online[0].id}` : '';
}

/** Checks a store or API address the way the server does (http(s), a host, no query); null when fine. */
export function baseUrlProblem(channel: Channel, raw: string): string | null {
  const text = raw.trim();
  const example = CHANNELS[channel].baseUrlPlaceholder;
  if (!text) return `Enter the ${CHANNELS[channel].baseUrlLabel.toLowerCase()}, e.g. ${example}.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `Enter a full address starting with https://, e.g. ${example}.`;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username || url.password || url.search) {
    return `Enter a full address starting with https://, e.g. ${example}.`;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Posting settings

/** The posting settings without Inventory sync and Sync Orders from QuickBooks, which have forms of their own. */
export type PostingSettingsBase = Omit<PostingSettings, 'inventory' | 'quickbooksToShipStation'>;

/**
 * What a new store connection starts with: the server's defaults (jobs/orders DefaultSettings),
 * which match a fresh QuickBooks company's chart of accounts.
 */
export const DEFAULT_POSTING_SETTINGS: PostingSettingsBase = {
  transactionType: 'SALES_RECEIPT',
  refPrefix: '',
  depositAccount: 'Undeposited Funds',
  shippingItem: 'Shipping',
  discountItem: 'Store Discounts',
  taxItem: 'Sales Tax Collected',
  roundingItem: 'Rounding Adjustment',
  incomeAccount: 'Sales',
  cogsAccount: 'Cost of Goods Sold',
  assetAccount: 'Inventory Asset',
  newItemType: 'NON_INVENTORY',
  class: '',
  customerMatch: 'LAST_FIRST',
  singleCustomer: '',
  createMissingCustomers: true,
  missingProductAction: 'CREATE',
  statuses: [],
};

export const TRANSACTION_TYPE_LABEL: Record<TransactionType, string> = {
  SALES_RECEIPT: 'Sales receipt (one per paid order)',
  INVOICE: 'Invoice, plus a payment when the order is paid',
  SALES_ORDER: 'Sales order',
};

export const CUSTOMER_MATCH_LABEL: Record<CustomerMatch, string> = {
  LAST_FIRST: 'Last name, first name (“Doe, Jane”)',
  FIRST_LAST: 'First name last name (“Jane Doe”)',
  COMPANY: 'Billing company, else the person',
  EMAIL: 'Billing email address',
  SINGLE: 'One customer for every order',
  STORE: 'A customer named like this store',
};

export const NEW_ITEM_TYPE_LABEL: Record<NewItemType, string> = {
  NON_INVENTORY: 'Non-inventory part',
  INVENTORY: 'Inventory part',
  SERVICE: 'Service',
};

export const MISSING_PRODUCT_LABEL: Record<MissingProductAction, string> = {
  CREATE: 'Create item in QuickBooks',
  FLAG: 'Flag order as error and map',
};

export const MISSING_PRODUCT_HELP: Record<MissingProductAction, string> = {
  CREATE: 'A SKU QuickBooks does not have becomes a new item, of the New item type and with the accounts under Items and accounts above.',
  FLAG: 'The order waits in Needs mapping until you map the SKU to an existing item on the Missing Product Mapping page.',
};

/** The settings as the form edits them: the status list as the comma list people type. */
export type SettingsForm = Omit<PostingSettingsBase, 'statuses'> & { statuses: string };

export type SettingsField = keyof SettingsForm;

export function settingsToForm(s: PostingSettingsBase | PostingSettings): SettingsForm {
  const { inventory: _inventory, quickbooksToShipStation: _toShipStation, ...rest } = s as PostingSettings;
  return { ...rest, statuses: s.statuses.join(', ') };
}

/** "paid, shipped,, awaiting_shipment " → ["paid", "shipped", "awaiting_shipment"]; blank → []. */
export function parseStatuses(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(',')) {
    const s = part.trim();
    if (s && !seen.has(s.toLowerCase())) {
      seen.add(s.toLowerCase());
      out.push(s);
    }
  }
  return out;
}

/** Every setting, as sent to createStoreConnection / updateStoreConnection. */
export function settingsInput(f: SettingsForm): PostingSettingsInput {
  const text = (v: string) => v.trim();
  return {
    transactionType: f.transactionType,
    refPrefix: text(f.refPrefix),
    depositAccount: text(f.depositAccount),
    shippingItem: text(f.shippingItem),
    discountItem: text(f.discountItem),
    taxItem: text(f.taxItem),
    roundingItem: text(f.roundingItem),
    incomeAccount: text(f.incomeAccount),
    cogsAccount: text(f.cogsAccount),
    assetAccount: text(f.assetAccount),
    newItemType: f.newItemType,
    class: text(f.class),
    customerMatch: f.customerMatch,
    singleCustomer: f.customerMatch === 'SINGLE' ? text(f.singleCustomer) : '',
    createMissingCustomers: f.createMissingCustomers,
    missingProductAction: f.missingProductAction,
    statuses: parseStatuses(f.statuses),
  };
}

/** What the server would refuse, by field. */
export function settingsProblems(f: SettingsForm): Partial<Record<SettingsField, string>> {
  const out: Partial<Record<SettingsField, string>> = {};
  if (f.customerMatch === 'SINGLE' && !f.singleCustomer.trim()) {
    out.singleCustomer = 'Enter the QuickBooks customer every order is posted to, e.g. “Web Store”.';
  }
  return out;
}

// ---------------------------------------------------------------------------
// Inventory sync (jobs/orders InventorySettings)

/** What a connection never set up has: off, on hand, no location, nothing excluded, no safety stock. */
export const INVENTORY_OFF: InventorySettings = { enabled: false, basis: 'ON_HAND', location: '', excludeSkus: [], safetyStock: 0 };

/** orders.MaxSafetyStock */
export const MAX_SAFETY_STOCK = 1_000_000_000;
/** orders.MaxExcludedSKUs */
export const MAX_EXCLUDED_SKUS = 1000;

export const INVENTORY_BASIS_LABEL: Record<InventoryBasis, string> = {
  ON_HAND: 'Quantity on hand',
  AVAILABLE: 'On hand minus open sales orders',
};

export const INVENTORY_BASIS_HELP: Record<InventoryBasis, string> = {
  ON_HAND: 'The store gets QuickBooks’ quantity on hand.',
  AVAILABLE: 'Stock promised on open QuickBooks sales orders is not offered in the store.',
};

/** Inventory sync as its form edits it: the excluded SKUs and safety stock as typed. */
export interface InventoryForm {
  enabled: boolean;
  basis: InventoryBasis;
  location: string;
  excludeSkus: string;
  safetyStock: string;
}

export type InventoryField = keyof InventoryForm;

export function inventoryToForm(s: InventorySettings): InventoryForm {
  return { ...s, excludeSkus: s.excludeSkus.join('\n'), safetyStock: String(s.safetyStock) };
}

/** SKUs one per line or separated by commas, trimmed, each once (case-insensitive, as the server compares them). */
export function parseSkuList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const s = part.trim();
    if (s && !seen.has(s.toLowerCase())) {
      seen.add(s.toLowerCase());
      out.push(s);
    }
  }
  return out;
}

/** The settings as sent in updateStoreConnection's settings.inventory. Only Shopify has locations. */
export function inventoryInput(f: InventoryForm, channel: Channel): InventorySettingsInput {
  return {
    enabled: f.enabled,
    basis: f.basis,
    location: channel === 'SHOPIFY' ? f.location.trim() : '',
    excludeSkus: parseSkuList(f.excludeSkus),
    safetyStock: Number(f.safetyStock.trim()),
  };
}

/** What the server would refuse, by field. */
export function inventoryProblems(f: InventoryForm): Partial<Record<InventoryField, string>> {
  const out: Partial<Record<InventoryField, string>> = {};
  const t = f.safetyStock.trim();
  if (!/^\d+$/.test(t) || Number(t) > MAX_SAFETY_STOCK) out.safetyStock = 'Enter a whole number of units, 0 or more (0: hold nothing back).';
  if (f.location.trim().length > 255) out.location = 'A location name or id is at most 255 characters.';
  const skus = parseSkuList(f.excludeSkus);
  if (skus.length > MAX_EXCLUDED_SKUS) out.excludeSkus = `List at most ${MAX_EXCLUDED_SKUS} SKUs here; exclude more with an INVENTORY rule.`;
  else if (skus.some((s) => s.length > 255)) out.excludeSkus = 'A SKU is at most 255 characters.';
  return out;
}

// ---------------------------------------------------------------------------
// Sync interval and Manual Sync

/** Whole minutes from 1 to 1440, or an explanation. */
export function intervalProblem(raw: string): string | null {
  const t = raw.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 1440) return 'Enter a whole number of minutes from 1 to 1440.';
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the value of an <input type="datetime-local"> (local time, to the minute). */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> as a Date, or null. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The Manual Sync default: the last 24 hours, to the minute. */
export function lastDayRange(now: Date = new Date()): { from: string; to: string } {
  return { from: toLocalInput(new Date(now.getTime() - 24 * 60 * 60 * 1000)), to: toLocalInput(now) };
}

export const SYNC_ACTIVE_STATES = ['queued', 'running'] as const;

export function syncActive(p: Pick<SyncProgress, 'state'> | null | undefined): boolean {
  return !!p && (SYNC_ACTIVE_STATES as readonly string[]).includes(p.state);
}

export const SYNC_STATE_LABEL: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
};
