// "Sync Orders from QuickBooks" (jobs/orders QuickBooksToShipStationSettings) as its form edits
// it, and back. No React here, so the conversions can be tested on their own.
import type { QuickBooksToShipStationSettings, QuickBooksToShipStationSettingsInput, ShippingCostAs, TransactionType } from '../../graphql/schema';

/** orders.ShipStationOrderStatuses, in ShipStation's own order. */
export const SHIPSTATION_ORDER_STATUSES = ['awaiting_payment', 'awaiting_shipment', 'pending_fulfillment', 'shipped', 'on_hold', 'cancelled'] as const;

export const SHIPSTATION_STATUS_LABEL: Record<string, string> = {
  awaiting_payment: 'Awaiting payment',
  awaiting_shipment: 'Awaiting shipment',
  pending_fulfillment: 'Pending fulfillment',
  shipped: 'Shipped',
  on_hold: 'On hold',
  cancelled: 'Cancelled',
};

/** orders.MaxTestOrderNumbers */
export const MAX_TEST_ORDER_NUMBERS = 50;
/** QuickBooks Desktop's RefNumber length. */
export const MAX_REF_NUMBER = 11;
/** QuickBooks Desktop's class and item full-name length. */
export const MAX_QB_NAME = 159;

export const QB_TXN_LABEL: Record<TransactionType, string> = {
  INVOICE: 'Invoices',
  SALES_RECEIPT: 'Sales receipts',
  SALES_ORDER: 'Sales orders',
};

export const SHIPPING_COST_AS_LABEL: Record<ShippingCostAs, string> = {
  LINE: 'A line of the shipping item with the label’s cost',
  NONE: 'Do not write the cost',
};

