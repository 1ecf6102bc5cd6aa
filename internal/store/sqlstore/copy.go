package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows writes rows into table's columns with the COPY protocol, on the
// transaction's connection (the dialect copies; see Dialect.copies).
func (t *txn) copyRows(ctx context.Context, table string, columns []string, rows [][]any) error {
	if t.held == nil {
		return fmt.Errorf("copy into %s: the transaction holds no connection", table)
	}
	return t.held.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: a %T connection cannot copy", table, dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("copied %d rows of %d", n, len(rows))
		}
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

// columns returns the table and columns an insert names: "t (a, b)".
func (in chunkedInsert) columns() (string, []string) {
	table, cols, _ := strings.Cut(in.into, "(")
	cols = strings.TrimSuffix(strings.TrimSpace(cols), ")")
	out := strings.Split(cols, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return strings.TrimSpace(table), out
}
