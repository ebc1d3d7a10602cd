import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsOf, gqlError, json, operationName, renderApp, variablesOf, type Call } from '../test/helpers';
import { rulesBackend, savedRule, type Rules } from '../test/rulesFixtures';

const change = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const optionLabels = (label: string) =>
  Array.from((screen.getByLabelText(label) as HTMLSelectElement).options).map((o) => o.textContent ?? '');

async function catalogueLoaded() {
  // The field pickers fill once ruleFields has answered.
  await waitFor(() => expect(optionLabels('Action 1 field')).toContain('Deposit account (depositAccount)'));
}

const PREFIX_RULE = () =>
  savedRule('5', 'Prefix', 2, {
    version: 3,
    conditions: [{ field: 'channel', operator: 'EQUALS', value: 'shopify', values: [], caseSensitive: false }],
    actions: [{ type: 'ADD_PREFIX', field: 'refPrefix', value: 'SH-', from: null, table: [], default: null, caseSensitive: false, reason: null }],
  });

describe('rule editor: building the input', () => {
  it('sends every kind of condition and action as the schema’s RuleInput', async () => {
    const f = rulesBackend();
    renderApp('/rules/new');
    await screen.findByRole('heading', { name: 'New rule' });
    await catalogueLoaded();
    expect(variablesOf(callsOf(f, 'RuleFields')[0]!)).toEqual({ pipeline: null });

    change('Name', '  Big Target orders ');
    fireEvent.click(screen.getByLabelText(/Match ANY/));

    const addCondition = () => fireEvent.click(screen.getByRole('button', { name: 'Add condition' }));

    // 1: text, contains, case-sensitive.
    addCondition();
    change('Condition 1 field', 'billTo.company');
    change('Condition 1 operator', 'CONTAINS');
    change('Condition 1 value', 'Target');
    fireEvent.click(screen.getByLabelText('Condition 1 case-sensitive'));

    // 2: a choice field: its operators only; "is one of" takes a comma list.
    addCondition();
    change('Condition 2 field', 'channel');
    expect(optionLabels('Condition 2 operator')).toEqual(['equals', 'does not equal', 'is empty', 'is not empty', 'is one of']);
    expect(screen.getByLabelText('Condition 2 value').tagName).toBe('SELECT');
    expect(optionLabels('Condition 2 value')).toEqual(['Choose…', 'shopify', 'woocommerce', 'shipstation']);
    change('Condition 2 operator', 'IN_LIST');
    expect(screen.queryByLabelText('Condition 2 value')).toBeNull();
    change('Condition 2 values', 'shopify, woocommerce ,');

    // 3: yes/no: a select, two operators, no case choice.
    addCondition();
    change('Condition 3 field', 'customer.guest');
    expect(optionLabels('Condition 3 operator')).toEqual(['equals', 'does not equal']);
    expect(screen.queryByLabelText('Condition 3 case-sensitive')).toBeNull();
    change('Condition 3 value', 'true');

    // 4: is empty takes no value.
    addCondition();
    change('Condition 4 field', 'payments[].method');
    change('Condition 4 operator', 'IS_EMPTY');
    expect(screen.queryByLabelText('Condition 4 value')).toBeNull();
    expect(screen.queryByLabelText('Condition 4 values')).toBeNull();

    // 5: money; 6: date; 7: a store-specific field; 8: an integer line field.
    addCondition();
    change('Condition 5 field', 'total');
    expect(optionLabels('Condition 5 operator')).not.toContain('contains');
    change('Condition 5 operator', 'GREATER_THAN');
    change('Condition 5 value', '100.50');
    addCondition();
    change('Condition 6 field', 'createdAt');
    change('Condition 6 operator', 'LESS_THAN');
    change('Condition 6 value', '2026-11-23');
    addCondition();
    change('Condition 7 field', 'custom.<key>');
    change('Condition 7 field key', 'gift_message');
    change('Condition 7 value', 'yes');
    addCondition();
    change('Condition 8 field', 'lines[].quantity');
    change('Condition 8 operator', 'GREATER_THAN');
    expect((screen.getByLabelText('Condition 8 value') as HTMLInputElement).type).toBe('number');
    change('Condition 8 value', '5');

    // Actions. The target picker offers writable fields only.
    expect(optionLabels('Action 1 field')).not.toContain('Order total (total)');
    expect(optionLabels('Action 1 field')).not.toContain('ShipStation order status (shipStatus)'); // other pipeline
    change('Action 1 field', 'depositAccount');
    change('Action 1 value', 'PayPal');

    const addAction = () => fireEvent.click(screen.getByRole('button', { name: 'Add action' }));
    addAction();
    change('Action 2 type', 'SET_FROM_FIELD');
    change('Action 2 field', 'lines[].itemName');
    change('Action 2 from', 'lines[].sku');

    addAction();
    change('Action 3 type', 'LOOKUP');
    change('Action 3 field', 'depositAccount');
    change('Action 3 from', 'payments[].method');
    change('Action 3 entry 1 key', 'paypal');
    change('Action 3 entry 1 value', 'PayPal');
    fireEvent.click(within(screen.getByTestId('action-2')).getByRole('button', { name: 'Add entry' }));
    change('Action 3 entry 2 key', 'cash');
    change('Action 3 entry 2 value', 'Cash on Hand');
    fireEvent.click(screen.getByLabelText('Action 3 use a default'));
    change('Action 3 default', 'Undeposited Funds');
    fireEvent.click(screen.getByLabelText('Action 3 case-sensitive keys'));

    addAction();
    change('Action 4 type', 'EXCLUDE');
    expect(screen.queryByLabelText('Action 4 field')).toBeNull();
    change('Action 4 reason', ' Wholesale ');

    addAction();
    change('Action 5 type', 'ADD_PREFIX');
    expect(optionLabels('Action 5 field')).not.toContain('Line taxable (lines[].taxable)'); // text fields only
    change('Action 5 field', 'refPrefix');
    change('Action 5 value', 'SH-');

    addAction();
    change('Action 6 type', 'ADD_SUFFIX');
    change('Action 6 field', 'lines[].sku');
    change('Action 6 value', '-X');

    addAction();
    change('Action 7 field', 'lines[].taxable');
    expect(optionLabels('Action 7 value')).toEqual(['Choose…', 'true (yes)', 'false (no)']);
    change('Action 7 value', 'false');

    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(callsOf(f, 'CreateRule')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'CreateRule')[0]!)).toEqual({
      input: {
        name: 'Big Target orders',
        enabled: true,
        pipelines: ['ORDERS_TO_QUICKBOOKS'],
        match: 'ANY',
        conditions: [
          { field: 'billTo.company', operator: 'CONTAINS', value: 'Target', caseSensitive: true },
          { field: 'channel', operator: 'IN_LIST', values: ['shopify', 'woocommerce'], caseSensitive: false },
          { field: 'customer.guest', operator: 'EQUALS', value: 'true', caseSensitive: false },
          { field: 'payments[].method', operator: 'IS_EMPTY', caseSensitive: false },
          { field: 'total', operator: 'GREATER_THAN', value: '100.50', caseSensitive: false },
          { field: 'createdAt', operator: 'LESS_THAN', value: '2026-11-23', caseSensitive: false },
          { field: 'custom.gift_message', operator: 'EQUALS', value: 'yes', caseSensitive: false },
          { field: 'lines[].quantity', operator: 'GREATER_THAN', value: '5', caseSensitive: false },
        ],
        actions: [
          { type: 'SET', field: 'depositAccount', value: 'PayPal' },
          { type: 'SET_FROM_FIELD', field: 'lines[].itemName', from: 'lines[].sku' },
          {
            type: 'LOOKUP',
            field: 'depositAccount',
            from: 'payments[].method',
            table: [
              { key: 'paypal', value: 'PayPal' },
              { key: 'cash', value: 'Cash on Hand' },
            ],
            caseSensitive: true,
            default: 'Undeposited Funds',
          },
          { type: 'EXCLUDE', reason: 'Wholesale' },
          { type: 'ADD_PREFIX', field: 'refPrefix', value: 'SH-' },
          { type: 'ADD_SUFFIX', field: 'lines[].sku', value: '-X' },
          { type: 'SET', field: 'lines[].taxable', value: 'false' },
        ],
      },
    });
    await waitFor(() => expect(window.location.pathname).toBe('/rules/100'));
  }, 60_000);

  it('offers only the fields of every chosen pipeline, and keeps a saved custom field', async () => {
    rulesBackend({
      rules: [
        savedRule('8', 'Gift', 1, {
          pipelines: ['ORDERS_TO_QUICKBOOKS', 'QUICKBOOKS_TO_SHIPSTATION'],
          conditions: [{ field: 'custom.gift_wrap', operator: 'IS_NOT_EMPTY', value: null, values: [], caseSensitive: false }],
        }),
      ],
    });
    renderApp('/rules/8');
    await screen.findByRole('heading', { name: 'Edit rule' });
    await waitFor(() => expect((screen.getByLabelText('Condition 1 field') as HTMLSelectElement).value).toBe('custom.<key>'));
    expect((screen.getByLabelText('Condition 1 field key') as HTMLInputElement).value).toBe('gift_wrap');
    expect((screen.getByLabelText('Condition 1 operator') as HTMLSelectElement).value).toBe('IS_NOT_EMPTY');
    // refPrefix exists only in Orders → QuickBooks; shipStatus only in QuickBooks → ShipStation.
    await waitFor(() => expect(optionLabels('Action 1 field')).toContain('Billing company (billTo.company)'));
    expect(optionLabels('Action 1 field')).not.toContain('Reference prefix (refPrefix)');
    expect(optionLabels('Action 1 field')).not.toContain('ShipStation order status (shipStatus)');
    // The saved target is kept and marked rather than lost.
    expect((screen.getByLabelText('Action 1 field') as HTMLSelectElement).value).toBe('depositAccount');
    expect(optionLabels('Action 1 field')).toContain('depositAccount (not available here)');
    fireEvent.click(screen.getByLabelText('Orders → QuickBooks'));
    await waitFor(() => expect(optionLabels('Action 1 field')).toContain('ShipStation order status (shipStatus)'));
  });
});

