package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// maxReportedProblems caps how many validation problems one response lists.
const maxReportedProblems = 100

// ruleProblems turns a *rules.ValidationError into one BAD_USER_INPUT error per problem, each
// with extensions.field set to prefix+path (e.g. "conditions[1].field" or
// "rules[3].actions[0].value"). Other errors pass through.
func ruleProblems(prefix string, err error) error {
	var verr *rules.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	list := make(gqlerror.List, 0, min(len(verr.Problems), maxReportedProblems+1))
	for i, p := range verr.Problems {
		if i == maxReportedProblems {
			msg := fmt.Sprintf("%d more problems are not listed; fix these first.", len(verr.Problems)-i)
			list = append(list, &gqlerror.Error{Message: msg, Err: badInput(prefix+p.Path, "%s", msg)})
			break
		}
		list = append(list, &gqlerror.Error{Message: p.Message, Err: badInput(prefix+p.Path, "%s", p.Message)})
	}
	return list
}

// ruleActor is who a rule change made by id is recorded as.
func ruleActor(id *auth.Identity) db.RuleActor {
	if id.User != nil {
		return rules.Actor(id.User.ID, id.User.Email, 0)
	}
	return rules.Actor(0, "", id.APIKeyID)
}

func toRulePipeline(p rules.Pipeline) model.RulePipeline {
	return model.RulePipeline(strings.ToUpper(string(p)))
}
func fromRulePipeline(p model.RulePipeline) rules.Pipeline {
	return rules.Pipeline(strings.ToLower(string(p)))
}

func toRulePipelines(ps []rules.Pipeline) []model.RulePipeline {
	out := make([]model.RulePipeline, 0, len(ps))
	for _, p := range ps {
		out = append(out, toRulePipeline(p))
	}
	return out
}

// validRule returns the rule in describes once validated; its problems name the input's
// fields under prefix ("" or "draft."). A position below 1 is refused (null means "last" or
// "unchanged").
func validRule(prefix string, in *model.RuleInput) (rules.Rule, error) {
	if in.Position != nil && *in.Position < 1 {
		return rules.Rule{}, badInput(prefix+"position", "Positions start at 1.")
	}
	rule, err := rules.Validate(ruleFromInput(in))
	if err != nil {
		return rules.Rule{}, ruleProblems(prefix, err)
	}
	return rule, nil
}

// ruleFromInput turns the GraphQL input into a rule (not yet validated).
func ruleFromInput(in *model.RuleInput) rules.Rule {
	r := rules.Rule{Name: in.Name, Enabled: in.Enabled == nil || *in.Enabled, Match: rules.MatchAll,
		Conditions: make([]rules.Condition, 0, len(in.Conditions)), Actions: make([]rules.Action, 0, len(in.Actions))}
	if in.ID != nil {
		r.ID = *in.ID
	}
	if in.Position != nil {
		r.Position = *in.Position
	}
	if in.Match != nil {
		r.Match = rules.Match(strings.ToLower(string(*in.Match)))
	}
	for _, p := range in.Pipelines {
		r.Pipelines = append(r.Pipelines, fromRulePipeline(p))
	}
	for _, c := range in.Conditions {
		rc := rules.Condition{Field: strings.TrimSpace(c.Field), Op: rules.Operator(strings.ToLower(string(c.Operator))),
			Values: c.Values, CaseSensitive: c.CaseSensitive != nil && *c.CaseSensitive}
		if c.Value != nil {
			rc.Value = *c.Value
		}
		r.Conditions = append(r.Conditions, rc)
	}
	for _, a := range in.Actions {
		ra := rules.Action{Type: rules.ActionType(strings.ToLower(string(a.Type))), Default: a.Default,
			CaseSensitive: a.CaseSensitive != nil && *a.CaseSensitive}
		if a.Field != nil {
			ra.Field = strings.TrimSpace(*a.Field)
		}
		if a.Value != nil {
			ra.Value = *a.Value
		}
		if a.From != nil {
			ra.From = strings.TrimSpace(*a.From)
		}
		if a.Reason != nil {
			ra.Reason = *a.Reason
		}
		for _, e := range a.Table {
			ra.Table = append(ra.Table, rules.LookupEntry{Key: e.Key, Value: e.Value})
		}
		r.Actions = append(r.Actions, ra)
	}
	return r
}

func toRuleConditions(cs []rules.Condition) []*model.RuleCondition {
	out := make([]*model.RuleCondition, 0, len(cs))
	for _, c := range cs {
		values := c.Values
		if values == nil {
			values = []string{}
		}
		out = append(out, &model.RuleCondition{Field: c.Field, Operator: model.RuleOperator(strings.ToUpper(string(c.Op))),
			Value: nonEmpty(c.Value), Values: values, CaseSensitive: c.CaseSensitive})
	}
	return out
}

