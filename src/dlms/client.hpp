// Client: the client side of the DLMS application layer (IEC 62056-5-3): opens an association,
// reads, writes and invokes with logical name referencing, and follows the block transfers a
// server answers with. It shares the codec with the server but follows the standard rather
// than gridmeter's server: it must read other vendors' meters too.
//
//   Client client(exchange, ClientOptions{});     // exchange: send one APDU, get one back
//   if (Status open = client.associate(); !open) fail(open.error().message);
//   Result<GetDataResult> energy = client.get({3, Obis{1, 0, 1, 8, 0, 255}, 2});
//   if (energy && std::holds_alternative<Data>(*energy)) ...     // the value
//   else if (energy) ...                                          // the meter's Data-Access-Result
//   else ...                                                      // no answer, or a bad one
//   client.release();
//
// The errors of a Result are the exchange's (no connection, timeout) or the answer's (an
// Exception-Response, an APDU that does not decode, a block out of step); what the meter says
// of an attribute or method is the value inside.
#pragma once

#include <cstdint>     // std::uint8_t, std::uint16_t
#include <functional>  // std::function
#include <optional>    // std::optional
#include <span>        // std::span
#include <vector>      // std::vector

#include "core/result.hpp"
#include "dlms/acse.hpp"
#include "dlms/action.hpp"
#include "dlms/data.hpp"
#include "dlms/initiate.hpp"
#include "dlms/security_suite0.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

// Sends one APDU and returns the APDU that answers it.
using ApduExchange =
    std::function<Result<std::vector<std::uint8_t>>(std::span<const std::uint8_t> request)>;

// Security suite 0 on the client's side (IEC 62056-5-3 clause 5.5.7): the ciphered context,
// every request protected with `security`, every ciphered answer deciphered and checked.
struct ClientCiphering {
  AesKey ek{};  // global unicast encryption key
  AesKey ak{};  // authentication key
  SystemTitle client_system_title{};
  // The first invocation counter to use; it must be above the last one the server accepted
  // (a meter shows that at 0-0:43.1.0.255, readable by the public client).
  std::uint32_t invocation_counter = 1;
  // Authenticated and encrypted by default. With neither bit (0x00) nothing is ciphered: the
  // keys and title then serve HLS-GMAC alone, in the context without ciphering.
  SecurityControl security{0x30};
  bool general_ciphering = false;  // general-glo/ded-ciphering instead of glo-*/ded-*
  // A dedicated key, sent in the ciphered InitiateRequest: every request after the AARQ is
  // then protected with it (ded-* or general-ded-ciphering).
  std::optional<AesKey> dedicated_key;
};

struct ClientOptions {
  // lowest, low (LLS: `password`), or high_gmac (HLS-GMAC: needs `ciphering`'s keys and title).
  Mechanism mechanism = Mechanism::lowest;
  std::vector<std::uint8_t> password;  // LLS
  Conformance proposed = logical_name_services;
  std::optional<ClientCiphering> ciphering;
  // HLS: the client's challenge CtoS; empty: 16 random octets.
  std::vector<std::uint8_t> challenge;

  std::uint16_t max_receive_pdu_size = 0xFFFF;
  // The most octets a long answer may take (blocks of a GET or an ACTION's return): a server
  // that keeps sending blocks cannot fill the client's memory.
  std::size_t long_answer_octets_max = std::size_t{64} << 20;
};

class Client {
 public:
  Client(ApduExchange exchange, ClientOptions options);

  // AARQ → AARE. The error names the AARE's result and diagnostic (and the initiate error),
  // e.g. "association refused: rejected-permanent, authentication-failure".
  Status associate();
  [[nodiscard]] bool associated() const { return associated_; }
  // What the server granted (valid after associate()).
  [[nodiscard]] const InitiateResponse& negotiated() const { return negotiated_; }
  // The invocation counter the next protected request will carry.
  [[nodiscard]] std::uint32_t invocation_counter() const { return invocation_counter_; }
  // The server's system title, from a ciphered or HLS AARE.
  [[nodiscard]] const std::optional<SystemTitle>& server_system_title() const {
    return server_title_;
  }

  Result<GetDataResult> get(const CosemAttributeDescriptor& attribute,
                            const std::optional<AccessSelection>& access = std::nullopt);
  // Several attributes in one request (multiple-references); one result each, in order.
  Result<std::vector<GetDataResult>> get_list(const std::vector<AttributeWithSelection>& items);
  // Writes in blocks when the request would not fit the server's max receive PDU size.
  Result<DataAccessResult> set(const CosemAttributeDescriptor& attribute, const Data& value);
  Result<ActionOutcome> action(const CosemMethodDescriptor& method,
                               const std::optional<Data>& parameters = std::nullopt);
  // RLRQ → RLRE.
  Status release();

 private:
  // Sends a service request (protected when ciphering) and returns the plain answer.
  Result<std::vector<std::uint8_t>> send(std::span<const std::uint8_t> request);
  // `plain` protected with the global or the dedicated key, in the configured form.
  Result<std::vector<std::uint8_t>> protect(std::span<const std::uint8_t> plain, bool dedicated,
                                            bool general);
  // A ciphered answer's plain APDU, after checking its tag, sender and counter.
  Result<std::vector<std::uint8_t>> unprotect(std::span<const std::uint8_t> answer);
  // HLS-GMAC passes 3 and 4: proves f(StoC), checks the server's f(CtoS).
  Status authenticate(std::span<const std::uint8_t> server_challenge);
  Result<std::uint32_t> next_counter();
  // Whether requests are ciphered (the ciphered application context).
  [[nodiscard]] bool ciphered() const;
  // The raw data of a long GET answer, from its first block on.
  Result<std::vector<std::uint8_t>> collect_get_blocks(std::vector<std::uint8_t> first_answer);
  InvokeIdAndPriority next_invoke();
  [[nodiscard]] std::size_t server_pdu_octets() const;

  ApduExchange exchange_;
  ClientOptions options_;
  InitiateResponse negotiated_;
  bool associated_ = false;
  std::uint8_t invoke_id_ = 0;
  std::uint32_t invocation_counter_ = 0;
  std::optional<Suite0> global_;
  std::optional<Suite0> dedicated_;
  std::optional<SystemTitle> server_title_;
  std::optional<std::uint32_t> server_counter_;  // the last one seen, for replays
  std::vector<std::uint8_t> client_challenge_;
};

}  // namespace gridmeter::dlms
