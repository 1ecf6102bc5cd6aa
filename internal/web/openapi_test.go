package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/discovery"
	"mosaic/internal/entity"
	"mosaic/internal/graph"
	"mosaic/internal/incident"
	pipeline "mosaic/internal/ingest"
	"mosaic/internal/network"
	"mosaic/internal/store"
	"mosaic/internal/trend"
)

// openAPIURL is the document's address as the schema compiler knows it.
const openAPIURL = "mem:///openapi.json"

// openAPIDoc decodes the embedded document as the schema compiler reads
// JSON (numbers as json.Number).
func openAPIDoc(t testing.TB) map[string]any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		t.Fatal("openapi.json is not an object")
	}
	return doc
}

// pointer resolves a JSON pointer ("#/components/schemas/X") in doc.
func pointer(doc any, ref string) (any, bool) {
	p, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	cur := doc
	if p == "" {
		return cur, true
	}
	for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := cur.(type) {
		case map[string]any:
			var ok bool
			if cur, ok = n[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return nil, false
			}
			cur = n[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// escape makes s one token of a JSON pointer.
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// deref follows a $ref chain from the node at ptr, returning the node
// and the pointer it lives at.
func deref(doc any, ptr string) (map[string]any, string) {
	for range 10 {
		n, ok := pointer(doc, ptr)
		if !ok {
			return nil, ptr
		}
		m, _ := n.(map[string]any)
		ref, isRef := m["$ref"].(string)
		if !isRef {
			return m, ptr
		}
		ptr = ref
	}
	return nil, ptr
}

// operations lists the document's operations as "METHOD /path".
func operations(doc map[string]any) map[string]map[string]any {
	ops := map[string]map[string]any{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, o := range item.(map[string]any) {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				ops[strings.ToUpper(method)+" "+path], _ = o.(map[string]any)
			}
		}
	}
	return ops
}

// patternRecorder reads back the routes routeAPI registers.
type patternRecorder struct{ patterns []string }

func (p *patternRecorder) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	p.patterns = append(p.patterns, pattern)
}

func (p *patternRecorder) Handle(pattern string, _ http.Handler) {
	p.patterns = append(p.patterns, pattern)
}

// TestOpenAPIRoutes checks that every route the server registers is
// described, with its method and path template, and that every route
// described is registered. The exchange's route is registered only when
// the server serves one, as mosaic serve does over SQLite.
func TestOpenAPIRoutes(t *testing.T) {
	rec := &patternRecorder{}
	(&Server{Exchange: http.NotFoundHandler()}).routeAPI(rec)
	registered := map[string]bool{}
	for _, p := range rec.patterns {
		if _, _, ok := strings.Cut(p, " "); !ok {
			// The catch-all that answers unknown API paths in JSON.
			if p != "/api/v1/" {
				t.Errorf("route %q has no method: only the catch-all /api/v1/ may", p)
			}
			continue
		}
		if registered[p] {
			t.Errorf("route %q registered twice", p)
		}
		registered[p] = true
	}
	if len(registered) < 50 {
		t.Fatalf("read back only %d routes: %q", len(registered), rec.patterns)
	}
	documented := operations(openAPIDoc(t))
	for p := range registered {
		if documented[p] == nil {
			t.Errorf("route %q is registered but not in openapi.json", p)
		}
	}
	for p := range documented {
		if !registered[p] {
			t.Errorf("openapi.json describes %q, which is not registered", p)
		}
	}
}

// TestOpenAPIDocument checks the document's structure as OpenAPI 3.1
// requires it, the parts a client relies on, and that every $ref
// resolves and every schema compiles under JSON Schema 2020-12.
func TestOpenAPIDocument(t *testing.T) {
	doc := openAPIDoc(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi is %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	for _, k := range []string{"title", "version"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is missing", k)
		}
	}
	comps, _ := doc["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	if len(schemas) == 0 || len(schemes) == 0 {
		t.Fatal("components.schemas or components.securitySchemes is empty")
	}

	// Every $ref resolves, and is local: the document stands alone.
	var refs int
	var walk func(n any, at string)
	walk = func(n any, at string) {
		switch v := n.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				if _, ok := pointer(doc, ref); !ok {
					t.Errorf("%s: $ref %q does not resolve", at, ref)
				}
			}
			for k, c := range v {
				walk(c, at+"/"+escape(k))
			}
		case []any:
			for i, c := range v {
				walk(c, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(doc, "#")
	if refs < 100 {
		t.Errorf("only %d $refs: the walk missed the document", refs)
	}

	checkSecurity := func(at string, reqs any) {
		list, ok := reqs.([]any)
		if !ok {
			t.Errorf("%s: security is not a list", at)
			return
		}
		for _, r := range list {
			for name := range r.(map[string]any) {
				if schemes[name] == nil {
					t.Errorf("%s: security names %q, not in components.securitySchemes", at, name)
				}
			}
		}
	}
	checkSecurity("#/security", doc["security"])

	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	for key, o := range operations(doc) {
		method, path, _ := strings.Cut(key, " ")
		at := "#/paths/" + escape(path) + "/" + strings.ToLower(method)
		id, _ := o["operationId"].(string)
		if id == "" {
			t.Errorf("%s: no operationId", key)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s: operationId %q is also %s's", key, id, other)
		}
		ids[id] = key
		if s, _ := o["summary"].(string); s == "" {
			t.Errorf("%s: no summary", key)
		}
		if sec, ok := o["security"]; ok {
			checkSecurity(at, sec)
		}
		// The path's parameters are the template's, each required.
		want := map[string]bool{}
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			want[m[1]] = true
		}
		seen := map[string]bool{}
		params, _ := o["parameters"].([]any)
		for i := range params {
			p, _ := deref(doc, at+"/parameters/"+strconv.Itoa(i))
			if p == nil {
				t.Errorf("%s: parameter %d does not resolve", key, i)
				continue
			}
			name, _ := p["name"].(string)
			in, _ := p["in"].(string)
			if !slices.Contains([]string{"query", "path", "header", "cookie"}, in) || name == "" || p["schema"] == nil {
				t.Errorf("%s: parameter %d needs a name, an in and a schema: %v", key, i, p)
			}
			if seen[in+" "+name] {
				t.Errorf("%s: parameter %s %q twice", key, in, name)
			}
			seen[in+" "+name] = true
			if in == "path" {
				if !want[name] {
					t.Errorf("%s: path parameter %q is not in the template", key, name)
				}
				if p["required"] != true {
					t.Errorf("%s: path parameter %q must be required", key, name)
				}
				delete(want, name)
			}
		}
		for name := range want {
			t.Errorf("%s: {%s} is not described as a path parameter", key, name)
		}
		resp, _ := o["responses"].(map[string]any)
		if len(resp) == 0 {
			t.Errorf("%s: no responses", key)
		}
		for code := range resp {
			if code != "default" && !regexp.MustCompile(`^[1-5][0-9][0-9]$`).MatchString(code) {
				t.Errorf("%s: response %q is not a status", key, code)
			}
			r, _ := deref(doc, at+"/responses/"+code)
			if d, _ := r["description"].(string); d == "" {
				t.Errorf("%s: response %s has no description", key, code)
			}
		}
	}

	// Every component schema compiles under the draft 2020-12 metaschema.
	c := openAPICompiler(t, doc)
	for name := range schemas {
		if _, err := c.Compile(openAPIURL + "#/components/schemas/" + escape(name)); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}

// openAPICompiler compiles the document's schemas as JSON Schema 2020-12,
// formats asserted, so a "date-time" must be one.
func openAPICompiler(t testing.TB, doc map[string]any) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(openAPIURL, doc); err != nil {
		t.Fatal(err)
	}
	return c
}

// goTypes are the Go types the API encodes, each described by the schema
// whose x-go-type names it. Every struct type reachable from them through
// their fields must be here too (TestOpenAPIGoTypes says which is not).
var goTypes = []any{
	errorBody{}, documentResponse{}, searchResponse{}, foundEntity{}, alert{}, managedUser{}, newPassword{}, me{},
	holder{}, peerHolder{}, incidentFilters{}, uploadLine{}, uploadSummary{},
	store.Collection{}, store.Summary{}, store.Holding{}, store.TextPage{}, store.Hit{}, store.EntityProfile{},
	store.EntityName{}, store.DocumentRef{}, store.Connection{}, store.Judgement{}, store.WatchlistLink{},
	store.IncidentJudgement{}, store.ShareRequest{}, store.Subject{}, store.Token{}, store.Grant{},
	store.AuditEntry{}, store.Chart{}, store.User{}, store.Job{}, store.JobSummary{},
	mosaic.MentionType(""), mosaic.Document{}, mosaic.Mention{}, mosaic.Span{}, mosaic.Code{}, mosaic.IncidentActor{},
	mosaic.IncidentEvidence{}, mosaic.IncidentSource{},
	entity.Proposal{}, entity.Comparison{}, entity.Feature{},
	network.Reached{}, network.Path{}, network.Hop{}, network.Edge{}, network.Evidence{}, network.WeakTie{},
	network.Ego{}, network.EgoEntity{}, network.EgoEdge{}, network.Report{}, network.KindRanking{},
	network.LoneActor{}, network.Claim{},
	graph.Report{}, graph.CommunityReport{}, graph.Label{}, graph.RankedLabel{}, graph.StepTimes{},
	incident.Group{}, incident.Link{}, incident.Position{}, incident.Tempo{}, incident.TempoBin{},
	incident.TempoRate{}, incident.RamadanRate{}, incident.AroundRatio{},
	trend.Week{}, trend.Surge{}, pipeline.Stats{},
	discovery.Index{}, discovery.Record{}, discovery.Params{},
}

// Go types with a JSON form of their own (a MarshalJSON or MarshalText),
// described by the schema their form needs rather than by their fields.
var (
	timeType         = reflect.TypeFor[time.Time]()
	rawType          = reflect.TypeFor[json.RawMessage]()
	incidentDateType = reflect.TypeFor[mosaic.IncidentDate]()
	jsonFloatType    = reflect.TypeFor[incident.JSONFloat]()
	filterType       = reflect.TypeFor[discovery.Filter]()
)

// jsonField is a field of a struct as encoding/json writes it.
type jsonField struct {
	name string
	// omit is set by omitempty or omitzero: the field may be absent.
	omit bool
	typ  reflect.Type
}

// jsonFields lists the fields encoding/json writes for struct type t, the
// fields of embedded structs promoted (a shallower one winning a name).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		var embedded []reflect.Type
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
			out = append(out, jsonField{name: name, omit: omit, typ: f.Type})
		}
		for _, e := range embedded {
			walk(e)
		}
	}
	walk(t)
	return out
}

