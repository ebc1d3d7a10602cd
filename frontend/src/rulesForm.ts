// The rule editor's form: what the merchant edits, how it comes from a saved rule or a
// template, how it becomes the API's RuleInput, and where the server's validation problems
// (extensions.field, e.g. "conditions[1].op") belong in it.
import type { GraphQLError } from './api';
import type {
  RuleAction,
  RuleActionInput,
  RuleActionType,
  RuleChangeKind,
  RuleCondition,
  RuleConditionInput,
  RuleField,
  RuleInput,
  RuleMatch,
  RuleOperator,
  RulePipeline,
} from './graphql/schema';

// ---------------------------------------------------------------------------
// Words

export const PIPELINE_LABEL: Record<RulePipeline, string> = {
  ORDERS_TO_QUICKBOOKS: 'Orders → QuickBooks',
  QUICKBOOKS_TO_SHIPSTATION: 'QuickBooks → ShipStation',
  INVENTORY: 'Inventory',
};

export const OPERATOR_LABEL: Record<RuleOperator, string> = {
  EQUALS: 'equals',
  NOT_EQUALS: 'does not equal',
  CONTAINS: 'contains',
  STARTS_WITH: 'starts with',
  ENDS_WITH: 'ends with',
  MATCHES: 'matches (regular expression)',
  GREATER_THAN: 'is greater than',
  LESS_THAN: 'is less than',
  IS_EMPTY: 'is empty',
  IS_NOT_EMPTY: 'is not empty',
  IN_LIST: 'is one of',
};

export const ACTION_LABEL: Record<RuleActionType, string> = {
  SET: 'Set a field to a value',
  SET_FROM_FIELD: 'Copy another field',
  LOOKUP: 'Look up in a table',
  EXCLUDE: 'Exclude the order',
  ADD_PREFIX: 'Add a prefix',
  ADD_SUFFIX: 'Add a suffix',
};

export const CHANGE_LABEL: Record<RuleChangeKind, string> = {
  CREATE: 'Created',
  UPDATE: 'Updated',
  DELETE: 'Deleted',
  RESTORE: 'Restored',
  REORDER: 'Moved',
  ENABLE: 'Enabled',
  DISABLE: 'Disabled',
  IMPORT: 'Imported',
};

// ---------------------------------------------------------------------------
// The form

export interface ConditionForm {
  /** React key; not sent. */
  key: string;
  /** The full path, e.g. "billTo.company" or "custom.gift_message". */
  field: string;
  operator: RuleOperator;
  /** The operand of every operator but IN_LIST and the is-empty ones. */
  value: string;
  /** IN_LIST's operands as typed: a comma-separated list. */
  values: string;
  caseSensitive: boolean;
}

export interface LookupRowForm {
  key: string;
  value: string;
}

export interface ActionForm {
  key: string;
  type: RuleActionType;
  field: string;
  value: string;
  from: string;
  table: LookupRowForm[];
  /** LOOKUP: whether `default` is sent (no default: a miss leaves the field alone). */
  useDefault: boolean;
  default: string;
  caseSensitive: boolean;
  reason: string;
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  pipelines: RulePipeline[];
  match: RuleMatch;
  conditions: ConditionForm[];
  actions: ActionForm[];
}

let keySeq = 0;
function nextKey(prefix: string): string {
  keySeq += 1;
  return `${prefix}${keySeq}`;
}

export function emptyCondition(): ConditionForm {
  return { key: nextKey('c'), field: '', operator: 'EQUALS', value: '', values: '', caseSensitive: false };
}

export function emptyAction(type: RuleActionType = 'SET'): ActionForm {
  return {
    key: nextKey('a'),
    type,
    field: '',
    value: '',
    from: '',
    table: type === 'LOOKUP' ? [{ key: '', value: '' }] : [],
    useDefault: false,
    default: '',
    caseSensitive: false,
    reason: '',
  };
}

export function emptyForm(): RuleForm {
  return { name: '', enabled: true, pipelines: ['ORDERS_TO_QUICKBOOKS'], match: 'ALL', conditions: [], actions: [emptyAction()] };
}

