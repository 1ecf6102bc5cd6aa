// Package stixcheck checks a STIX 2.1 bundle against the official JSON
// schemas (cti-stix2-json-schemas, draft 2020-12), read from a folder and
// never fetched, and against the rules those schemas cannot express:
// modified not before created, identifiers that are their type and a
// UUID, no identifier twice, and every reference pointing at an object of
// the bundle or at one of the TLP markings STIX defines; and OASIS's
// Incident Core extension, whose schema the folder does not hold, against
// its specification. Tests use it on what package stix writes.
package stixcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// tlp are the TLP 1.0 marking definitions STIX 2.1 defines; a bundle may
// refer to them without holding them.
var tlp = map[string]bool{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": true,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": true,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": true,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": true,
}

var idPattern = regexp.MustCompile(`^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// Checker holds the compiled schemas.
type Checker struct {
	bundle *jsonschema.Schema
	// types holds each object type's own schema.
	types map[string]*jsonschema.Schema
	// unlisted are the types with a schema of their own that bundle.json
	// does not list (location, incident, grouping, note and opinion in
	// the schemas' stix2.1 branch). It lets such an object through only as
	// a custom object matching exactly one of core.json and
	// cyber-observable-core.json, and every domain object matches both, so
	// a valid location fails it; these objects are checked against their
	// own schemas and left out of the bundle schema's check. (The
	// repository's issue 133 was the same omission for infrastructure.)
	unlisted map[string]bool
}

// ErrNoSchemas is returned by Load when the folder does not exist.
var ErrNoSchemas = errors.New("stixcheck: no schema folder")

// noFetch refuses every URL the schemas do not hold themselves.
type noFetch struct{}

func (noFetch) Load(url string) (any, error) {
	return nil, fmt.Errorf("stixcheck: %s is not among the local schemas, and nothing is fetched", url)
}

// Load compiles the schemas under dir (the repository's schemas folder:
// common, sdos, sros, observables), each under its $id so that their
// references resolve to the local files.
func Load(dir string) (*Checker, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoSchemas, dir)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noFetch{})
	c.AssertFormat()
	ids := map[string]string{} // file's path below dir → $id
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		m, _ := doc.(map[string]any)
		id, _ := m["$id"].(string)
		if id == "" {
			return fmt.Errorf("%s: no $id", p)
		}
		rel, _ := filepath.Rel(dir, p)
		ids[filepath.ToSlash(rel)] = id
		return c.AddResource(id, doc)
	})
	if err != nil {
		return nil, err
	}
	ch := &Checker{types: map[string]*jsonschema.Schema{}, unlisted: map[string]bool{}}
	bundleText, err := os.ReadFile(filepath.Join(dir, "common", "bundle.json"))
	if err != nil {
		return nil, fmt.Errorf("stixcheck: %w", err)
	}
	keys := make([]string, 0, len(ids))
	for k := range ids {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, rel := range keys {
		folder, name := filepath.Split(rel)
		typ := strings.TrimSuffix(name, ".json")
		switch {
		case rel == "common/bundle.json":
		case folder == "common/" && typ != "marking-definition" && typ != "extension-definition" && typ != "language-content":
			continue
		}
		sch, err := c.Compile(ids[rel])
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", rel, err)
		}
		if rel == "common/bundle.json" {
			ch.bundle = sch
			continue
		}
		ch.types[typ] = sch
		if !strings.Contains(string(bundleText), "/"+rel+`"`) {
			ch.unlisted[typ] = true
		}
	}
	if ch.bundle == nil {
		return nil, fmt.Errorf("stixcheck: %s holds no common/bundle.json", dir)
	}
	return ch, nil
}

// Check returns every way data fails to be a valid STIX 2.1 bundle, or
// nil.
func (ch *Checker) Check(data []byte) []error {
	var errs []error
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return []error{fmt.Errorf("not JSON: %w", err)}
	}
	m, _ := doc.(map[string]any)
	objs, _ := m["objects"].([]any)
	envelope := map[string]any{}
	for k, v := range m {
		envelope[k] = v
	}
	var listed []any
	for _, v := range objs {
		o, _ := v.(map[string]any)
		if typ, _ := o["type"].(string); !ch.unlisted[typ] {
			listed = append(listed, v)
		}
	}
	if _, ok := m["objects"]; ok {
		envelope["objects"] = listed
	}
	if err := ch.bundle.Validate(envelope); err != nil {
		errs = append(errs, fmt.Errorf("bundle schema: %v", err))
	}
	seen := map[string]bool{}
	for i, v := range objs {
		o, _ := v.(map[string]any)
		id, _ := o["id"].(string)
		typ, _ := o["type"].(string)
		if seen[id] {
			errs = append(errs, fmt.Errorf("object %d: %s appears twice", i, id))
		}
		seen[id] = true
		if sch := ch.types[typ]; sch == nil {
			errs = append(errs, fmt.Errorf("object %d (%s): no schema for type %q", i, id, typ))
		} else if err := sch.Validate(v); err != nil {
			errs = append(errs, fmt.Errorf("object %d (%s): %v", i, id, err))
		}
	}
	for i, v := range objs {
		o, _ := v.(map[string]any)
		id, _ := o["id"].(string)
		typ, _ := o["type"].(string)
		if sm := idPattern.FindStringSubmatch(id); sm == nil || sm[1] != typ {
			errs = append(errs, fmt.Errorf("object %d: id %q is not %q, \"--\" and a lower-case UUID of version 1 to 5", i, id, typ))
		}
		if c, ok := o["created"].(string); ok {
			if mod, ok := o["modified"].(string); ok {
				ct, err1 := time.Parse(time.RFC3339Nano, c)
				mt, err2 := time.Parse(time.RFC3339Nano, mod)
				if err1 != nil || err2 != nil {
					errs = append(errs, fmt.Errorf("%s: created %q or modified %q is not a timestamp", id, c, mod))
				} else if mt.Before(ct) {
					errs = append(errs, fmt.Errorf("%s: modified %s is before created %s", id, mod, c))
				}
			}
		}
		if c, ok := o["created"].(string); ok && !strings.HasSuffix(c, "Z") {
			errs = append(errs, fmt.Errorf("%s: created %q is not UTC", id, c))
		}
		if ext, ok := o["extensions"].(map[string]any); ok {
			if core, ok := ext[incidentCoreID]; ok {
				for _, err := range checkIncidentCore(core) {
					errs = append(errs, fmt.Errorf("%s: Incident Core extension: %v", id, err))
				}
			}
		}
		refs(o, func(path, ref string) {
			if !seen[ref] && !tlp[ref] {
				errs = append(errs, fmt.Errorf("%s: %s names %s, which is not in the bundle", id, path, ref))
			}
			if path == "created_by_ref" && !strings.HasPrefix(ref, "identity--") {
				errs = append(errs, fmt.Errorf("%s: created_by_ref %s is not an identity", id, ref))
			}
			if strings.HasPrefix(path, "object_marking_refs") && !strings.HasPrefix(ref, "marking-definition--") {
				errs = append(errs, fmt.Errorf("%s: %s %s is not a marking definition", id, path, ref))
			}
			if ref == id && strings.HasPrefix(path, "object_marking_refs") {
				errs = append(errs, fmt.Errorf("%s marks itself", id))
			}
		})
	}
	return errs
}