// TestOpenAPIGoTypes checks each schema of a Go type against the type:
// the same JSON fields, the same required ones (those without omitempty),
// and each field's schema of its Go type's kind, a struct field pointing
// at its own type's schema. A field added to a type the API encodes, or a
// struct type reached that has no schema, fails here until openapi.json
// describes it.
func TestOpenAPIGoTypes(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	byType := map[string]string{} // Go type → schema name
	for name, s := range schemas {
		if gt, ok := s.(map[string]any)["x-go-type"].(string); ok {
			if other, dup := byType[gt]; dup {
				t.Errorf("schemas %s and %s both describe %s", name, other, gt)
			}
			byType[gt] = name
		}
	}
	known := map[string]reflect.Type{}
	for _, v := range goTypes {
		known[reflect.TypeOf(v).String()] = reflect.TypeOf(v)
	}
	for gt, name := range byType {
		if known[gt] == nil {
			t.Errorf("schema %s describes %s, which is not in goTypes", name, gt)
		}
	}
	c := &goSchemaCheck{t: t, doc: doc, byType: byType, checked: map[reflect.Type]bool{}}
	for _, v := range goTypes {
		c.named(reflect.TypeOf(v))
	}
}

type goSchemaCheck struct {
	t       *testing.T
	doc     map[string]any
	byType  map[string]string
	checked map[reflect.Type]bool
}