type RuleLike = {
  name: string;
  enabled: boolean;
  pipelines: RulePipeline[];
  match: RuleMatch;
  conditions: RuleCondition[];
  actions: RuleAction[];
};

/** The form for a saved rule or a template's draft. */
export function formFromRule(rule: RuleLike): RuleForm {
  return {
    name: rule.name,
    enabled: rule.enabled,
    pipelines: [...rule.pipelines],
    match: rule.match,
    conditions: rule.conditions.map((c) => ({
      key: nextKey('c'),
      field: c.field,
      operator: c.operator,
      value: c.value ?? '',
      values: c.values.join(', '),
      caseSensitive: c.caseSensitive,
    })),
    actions: rule.actions.map((a) => ({
      key: nextKey('a'),
      type: a.type,
      field: a.field ?? '',
      value: a.value ?? '',
      from: a.from ?? '',
      table: a.table.map((e) => ({ key: e.key, value: e.value })),
      useDefault: a.default !== null && a.default !== undefined,
      default: a.default ?? '',
      caseSensitive: a.caseSensitive,
      reason: a.reason ?? '',
    })),
  };
}

/** "a, b ,, c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const NO_VALUE_OPERATORS: readonly RuleOperator[] = ['IS_EMPTY', 'IS_NOT_EMPTY'];

export function conditionInput(c: ConditionForm): RuleConditionInput {
  const base: RuleConditionInput = { field: c.field.trim(), operator: c.operator, caseSensitive: c.caseSensitive };
  if (NO_VALUE_OPERATORS.includes(c.operator)) return base;
  if (c.operator === 'IN_LIST') return { ...base, values: splitList(c.values) };
  return { ...base, value: c.value };
}

/** Only the members the action's type uses: the server refuses the others. */
export function actionInput(a: ActionForm): RuleActionInput {
  const field = a.field.trim();
  switch (a.type) {
    case 'SET':
    case 'ADD_PREFIX':
    case 'ADD_SUFFIX':
      return { type: a.type, field, value: a.value };
    case 'SET_FROM_FIELD':
      return { type: a.type, field, from: a.from.trim() };
    case 'LOOKUP': {
      const out: RuleActionInput = {
        type: a.type,
        field,
        from: a.from.trim(),
        table: a.table.map((e) => ({ key: e.key, value: e.value })),
        caseSensitive: a.caseSensitive,
      };
      if (a.useDefault) out.default = a.default;
      return out;
    }
    case 'EXCLUDE': {
      const reason = a.reason.trim();
      return reason ? { type: a.type, reason } : { type: a.type };
    }
  }
}

/** The RuleInput for createRule / updateRule / previewRules; `id` only for a preview of a saved rule. */
export function toRuleInput(form: RuleForm, id?: string | null): RuleInput {
  const input: RuleInput = {
    name: form.name.trim(),
    enabled: form.enabled,
    pipelines: [...form.pipelines],
    match: form.match,
    conditions: form.conditions.map(conditionInput),
    actions: form.actions.map(actionInput),
  };
  return id ? { id, ...input } : input;
}

// ---------------------------------------------------------------------------
// The field catalogue

/** The catalogue entry standing for every store-specific field custom.<key>. */
export const CUSTOM_PLACEHOLDER = 'custom.<key>';
export const CUSTOM_PREFIX = 'custom.';

export type Catalogue = ReadonlyMap<string, RuleField>;

export function catalogueOf(fields: readonly RuleField[]): Catalogue {
  return new Map(fields.map((f) => [f.path, f]));
}

/** The catalogue field of a path; custom.<anything> is the placeholder's. */
export function fieldFor(catalogue: Catalogue, path: string): RuleField | undefined {
  const f = catalogue.get(path);
  if (f) return f;
  return path.startsWith(CUSTOM_PREFIX) ? catalogue.get(CUSTOM_PLACEHOLDER) : undefined;
}

export function isCustomPath(catalogue: Catalogue, path: string): boolean {
  return !catalogue.has(path) && path.startsWith(CUSTOM_PREFIX);
}

/** Whether a field may be used by a rule of every one of `pipelines`. */
export function fieldInPipelines(field: RuleField, pipelines: readonly RulePipeline[]): boolean {
  return pipelines.every((p) => field.pipelines.includes(p));
}