// refs calls fn for every *_ref and *_refs property of v, at any depth
// (extensions hold some), with the path to it.
func refs(v any, fn func(path, ref string)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				switch x := v[k].(type) {
				case string:
					if strings.HasSuffix(k, "_ref") {
						fn(p, x)
					}
				case []any:
					if strings.HasSuffix(k, "_refs") {
						for i, r := range x {
							s, _ := r.(string)
							fn(fmt.Sprintf("%s[%d]", p, i), s)
						}
						continue
					}
					walk(p, x)
				default:
					walk(p, x)
				}
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	walk("", v)
}

// incidentCoreID is OASIS's Incident Core extension, whose schema is not
// among the STIX schemas: checkIncidentCore holds it to its specification
// (version 2.0, cti-stix-common-objects).
const incidentCoreID = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

var (
	determinations = []string{"blocked", "failed-attempt", "false-positive", "low-value", "successful-attempt", "suspected"}
	recoverability = []string{"extended", "not-applicable", "not-recoverable", "regular", "supplemented"}
	vocabPattern   = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

func checkIncidentCore(v any) []error {
	var errs []error
	core, ok := v.(map[string]any)
	if !ok {
		return []error{errors.New("not an object")}
	}
	str := func(k string) (string, bool) { s, ok := core[k].(string); return s, ok }
	if t, _ := str("extension_type"); t != "property-extension" {
		errs = append(errs, fmt.Errorf("extension_type %v, want property-extension", core["extension_type"]))
	}
	if d, _ := str("determination"); !slices.Contains(determinations, d) {
		errs = append(errs, fmt.Errorf("determination %v is not one of %v", core["determination"], determinations))
	}
	if s, ok := str("investigation_status"); !ok || s == "" {
		errs = append(errs, errors.New("no investigation_status"))
	}
	for k, v := range core {
		switch k {
		case "extension_type", "determination", "investigation_status":
		case "criticality":
			if n, ok := v.(json.Number); !ok || !integerIn(n, 0, 100) {
				errs = append(errs, fmt.Errorf("criticality %v is not an integer from 0 to 100", v))
			}
		case "incident_types", "detection_methods":
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				errs = append(errs, fmt.Errorf("%s is not a list of at least one value", k))
			}
			for _, x := range list {
				if s, ok := x.(string); !ok || !vocabPattern.MatchString(s) {
					errs = append(errs, fmt.Errorf("%s holds %v, not a vocabulary value", k, x))
				}
			}
		case "impacted_entity_counts":
			m, ok := v.(map[string]any)
			if !ok {
				errs = append(errs, fmt.Errorf("%s is not a dictionary", k))
			}
			for key, n := range m {
				num, ok := n.(json.Number)
				if !vocabPattern.MatchString(key) || !ok || !integerIn(num, 0, 1<<53) {
					errs = append(errs, fmt.Errorf("%s: %q: %v is not a count", k, key, n))
				}
			}
		case "recoverability":
			if s, _ := v.(string); !slices.Contains(recoverability, s) {
				errs = append(errs, fmt.Errorf("recoverability %v is not one of %v", v, recoverability))
			}
		case "scores":
			list, _ := v.([]any)
			for _, x := range list {
				m, _ := x.(map[string]any)
				if _, ok := m["name"].(string); !ok {
					errs = append(errs, fmt.Errorf("a score without a name"))
				}
				if _, ok := m["value"].(json.Number); !ok {
					errs = append(errs, fmt.Errorf("a score without a numeric value"))
				}
			}
		default:
			errs = append(errs, fmt.Errorf("property %q is not the extension's", k))
		}
	}
	return errs
}

func integerIn(n json.Number, lo, hi int64) bool {
	i, err := n.Int64()
	return err == nil && i >= lo && i <= hi
}
