// Association: the server side of one application association (IEC 62056-5-3 clause 4.5 and
// the Green Book's "COSEM application layer" services): it takes each APDU a client sends and
// gives the APDU to answer with.
//
//   Association association(settings, objects, /*client_sap=*/0x10, /*server_sap=*/1);
//   std::vector<std::uint8_t> answer;
//   association.handle(aarq_octets, answer);   // an AARE, accepted or rejected with the reason
//   association.handle(get_request, answer);   // C4 01 ...: the value, or a Data-Access-Result
//   association.handle(rlrq_octets, answer);   // 63 03 80 01 00
//
// What it enforces:
// - the association: an AARQ is checked (protocol version, application context, the client's
//   policy and authentication, then the xDLMS InitiateRequest: DLMS version, PDU size,
//   conformance) and answered with an AARE that names the reason when it is refused; until one
//   is accepted, and after RLRQ, every service request gets an Exception-Response;
// - the negotiated conformance: a service the association did not grant is refused with
//   Exception-Response service-not-allowed / service-not-supported; a request longer than the
//   server's max receive PDU size with pdu-too-long;
// - the client's max receive PDU size: a longer answer travels in blocks (Get-Response-With-
//   Datablock, Action-Response-With-Pblock) when block transfer was granted, and is refused
//   otherwise; long SET and ACTION requests are reassembled from their blocks.
//
// Security (with a ServerSecurity; association_security.cpp):
// - the ciphered context (Logical_Name_Referencing_With_Ciphering): the AARQ names the client's
//   system title and carries a glo-initiate-request; the AARE answers with the server's title
//   and a glo-initiate-response; from then on requests may come as glo-*, ded-* (with the
//   dedicated key of the InitiateRequest), general-glo- or general-ded-ciphering, each checked
//   (tag, system title, invocation counter above the last accepted) and answered in the same
//   form, protected as the request was and as the client's security policy demands;
// - HLS-GMAC (mechanism 5): the AARE carries the server's challenge StoC and "authentication
//   required"; until the client's reply_to_HLS_authentication proves f(StoC), nothing else is
//   served; the answer carries f(CtoS);
// - failed authentications and deciphering failures are reported (and lock the client out
//   after too many), replays are refused with invocation-counter-error.
//
// The association holds no meter state: it calls the ObjectServer for every attribute and
// method. It is not thread-safe; one connection's requests come one at a time.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t, std::uint16_t, std::uint32_t
#include <optional>  // std::optional
#include <span>      // std::span
#include <vector>    // std::vector

#include "dlms/action.hpp"
#include "dlms/association_context.hpp"
#include "dlms/get.hpp"
#include "dlms/object_server.hpp"
#include "dlms/security_suite0.hpp"
#include "dlms/server_security.hpp"
#include "dlms/server_settings.hpp"
#include "dlms/set.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {

class Association {
 public:
  // `security` may be null: then no ciphered context, no HLS and no lock-out are offered.
  Association(const ServerSettings& settings, ObjectServer& objects, std::uint16_t client_sap,
              std::uint16_t server_sap, ServerSecurity* security = nullptr);
  Association(const Association&) = delete;
  Association& operator=(const Association&) = delete;
  ~Association();

  // Answers one APDU. `response` is replaced by the answer, and left empty when the request
  // takes none (an unconfirmed SET or ACTION, an unconfirmed short name write).
  void handle(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response);

  [[nodiscard]] const AssociationContext& context() const { return context_; }
  [[nodiscard]] bool associated() const { return context_.associated; }
  // Authentication attempts that failed on this association (wrong or missing password).
  [[nodiscard]] std::size_t failed_authentications() const { return failed_authentications_; }

 private:
  // How a request was protected, so that its answer goes back the same way.
  struct Protection {
    enum class Form : std::uint8_t { plain, glo, ded, general_glo, general_ded };
    Form form = Form::plain;
    SecurityControl control;
  };
  // What the AARQ brought that HLS needs later.
  struct HlsChallenge {
    std::vector<std::uint8_t> client_to_server;  // CtoS, from the AARQ
    std::vector<std::uint8_t> server_to_client;  // StoC, sent in the AARE
  };

  // A value the server is sending in blocks (long GET, long ACTION return).
  struct OutgoingBlocks {
    bool active = false;
    bool for_action = false;
    std::vector<std::uint8_t> raw;
    std::size_t sent = 0;
    std::uint32_t block_number = 0;  // the last block sent
  };
  // A value the client is sending in blocks (long SET, long ACTION parameters).
  struct IncomingBlocks {
    enum class Kind { none, set_one, set_list, action_one, action_list } kind = Kind::none;
    std::vector<AttributeWithSelection> attributes;  // set_one: one; set_list: several
    std::vector<CosemMethodDescriptor> methods;      // action_one: one; action_list: several
    std::vector<std::uint8_t> raw;
    std::uint32_t block_number = 0;  // the last block received
  };

  void open(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response);
  void release(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response);
  void serve(const XdlmsApdu& apdu, std::vector<std::uint8_t>& response);
  // The association ends: transfers stop, keys that wait for its end take effect.
  void end();
  // A ciphered or HLS association is established: its client's title and counter are kept.
  void established();