/** What a ShipStation connection never set up has (orders.QuickBooksToShipStationSettings WithDefaults). */
export const TO_SHIPSTATION_DEFAULTS: QuickBooksToShipStationSettings = {
  enabled: false,
  txnTypes: ['INVOICE', 'SALES_RECEIPT', 'SALES_ORDER'],
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

export interface ToShipStationForm {
  enabled: boolean;
  txnTypes: TransactionType[];
  classFilter: string;
  /** 'class': only sales of classFilter; 'all': every sale. */
  salesFilter: 'class' | 'all';
  storeId: number;
  orderStatus: string;
  addTracking: boolean;
  addShippingCost: boolean;
  shippingCostAs: ShippingCostAs;
  shippingItem: string;
  /** As typed: "shipped, on_hold". */
  shippedStatuses: string;
}

export type ToShipStationField = keyof ToShipStationForm;

export function toShipStationForm(s: QuickBooksToShipStationSettings | null | undefined): ToShipStationForm {
  const v = s ?? TO_SHIPSTATION_DEFAULTS;
  return {
    enabled: v.enabled,
    txnTypes: [...v.txnTypes],
    classFilter: v.classFilter,
    salesFilter: v.allSales ? 'all' : 'class',
    storeId: v.storeId,
    orderStatus: v.orderStatus,
    addTracking: v.addTracking,
    addShippingCost: v.addShippingCost,
    shippingCostAs: v.shippingCostAs,
    shippingItem: v.shippingItem,
    shippedStatuses: v.shippedStatuses.join(', '),
  };
}

/** "Shipped, on hold ,, shipped" → ["shipped", "on_hold"]: ShipStation's names, each once. */
export function parseShipStationStatuses(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const s = part.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** "1001, 1002 1003" → ["1001", "1002", "1003"]: order numbers separated by commas or spaces, each once. */
export function parseOrderNumbers(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,\s]+/)) {
    const s = part.trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The settings as sent in updateStoreConnection's settings.quickbooksToShipStation (test sales have their own button). */
export function toShipStationInput(f: ToShipStationForm): QuickBooksToShipStationSettingsInput {
  return {
    enabled: f.enabled,
    txnTypes: f.txnTypes,
    classFilter: f.classFilter.trim(),
    allSales: f.salesFilter === 'all',
    storeId: f.storeId,
    orderStatus: f.orderStatus,
    addTracking: f.addTracking,
    addShippingCost: f.addShippingCost,
    shippingCostAs: f.shippingCostAs,
    shippingItem: f.shippingItem.trim(),
    shippedStatuses: parseShipStationStatuses(f.shippedStatuses),
  };
}

const STATUS_LIST = SHIPSTATION_ORDER_STATUSES.join(', ');

/** What the server would refuse (or what would make the direction send nothing), by field. */
export function toShipStationProblems(f: ToShipStationForm): Partial<Record<ToShipStationField, string>> {
  const out: Partial<Record<ToShipStationField, string>> = {};
  if (f.txnTypes.length === 0) out.txnTypes = 'Choose at least one kind of QuickBooks transaction to send.';
  if (f.salesFilter === 'class') {
    const c = f.classFilter.trim();
    if (!c) out.classFilter = 'Enter the QuickBooks class of the sales to send, e.g. ShipStation, or choose All sales.';
    else if (c.length > MAX_QB_NAME) out.classFilter = `A QuickBooks class name is at most ${MAX_QB_NAME} characters.`;
  }
  const bad = parseShipStationStatuses(f.shippedStatuses).filter((s) => !(SHIPSTATION_ORDER_STATUSES as readonly string[]).includes(s));
  if (bad.length > 0) out.shippedStatuses = `“${bad.join('”, “')}” is not a ShipStation status. Use ${STATUS_LIST}.`;
  else if ((f.addTracking || f.addShippingCost) && parseShipStationStatuses(f.shippedStatuses).length === 0) {
    out.shippedStatuses = 'Enter Shipped as the order status to export, or nothing comes back to QuickBooks.';
  }
  if (f.addShippingCost && f.shippingCostAs === 'LINE') {
    const item = f.shippingItem.trim();
    if (!item) out.shippingItem = 'Enter the QuickBooks item of the shipping line, e.g. Shipping.';
    else if (item.length > MAX_QB_NAME) out.shippingItem = `A QuickBooks item name is at most ${MAX_QB_NAME} characters.`;
  }
  return out;
}

/** Problems of the test-sales box, or null. */
export function orderNumbersProblem(text: string): string | null {
  const nums = parseOrderNumbers(text);
  if (nums.length === 0) return 'Enter one or more QuickBooks order numbers, separated by commas, e.g. 1001, 1002.';
  if (nums.length > MAX_TEST_ORDER_NUMBERS) return `Enter at most ${MAX_TEST_ORDER_NUMBERS} order numbers at once.`;
  const long = nums.find((n) => n.length > MAX_REF_NUMBER);
  if (long) return `“${long}” is longer than QuickBooks’ ${MAX_REF_NUMBER}-character order numbers.`;
  return null;
}

/**
 * The form field a server refusal names: the message "quickbooksToShipStation.shippingItem must…"
 * (or an extensions.field "settings.quickbooksToShipStation.shippingItem") → "shippingItem".
 */
export function serverField(field: unknown, message: string): ToShipStationField | null {
  const text = `${typeof field === 'string' ? field : ''} ${message}`;
  const m = /quickbooksToShipStation\.(\w+)/.exec(text);
  if (!m) return null;
  const name = m[1] ?? '';
  if (name === 'allSales') return 'salesFilter';
  const fields: ToShipStationField[] = ['enabled', 'txnTypes', 'classFilter', 'storeId', 'orderStatus', 'addTracking', 'addShippingCost', 'shippingCostAs', 'shippingItem', 'shippedStatuses'];
  return (fields as string[]).includes(name) ? (name as ToShipStationField) : null;
}

/** The message without its "quickbooksToShipStation.field" prefix, for under the field. */
export function serverMessage(message: string): string {
  return message.replace(/^(settings:\s*)?quickbooksToShipStation\.\w+:?\s*/, '');
}