/** Fields grouped by their group, in catalogue order. */
export function groupFields(fields: readonly RuleField[]): { group: string; fields: RuleField[] }[] {
  const out: { group: string; fields: RuleField[] }[] = [];
  for (const f of fields) {
    let g = out.find((x) => x.group === f.group);
    if (!g) {
      g = { group: f.group, fields: [] };
      out.push(g);
    }
    g.fields.push(f);
  }
  return out;
}

export type ValueKind = 'none' | 'list' | 'enum' | 'boolean' | 'money' | 'integer' | 'date' | 'text';

/** Which input a condition's value needs. */
export function conditionValueKind(field: RuleField | undefined, op: RuleOperator): ValueKind {
  if (NO_VALUE_OPERATORS.includes(op)) return 'none';
  if (op === 'IN_LIST') return 'list';
  return typeValueKind(field);
}

/** Which input a value of the field's type needs. */
export function typeValueKind(field: RuleField | undefined): ValueKind {
  switch (field?.type) {
    case 'ENUM':
      return 'enum';
    case 'BOOLEAN':
      return 'boolean';
    case 'MONEY':
      return 'money';
    case 'INTEGER':
      return 'integer';
    case 'DATE':
      return 'date';
    default:
      return 'text';
  }
}

/** Text comparisons (and so the case-sensitive choice) exist for text and choice fields. */
export function comparesText(field: RuleField | undefined): boolean {
  return !field || field.type === 'STRING' || field.type === 'ENUM';
}

// ---------------------------------------------------------------------------
// Validation problems

export interface Problem {
  /** In the rule's terms, without the draft./rules[i]. prefix: "conditions[1].op", "name", "" when unnamed. */
  path: string;
  message: string;
}

/**
 * The BAD_USER_INPUT problems of a failed request, with `prefix` ("draft.") taken off their
 * paths; null when the error is something else.
 */
export function problemsOf(error: GraphQLError, prefix = ''): Problem[] | null {
  if (error.code !== 'BAD_USER_INPUT') return null;
  const list = error.errors.length > 0 ? error.errors : [{ message: error.message, extensions: { code: error.code } }];
  return list.map((e) => {
    const raw = e.extensions?.field;
    let path = typeof raw === 'string' ? raw : '';
    if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
    return { path, message: e.message };
  });
}

/** Whether `path` is `base` itself or inside it ("conditions[1].op" is in "conditions[1]", not in "conditions[10]"). */
export function pathWithin(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

export function problemsWithin(problems: readonly Problem[], base: string): Problem[] {
  return problems.filter((p) => pathWithin(p.path, base));
}

/** The part of the form a problem belongs to. */
export type ProblemPlace = 'name' | 'pipelines' | 'match' | 'conditions' | 'actions' | 'condition' | 'action' | 'general';

export function placeOf(path: string): ProblemPlace {
  if (/^conditions\[\d+\]/.test(path)) return 'condition';
  if (/^actions\[\d+\]/.test(path)) return 'action';
  if (path === 'name') return 'name';
  if (pathWithin(path, 'pipelines')) return 'pipelines';
  if (path === 'match') return 'match';
  if (path === 'conditions') return 'conditions';
  if (path === 'actions') return 'actions';
  return 'general';
}

/** Problems about one top-level part (name, pipelines, …), or the ones that fit nowhere else. */
export function problemsAt(problems: readonly Problem[], place: ProblemPlace): Problem[] {
  return problems.filter((p) => placeOf(p.path) === place);
}

/** Whether one of the problems is about member `member` ("op", "value", "table[2].key") of `base`. */
export function hasProblem(problems: readonly Problem[], base: string, member: string): boolean {
  return problems.some((p) => pathWithin(p.path, `${base}.${member}`));
}

/** Import problems: "rules[3].conditions[1].field" → rule index 3 and "conditions[1].field". */
export function splitImportPath(path: string): { index: number | null; path: string } {
  const m = /^rules\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (!m) return { index: null, path };
  return { index: Number(m[1]), path: m[2] ?? '' };
}