  // ---- security (association_security.cpp) ----
  [[nodiscard]] bool ciphered() const;
  // The InitiateRequest of a ciphered AARQ's user-information (glo-initiate-request or
  // general-glo-ciphering), deciphered into plain_; false when it is refused (reported).
  bool decipher_initiate(std::span<const std::uint8_t> user_information);
  // Deciphers a ciphered request into plain_; false (with `response` set) when it is refused.
  bool decipher(std::span<const std::uint8_t> request, std::vector<std::uint8_t>& response);
  // Whether the request's protection satisfies the client's policy.
  [[nodiscard]] bool meets_policy(const Protection& protection) const;
  // `plain` (an answer) protected as the request was and as the policy demands, into
  // `response`; plain when neither asks for protection or the answer has no ciphered form.
  void protect_answer(std::span<const std::uint8_t> plain, std::vector<std::uint8_t>& response);
  // The glo-initiate-response (or plain InitiateResponse) of an accepted ciphered AARQ.
  bool protect_initiate(std::span<const std::uint8_t> plain, std::vector<std::uint8_t>& out);
  // HLS pass 3 and 4: the client's reply_to_HLS_authentication while authentication is
  // pending; anything else then is refused.
  void serve_pending(const XdlmsApdu& apdu, std::vector<std::uint8_t>& response);
  [[nodiscard]] bool is_hls_reply(const CosemMethodDescriptor& method) const;
  // The suite that protects under the key of `form`: the global or the dedicated one.
  Suite0* suite_for(Protection::Form form);
  [[nodiscard]] std::size_t ciphering_overhead_octets() const;
  // The most octets of a plain answer that fit the client's PDU once protected.
  [[nodiscard]] std::size_t answer_octets_max() const;

  [[nodiscard]] bool granted(ConformanceBit bit) const { return context_.conformance.has(bit); }
  // The answer to a request outside the negotiated conformance.
  static void refuse_service(std::vector<std::uint8_t>& response);
  void abort_transfers();

  void serve_get(const GetRequestNormal& request, std::vector<std::uint8_t>& response);
  void serve_get(const GetRequestNext& request, std::vector<std::uint8_t>& response);
  void serve_get(const GetRequestWithList& request, std::vector<std::uint8_t>& response);
  void serve_set(const SetRequestNormal& request, std::vector<std::uint8_t>& response);
  void serve_set(const SetRequestWithList& request, std::vector<std::uint8_t>& response);
  void serve_set(const SetRequestWithFirstDatablock& request, std::vector<std::uint8_t>& response);
  void serve_set(const SetRequestWithListAndFirstDatablock& request,
                 std::vector<std::uint8_t>& response);
  void serve_set(const SetRequestWithDatablock& request, std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestNormal& request, std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestWithList& request, std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestWithFirstPblock& request,
                    std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestWithListAndFirstPblock& request,
                    std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestWithPblock& request, std::vector<std::uint8_t>& response);
  void serve_action(const ActionRequestNextPblock& request, std::vector<std::uint8_t>& response);

  // Sends an encoded answer whose value part starts at `value_offset`, in blocks if it does not
  // fit the client's PDU (the value part is what the blocks carry).
  // `list_count` is 0 for a Get-Response-Normal, else the results of a Get-Response-With-List:
  // what to refuse when no blocks may carry it.
  void send_get_answer(InvokeIdAndPriority invoke, std::vector<std::uint8_t> encoded,
                       std::size_t value_offset, std::size_t list_count,
                       std::vector<std::uint8_t>& response);
  void send_next_get_block(InvokeIdAndPriority invoke, std::vector<std::uint8_t>& response);
  void send_action_answer(InvokeIdAndPriority invoke, const ActionOutcome& outcome,
                          std::vector<std::uint8_t>& response);
  void send_next_action_block(InvokeIdAndPriority invoke, std::vector<std::uint8_t>& response);
  [[nodiscard]] std::size_t block_payload_octets() const;
  // The next slice of the outgoing value; the transfer ends with the last.
  DataBlockSA next_outgoing_block();

  // Takes one incoming block; `first` starts a transfer. Out of step or too long, the
  // transfer is aborted.
  enum class BlockTaken { ok, out_of_step, too_long };
  BlockTaken take_block(const DataBlockSA& block, bool first);
  void finish_set_blocks(InvokeIdAndPriority invoke, std::vector<std::uint8_t>& response);
  void finish_action_blocks(InvokeIdAndPriority invoke, std::vector<std::uint8_t>& response);

  const ServerSettings& settings_;
  ObjectServer& objects_;
  ServerSecurity* security_;
  AssociationContext context_;
  OutgoingBlocks outgoing_;
  IncomingBlocks incoming_;
  std::size_t failed_authentications_ = 0;
  const ClientPolicy* client_policy_ = nullptr;  // of the accepted AARQ
  SecurityPolicy policy_;  // of this association's client, as it stood at the AARQ
  Protection request_protection_;
  std::optional<HlsChallenge> hls_;
  // The dedicated key of the InitiateRequest, with the global authentication key, and the
  // highest counter accepted under it (a separate counter for a dedicated key).
  std::optional<Suite0> dedicated_;
  std::optional<std::uint32_t> dedicated_counter_;
  bool transferred_keys_ = false;     // this association staged keys (next_association)
  std::vector<std::uint8_t> plain_;   // a deciphered request
  std::vector<std::uint8_t> answer_;  // an answer before protection
};

}  // namespace gridmeter::dlms
