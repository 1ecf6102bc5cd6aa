package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"mosaic/internal/auth"
	"mosaic/internal/store"
)

const userAbout = `Manages the accounts of a shared store: who belongs to which agency, what each may do,
and which collections another agency's users may read.

  add NAME           create a user of --agency with --role (admin, analyst or viewer); prints
                     an API token alone on the last line. --password-stdin reads a password
                     for the web page from the first line of stdin; without it the account
                     uses tokens only.
  list               the users (of --agency, or all): name, agency, role, clearance, status
  token NAME         a new API token for NAME, alone on the last line
  revoke NAME        disable NAME: no login, and every token and session stops working
  revoke --token ID  revoke one token (IDs: 'mosaic user list --tokens')
  revoke --grant ID  revoke one grant (IDs: 'mosaic user grants')
  grant COLLECTION   let --to-user or every user of --to-agency read COLLECTION (--reason)
  grants             every grant of the collections of --agency (or all)

A token is shown once and stored only as a digest. Changes are written to the audit log
under --by (default $USER).`

func runUser(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user", "add|list|token|revoke|grant|grants ...", userAbout)
	db := dbFlag(fs)
	agency := fs.String("agency", "", "add: the user's agency (required); list, grants: only this agency's")
	role := fs.String("role", string(store.Analyst), "add: admin, analyst or viewer")
	clearance := fs.String("clearance", store.Classifications[0], "add: the highest classification the user may read: "+strings.Join(store.Classifications, ", "))
	passwordStdin := fs.Bool("password-stdin", false, "add: read the user's password from the first line of stdin")
	label := fs.String("label", "", "add, token: a label for the token (where it is used)")
	tokenID := fs.Int64("token", 0, "revoke: the ID of one token to revoke instead of a user")
	grantID := fs.Int64("grant", 0, "revoke: the ID of one grant to revoke instead of a user")
	toUser := fs.String("to-user", "", "grant: the user who may read the collection")
	toAgency := fs.String("to-agency", "", "grant: the agency whose users may read the collection")
	reason := fs.String("reason", "", "grant: why (required)")
	by := fs.String("by", os.Getenv("USER"), "who makes the change, for the audit log (default $USER)")
	tokens := fs.Bool("tokens", false, "list: list each user's tokens too")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string][]int{"add": {2}, "list": {1}, "token": {2}, "revoke": {1, 2}, "grant": {2}, "grants": {1}}
	if len(pos) == 0 || !hasInt(want[pos[0]], len(pos)) {
		fs.Usage()
		return errUsage
	}
	if strings.TrimSpace(*by) == "" {
		*by = "command line"
	}
	st, err := openStore(ctx, *db, pos[0] == "add")
	if err != nil {
		return err
	}
	defer st.Close()
	record := func(action, object string) error {
		_, err := st.Record(ctx, store.AuditEntry{User: *by, Action: action, Object: object, Outcome: "ok"})
		return err
	}
	switch pos[0] {
	case "add":
		var password string
		if *passwordStdin {
			if password, err = readPassword(e.stdin); err != nil {
				return err
			}
		}
		u, err := addUser(ctx, st, store.User{Name: pos[1], Agency: *agency, Role: store.Role(*role), Clearance: *clearance}, password)
		if err != nil {
			return err
		}
		token, err := newToken(ctx, st, u.Name, *label)
		if err != nil {
			return err
		}
		if err := record("user-add", u.Name); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created %s, %s of %s, cleared to %s; API token (shown once):\n%s\n", u.Name, u.Role, u.Agency, u.Clearance, token)
		return nil
	case "token":
		token, err := newToken(ctx, st, pos[1], *label)
		if err != nil {
			return err
		}
		if err := record("token-add", pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "new API token of %s (shown once):\n%s\n", pos[1], token)
		return nil
	case "list":
		return listUsers(ctx, e, st, *agency, *tokens, *asJSON)
	case "revoke":
		return revoke(ctx, e, st, pos[1:], *tokenID, *grantID, record)
	case "grant":
		if strings.TrimSpace(*reason) == "" {
			return errors.New("grant needs --reason: grants are recorded with who and why")
		}
		g, err := st.Grant(ctx, store.Grant{Collection: pos[1], User: *toUser, Agency: *toAgency, By: *by, Reason: *reason})
		if err != nil {
			return err
		}
		if err := record("grant", fmt.Sprintf("%s to %s%s", g.Collection, g.User, g.Agency)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "granted %s to %s%s (grant #%d)\n", g.Collection, g.User, g.Agency, g.ID)
		return nil
	default: // grants
		gs, err := st.Grants(ctx, *agency)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.jsonOut().Encode(struct {
				Grants []store.Grant `json:"grants"`
			}{gs})
		}
		if len(gs) == 0 {
			fmt.Fprintln(e.stdout, "no grants")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCOLLECTION\tTO\tBY\tREASON\tSTATUS")
		for _, g := range gs {
			status := "in force"
			if !g.Revoked.IsZero() {
				status = "revoked " + g.Revoked.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s%s\t%s\t%s\t%s\n", g.ID, g.Collection, g.User, g.Agency, g.By, g.Reason, status)
		}
		return tw.Flush()
	}
}

func hasInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// addUser creates a user, hashing the password if there is one.
func addUser(ctx context.Context, st store.Accounts, u store.User, password string) (store.User, error) {
	hash := ""
	if password != "" {
		var err error
		if hash, err = auth.HashPassword(password); err != nil {
			return store.User{}, err
		}
	}
	return st.AddUser(ctx, u, hash)
}

// newToken makes an API token for user and stores its digest.
func newToken(ctx context.Context, st store.Accounts, user, label string) (string, error) {
	token := auth.NewToken()
	if _, err := st.AddToken(ctx, user, label, auth.Digest(token)); err != nil {
		return "", err
	}
	return token, nil
}

// readPassword reads a password from the first line of r.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("--password-stdin: no stdin to read")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if len(line) < 8 {
		return "", errors.New("--password-stdin: the password must have at least 8 characters")
	}
	return line, nil
}

func listUsers(ctx context.Context, e *env, st store.Store, agency string, withTokens, asJSON bool) error {
	us, err := st.Users(ctx, agency)
	if err != nil {
		return err
	}
	type listed struct {
		store.User
		Tokens []store.Token `json:"tokens,omitempty"`
	}
	out := make([]listed, len(us))
	for i, u := range us {
		out[i].User = u
		if withTokens {
			if out[i].Tokens, err = st.Tokens(ctx, u.Name); err != nil {
				return err
			}
		}
	}
	if asJSON {
		return e.jsonOut().Encode(struct {
			Users []listed `json:"users"`
		}{out})
	}
	if len(us) == 0 {
		fmt.Fprintln(e.stdout, "no users")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tAGENCY\tROLE\tCLEARANCE\tSTATUS")
	for _, u := range out {
		status := "active"
		if !u.Disabled.IsZero() {
			status = "revoked " + u.Disabled.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Agency, u.Role, u.Clearance, status)
		for _, t := range u.Tokens {
			state := "in use"
			if !t.Revoked.IsZero() {
				state = "revoked"
			}
			fmt.Fprintf(tw, "  token %d\t%s\tcreated %s\t%s\t\n", t.ID, t.Label, t.Created.Local().Format("2006-01-02 15:04"), state)
		}
	}
	return tw.Flush()
}

// revoke disables a user, or revokes one token or one grant.
func revoke(ctx context.Context, e *env, st store.Store, names []string, tokenID, grantID int64, record func(action, object string) error) error {
	switch {
	case len(names) == 1 && tokenID == 0 && grantID == 0:
		if err := st.DisableUser(ctx, names[0]); err != nil {
			return err
		}
		if err := record("user-revoke", names[0]); err != nil {
			return err
		}
		_, err := fmt.Fprintf(e.stdout, "revoked %s: no login, no token, no session\n", names[0])
		return err
	case len(names) == 0 && (tokenID > 0) != (grantID > 0):
		if tokenID > 0 {
			if err := st.RevokeToken(ctx, tokenID); err != nil {
				return err
			}
			if err := record("token-revoke", strconv.FormatInt(tokenID, 10)); err != nil {
				return err
			}
			_, err := fmt.Fprintf(e.stdout, "revoked token %d\n", tokenID)
			return err
		}
		if err := st.RevokeGrant(ctx, grantID); err != nil {
			return err
		}
		if err := record("grant-revoke", strconv.FormatInt(grantID, 10)); err != nil {
			return err
		}
		_, err := fmt.Fprintf(e.stdout, "revoked grant %d\n", grantID)
		return err
	}
	return errors.New("revoke takes one user name, or --token ID, or --grant ID")
}
