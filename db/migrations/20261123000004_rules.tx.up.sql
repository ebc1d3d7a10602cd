-- Merchant rules (jobs/rules): conditions and actions that change orders on their way to
-- QuickBooks or ShipStation. Rules run in ascending position; positions of an account are
-- 1..n without gaps. conditions and actions hold the rule JSON format of jobs/rules/README.md.
CREATE TABLE rules (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    enabled     boolean NOT NULL DEFAULT true,
    position    integer NOT NULL CHECK (position > 0),
    pipelines   text[] NOT NULL CHECK (cardinality(pipelines) > 0 AND
                    pipelines <@ ARRAY['orders_to_quickbooks', 'quickbooks_to_shipstation', 'inventory']::text[]),
    match       text NOT NULL CHECK (match IN ('all', 'any')),
    conditions  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(conditions) = 'array'),
    actions     jsonb NOT NULL CHECK (jsonb_typeof(actions) = 'array'),
    version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Deferred so that shifting positions (insert, move, delete) may pass through duplicates
    -- inside one transaction.
    CONSTRAINT rules_account_position_key UNIQUE (account_id, position) DEFERRABLE INITIALLY DEFERRED
);
-- The field filter of the rules list: which rules read or write a field.
CREATE INDEX rules_conditions_idx ON rules USING gin (conditions jsonb_path_ops);
CREATE INDEX rules_actions_idx ON rules USING gin (actions jsonb_path_ops);

-- Every change to a rule, with the rule as it was before and after (the rule JSON format plus
-- position). rule_id has no foreign key: the history of a deleted rule is kept, and the rule
-- can be restored from it.
CREATE TABLE rule_versions (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    rule_id     bigint NOT NULL,
    version     integer NOT NULL CHECK (version > 0),
    change      text NOT NULL CHECK (change IN ('create', 'update', 'delete', 'restore', 'reorder',
                    'enable', 'disable', 'import')),
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    -- Who made the change, kept as text so it outlives the user: an email, or "API key #12".
    actor       text NOT NULL,
    before      jsonb,
    after       jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (rule_id, version)
);
CREATE INDEX rule_versions_account_rule_idx ON rule_versions (account_id, rule_id, id DESC);

-- One counter per account, bumped by every rule change in the same transaction. Rule writes of
-- an account serialize on this row, and evaluators cached per account compare it to know
-- when to recompile.
CREATE TABLE rule_sets (
    account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    version     bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
