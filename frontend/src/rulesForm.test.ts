import { describe, expect, it } from 'vitest';
import { GraphQLError } from './api';
import {
  conditionValueKind,
  emptyAction,
  emptyCondition,
  formFromRule,
  pathWithin,
  placeOf,
  problemsOf,
  splitImportPath,
  splitList,
  toRuleInput,
  type RuleForm,
} from './rulesForm';
import type { RuleField } from './graphql/schema';

describe('rule form → RuleInput', () => {
  it('round-trips a saved rule, sending only the members each operator and action uses', () => {
    const form = formFromRule({
      name: 'Deposit',
      enabled: false,
      pipelines: ['ORDERS_TO_QUICKBOOKS'],
      match: 'ANY',
      conditions: [
        { field: 'tags[]', operator: 'IN_LIST', value: null, values: ['a', 'b'], caseSensitive: true },
        { field: 'note', operator: 'IS_NOT_EMPTY', value: null, values: [], caseSensitive: false },
      ],
      actions: [
        { type: 'LOOKUP', field: 'depositAccount', value: null, from: 'payments[].method', table: [{ key: 'paypal', value: 'PayPal' }], default: null, caseSensitive: false, reason: null },
        { type: 'SET', field: 'note', value: '', from: null, table: [], default: null, caseSensitive: false, reason: null },
        { type: 'EXCLUDE', field: null, value: null, from: null, table: [], default: null, caseSensitive: false, reason: null },
      ],
    });
    expect(form.conditions[0]!.values).toBe('a, b');
    expect(toRuleInput(form)).toEqual({
      name: 'Deposit',
      enabled: false,
      pipelines: ['ORDERS_TO_QUICKBOOKS'],
      match: 'ANY',
      conditions: [
        { field: 'tags[]', operator: 'IN_LIST', values: ['a', 'b'], caseSensitive: true },
        { field: 'note', operator: 'IS_NOT_EMPTY', caseSensitive: false },
      ],
      actions: [
        // No default: none is sent (a miss leaves the field alone).
        { type: 'LOOKUP', field: 'depositAccount', from: 'payments[].method', table: [{ key: 'paypal', value: 'PayPal' }], caseSensitive: false },
        // Setting a text field to "" is meaningful and is sent.
        { type: 'SET', field: 'note', value: '' },
        { type: 'EXCLUDE' },
      ],
    });
    expect(toRuleInput(form, '9').id).toBe('9');
  });

  it('leaves out what the chosen type does not use, even when the form still holds it', () => {
    const action = { ...emptyAction('SET_FROM_FIELD'), field: 'note', from: 'number', value: 'stale', reason: 'stale', table: [{ key: 'k', value: 'v' }] };
    const condition = { ...emptyCondition(), field: 'note', operator: 'IS_EMPTY' as const, value: 'stale', values: 'x, y' };
    const form: RuleForm = { name: 'x', enabled: true, pipelines: ['INVENTORY'], match: 'ALL', conditions: [condition], actions: [action] };
    const input = toRuleInput(form);
    expect(input.actions).toEqual([{ type: 'SET_FROM_FIELD', field: 'note', from: 'number' }]);
    expect(input.conditions).toEqual([{ field: 'note', operator: 'IS_EMPTY', caseSensitive: false }]);
  });

  it('splits comma lists', () => {
    expect(splitList(' a, b ,, c ,')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });

  it('picks the value input by operator and field type', () => {
    const f = (type: RuleField['type']) => ({ type }) as RuleField;
    expect(conditionValueKind(f('STRING'), 'IS_EMPTY')).toBe('none');
    expect(conditionValueKind(f('ENUM'), 'IN_LIST')).toBe('list');
    expect(conditionValueKind(f('ENUM'), 'EQUALS')).toBe('enum');
    expect(conditionValueKind(f('BOOLEAN'), 'EQUALS')).toBe('boolean');
    expect(conditionValueKind(f('INTEGER'), 'LESS_THAN')).toBe('integer');
    expect(conditionValueKind(undefined, 'EQUALS')).toBe('text');
  });
});

describe('validation problems', () => {
  const bad = (fields: (string | undefined)[]) =>
    new GraphQLError(
      'x',
      'BAD_USER_INPUT',
      200,
      fields.map((field, i) => ({ message: `m${i}`, extensions: field ? { code: 'BAD_USER_INPUT', field } : { code: 'BAD_USER_INPUT' } })),
    );

  it('reads extensions.field, dropping the preview prefix', () => {
    expect(problemsOf(bad(['draft.conditions[1].op', 'name', undefined]), 'draft.')).toEqual([
      { path: 'conditions[1].op', message: 'm0' },
      { path: 'name', message: 'm1' },
      { path: '', message: 'm2' },
    ]);
    expect(problemsOf(new GraphQLError('gone', 'NOT_FOUND', 200))).toBeNull();
  });

  it('places each path in the form', () => {
    expect(placeOf('conditions[1].op')).toBe('condition');
    expect(placeOf('actions[0].table[3].key')).toBe('action');
    expect(placeOf('pipelines[1]')).toBe('pipelines');
    expect(placeOf('actions')).toBe('actions');
    expect(placeOf('position')).toBe('general');
    expect(pathWithin('conditions[1].op', 'conditions[1]')).toBe(true);
    expect(pathWithin('conditions[10].op', 'conditions[1]')).toBe(false);
    expect(pathWithin('actions[0].table[2].key', 'actions[0].table')).toBe(true);
  });

  it('splits import paths into the rule index and the path inside it', () => {
    expect(splitImportPath('rules[3].conditions[1].field')).toEqual({ index: 3, path: 'conditions[1].field' });
    expect(splitImportPath('rules[0]')).toEqual({ index: 0, path: '' });
    expect(splitImportPath('format')).toEqual({ index: null, path: 'format' });
  });
});
