// The DLMS server's security state in the store: table `security` (one row: the server's
// system title, the global keys, the invocation counter reservation) and `security_client`
// (per client SAP: policy, last accepted invocation counter, system title).
#include <sys/stat.h>  // chmod

#include <fmt/format.h>

#include <algorithm>  // std::copy
#include <string>     // std::string

#include "store/store.hpp"

namespace gridmeter::store {
namespace {

template <std::size_t N>
void bind_octets(sqlite3_stmt* statement, int column, const std::array<std::uint8_t, N>& octets) {
  sqlite3_bind_blob(statement, column, octets.data(), static_cast<int>(N), SQLITE_TRANSIENT);
}

void bind_key(sqlite3_stmt* statement, int column, const std::optional<dlms::AesKey>& key) {
  if (key) {
    bind_octets(statement, column, *key);
  } else {
    sqlite3_bind_null(statement, column);
  }
}

// A blob of exactly N octets; nullopt for NULL; an error for any other length.
template <std::size_t N>
Result<std::optional<std::array<std::uint8_t, N>>> column_octets(sqlite3_stmt* row, int column,
                                                                 const std::string& path,
                                                                 std::string_view what) {
  if (sqlite3_column_type(row, column) == SQLITE_NULL) {
    return std::optional<std::array<std::uint8_t, N>>{};
  }
  const int size = sqlite3_column_bytes(row, column);
  if (size != static_cast<int>(N)) {
    return make_error(
        fmt::format("store '{}' is corrupt: {} is {} octets, not {}", path, what, size, N));
  }
  std::array<std::uint8_t, N> octets{};
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(row, column));
  std::copy(data, data + N, octets.begin());
  return std::optional<std::array<std::uint8_t, N>>{octets};
}

Error corrupt_store(const std::string& path, std::string_view what) {
  return make_error(fmt::format("store '{}' is corrupt: {}", path, what));
}

// The store holds keys: only its owner may read it (and SQLite's journal files beside it).
void restrict_to_owner(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    (void)::chmod((path + suffix).c_str(), S_IRUSR | S_IWUSR);
  }
}

}  // namespace

Status Store::save_security(const dlms::SecurityState& state) {
  sqlite3* database = database_.get();
  Status status = execute(database, "BEGIN IMMEDIATE");
  if (!status) return status;
  {
    auto row = prepare(database, "INSERT OR REPLACE INTO security VALUES(1, ?, ?, ?, ?, ?, ?, ?)");
    if (!row) {
      status = row.error();
    } else {
      sqlite3_stmt* statement = row->get();
      bind_octets(statement, 1, state.server_system_title);
      bind_key(statement, 2, state.keys.unicast_encryption);
      bind_key(statement, 3, state.keys.broadcast_encryption);
      bind_key(statement, 4, state.keys.authentication);
      bind_key(statement, 5, state.keys.master);
      sqlite3_bind_int64(statement, 6, state.keys_transferred ? 1 : 0);
      sqlite3_bind_int64(statement, 7, state.server_invocation_counter);
      status = step_done(database, statement);
    }
  }
  if (status) status = execute(database, "DELETE FROM security_client");
  for (const dlms::ClientSecurity& client : state.clients) {
    if (!status) break;
    auto row = prepare(database, "INSERT INTO security_client VALUES(?, ?, ?, ?, ?)");
    if (!row) {
      status = row.error();
      break;
    }
    sqlite3_stmt* statement = row->get();
    sqlite3_bind_int64(statement, 1, client.client_sap);
    sqlite3_bind_int64(statement, 2, client.policy.bits);
    sqlite3_bind_int64(statement, 3, client.last_invocation_counter);
    sqlite3_bind_int64(statement, 4, client.counter_seen ? 1 : 0);
    if (client.system_title) {
      bind_octets(statement, 5, *client.system_title);
    } else {
      sqlite3_bind_null(statement, 5);
    }
    status = step_done(database, statement);
  }
  if (status) status = execute(database, "COMMIT");
  if (!status) {
    (void)execute(database, "ROLLBACK");
    return make_error(fmt::format("store '{}': {}", path_, status.error().message));
  }
  restrict_to_owner(path_);
  return {};
}

Result<std::optional<dlms::SecurityState>> Store::load_security() {
  sqlite3* database = database_.get();
  auto row = prepare(database,
                     "SELECT server_system_title, unicast_encryption_key, broadcast_encryption_key,"
                     " authentication_key, master_key, keys_transferred, server_invocation_counter"
                     " FROM security WHERE id = 1");
  if (!row) return row.error();
  sqlite3_stmt* statement = row->get();
  const int code = sqlite3_step(statement);
  if (code == SQLITE_DONE) return std::optional<dlms::SecurityState>{};
  if (code != SQLITE_ROW) return sqlite_error(database, "reading the store");
  dlms::SecurityState state;
  auto title = column_octets<dlms::system_title_size>(statement, 0, path_, "the system title");
  if (!title) return title.error();
  if (!*title) return corrupt_store(path_, "the server's system title is missing");
  state.server_system_title = **title;
  const dlms::KeyId ids[] = {dlms::KeyId::unicast_encryption, dlms::KeyId::broadcast_encryption,
                             dlms::KeyId::authentication, dlms::KeyId::master};
  for (int i = 0; i < 4; ++i) {
    auto key = column_octets<dlms::aes_key_size>(statement, 1 + i, path_, "a key");
    if (!key) return key.error();
    state.keys[ids[i]] = *key;
  }
  state.keys_transferred = sqlite3_column_int64(statement, 5) != 0;
  const std::int64_t counter = sqlite3_column_int64(statement, 6);
  if (counter < 0 || counter > 0xFFFFFFFFLL) {
    return corrupt_store(path_, "the invocation counter is out of range");
  }
  state.server_invocation_counter = static_cast<std::uint32_t>(counter);

  auto clients = prepare(database,
                         "SELECT client_sap, policy, last_invocation_counter, counter_seen,"
                         " system_title FROM security_client ORDER BY client_sap");
  if (!clients) return clients.error();
  sqlite3_stmt* client_row = clients->get();
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(client_row)) == SQLITE_ROW) {
    const std::int64_t sap = sqlite3_column_int64(client_row, 0);
    const std::int64_t policy = sqlite3_column_int64(client_row, 1);
    const std::int64_t last = sqlite3_column_int64(client_row, 2);
    if (sap < 0 || sap > 0xFFFF || policy < 0 || policy > 0xFF || last < 0 || last > 0xFFFFFFFFLL) {
      return corrupt_store(path_, "a client's security entry is out of range");
    }
    dlms::ClientSecurity client;
    client.client_sap = static_cast<std::uint16_t>(sap);
    client.policy.bits = static_cast<std::uint8_t>(policy);
    client.last_invocation_counter = static_cast<std::uint32_t>(last);
    client.counter_seen = sqlite3_column_int64(client_row, 3) != 0;
    auto client_title =
        column_octets<dlms::system_title_size>(client_row, 4, path_, "a client's system title");
    if (!client_title) return client_title.error();
    client.system_title = *client_title;
    state.clients.push_back(client);
  }
  if (step != SQLITE_DONE) return sqlite_error(database, "reading the store");
  return std::optional<dlms::SecurityState>{std::move(state)};
}

}  // namespace gridmeter::store