// named checks the schema of a named struct type once.
func (c *goSchemaCheck) named(t reflect.Type) {
	if c.checked[t] {
		return
	}
	c.checked[t] = true
	name, ok := c.byType[t.String()]
	if !ok {
		c.t.Errorf("%s is encoded by the API but no schema's x-go-type names it", t)
		return
	}
	s, _ := pointer(c.doc, "#/components/schemas/"+escape(name))
	if t.Kind() != reflect.Struct {
		c.value(t, s.(map[string]any), false, name)
		return
	}
	c.object(t, s.(map[string]any), name)
}

// object checks a struct's object schema, at says where.
func (c *goSchemaCheck) object(t reflect.Type, s map[string]any, at string) {
	if s["additionalProperties"] != false {
		c.t.Errorf("%s (%s): additionalProperties must be false: the type is closed", at, t)
	}
	props, _ := s["properties"].(map[string]any)
	var required []string
	for _, r := range asSlice(s["required"]) {
		required = append(required, r.(string))
	}
	fields := jsonFields(t)
	var want []string
	for _, f := range fields {
		p, ok := props[f.name].(map[string]any)
		if !ok {
			js, _ := json.Marshal(c.suggest(f.typ, !f.omit))
			c.t.Errorf("%s: %s's field %q is not described; as a start, add to its properties\n\t%q: %s",
				at, t, f.name, f.name, js)
			continue
		}
		if !f.omit {
			want = append(want, f.name)
		}
		c.value(f.typ, p, !f.omit, at+"."+f.name)
	}
	for name := range props {
		if !slices.ContainsFunc(fields, func(f jsonField) bool { return f.name == name }) {
			c.t.Errorf("%s: property %q is not a field of %s", at, name, t)
		}
	}
	sort.Strings(want)
	sort.Strings(required)
	if !slices.Equal(want, required) {
		c.t.Errorf("%s: required is %q; %s always writes %q", at, required, t, want)
	}
}

