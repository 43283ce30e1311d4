#include "store/sqlite_handle.hpp"

#include <fmt/format.h>

namespace gridmeter::store {

Error sqlite_error(sqlite3* database, std::string_view what) {
  return make_error(fmt::format("{}: {}", what, sqlite3_errmsg(database)));
}

Status execute(sqlite3* database, std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(database, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = make_error(message != nullptr ? message : "unknown SQLite error");
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<StatementHandle> prepare(sqlite3* database, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(database, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    return sqlite_error(database, "preparing a store statement");
  }
  return StatementHandle(raw);
}

Status step_done(sqlite3* database, sqlite3_stmt* statement) {
  const int code = sqlite3_step(statement);
  if (code != SQLITE_DONE) {
    Error error = sqlite_error(database, "writing the store");
    sqlite3_reset(statement);
    return error;
  }
  sqlite3_reset(statement);
  return {};
}

}  // namespace gridmeter::store
