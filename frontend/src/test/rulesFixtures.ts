// Canned rules-engine data and a scripted backend for the Rules page tests.
import type { Role } from '../graphql/schema';
import { json, mockFetch, operationName, sessionFor, type Call } from './helpers';

const ALL = ['ORDERS_TO_QUICKBOOKS', 'QUICKBOOKS_TO_SHIPSTATION', 'INVENTORY'];
const ORDER_FLOWS = ['ORDERS_TO_QUICKBOOKS', 'QUICKBOOKS_TO_SHIPSTATION'];
const STRING_OPS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'MATCHES', 'IS_EMPTY', 'IS_NOT_EMPTY', 'IN_LIST'];
const ENUM_OPS = ['EQUALS', 'NOT_EQUALS', 'IS_EMPTY', 'IS_NOT_EMPTY', 'IN_LIST'];
const NUMBER_OPS = ['EQUALS', 'NOT_EQUALS', 'GREATER_THAN', 'LESS_THAN', 'IN_LIST'];
const BOOL_OPS = ['EQUALS', 'NOT_EQUALS'];
const DATE_OPS = ['EQUALS', 'NOT_EQUALS', 'GREATER_THAN', 'LESS_THAN', 'IS_EMPTY', 'IS_NOT_EMPTY'];

function field(path: string, label: string, group: string, type: string, extra: Record<string, unknown> = {}) {
  const operators = { STRING: STRING_OPS, ENUM: ENUM_OPS, MONEY: NUMBER_OPS, INTEGER: NUMBER_OPS, BOOLEAN: BOOL_OPS, DATE: DATE_OPS }[type];
  return {
    path,
    label,
    group,
    type,
    writable: false,
    enumValues: [] as string[],
    operators,
    list: path.includes('[]'),
    pipelines: ORDER_FLOWS,
    description: `${label}.`,
    ...extra,
  };
}

export const FIELDS = [
  field('channel', 'Channel', 'Order', 'ENUM', { enumValues: ['shopify', 'woocommerce', 'shipstation'], pipelines: ALL }),
  field('total', 'Order total', 'Order', 'MONEY'),
  field('createdAt', 'Order date', 'Order', 'DATE'),
  field('tags[]', 'Tag', 'Order', 'STRING'),
  field('refPrefix', 'Reference prefix', 'Posting', 'STRING', { writable: true, pipelines: ['ORDERS_TO_QUICKBOOKS'] }),
  field('depositAccount', 'Deposit account', 'Posting', 'STRING', { writable: true, pipelines: ['ORDERS_TO_QUICKBOOKS'] }),
  field('shipStatus', 'ShipStation order status', 'Posting', 'ENUM', {
    writable: true,
    enumValues: ['awaiting_shipment', 'on_hold'],
    pipelines: ['QUICKBOOKS_TO_SHIPSTATION'],
  }),
  field('customer.guest', 'Guest checkout', 'Customer', 'BOOLEAN'),
  field('billTo.company', 'Billing company', 'Billing address', 'STRING', { writable: true }),
  field('lines[].sku', 'Line SKU', 'Lines', 'STRING', { writable: true, pipelines: ALL }),
  field('lines[].itemName', 'QuickBooks item', 'Lines', 'STRING', { writable: true, pipelines: ALL }),
  field('lines[].quantity', 'Line quantity', 'Lines', 'INTEGER'),
  field('lines[].taxable', 'Line taxable', 'Lines', 'BOOLEAN', { writable: true }),
  field('payments[].method', 'Payment method', 'Payments', 'STRING'),
  field('custom.<key>', 'Store-specific field', 'Store-specific', 'STRING', { writable: true, list: false }),
];

export function savedRule(id: string, name: string, position: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    enabled: true,
    position,
    pipelines: ['ORDERS_TO_QUICKBOOKS'],
    match: 'ALL',
    conditions: [] as unknown[],
    actions: [
      { type: 'SET', field: 'depositAccount', value: 'PayPal', from: null, table: [], default: null, caseSensitive: false, reason: null },
    ] as unknown[],
    version: 1,
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    ...extra,
  };
}