// value checks the schema of a value of Go type t; always says it is
// written even when empty, so a nil slice, map or pointer is null.
func (c *goSchemaCheck) value(t reflect.Type, s map[string]any, always bool, at string) {
	types := schemaTypes(s)
	nullable := slices.Contains(types, "null")
	// A $ref with null beside it: anyOf [{$ref}, {type: null}].
	if alts, ok := s["anyOf"]; ok && t != jsonFloatType {
		var branches []map[string]any
		for _, b := range asSlice(alts) {
			b := b.(map[string]any)
			if slices.Equal(schemaTypes(b), []string{"null"}) {
				nullable = true
				continue
			}
			branches = append(branches, b)
		}
		if len(branches) != 1 {
			c.t.Errorf("%s: anyOf must be a schema and null", at)
			return
		}
		s = branches[0]
		types = schemaTypes(s)
	}
	canNull := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		canNull = true
	case reflect.Slice:
		canNull = t != rawType && t != filterType && t.Elem().Kind() != reflect.Uint8
	}
	if strings.HasPrefix(t.Name(), "Known[") {
		canNull = true
	}
	switch {
	case nullable && !canNull && t != rawType:
		c.t.Errorf("%s: allows null, which %s never is", at, t)
	case canNull && always && !nullable && t.Kind() != reflect.Interface:
		c.t.Errorf("%s: %s is written null when nil: the schema must allow null", at, t)
	}
	want := func(typ string) {
		if !slices.Contains(types, typ) {
			c.t.Errorf("%s: %s wants type %q, the schema has %q", at, t, typ, types)
		}
	}
	switch {
	case t == timeType:
		want("string")
		if s["format"] != "date-time" {
			c.t.Errorf("%s: a time wants format date-time", at)
		}
		return
	case t == rawType:
		return
	case t == incidentDateType, t == filterType:
		want("string")
		return
	case t == jsonFloatType:
		if _, ok := s["anyOf"]; !ok {
			c.t.Errorf("%s: %s is a number or a string naming an infinity", at, t)
		}
		return
	case strings.HasPrefix(t.Name(), "Known["):
		// Null is the unknown value; the known one is the inner type's.
		inner := maps.Clone(s)
		inner["type"] = []any{}
		for _, typ := range types {
			if typ != "null" {
				inner["type"] = append(inner["type"].([]any), typ)
			}
		}
		c.value(t.Field(0).Type, inner, false, at)
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name, ok := c.byType[t.String()]
		if t.Name() == "" || !ok || ref != "#/components/schemas/"+escape(name) {
			c.t.Errorf("%s: $ref %q, but the field is a %s (schema %q)", at, ref, t, name)
			return
		}
		c.named(t)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		c.value(t.Elem(), s, false, at)
	case reflect.Struct:
		if t.Name() != "" {
			c.t.Errorf("%s: %s wants a $ref to its schema", at, t)
			return
		}
		want("object")
		c.object(t, s, at)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			want("string")
			return
		}
		want("array")
		items, _ := s["items"].(map[string]any)
		if items == nil {
			c.t.Errorf("%s: an array wants items", at)
			return
		}
		c.value(t.Elem(), items, false, at+"[]")
	case reflect.Map:
		want("object")
		add, _ := s["additionalProperties"].(map[string]any)
		if add == nil {
			c.t.Errorf("%s: a map wants additionalProperties", at)
			return
		}
		c.value(t.Elem(), add, false, at+"{}")
	case reflect.String:
		want("string")
	case reflect.Bool:
		want("boolean")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want("integer")
	case reflect.Float32, reflect.Float64:
		want("number")
	case reflect.Interface:
	default:
		c.t.Errorf("%s: no check for %s", at, t)
	}
}

// suggest makes a schema for a value of Go type t, for the message of a
// field not described: the kinds, $refs and nulls the checks want, to
// which the describer adds what the field means.
func (c *goSchemaCheck) suggest(t reflect.Type, always bool) map[string]any {
	nullable := func(s map[string]any) map[string]any {
		if !always {
			return s
		}
		if _, ok := s["$ref"]; ok {
			return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
		}
		s["type"] = []any{s["type"], "null"}
		return s
	}
	of := func(typ string) map[string]any { return map[string]any{"type": typ} }
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	case t == incidentDateType, t == filterType:
		return of("string")
	case t == jsonFloatType:
		return map[string]any{"anyOf": []any{of("number"), map[string]any{"enum": []any{"+Inf", "-Inf", "NaN"}}}}
	case strings.HasPrefix(t.Name(), "Known["):
		s := c.suggest(t.Field(0).Type, false)
		s["type"] = []any{s["type"], "null"}
		return s
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(c.suggest(t.Elem(), false))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return nullable(map[string]any{"type": "array", "items": c.suggest(t.Elem(), false)})
	case reflect.Map:
		return nullable(map[string]any{"type": "object", "additionalProperties": c.suggest(t.Elem(), false)})
	case reflect.Struct:
		name, ok := c.byType[t.String()]
		if !ok {
			name = "NEW (a schema with \"x-go-type\": \"" + t.String() + "\")"
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case reflect.String:
		return of("string")
	case reflect.Bool:
		return of("boolean")
	case reflect.Float32, reflect.Float64:
		return of("number")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return of("integer")
	}
	return map[string]any{}
}