describe('rule editor: saving an existing rule', () => {
  function withUpdate(reply: (call: Call, rules: Rules) => Response) {
    return rulesBackend({
      rules: [
        savedRule('5', 'Two conditions', 1, {
          version: 3,
          conditions: [
            { field: 'billTo.company', operator: 'EQUALS', value: 'Target', values: [], caseSensitive: false },
            { field: 'total', operator: 'GREATER_THAN', value: '10', values: [], caseSensitive: false },
          ],
        }),
      ],
      reply: (call, rules) => (operationName(call) === 'UpdateRule' ? reply(call, rules) : undefined),
    });
  }

  it('puts each BAD_USER_INPUT problem next to the condition or action it names', async () => {
    const f = withUpdate(() =>
      json({
        data: null,
        errors: [
          { message: '“contains” does not apply to total, a money field.', extensions: { code: 'BAD_USER_INPUT', field: 'conditions[1].op' } },
          { message: 'Give the text to add, 1 to 1000 characters.', extensions: { code: 'BAD_USER_INPUT', field: 'actions[0].value' } },
          { message: 'Give the rule a name of 1 to 200 characters.', extensions: { code: 'BAD_USER_INPUT', field: 'name' } },
        ],
      }),
    );
    renderApp('/rules/5');
    await screen.findByRole('heading', { name: 'Edit rule' });
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Two conditions'));
    change('Name', '');
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));

    const second = screen.getByTestId('condition-1');
    expect((await within(second).findByRole('alert')).textContent).toBe('“contains” does not apply to total, a money field.');
    expect(within(second).getByLabelText('Condition 2 operator').getAttribute('aria-invalid')).toBe('true');
    expect(within(second).getByLabelText('Condition 2 value').getAttribute('aria-invalid')).toBeNull();
    expect(within(screen.getByTestId('condition-0')).queryByRole('alert')).toBeNull();
    expect(within(screen.getByTestId('action-0')).getByRole('alert').textContent).toBe('Give the text to add, 1 to 1000 characters.');
    expect(within(screen.getByTestId('action-0')).getByLabelText('Action 1 value').getAttribute('aria-invalid')).toBe('true');
    const name = screen.getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(name.parentElement!.textContent).toContain('Give the rule a name of 1 to 200 characters.');
    expect(screen.queryByTestId('general-problems')).toBeNull();
    expect(screen.getByText('The rule was not saved: fix the problems marked above.')).toBeTruthy();

    const update = variablesOf(callsOf(f, 'UpdateRule')[0]!);
    expect(update.id).toBe('5');
    expect(update.expectedVersion).toBe(3);
    expect((update.input as { name: string }).name).toBe('');
    expect(update.input).not.toHaveProperty('id');

    // Editing a part takes its problem away; the others stay until saved again.
    change('Name', 'Named again');
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    expect(within(second).getByRole('alert')).toBeTruthy();

    // Removing a row moves the indexes: the old problems go.
    fireEvent.click(screen.getByRole('button', { name: 'Remove condition 1' }));
    expect(screen.queryByText('“contains” does not apply to total, a money field.')).toBeNull();
  });

  it('says someone else changed the rule on CONFLICT and reloads it on request', async () => {
    const f = withUpdate((_call, rules) => {
      rules[0] = { ...rules[0]!, name: 'Renamed by a colleague', version: 4 };
      return gqlError('Someone saved this rule since you opened it; reload it and make your change again.', 'CONFLICT');
    });
    renderApp('/rules/5');
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Two conditions'));
    change('Name', 'My new name');
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    const conflict = await screen.findByTestId('conflict');
    expect(conflict.textContent).toContain('Someone else changed this rule since you opened it');
    expect(callsOf(f, 'Rule')).toHaveLength(1);

    fireEvent.click(within(conflict).getByRole('button', { name: 'Reload the rule' }));
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Renamed by a colleague'));
    expect(callsOf(f, 'Rule')).toHaveLength(2);
    expect(screen.queryByTestId('conflict')).toBeNull();
    expect(screen.getByTestId('rule-meta').textContent).toContain('Version 4');
  });

  it('saves with the version it loaded and shows the new one', async () => {
    const f = withUpdate((call, rules) => {
      const r = { ...rules[0]!, ...(variablesOf(call).input as object), version: 4 };
      return json({ data: { updateRule: r } });
    });
    renderApp('/rules/5');
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Two conditions'));
    fireEvent.click(screen.getByLabelText('Enabled'));
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(await screen.findByText('Saved: “Two conditions” is now version 4.')).toBeTruthy();
    expect(variablesOf(callsOf(f, 'UpdateRule')[0]!)).toMatchObject({ id: '5', expectedVersion: 3, input: { enabled: false } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(callsOf(f, 'UpdateRule')).toHaveLength(2));
    expect(variablesOf(callsOf(f, 'UpdateRule')[1]!).expectedVersion).toBe(4);
  });

  it('shows support staff the rule read-only', async () => {
    rulesBackend({ role: 'SUPPORT', rules: [PREFIX_RULE()] });
    renderApp('/rules/5');
    await screen.findByRole('heading', { name: 'Rule' });
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Prefix'));
    // The form sits in a disabled fieldset: nothing in it can be changed.
    expect(screen.getByLabelText('Name').matches(':disabled')).toBe(true);
    expect(screen.getByLabelText('Action 1 value').matches(':disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Remove action 1' }).matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add condition' })?.matches(':disabled')).toBe(true);
    expect(screen.getByText('Support view: rules are shown read-only.')).toBeTruthy();
    // Previewing changes nothing, so support can still do it.
    expect(screen.getByLabelText('Order').matches(':disabled')).toBe(false);
  });
});

