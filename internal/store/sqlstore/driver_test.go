package sqlstore

import _ "modernc.org/sqlite" // the driver OpenSQLite opens the white-box tests' stores on
