// SQLite's C API for wxcards: the system's libsqlite3 (Debian's libsqlite3-dev, or the SDK's
// on macOS), declared as a target of this package rather than reached through another
// package's internal module. Nothing of SQLite is vendored.
#ifndef WXCARDS_CSQLITE_H
#define WXCARDS_CSQLITE_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer; Swift can not import it.
static inline sqlite3_destructor_type wxcards_sqlite3_transient(void) { return SQLITE_TRANSIENT; }

/// Process-wide settings, before the first connection opens (sqlite3_config is variadic, which
/// Swift can not call): no memory statistics, whose global mutex every allocation would take.
/// Answers SQLITE_OK, or SQLITE_MISUSE when SQLite was already initialised (harmless).
int wxcards_sqlite3_configure(void);

#endif
