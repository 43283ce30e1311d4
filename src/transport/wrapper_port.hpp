// Well-known numbers of the DLMS/COSEM TCP-UDP transport (IEC 62056-47, now IEC 62056-9-7;
// DLMS UA Green Book, "COSEM transport layers for IPv4 networks").
//
//   asio::ip::tcp::endpoint listen_on(asio::ip::tcp::v4(), dlms_cosem_port);
//   encode_wrapper(server_wport_management, client_wport_public, apdu, out);  // meter → client
//
// Two levels of addressing meet here. The IP address and TCP/UDP port find the physical device;
// the wrapper's wPorts then name the application processes at either end, the same SAPs the
// HDLC profile carries in its addresses: a client wPort is the client SAP (who is asking, and so
// which association and access rights apply), a server wPort is the logical device addressed.
// The transport only carries wPorts; checking them against the configured associations and
// logical devices is the caller's job.
#pragma once

#include <cstdint>  // std::uint16_t

namespace gridmeter::transport {

// TCP and UDP port registered with IANA for "DLMS/COSEM" (service name dlms-cosem). A meter may
// listen on another port too; this is the default both sides assume.
inline constexpr std::uint16_t dlms_cosem_port = 4059;

// Reserved on both sides: addresses no application process. A frame with it is never valid.
inline constexpr std::uint16_t wport_no_station = 0x0000;

// Client side (source wPort of a request, destination wPort of a response). The Green Book
// reserves only 0x00 (no station), 0x01 and 0x10; the other one-byte values are open for the
// client application processes a companion specification defines.
//
// Client management process: the utility's privileged client (keys, firmware, configuration).
inline constexpr std::uint16_t client_wport_management = 0x0001;
// Public client: must be accepted by every server, with the lowest security, so that any client
// can read the association's object list and logical device name before it knows more.
inline constexpr std::uint16_t client_wport_public = 0x0010;
// Reading client: not reserved by the standard, but the customary SAP for a meter-reading
// head-end in several companion specifications.
inline constexpr std::uint16_t client_wport_reading = 0x0020;

// Server side (destination wPort of a request, source wPort of a response).
//
// Management logical device: present in every DLMS/COSEM server; it holds the SAP assignment
// object that lists the other logical devices.
inline constexpr std::uint16_t server_wport_management = 0x0001;
// 0x0002..0x000F are reserved; 0x0010..0x007E are open for further logical devices.
inline constexpr std::uint16_t server_wport_first_assignable = 0x0010;
inline constexpr std::uint16_t server_wport_last_assignable = 0x007E;
// All-station (broadcast): addresses every logical device, for unconfirmed services only, so a
// server never answers a request sent to it.
inline constexpr std::uint16_t server_wport_all_station = 0x007F;

}  // namespace gridmeter::transport
