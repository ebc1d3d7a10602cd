import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsOf, captureDownloads, gqlError, json, operationName, renderApp, variablesOf, type Call } from '../test/helpers';
import { rulesBackend, savedRule } from '../test/rulesFixtures';

const THREE = () => [
  savedRule('1', 'Target → Target store', 1, { pipelines: ['QUICKBOOKS_TO_SHIPSTATION'], version: 3 }),
  savedRule('2', 'Map SKU ABC-123', 2, { pipelines: ['ORDERS_TO_QUICKBOOKS', 'INVENTORY'], enabled: false }),
  savedRule('3', 'Deposit PayPal', 3),
];

describe('rules grid', () => {
  it('lists the rules in position order with pipelines, enabled state, version and row actions', async () => {
    rulesBackend({ rules: THREE() });
    renderApp('/rules');
    await screen.findByRole('heading', { name: 'Rules', level: 1 });
    const first = await screen.findByTestId('rule-row-1');
    expect(within(first).getByRole('link', { name: 'Target → Target store' }).getAttribute('href')).toBe('/rules/1');
    expect(within(first).getByText('QuickBooks → ShipStation')).toBeTruthy();
    expect((within(first).getByLabelText('Enabled: Target → Target store') as HTMLInputElement).checked).toBe(true);
    expect(within(first).getByText('3')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe('/rules/1');
    expect(within(first).getByRole('link', { name: 'History' }).getAttribute('href')).toBe('/rules/1/history');
    expect((within(first).getByRole('button', { name: 'Move “Target → Target store” up' }) as HTMLButtonElement).disabled).toBe(true);
    const second = screen.getByTestId('rule-row-2');
    expect(within(second).getByText('Orders → QuickBooks')).toBeTruthy();
    expect(within(second).getByText('Inventory')).toBeTruthy();
    expect((within(second).getByLabelText('Enabled: Map SKU ABC-123') as HTMLInputElement).checked).toBe(false);
    const last = screen.getByTestId('rule-row-3');
    expect((within(last).getByRole('button', { name: 'Move “Deposit PayPal” down' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('rules-total').textContent).toBe('Showing 3 of 3 rules');
    expect(screen.getByRole('link', { name: 'New rule' }).getAttribute('href')).toBe('/rules/new');
  });

  it('says so when there are no rules yet', async () => {
    rulesBackend();
    renderApp('/rules');
    expect((await screen.findByTestId('empty-state')).textContent).toBe(
      'No rules yet. The rules that shape how orders are posted to QuickBooks appear here.',
    );
  });

  it('filters by name (debounced, in the URL) and by pipeline', async () => {
    const f = rulesBackend({ rules: THREE() });
    renderApp('/rules');
    await screen.findByTestId('rule-row-3');
    expect(variablesOf(callsOf(f, 'Rules')[0]!)).toEqual({ filter: {}, first: 100 });

    fireEvent.change(screen.getByLabelText('Filter by name'), { target: { value: 'abc' } });
    await waitFor(() => expect(callsOf(f, 'Rules')).toHaveLength(2));
    expect(variablesOf(callsOf(f, 'Rules')[1]!)).toEqual({ filter: { search: 'abc' }, first: 100 });
    expect(window.location.search).toBe('?q=abc');
    await waitFor(() => expect(screen.queryByTestId('rule-row-1')).toBeNull());
    expect(screen.getByTestId('rule-row-2')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Pipeline'), { target: { value: 'INVENTORY' } });
    await waitFor(() => expect(callsOf(f, 'Rules')).toHaveLength(3));
    expect(variablesOf(callsOf(f, 'Rules')[2]!)).toEqual({ filter: { search: 'abc', pipeline: 'INVENTORY' }, first: 100 });
    expect(window.location.search).toBe('?q=abc&pipeline=INVENTORY');

    fireEvent.change(screen.getByLabelText('Filter by name'), { target: { value: 'nothing like it' } });
    expect(await screen.findByText('No rules match these filters.')).toBeTruthy();
  });

  it('moves a rule by sending every rule id, across pages, in the new order', async () => {
    const f = rulesBackend({
      rules: THREE(),
      reply: (call) => {
        if (operationName(call) === 'RuleIds') {
          // The account has more rules than the grid shows: two pages.
          return variablesOf(call).after === 'p1'
            ? json({ data: { rules: { edges: [{ node: { id: '3' } }, { node: { id: '9' } }], pageInfo: { hasNextPage: false, endCursor: 'p2' } } } })
            : json({ data: { rules: { edges: [{ node: { id: '1' } }, { node: { id: '2' } }], pageInfo: { hasNextPage: true, endCursor: 'p1' } } } });
        }
        if (operationName(call) === 'ReorderRules') {
          const ids = variablesOf(call).ids as string[];
          return json({ data: { reorderRules: ids.map((id, i) => ({ id, position: i + 1, version: 2, updatedAt: '2026-11-21T10:00:00Z' })) } });
        }
        return undefined;
      },
    });
    renderApp('/rules');
    const row = await screen.findByTestId('rule-row-3');
    fireEvent.click(within(row).getByRole('button', { name: 'Move “Deposit PayPal” up' }));
    await waitFor(() => expect(callsOf(f, 'ReorderRules')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'ReorderRules')[0]!)).toEqual({ ids: ['1', '3', '2', '9'] });
    expect(callsOf(f, 'RuleIds').map((c) => variablesOf(c))).toEqual([{ first: 100 }, { first: 100, after: 'p1' }]);
    expect(await screen.findByText('Moved “Deposit PayPal” up.')).toBeTruthy();
    await waitFor(() => expect(callsOf(f, 'Rules')).toHaveLength(2));

    fireEvent.click(within(screen.getByTestId('rule-row-1')).getByRole('button', { name: 'Move “Target → Target store” down' }));
    await waitFor(() => expect(callsOf(f, 'ReorderRules')).toHaveLength(2));
    expect(variablesOf(callsOf(f, 'ReorderRules')[1]!)).toEqual({ ids: ['2', '1', '3', '9'] });
  });

  it('turns a rule off and on with setRuleEnabled', async () => {
    const f = rulesBackend({
      rules: THREE(),
      reply: (call, rules) => {
        if (operationName(call) !== 'SetRuleEnabled') return undefined;
        const { id, enabled } = variablesOf(call) as { id: string; enabled: boolean };
        const r = rules.find((x) => x.id === id)!;
        return json({ data: { setRuleEnabled: { ...r, enabled, version: r.version + 1 } } });
      },
    });
    renderApp('/rules');
    const box = (await screen.findByLabelText('Enabled: Target → Target store')) as HTMLInputElement;
    fireEvent.click(box);
    await waitFor(() => expect(callsOf(f, 'SetRuleEnabled')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'SetRuleEnabled')[0]!)).toEqual({ id: '1', enabled: false });
    await waitFor(() => expect(box.checked).toBe(false));
    expect(within(screen.getByTestId('rule-row-1')).getByText('4')).toBeTruthy();
  });

  it('deletes a rule only after confirming', async () => {
    const f = rulesBackend({
      rules: THREE(),
      reply: (call, rules) => {
        if (operationName(call) !== 'DeleteRule') return undefined;
        const i = rules.findIndex((x) => x.id === variablesOf(call).id);
        const [gone] = rules.splice(i, 1);
        return json({ data: { deleteRule: { id: gone!.id, name: gone!.name } } });
      },
    });
    renderApp('/rules');
    const row = await screen.findByTestId('rule-row-2');
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    expect(callsOf(f, 'DeleteRule')).toHaveLength(0);
    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByTestId('rule-row-2')).toBeNull());
    expect(variablesOf(callsOf(f, 'DeleteRule')[0]!)).toEqual({ id: '2' });
    expect(screen.getByText(/Deleted “Map SKU ABC-123”/)).toBeTruthy();
  });

  it('exports the rules as ledgerlink-rules.json', async () => {
    const { blobs, clicks } = captureDownloads(() => 'blob:http://localhost/rules-1');
    const doc = '{"format":"ledgerlink.rules","version":1,"rules":[]}';
    rulesBackend({ reply: (call) => (operationName(call) === 'ExportRules' ? json({ data: { exportRules: doc } }) : undefined) });
    renderApp('/rules');
    await screen.findByTestId('empty-state');
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(clicks.map((c) => c.download)).toEqual(['ledgerlink-rules.json']));
    expect(await blobs[0]!.text()).toBe(doc);
    expect(blobs[0]!.type).toBe('application/json');
  });

  it('imports a file with replace and lists every validation problem with its rule and field', async () => {
    const document = JSON.stringify({
      format: 'ledgerlink.rules',
      version: 1,
      rules: [{ name: 'Good one' }, { name: 'Bad SKU map' }, { name: 'Bad lookup' }],
    });
    let fail = true;
    const f = rulesBackend({
      reply: (call: Call) => {
        if (operationName(call) !== 'ImportRules') return undefined;
        if (fail) {
          return json({
            data: null,
            errors: [
              { message: 'Choose a field.', extensions: { code: 'BAD_USER_INPUT', field: 'rules[1].conditions[0].field' } },
              { message: 'Key "paypal" is already in the table at entry 0.', extensions: { code: 'BAD_USER_INPUT', field: 'rules[2].actions[0].table[1].key' } },
              { message: 'Unknown format.', extensions: { code: 'BAD_USER_INPUT', field: 'format' } },
            ],
          });
        }
        return json({ data: { importRules: { deleted: 4, rules: [{ id: '1' }, { id: '2' }, { id: '3' }] } } });
      },
    });
    renderApp('/rules');
    await screen.findByTestId('empty-state');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const panel = screen.getByRole('region', { name: 'Import rules' });
    const file = new File([document], 'rules.json', { type: 'application/json' });
    fireEvent.change(within(panel).getByLabelText('Rules file'), { target: { files: [file] } });
    fireEvent.click(within(panel).getByLabelText('Replace all existing rules'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Import' }));

    const items = await within(panel).findAllByTestId('import-problem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Rule 2 “Bad SKU map” · conditions[0].field: Choose a field.',
      'Rule 3 “Bad lookup” · actions[0].table[1].key: Key "paypal" is already in the table at entry 0.',
      'format: Unknown format.',
    ]);
    expect(within(panel).getByTestId('import-problems').textContent).toContain('Nothing was imported: 3 problems');
    expect(variablesOf(callsOf(f, 'ImportRules')[0]!)).toEqual({ document, replace: true });

    fail = false;
    fireEvent.click(within(panel).getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('Imported 3 rules, replacing 4.')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Import rules' })).toBeNull();
  });

  it('shows support staff the rules read-only', async () => {
    rulesBackend({ role: 'SUPPORT', rules: THREE() });
    renderApp('/rules');
    const row = await screen.findByTestId('rule-row-2');
    expect(screen.getByText('Support view: rules are shown read-only.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'From template' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Export' })).toBeTruthy();
    expect(within(row).queryByRole('button', { name: /Move/ })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect((within(row).getByLabelText('Enabled: Map SKU ABC-123') as HTMLInputElement).disabled).toBe(true);
    expect(within(row).getByRole('link', { name: 'View' })).toBeTruthy();
  });

  it('explains a refused change', async () => {
    rulesBackend({
      rules: THREE(),
      reply: (call) => (operationName(call) === 'SetRuleEnabled' ? gqlError('forbidden', 'FORBIDDEN') : undefined),
    });
    renderApp('/rules');
    fireEvent.click(await screen.findByLabelText('Enabled: Deposit PayPal'));
    expect((await screen.findByRole('alert')).textContent).toBe('You do not have permission to disable the rule.');
  });
});

describe('rule templates', () => {
  it('opens the editor prefilled from the chosen template', async () => {
    const f = rulesBackend();
    renderApp('/rules');
    await screen.findByTestId('empty-state');
    fireEvent.click(screen.getByRole('button', { name: 'From template' }));
    const list = screen.getByRole('region', { name: 'Rule templates' });
    expect(await within(list).findByText(/Put SH- in front of Shopify order numbers/)).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Order number prefix' }));

    await screen.findByRole('heading', { name: 'New rule' });
    expect(window.location.pathname + window.location.search).toBe('/rules/new?template=order-prefix');
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Prefix Shopify order numbers'));
    expect(screen.getByTestId('template-note').textContent).toContain('Order number prefix');
    expect((screen.getByLabelText('Orders → QuickBooks') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Inventory') as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect((screen.getByLabelText('Condition 1 field') as HTMLSelectElement).value).toBe('channel'));
    expect((screen.getByLabelText('Condition 1 operator') as HTMLSelectElement).value).toBe('EQUALS');
    const value = screen.getByLabelText('Condition 1 value') as HTMLSelectElement;
    expect(value.tagName).toBe('SELECT');
    expect(value.value).toBe('shopify');
    expect((screen.getByLabelText('Action 1 type') as HTMLSelectElement).value).toBe('ADD_PREFIX');
    expect((screen.getByLabelText('Action 1 field') as HTMLSelectElement).value).toBe('refPrefix');
    expect((screen.getByLabelText('Action 1 value') as HTMLInputElement).value).toBe('SH-');

    fireEvent.change(screen.getByLabelText('Action 1 value'), { target: { value: 'E2E-' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(callsOf(f, 'CreateRule')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'CreateRule')[0]!)).toEqual({
      input: {
        name: 'Prefix Shopify order numbers',
        enabled: true,
        pipelines: ['ORDERS_TO_QUICKBOOKS'],
        match: 'ALL',
        conditions: [{ field: 'channel', operator: 'EQUALS', value: 'shopify', caseSensitive: false }],
        actions: [{ type: 'ADD_PREFIX', field: 'refPrefix', value: 'E2E-' }],
      },
    });
    await waitFor(() => expect(window.location.pathname).toBe('/rules/100'));
    expect(screen.getByRole('heading', { name: 'Edit rule' })).toBeTruthy();
    expect(await screen.findByText(/Saved: “Prefix Shopify order numbers”/)).toBeTruthy();
    // Arriving at the new rule's address does not reload it over the form.
    expect(callsOf(f, 'Rule')).toHaveLength(0);
    expect((screen.getByLabelText('Action 1 value') as HTMLInputElement).value).toBe('E2E-');
  });
});

describe('rule history', () => {
  const history = [
    { id: 'v3', ruleId: '1', version: 3, change: 'UPDATE', actor: 'owner@example.com', createdAt: '2026-11-22T10:00:00Z', before: '{"name":"Old"}', after: '{"name":"Target → Target store"}' },
    { id: 'v2', ruleId: '1', version: 2, change: 'DISABLE', actor: 'API key #12', createdAt: '2026-11-21T10:00:00Z', before: '{"name":"Old"}', after: '{"name":"Old","enabled":false}' },
    { id: 'v1', ruleId: '1', version: 1, change: 'CREATE', actor: 'owner@example.com', createdAt: '2026-11-20T10:00:00Z', before: null, after: '{"name":"Old"}' },
  ];

  it('lists every version and restores one after confirming', async () => {
    const f = rulesBackend({
      reply: (call) => {
        if (operationName(call) === 'RuleHistory') {
          return json({ data: { ruleHistory: { edges: history.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: false, endCursor: 'v1' }, totalCount: 3 } } });
        }
        if (operationName(call) === 'RestoreRuleVersion') {
          return json({ data: { restoreRuleVersion: { id: '1', name: 'Old', version: 4 } } });
        }
        return undefined;
      },
    });
    renderApp('/rules/1/history');
    await screen.findByRole('heading', { name: 'History of “Target → Target store”' });
    const v2 = await screen.findByTestId('rule-version-2');
    expect(within(v2).getByText('Disabled')).toBeTruthy();
    expect(within(v2).getByText('API key #12')).toBeTruthy();
    // The newest version is the rule as it is: nothing to restore.
    expect(within(screen.getByTestId('rule-version-3')).queryByRole('button', { name: 'Restore this version' })).toBeNull();
    expect(variablesOf(callsOf(f, 'RuleHistory')[0]!)).toEqual({ id: '1', first: 50 });

    fireEvent.click(within(v2).getByRole('button', { name: 'Restore this version' }));
    expect(callsOf(f, 'RestoreRuleVersion')).toHaveLength(0);
    fireEvent.click(within(v2).getByRole('button', { name: 'Yes, restore' }));
    await waitFor(() => expect(callsOf(f, 'RestoreRuleVersion')).toHaveLength(1));
    expect(variablesOf(callsOf(f, 'RestoreRuleVersion')[0]!)).toEqual({ id: '1', version: 2 });
    expect(await screen.findByText('Restored version 2: “Old” is now version 4.')).toBeTruthy();
    await waitFor(() => expect(callsOf(f, 'RuleHistory')).toHaveLength(2));
  });

  it('shows what each change did as the changed fields and a diff, not raw JSON', async () => {
    rulesBackend({
      reply: (call) =>
        operationName(call) === 'RuleHistory'
          ? json({ data: { ruleHistory: { edges: history.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: false, endCursor: 'v1' }, totalCount: 3 } } })
          : undefined,
    });
    renderApp('/rules/1/history');
    const v2 = await screen.findByTestId('rule-version-2');
    expect(within(v2).getByTestId('version-fields').textContent).toBe('Changed: enabled');
    expect(within(screen.getByTestId('rule-version-3')).getByTestId('version-fields').textContent).toBe('Changed: name');
    // The diff: the old line removed on the left, the new ones added on the right.
    const removed = Array.from(v2.querySelectorAll('.diff-del')).map((td) => td.textContent);
    const added = Array.from(v2.querySelectorAll('.diff-add')).map((td) => td.textContent);
    expect(removed).toEqual(['  "name": "Old"']);
    expect(added).toEqual(['  "name": "Old",', '  "enabled": false']);
    expect(within(v2).getByRole('columnheader', { name: 'Before version 2' })).toBeTruthy();
    // A new rule's first version: all of it added, no "changed" line.
    const v1 = screen.getByTestId('rule-version-1');
    expect(within(v1).queryByTestId('version-fields')).toBeNull();
    expect(within(v1).getByText('The rule as created')).toBeTruthy();
    expect(Array.from(v1.querySelectorAll('.diff-add')).map((td) => td.textContent)).toEqual(['{', '  "name": "Old"', '}']);
  });
});