export const PREFIX_TEMPLATE = {
  key: 'order-prefix',
  name: 'Order number prefix',
  description: 'Put SH- in front of Shopify order numbers in QuickBooks, so they never clash with other stores.',
  draft: {
    name: 'Prefix Shopify order numbers',
    enabled: true,
    pipelines: ['ORDERS_TO_QUICKBOOKS'],
    match: 'ALL',
    conditions: [{ field: 'channel', operator: 'EQUALS', value: 'shopify', values: [], caseSensitive: false }],
    actions: [{ type: 'ADD_PREFIX', field: 'refPrefix', value: 'SH-', from: null, table: [], default: null, caseSensitive: false, reason: null }],
  },
};

export const TEMPLATES = [
  {
    key: 'exclude',
    name: 'Exclude an order',
    description: 'Do not sync orders tagged wholesale; they show as excluded with the reason.',
    draft: {
      name: 'Exclude wholesale orders',
      enabled: true,
      pipelines: ['ORDERS_TO_QUICKBOOKS'],
      match: 'ALL',
      conditions: [{ field: 'tags[]', operator: 'CONTAINS', value: 'wholesale', values: [], caseSensitive: false }],
      actions: [{ type: 'EXCLUDE', field: null, value: null, from: null, table: [], default: null, caseSensitive: false, reason: 'Wholesale orders are invoiced by hand.' }],
    },
  },
  PREFIX_TEMPLATE,
];

export const PREVIEW_ORDERS = [
  { id: '11', number: '#1011', customerName: 'Ada Lovelace', channel: 'shopify', connectionId: '1' },
  { id: '12', number: '#1012', customerName: 'Grace Hopper', channel: 'woocommerce', connectionId: '2' },
];

/** The stores the preview orders come from. */
export const PREVIEW_STORES = [
  { id: '1', name: 'Main Shopify', channel: 'shopify' },
  { id: '2', name: 'Outlet WooCommerce', channel: 'woocommerce' },
];

export type Rules = ReturnType<typeof savedRule>[];

export interface RulesBackendOptions {
  role?: Role;
  rules?: Rules;
  /** Answers any operation first; undefined falls through to the defaults. */
  reply?: (call: Call, rules: Rules) => Response | undefined;
}

/** A signed-in user with `rules`, answering the Rules pages' operations. */
export function rulesBackend(opts: RulesBackendOptions = {}) {
  const rules: Rules = [...(opts.rules ?? [])];
  let nextId = 100;
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(opts.role ?? 'OWNER'));
    const custom = opts.reply?.(call, rules);
    if (custom) return custom;
    const vars = ((call.body as { variables?: Record<string, unknown> }).variables ?? {}) as Record<string, unknown>;
    switch (operationName(call)) {
      case 'Rules': {
        const filter = (vars.filter ?? {}) as { search?: string; pipeline?: string };
        const list = rules.filter(
          (r) =>
            (!filter.search || r.name.toLowerCase().includes(filter.search.toLowerCase())) &&
            (!filter.pipeline || r.pipelines.includes(filter.pipeline)),
        );
        return json({
          data: {
            rules: {
              edges: list.map((node) => ({ cursor: `r${node.position}`, node })),
              pageInfo: { hasNextPage: false, endCursor: list.at(-1) ? `r${list.at(-1)!.position}` : null },
              totalCount: list.length,
            },
          },
        });
      }
      case 'Rule': {
        const r = rules.find((x) => x.id === vars.id);
        return r ? json({ data: { rule: r } }) : json({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }], data: null });
      }
      case 'RuleFields':
        return json({ data: { ruleFields: FIELDS } });
      case 'RuleTemplates':
        return json({ data: { ruleTemplates: TEMPLATES } });
      case 'StoreNames':
        return json({ data: { storeConnections: { edges: PREVIEW_STORES.map((node) => ({ node })) } } });
      case 'PreviewOrders':
        return json({ data: { orders: { edges: PREVIEW_ORDERS.map((node) => ({ node })) } } });
      case 'CreateRule': {
        const input = vars.input as Record<string, unknown>;
        const r = savedRule(String(nextId++), String(input.name), rules.length + 1, {
          ...input,
          conditions: (input.conditions as Record<string, unknown>[]).map((c) => ({ value: null, values: [], caseSensitive: false, ...c })),
          actions: (input.actions as Record<string, unknown>[]).map((a) => ({
            field: null,
            value: null,
            from: null,
            table: [],
            default: null,
            caseSensitive: false,
            reason: null,
            ...a,
          })),
        });
        rules.push(r);
        return json({ data: { createRule: r } });
      }
    }
    return undefined;
  });
}
