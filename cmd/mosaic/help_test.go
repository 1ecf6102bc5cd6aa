package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHelpListsEveryFlag checks that 'mosaic X -h' lists every flag X
// takes, its subcommands' included, and 'mosaic X SUB -h' every flag of
// SUB. What the code defines is read from the flag sets themselves, as
// each command makes them (newFlags reports them to flagSetMade) and
// fills them in; which subcommands exist is read from the source, from
// every newFlags call, so that a subcommand missing from the subcommands
// table, or a flag set made some other way, fails here.
func TestHelpListsEveryFlag(t *testing.T) {
	made := flagSetNames(t)
	help := func(args ...string) (string, []*flag.FlagSet) {
		t.Helper()
		var sets []*flag.FlagSet
		flagSetMade = func(fs *flag.FlagSet) { sets = append(sets, fs) }
		defer func() { flagSetMade = nil }()
		out, errs, code := runMosaic(t, args...)
		if code != 0 {
			t.Errorf("mosaic %s: exit %d\n%s", strings.Join(args, " "), code, errs)
		}
		return out + errs, sets
	}
	// missing returns the flags of the sets that text does not list as
	// flag.PrintDefaults does: "  -name", perhaps a type, then the first
	// line of the usage. A flag two sets define alike (-json, "print
	// JSON") must be listed as many times as there are sets.
	missing := func(text string, sets []*flag.FlagSet) []string {
		need := map[string]int{}
		var order []string
		for _, fs := range sets {
			fs.VisitAll(func(f *flag.Flag) {
				_, usage := flag.UnquoteUsage(f)
				first, _, _ := strings.Cut(usage, "\n")
				pattern := `(?m)^  -` + regexp.QuoteMeta(f.Name) + `( \S+)?(\n    )?\t` + regexp.QuoteMeta(first)
				if need[pattern] == 0 {
					order = append(order, pattern)
				}
				need[pattern]++
			})
		}
		var out []string
		for _, pattern := range order {
			if got := len(regexp.MustCompile(pattern).FindAllStringIndex(text, -1)); got < need[pattern] {
				out = append(out, fmt.Sprintf("%s (listed %d times, defined %d)", pattern, got, need[pattern]))
			}
		}
		return out
	}

	top := map[string]string{}
	// all gathers, for each command, its flag sets and its subcommands',
	// one of each name.
	all := map[string]map[string]*flag.FlagSet{}
	gather := func(cmd string, sets []*flag.FlagSet) {
		if all[cmd] == nil {
			all[cmd] = map[string]*flag.FlagSet{}
		}
		for _, fs := range sets {
			all[cmd][fs.Name()] = fs
		}
	}
	for name := range commands {
		text, sets := help(name, "-h")
		top[name] = text
		gather(name, sets)
		if len(sets) == 0 && subcommands[name] == nil {
			t.Errorf("mosaic %s -h made no flag set", name)
		}
		if m := missing(text, sets); len(m) > 0 {
			t.Errorf("mosaic %s -h does not list %v", name, m)
		}
	}
	subs := 0
	for _, name := range made {
		cmd, sub, ok := strings.Cut(name, " ")
		if _, known := commands[cmd]; !known {
			t.Errorf("newFlags(%q): no command %q", name, cmd)
			continue
		}
		if !ok {
			continue
		}
		subs++
		text, sets := help(cmd, sub, "-h")
		var own []*flag.FlagSet
		for _, fs := range sets {
			if fs.Name() == "mosaic "+name {
				own = append(own, fs)
			}
		}
		if len(own) == 0 {
			t.Errorf("mosaic %s -h never made the flag set %q", name, "mosaic "+name)
			continue
		}
		if m := missing(text, own); len(m) > 0 {
			t.Errorf("mosaic %s -h does not list %v", name, m)
		}
		gather(cmd, own)
	}
	for cmd, byName := range all {
		var sets []*flag.FlagSet
		for _, fs := range byName {
			sets = append(sets, fs)
		}
		if m := missing(top[cmd], sets); len(m) > 0 {
			t.Errorf("mosaic %s -h does not list every flag of it and its subcommands: %v", cmd, m)
		}
	}
	// The source has subcommands with flags of their own (eval dedupe,
	// watchlist load, ...): a scan that found none would check nothing.
	if subs < 5 {
		t.Errorf("found %d subcommands with flags in the source, want at least 5: %v", subs, made)
	}
}

// flagSetNames reads the command's source and returns the name given to
// every newFlags call ("search", "eval dedupe"). It fails the test for a
// call whose name is not a string literal, and for a flag set made
// anywhere but in newFlags.
func flagSetNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			ast.Inspect(decl, func(n ast.Node) bool {
				call, ok2 := n.(*ast.CallExpr)
				if !ok2 {
					return true
				}
				switch fun := call.Fun.(type) {
				case *ast.Ident:
					if fun.Name != "newFlags" || len(call.Args) < 2 {
						return true
					}
					lit, isLit := call.Args[1].(*ast.BasicLit)
					if !isLit || lit.Kind != token.STRING {
						t.Errorf("%s: newFlags with a name that is not a string literal", fset.Position(call.Pos()))
						return true
					}
					name, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					names = append(names, name)
				case *ast.SelectorExpr:
					if x, isIdent := fun.X.(*ast.Ident); isIdent && x.Name == "flag" && fun.Sel.Name == "NewFlagSet" &&
						!(ok && fn.Name.Name == "newFlags") {
						t.Errorf("%s: a flag set made outside newFlags, which the -h check cannot see", fset.Position(call.Pos()))
					}
				}
				return true
			})
		}
	}
	return names
}