describe('rule editor: live preview', () => {
  const BEFORE = JSON.stringify({ number: '#1011', channel: 'shopify', refPrefix: '', depositAccount: '', note: 'x' }, null, 2);
  const afterWith = (prefix: string) =>
    JSON.stringify({ number: '#1011', channel: 'shopify', refPrefix: prefix, depositAccount: 'PayPal', note: 'x' }, null, 2);

  function previewBackend(onPreview?: (call: Call) => Response | undefined) {
    return rulesBackend({
      rules: [PREFIX_RULE()],
      reply: (call) => {
        if (operationName(call) !== 'PreviewRules') return undefined;
        const custom = onPreview?.(call);
        if (custom) return custom;
        const draft = variablesOf(call).draft as { actions: { value: string }[] };
        const prefix = draft.actions[0]!.value;
        return json({
          data: {
            previewRules: {
              changes: [
                { ruleId: '5', ruleName: 'Prefix', ruleVersion: 3, fromDraft: true, field: 'refPrefix', before: '', after: prefix },
                { ruleId: '2', ruleName: 'Deposit PayPal', ruleVersion: 1, fromDraft: false, field: 'depositAccount', before: '', after: 'PayPal' },
              ],
              draftMatched: true,
              excluded: false,
              excludeReason: null,
              before: BEFORE,
              after: afterWith(prefix),
            },
          },
        });
      },
    });
  }

  it('previews the unsaved form on a picked order, and again after edits', async () => {
    const f = previewBackend();
    renderApp('/rules/5');
    await waitFor(() => expect((screen.getByLabelText('Action 1 value') as HTMLInputElement).value).toBe('SH-'));
    const picker = screen.getByLabelText('Order') as HTMLSelectElement;
    await waitFor(() => expect(optionLabels('Order')).toEqual(['Choose an order…', '#1011 — Ada Lovelace · Main Shopify', '#1012 — Grace Hopper · Outlet WooCommerce']));
    expect(variablesOf(callsOf(f, 'PreviewOrders')[0]!)).toEqual({ first: 20, filter: {} });
    expect((screen.getByRole('button', { name: 'Preview' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(picker, { target: { value: '11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(callsOf(f, 'PreviewRules')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'PreviewRules')[0]!)).toEqual({
      orderId: '11',
      pipeline: 'ORDERS_TO_QUICKBOOKS',
      draft: {
        id: '5',
        name: 'Prefix',
        enabled: true,
        pipelines: ['ORDERS_TO_QUICKBOOKS'],
        match: 'ALL',
        conditions: [{ field: 'channel', operator: 'EQUALS', value: 'shopify', caseSensitive: false }],
        actions: [{ type: 'ADD_PREFIX', field: 'refPrefix', value: 'SH-' }],
      },
    });

    const changes = await screen.findAllByTestId('preview-change');
    expect(changes.map((c) => c.textContent)).toEqual([
      'refPrefix: (empty) → SH- by “Prefix” (this draft of v3)',
      'depositAccount: (empty) → PayPal by “Deposit PayPal” v1',
    ]);
    expect(screen.getByTestId('preview-matched').textContent).toBe('This rule matches the order.');
    expect(screen.getByTestId('preview-excluded').textContent).toBe('Not excluded: the order would sync.');
    // The before/after view marks exactly the changed lines.
    const diff = screen.getByTestId('preview-diff');
    const changed = Array.from(diff.querySelectorAll('td[data-changed]')).map((td) => td.textContent);
    expect(changed).toEqual(['  "refPrefix": "",', '  "refPrefix": "SH-",', '  "depositAccount": "",', '  "depositAccount": "PayPal",']);

    // An edit previews again by itself, once typing pauses.
    change('Action 1 value', 'E2E-');
    await waitFor(() => expect(callsOf(f, 'PreviewRules')).toHaveLength(2), { timeout: 3000 });
    expect((variablesOf(callsOf(f, 'PreviewRules')[1]!).draft as { actions: unknown[] }).actions).toEqual([
      { type: 'ADD_PREFIX', field: 'refPrefix', value: 'E2E-' },
    ]);
    await waitFor(() => expect(screen.getAllByTestId('preview-change')[0]!.textContent).toContain('→ E2E-'));
    expect(callsOf(f, 'PreviewRules')).toHaveLength(2);

    // Searching the orders narrows the picker.
    fireEvent.change(screen.getByLabelText('Find an order'), { target: { value: 'Grace' } });
    await waitFor(() => expect(callsOf(f, 'PreviewOrders')).toHaveLength(2));
    expect(variablesOf(callsOf(f, 'PreviewOrders')[1]!)).toEqual({ first: 20, filter: { search: 'Grace' } });
  }, 60_000);

  it('tells orders of different stores with the same number apart by store name', async () => {
    rulesBackend({
      rules: [PREFIX_RULE()],
      reply: (call) =>
        operationName(call) === 'PreviewOrders'
          ? json({
              data: {
                orders: {
                  edges: [
                    { node: { id: '21', number: 'UX-2001', customerName: 'Ada Lovelace', channel: 'shopify', connectionId: '1' } },
                    { node: { id: '22', number: 'UX-2001', customerName: 'Ada Lovelace', channel: 'woocommerce', connectionId: '2' } },
                  ],
                },
              },
            })
          : undefined,
    });
    renderApp('/rules/5');
    await waitFor(() =>
      expect(optionLabels('Order')).toEqual(['Choose an order…', 'UX-2001 — Ada Lovelace · Main Shopify', 'UX-2001 — Ada Lovelace · Outlet WooCommerce']),
    );
  });

  it('says when the draft does not match and shows the exclusion', async () => {
    previewBackend(() =>
      json({
        data: {
          previewRules: { changes: [], draftMatched: false, excluded: true, excludeReason: 'Wholesale orders are invoiced by hand.', before: BEFORE, after: BEFORE },
        },
      }),
    );
    renderApp('/rules/5');
    await waitFor(() => expect(optionLabels('Order')).toHaveLength(3));
    fireEvent.change(screen.getByLabelText('Order'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByTestId('preview-matched')).textContent).toBe('This rule does not match the order.');
    expect(screen.getByTestId('preview-excluded').textContent).toBe('Excluded: Wholesale orders are invoiced by hand.');
    expect(screen.queryAllByTestId('preview-change')).toHaveLength(0);
    expect(screen.getByText('No rule changed anything.')).toBeTruthy();
  });

  it('marks the draft’s problems in the form, not only above it', async () => {
    previewBackend(() =>
      json({
        data: null,
        errors: [{ message: 'Give a value to compare channel with.', extensions: { code: 'BAD_USER_INPUT', field: 'draft.conditions[0].value' } }],
      }),
    );
    renderApp('/rules/5');
    await waitFor(() => expect(optionLabels('Order')).toHaveLength(3));
    fireEvent.change(screen.getByLabelText('Order'), { target: { value: '11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const row = screen.getByTestId('condition-0');
    expect((await within(row).findByRole('alert')).textContent).toBe('Give a value to compare channel with.');
    expect(within(row).getByLabelText('Condition 1 value').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('The rule cannot run yet: fix the problems marked in the form.')).toBeTruthy();
  });
});

describe('rule editor: unsaved changes', () => {
  it('says nothing about unsaved changes on a blank new rule, and says so once something is typed', async () => {
    rulesBackend();
    renderApp('/rules/new');
    await screen.findByRole('heading', { name: 'New rule' });
    await catalogueLoaded();
    expect(screen.queryByText('Unsaved changes')).toBeNull();
    change('Name', 'Wholesale');
    expect(await screen.findByText('Unsaved changes')).toBeTruthy();
  });
});