func toRuleActions(as []rules.Action) []*model.RuleAction {
	out := make([]*model.RuleAction, 0, len(as))
	for _, a := range as {
		ma := &model.RuleAction{Type: model.RuleActionType(strings.ToUpper(string(a.Type))), Field: nonEmpty(a.Field),
			From: nonEmpty(a.From), Default: a.Default, CaseSensitive: a.CaseSensitive, Reason: nonEmpty(a.Reason),
			Table: make([]*model.LookupEntry, 0, len(a.Table))}
		if a.Type == rules.ActSet {
			v := a.Value // setting a field to "" is meaningful
			ma.Value = &v
		} else {
			ma.Value = nonEmpty(a.Value)
		}
		for _, e := range a.Table {
			ma.Table = append(ma.Table, &model.LookupEntry{Key: e.Key, Value: e.Value})
		}
		out = append(out, ma)
	}
	return out
}

func toRule(r *rules.Rule) *model.Rule {
	return &model.Rule{ID: r.ID, Name: r.Name, Enabled: r.Enabled, Position: r.Position, Pipelines: toRulePipelines(r.Pipelines),
		Match: model.RuleMatch(strings.ToUpper(string(r.Match))), Conditions: toRuleConditions(r.Conditions),
		Actions: toRuleActions(r.Actions), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// toRuleFromDB converts a stored rule for the schema.
func toRuleFromDB(d *db.Rule) (*model.Rule, error) {
	r, err := rules.FromDB(d)
	if err != nil {
		return nil, err
	}
	return toRule(&r), nil
}

// toRulesFromDB converts stored rules for the schema, keeping their order.
func toRulesFromDB(ds []db.Rule) ([]*model.Rule, error) {
	rs, err := rules.FromDBAll(ds)
	if err != nil {
		return nil, err
	}
	return convertAll(rs, toRule), nil
}

func toRuleField(f *rules.Field) *model.RuleField {
	out := &model.RuleField{Path: f.Path, Label: f.Label, Group: f.Group, Type: model.RuleFieldType(strings.ToUpper(string(f.Type))),
		Writable: f.Writable, EnumValues: append([]string{}, f.Enum...), List: f.Collection != rules.NoCollection,
		Description: f.Description}
	for _, op := range f.Operators() {
		out.Operators = append(out.Operators, model.RuleOperator(strings.ToUpper(string(op))))
	}
	for _, p := range rules.Pipelines {
		if f.InPipeline(p) {
			out.Pipelines = append(out.Pipelines, toRulePipeline(p))
		}
	}
	return out
}

func toRuleTemplate(t rules.Template) *model.RuleTemplate {
	r := t.Rule
	return &model.RuleTemplate{Key: t.Key, Name: t.Name, Description: t.Description, Draft: &model.RuleDraft{
		Name: r.Name, Enabled: r.Enabled, Pipelines: toRulePipelines(r.Pipelines), Match: model.RuleMatch(strings.ToUpper(string(r.Match))),
		Conditions: toRuleConditions(r.Conditions), Actions: toRuleActions(r.Actions)}}
}

func toRuleVersion(v *db.RuleVersion) *model.RuleVersion {
	return &model.RuleVersion{ID: v.ID, RuleID: v.RuleID, Version: v.Version, Change: model.RuleChangeKind(strings.ToUpper(v.Change)),
		Actor: v.Actor, UserID: v.UserID, CreatedAt: v.CreatedAt, Before: nonEmpty(string(v.Before)), After: nonEmpty(string(v.After))}
}

// toRulePreview converts a preview; draftID is the id of the rule the draft stands in for (0
// for a new draft, or without a draft).
func toRulePreview(p rules.PreviewResult, hasDraft bool, draftID int64) (*model.RulePreview, error) {
	before, err := json.MarshalIndent(p.Before, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("graph: preview: %w", err)
	}
	after, err := json.MarshalIndent(p.After, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("graph: preview: %w", err)
	}
	out := &model.RulePreview{DraftMatched: p.DraftMatched, Excluded: p.Excluded, Before: string(before), After: string(after),
		Changes: make([]*model.RuleChange, 0, len(p.Changes))}
	if p.Excluded {
		out.ExcludeReason = nonEmpty(p.After.ExcludeReason)
	}
	for _, c := range p.Changes {
		mc := &model.RuleChange{RuleName: c.Name, RuleVersion: c.Version, FromDraft: hasDraft && c.ID == draftID,
			Field: c.Field, Before: c.Before, After: c.After}
		if c.ID != 0 {
			id := c.ID
			mc.RuleID = &id
		}
		out.Changes = append(out.Changes, mc)
	}
	return out, nil
}
