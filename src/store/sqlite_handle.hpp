// Thin RAII owners of SQLite's C handles, and the few calls the store makes through them.
// Errors come back as Status/Result with SQLite's own message, never as exceptions.
#pragma once

#include <sqlite3.h>

#include <cstdint>      // std::int64_t
#include <memory>       // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter::store {

struct DatabaseCloser {
  void operator()(sqlite3* database) const { sqlite3_close_v2(database); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Runs one or more SQL statements that return no rows.
Status execute(sqlite3* database, std::string_view sql);

// Prepares one statement.
Result<StatementHandle> prepare(sqlite3* database, std::string_view sql);

// Steps a statement that returns no rows (INSERT, UPDATE) and resets it for reuse.
Status step_done(sqlite3* database, sqlite3_stmt* statement);

// "what failed: SQLite's message".
Error sqlite_error(sqlite3* database, std::string_view what);

}  // namespace gridmeter::store