// schemaTypes is a schema's type keyword as a list.
func schemaTypes(s map[string]any) []string {
	switch v := s["type"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// openAPIValidator checks answers against the document: each request is
// matched to its operation as the server's mux matches routes, and the
// body validated against the schema of the status it came with.
type openAPIValidator struct {
	doc map[string]any
	c   *jsonschema.Compiler
	mux *http.ServeMux
	// schemas caches compiled schemas by pointer.
	schemas map[string]*jsonschema.Schema
	// answered holds the statuses each operation answered with.
	answered map[string]map[int]int
	// accepted holds the first GET of each operation answered with
	// success, to send again with other parameters.
	accepted map[string]*http.Request
}

func newOpenAPIValidator(t testing.TB) *openAPIValidator {
	doc := openAPIDoc(t)
	v := &openAPIValidator{doc: doc, c: openAPICompiler(t, doc), mux: http.NewServeMux(),
		schemas: map[string]*jsonschema.Schema{}, answered: map[string]map[int]int{}, accepted: map[string]*http.Request{}}
	for key := range operations(doc) {
		v.mux.HandleFunc(key, func(http.ResponseWriter, *http.Request) {})
	}
	return v
}

// check validates the answer rec gave to req, and for an answer of
// success the request itself (body is the body it was sent with): a
// request the server accepts must be one the document allows.
func (v *openAPIValidator) check(t testing.TB, req *http.Request, body string, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, key := v.mux.Handler(req)
	what := fmt.Sprintf("%s %s → %d", req.Method, req.URL.RequestURI(), rec.Code)
	if key == "" {
		t.Errorf("%s: no operation of openapi.json matches", what)
		return
	}
	if v.answered[key] == nil {
		v.answered[key] = map[int]int{}
	}
	v.answered[key][rec.Code]++
	method, path, _ := strings.Cut(key, " ")
	op := "#/paths/" + escape(path) + "/" + strings.ToLower(method)
	if rec.Code < 300 {
		v.request(t, what, op, path, req, body)
		if _, seen := v.accepted[key]; !seen && req.Method == http.MethodGet {
			v.accepted[key] = req.Clone(req.Context())
		}
	}
	resp, at := deref(v.doc, op+"/responses/"+strconv.Itoa(rec.Code))
	if resp == nil {
		t.Errorf("%s: status %d is not described for %s: %.300s", what, rec.Code, key, rec.Body)
		return
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if rec.Body.Len() > 0 {
			t.Errorf("%s: described without a body, answered %.200q", what, rec.Body)
		}
		return
	}
	mt, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if err != nil || content[mt] == nil {
		t.Errorf("%s: Content-Type %q is not described (%v)", what, rec.Header().Get("Content-Type"), slices.Collect(mapKeys(content)))
		return
	}
	sch, err := v.schema(at + "/content/" + escape(mt) + "/schema")
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	var values []any
	switch mt {
	case "application/json":
		x, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Errorf("%s: the body is not JSON: %v", what, err)
			return
		}
		values = append(values, x)
	case "application/x-ndjson":
		sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
		for sc.Scan() {
			x, err := jsonschema.UnmarshalJSON(bytes.NewReader(sc.Bytes()))
			if err != nil {
				t.Errorf("%s: a line is not JSON: %v", what, err)
				return
			}
			values = append(values, x)
		}
	default:
		values = append(values, rec.Body.String())
	}
	for _, x := range values {
		if err := sch.Validate(x); err != nil {
			t.Errorf("%s: the answer does not match openapi.json: %v\n%.600s", what, err, rec.Body)
		}
	}
}

// request checks a request the server accepted against operation op of
// path: each parameter described and of its schema, and the body of a
// type and shape the operation takes.
func (v *openAPIValidator) request(t testing.TB, what, op, path string, req *http.Request, body string) {
	t.Helper()
	params := map[string]string{} // "in name" → pointer to its schema
	o, _ := pointer(v.doc, op)
	for i := range asSlice(o.(map[string]any)["parameters"]) {
		p, at := deref(v.doc, op+"/parameters/"+strconv.Itoa(i))
		params[p["in"].(string)+" "+p["name"].(string)] = at + "/schema"
	}
	value := func(in, name, raw string) {
		ptr, ok := params[in+" "+name]
		if !ok {
			t.Errorf("%s: %s parameter %q is not described", what, in, name)
			return
		}
		sch, err := v.schema(ptr)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		var x any = raw
		if s, _ := pointer(v.doc, ptr); s != nil {
			if typ := schemaTypes(s.(map[string]any)); slices.Contains(typ, "integer") || slices.Contains(typ, "number") {
				x = json.Number(raw)
			}
		}
		if err := sch.Validate(x); err != nil {
			t.Errorf("%s: %s parameter %s=%q does not match openapi.json: %v", what, in, name, raw, err)
		}
	}
	for name, vals := range req.URL.Query() {
		for _, raw := range vals {
			value("query", name, raw)
		}
	}
	tmpl, segs := strings.Split(path, "/"), strings.Split(req.URL.Path, "/")
	for i, seg := range tmpl {
		if strings.HasPrefix(seg, "{") && i < len(segs) {
			value("path", strings.Trim(seg, "{}"), segs[i])
		}
	}
	rb, at := deref(v.doc, op+"/requestBody")
	if rb == nil {
		if body != "" {
			t.Errorf("%s: sent a body, but the operation is described without one", what)
		}
		return
	}
	if body == "" {
		if rb["required"] == true {
			t.Errorf("%s: accepted without a body, which is described as required", what)
		}
		return
	}
	mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	content, _ := rb["content"].(map[string]any)
	if content[mt] == nil {
		t.Errorf("%s: accepted a body of type %q, not described", what, mt)
		return
	}
	if mt != "application/json" {
		return
	}
	sch, err := v.schema(at + "/content/" + escape(mt) + "/schema")
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	x, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err == nil {
		err = sch.Validate(x)
	}
	if err != nil {
		t.Errorf("%s: accepted a body openapi.json does not allow: %v\n%.300s", what, err, body)
	}
}

func (v *openAPIValidator) schema(ptr string) (*jsonschema.Schema, error) {
	if s, ok := v.schemas[ptr]; ok {
		return s, nil
	}
	s, err := v.c.Compile(openAPIURL + ptr)
	if err != nil {
		return nil, err
	}
	v.schemas[ptr] = s
	return s, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestOpenAPIResponses sends every probe of the authorisation matrix, as
// an admin, an analyst and a viewer of each agency and as no one, plus
// requests that make each route answer with what it holds, to the
// matrix's server, and validates every answer against openapi.json. Each
// operation must have answered with its success status at least once.
func TestOpenAPIResponses(t *testing.T) {
	f := newMatrix(t)
	v := newOpenAPIValidator(t)
	call := func(c who, method, target, body string, header ...string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Host = "localhost"
		if tok, ok := f.tokens[c]; ok {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		switch {
		case method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/analyze"):
			req.Header.Set("Content-Type", "text/tab-separated-values")
		case isUpload(req):
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+uploadBoundary)
		case method != http.MethodGet:
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		v.check(t, req, body, rec)
		return rec.Code, rec.Body.String()
	}
	alphaAdmin := who{agency: alpha, role: store.Admin}
	alphaAnalyst := who{agency: alpha, role: store.Analyst}
	bravoAnalyst := who{agency: bravo, role: store.Analyst}
	for _, c := range []who{alphaAdmin, bravoAnalyst, {agency: bravo, role: store.Viewer}, {}} {
		for _, route := range matrixRoutes() {
			for _, p := range route.probes(f, c) {
				call(c, p.method, p.target, p.body)
			}
		}
	}
	// What the matrix does not reach: answers with content.
	corvin, teodor := f.entities["Corvin Albescu"], f.entities["Teodor Vasken"]
	must := func(want int) func(int, string) {
		return func(status int, body string) {
			t.Helper()
			if status != want {
				t.Fatalf("status %d, want %d: %.300s", status, want, body)
			}
		}
	}
	must(200)(call(alphaAnalyst, "GET", fmt.Sprintf("/api/v1/edge?a=%d&b=%d", corvin, teodor), ""))
	must(200)(call(alphaAnalyst, "GET", fmt.Sprintf("/api/v1/entities/%d/ego?hops=2", corvin), ""))
	must(200)(call(alphaAnalyst, "GET", "/api/v1/tempo?by=week&ramadan=1", ""))
	must(200)(call(alphaAnalyst, "GET", fmt.Sprintf("/api/v1/entities/%d/documents?name=Corvin+Albescu", corvin), ""))
	must(201)(call(alphaAnalyst, "POST", "/api/v1/judgements", fmt.Sprintf(`{"kind":"flag","entity":%d,"reason":"openapi"}`, corvin)))
	must(200)(call(alphaAnalyst, "GET", fmt.Sprintf("/api/v1/entities/%d/judgements", corvin), ""))
	status, body := call(alphaAnalyst, "POST", "/api/v1/judgements", fmt.Sprintf(`{"kind":"flag","entity":%d,"reason":"openapi, to undo"}`, teodor))
	must(201)(status, body)
	var j store.Judgement
	decode(t, body, &j)
	must(200)(call(alphaAnalyst, "POST", fmt.Sprintf("/api/v1/judgements/%d/undo", j.ID), `{"reason":"openapi"}`))
	// A share asked of bravo and approved; then alpha's alerts.
	status, body = call(alphaAnalyst, "POST", "/api/v1/shares", `{"query":"Corvin Albescu","owner":"bravo","reason":"openapi"}`)
	must(201)(status, body)
	var share store.ShareRequest
	decode(t, body, &share)
	must(200)(call(bravoAnalyst, "POST", fmt.Sprintf("/api/v1/shares/%d/decision", share.ID), `{"approve":true,"answer":"openapi"}`))
	must(200)(call(alphaAnalyst, "GET", "/api/v1/shares", ""))
	must(200)(call(alphaAnalyst, "GET", "/api/v1/alerts", ""))
	// A session: log in, read who, log out.
	f.store.SetPassword(t.Context(), alphaAnalyst.String(), mustHash(t, "correct horse"))
	login := `{"user":"` + alphaAnalyst.String() + `","password":"correct horse"}`
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(login))
	req.Host = "localhost"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	v.check(t, req, login, rec)
	must(200)(rec.Code, rec.Body.String())
	cookie := rec.Result().Cookies()[0]
	var m me
	decode(t, rec.Body.String(), &m)
	must(200)(call(who{}, "GET", "/api/v1/me", "", "Cookie", cookie.Name+"="+cookie.Value))
	must(204)(call(who{}, "POST", "/api/v1/logout", "", "Cookie", cookie.Name+"="+cookie.Value, csrfHeader, m.CSRF))
	// A chart saved and deleted; a grant made and revoked.
	must(200)(call(alphaAnalyst, "PUT", "/api/v1/charts/openapi", `{"nodes":[]}`))
	must(204)(call(alphaAnalyst, "DELETE", "/api/v1/charts/openapi", ""))
	status, body = call(alphaAdmin, "POST", "/api/v1/admin/grants", `{"collection":"`+alphaMain+`","agency":"bravo","reason":"openapi"}`)
	must(201)(status, body)
	var g store.Grant
	decode(t, body, &g)
	must(204)(call(alphaAdmin, "DELETE", fmt.Sprintf("/api/v1/admin/grants/%d", g.ID), ""))
	// The audit log has a page to give by now.
	must(200)(call(alphaAdmin, "GET", "/api/v1/audit?limit=5", ""))
	must(200)(call(who{}, "GET", "/healthz", ""))
	must(200)(call(who{}, "GET", "/api/openapi.json", ""))

	// The bounds described are the server's: each GET accepted is sent
	// again with each whole-number parameter at its least and greatest
	// value, which must not be refused as a bad request (an entity ID at
	// its least may still name nothing), and just beyond, which must be.
	for key, req := range v.accepted {
		method, path, _ := strings.Cut(key, " ")
		op := "#/paths/" + escape(path) + "/" + strings.ToLower(method)
		o, _ := pointer(v.doc, op)
		for i := range asSlice(o.(map[string]any)["parameters"]) {
			p, _ := deref(v.doc, op+"/parameters/"+strconv.Itoa(i))
			s, _ := p["schema"].(map[string]any)
			if p["in"] != "query" || !slices.Contains(schemaTypes(s), "integer") {
				continue
			}
			name := p["name"].(string)
			for _, b := range []struct {
				bound string
				step  int64
			}{{"minimum", -1}, {"maximum", 1}} {
				n, ok := s[b.bound].(json.Number)
				if !ok {
					continue
				}
				edge, _ := n.Int64()
				for _, tc := range []struct {
					value  int64
					reject bool
				}{{edge, false}, {edge + b.step, true}} {
					r := req.Clone(req.Context())
					q := r.URL.Query()
					q.Set(name, strconv.FormatInt(tc.value, 10))
					r.URL.RawQuery = q.Encode()
					r.RequestURI = r.URL.RequestURI()
					rec := httptest.NewRecorder()
					f.h.ServeHTTP(rec, r)
					v.check(t, r, "", rec)
					if tc.reject != (rec.Code == http.StatusBadRequest) {
						t.Errorf("%s with %s=%d (%s %s): status %d: %.200s", key, name, tc.value, b.bound, n, rec.Code, rec.Body)
					}
				}
			}
		}
	}

	for key, o := range operations(v.doc) {
		if key == "GET /api/v1/discovery/index" {
			continue // TestOpenAPIExchange
		}
		var success []int
		for code := range o["responses"].(map[string]any) {
			if n, err := strconv.Atoi(code); err == nil && n < 300 {
				success = append(success, n)
			}
		}
		if !slices.ContainsFunc(success, func(code int) bool { return v.answered[key][code] > 0 }) {
			t.Errorf("%s never answered %v: its answer's shape went unchecked (statuses seen: %v)", key, success, v.answered[key])
		}
	}
}

func mustHash(t testing.TB, password string) string {
	t.Helper()
	h, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestOpenAPIExchange validates the discovery exchange's answers, to a
// peer with its token and to one without, against openapi.json.
func TestOpenAPIExchange(t *testing.T) {
	f := newMatrix(t)
	v := newOpenAPIValidator(t)
	enc, err := discovery.NewEncoder(discovery.NewKey(), discovery.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := discovery.Export(t.Context(), f.store, alpha, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := discovery.Folder(t.TempDir())
	if _, err := discovery.SaveExport(t.Context(), files, ix); err != nil {
		t.Fatal(err)
	}
	token, digest := discovery.NewToken()
	srv := f.server()
	srv.Exchange = &discovery.Handler{Files: files, Digests: [][32]byte{digest}, AllowInsecureLoopback: true}
	h := srv.Handler()
	for _, tc := range []struct {
		auth string
		want int
	}{{"Bearer " + token, http.StatusOK}, {"Bearer not-a-peer", http.StatusUnauthorized}} {
		req := httptest.NewRequest("GET", discovery.ExchangePath, nil)
		req.Host, req.RemoteAddr = "localhost", "127.0.0.1:40000"
		req.Header.Set("Authorization", tc.auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Fatalf("%s: status %d, want %d: %.200s", tc.auth, rec.Code, tc.want, rec.Body)
		}
		v.check(t, req, "", rec)
	}
	if len(ix.Records) == 0 {
		t.Error("the index exported holds no record: its shape went unchecked")
	}
}

// TestOpenAPINetworkAnswers validates the answers the matrix's case
// leaves empty — lone actors with their paths, proposals, neighbours —
// on the network fixture, whose notes call two people lone actors.
func TestOpenAPINetworkAnswers(t *testing.T) {
	f := newNetworkFixture(t)
	v := newOpenAPIValidator(t)
	h := f.as(analyst, f.server(nil).Handler())
	cs, err := entity.NewFinder(f.store).Find(t.Context(), "Oskar Feldhaus", 1)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no entity for Oskar Feldhaus: %v", err)
	}
	feldhaus := cs[0].ID
	if cs, err = entity.NewFinder(f.store).Find(t.Context(), "Idris Kallweit", 1); err != nil || len(cs) == 0 {
		t.Fatalf("no entity for Idris Kallweit: %v", err)
	}
	kallweit := cs[0].ID
	for _, tc := range []struct{ target, holds string }{
		{"/api/v1/lone-actors", `"path":{`},
		{fmt.Sprintf("/api/v1/entities/%d/neighbours?hops=2", feldhaus), `"hops":2`},
		{fmt.Sprintf("/api/v1/entities/%d/proposals", kallweit), `"comparison"`},
		{"/api/v1/entities?name=Kallweit", `"matched"`},
	} {
		req := httptest.NewRequest("GET", tc.target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), tc.holds) {
			t.Errorf("%s: status %d, without %s to check: %.300s", tc.target, rec.Code, tc.holds, rec.Body)
		}
		v.check(t, req, "", rec)
	}
}

// TestOpenAPIServed checks the document is served as embedded, to a
// caller without credentials, revalidated by its ETag, and refused to a
// Host this server does not answer for.
func TestOpenAPIServed(t *testing.T) {
	h := (&Server{}).Handler()
	get := func(host, etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/openapi.json", nil)
		req.Host = host
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := get("localhost", "")
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), openAPI) {
		t.Fatalf("status %d, %d bytes; want 200 and the %d embedded", rec.Code, rec.Body.Len(), len(openAPI))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if rec := get("localhost", etag); rec.Code != http.StatusNotModified {
		t.Errorf("revalidated with its ETag: status %d, want 304", rec.Code)
	}
	if rec := get("rebound.example", ""); rec.Code != http.StatusForbidden {
		t.Errorf("for a Host the server does not answer for: status %d, want 403", rec.Code)
	}
}
