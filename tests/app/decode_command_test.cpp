// `gridmeter decode`: the exact XML and JSON of known frames (the GET of the clock in a wrapper
// frame, a Get-Response with a date-time, AARQ with LLS, AARE, Exception-Response,
// Data-Notification, a block response, a ciphered glo-get-request shown undeciphered), the hex
// forms accepted, malformed input with its messages and exit codes, and a stream of several on
// standard input, in-process and through the binary.
#include "app/decode_command.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using testing::CliOutcome;
using testing::run_cli;

const std::string get_clock_frame =
    "00 01 00 10 00 01 00 0D C0 01 C1 00 08 00 00 01 00 00 FF 02 00";

CliOutcome decode(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "decode");
  return run_cli(std::move(arguments));
}

// XML for one decode that must succeed.
std::string xml_of(const std::string& hex) {
  const CliOutcome outcome = decode({hex});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_EQ(outcome.err, "");
  return outcome.out;
}

// run_decode with `input` as its standard input.
CliOutcome decode_stream(const std::string& input, bool json = false) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  DecodeOptions options;
  options.input = {"-"};
  options.json = json;
  CliOutcome outcome;
  outcome.code = run_decode(options, in, out, err);
  const auto read = [](std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
      text.append(buffer, n);
    std::fclose(file);
    return text;
  };
  std::fclose(in);
  outcome.out = read(out);
  outcome.err = read(err);
  return outcome;
}

const std::string get_clock_xml =
    "<WrapperFrame>\n"
    "  <Version Value=\"0001\" />\n"
    "  <SourceWPort Value=\"0010\" />\n"
    "  <DestinationWPort Value=\"0001\" />\n"
    "  <Length Value=\"000D\" />\n"
    "  <GetRequestNormal>\n"
    "    <InvokeIdAndPriority Value=\"C1\" InvokeId=\"1\" ServiceClass=\"confirmed\" "
    "Priority=\"high\" />\n"
    "    <AttributeDescriptor>\n"
    "      <ClassId Value=\"0008\" />\n"
    "      <InstanceId Value=\"0000010000FF\" Obis=\"0-0:1.0.0.255\" />\n"
    "      <AttributeId Value=\"02\" />\n"
    "    </AttributeDescriptor>\n"
    "  </GetRequestNormal>\n"
    "</WrapperFrame>\n";

const std::string get_response_xml =
    "<GetResponseNormal>\n"
    "  <InvokeIdAndPriority Value=\"C1\" InvokeId=\"1\" ServiceClass=\"confirmed\" "
    "Priority=\"high\" />\n"
    "  <Result>\n"
    "    <Data>\n"
    "      <OctetString Value=\"07EA0B19030C1E0000FFC400\" DateTime=\"2026-11-25 12:30:00.00 "
    "weekday 3 deviation -60 status 0x00\" />\n"
    "    </Data>\n"
    "  </Result>\n"
    "</GetResponseNormal>\n";

TEST(DecodeCommand, GetOfTheClockInAWrapperFrameAsXml) {
  EXPECT_EQ(xml_of(get_clock_frame), get_clock_xml);
  // --xml is the default said out loud.
  const CliOutcome outcome = decode({"--xml", get_clock_frame});
  EXPECT_EQ(outcome.code, 0);
  EXPECT_EQ(outcome.out, get_clock_xml);
}

TEST(DecodeCommand, GetOfTheClockInAWrapperFrameAsJson) {
  const CliOutcome outcome = decode({"--json", get_clock_frame});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_EQ(outcome.out,
            R"({
  "name": "WrapperFrame",
  "children": [
    {
      "name": "Version",
      "value": "0001"
    },
    {
      "name": "SourceWPort",
      "value": "0010"
    },
    {
      "name": "DestinationWPort",
      "value": "0001"
    },
    {
      "name": "Length",
      "value": "000D"
    },
    {
      "name": "GetRequestNormal",
      "children": [
        {
          "name": "InvokeIdAndPriority",
          "value": "C1",
          "invoke_id": "1",
          "service_class": "confirmed",
          "priority": "high"
        },
        {
          "name": "AttributeDescriptor",
          "children": [
            {
              "name": "ClassId",
              "value": "0008"
            },
            {
              "name": "InstanceId",
              "value": "0000010000FF",
              "obis": "0-0:1.0.0.255"
            },
            {
              "name": "AttributeId",
              "value": "02"
            }
          ]
        }
      ]
    }
  ]
}
)");
}

TEST(DecodeCommand, GetResponseWithADateTime) {
  EXPECT_EQ(xml_of("C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00"), get_response_xml);
}

TEST(DecodeCommand, AarqWithLowLevelSecurity) {
  EXPECT_EQ(xml_of("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 "
                   "AC 0A 80 08 31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 "
                   "7E 1F 04 B0"),
            "<Aarq>\n"
            "  <ApplicationContextName Value=\"2.16.756.5.8.1.1\" "
            "Meaning=\"logical-name-no-ciphering\" />\n"
            "  <SenderAcseRequirements Value=\"authentication\" />\n"
            "  <MechanismName Value=\"2.16.756.5.8.2.1\" Meaning=\"low-level-security\" />\n"
            "  <CallingAuthenticationValue Value=\"3132333435363738\" Text=\"12345678\" />\n"
            "  <UserInformation Value=\"01000000065F1F0400007E1F04B0\">\n"
            "    <InitiateRequest>\n"
            "      <ResponseAllowed Value=\"true\" />\n"
            "      <ProposedDlmsVersionNumber Value=\"06\" />\n"
            "      <ProposedConformance Value=\"007E1F\">\n"
            "        <Bit Value=\"9\" Meaning=\"priority-mgmt-supported\" />\n"
            "        <Bit Value=\"10\" Meaning=\"attribute0-supported-with-get\" />\n"
            "        <Bit Value=\"11\" Meaning=\"block-transfer-with-get-or-read\" />\n"
            "        <Bit Value=\"12\" Meaning=\"block-transfer-with-set-or-write\" />\n"
            "        <Bit Value=\"13\" Meaning=\"block-transfer-with-action\" />\n"
            "        <Bit Value=\"14\" Meaning=\"multiple-references\" />\n"
            "        <Bit Value=\"19\" Meaning=\"get\" />\n"
            "        <Bit Value=\"20\" Meaning=\"set\" />\n"
            "        <Bit Value=\"21\" Meaning=\"selective-access\" />\n"
            "        <Bit Value=\"22\" Meaning=\"event-notification\" />\n"
            "        <Bit Value=\"23\" Meaning=\"action\" />\n"
            "      </ProposedConformance>\n"
            "      <ClientMaxReceivePduSize Value=\"04B0\" />\n"
            "    </InitiateRequest>\n"
            "  </UserInformation>\n"
            "</Aarq>\n");
}

TEST(DecodeCommand, AareAccepted) {
  EXPECT_EQ(xml_of("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE "
                   "10 04 0E 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07"),
            "<Aare>\n"
            "  <ApplicationContextName Value=\"2.16.756.5.8.1.1\" "
            "Meaning=\"logical-name-no-ciphering\" />\n"
            "  <Result Value=\"0\" Meaning=\"accepted\" />\n"
            "  <ResultSourceDiagnostic>\n"
            "    <AcseServiceUser Value=\"0\" Meaning=\"null\" />\n"
            "  </ResultSourceDiagnostic>\n"
            "  <UserInformation Value=\"0800065F1F040000501F01F40007\">\n"
            "    <InitiateResponse>\n"
            "      <NegotiatedDlmsVersionNumber Value=\"06\" />\n"
            "      <NegotiatedConformance Value=\"00501F\">\n"
            "        <Bit Value=\"9\" Meaning=\"priority-mgmt-supported\" />\n"
            "        <Bit Value=\"11\" Meaning=\"block-transfer-with-get-or-read\" />\n"
            "        <Bit Value=\"19\" Meaning=\"get\" />\n"
            "        <Bit Value=\"20\" Meaning=\"set\" />\n"
            "        <Bit Value=\"21\" Meaning=\"selective-access\" />\n"
            "        <Bit Value=\"22\" Meaning=\"event-notification\" />\n"
            "        <Bit Value=\"23\" Meaning=\"action\" />\n"
            "      </NegotiatedConformance>\n"
            "      <ServerMaxReceivePduSize Value=\"01F4\" />\n"
            "      <VaaName Value=\"0007\" />\n"
            "    </InitiateResponse>\n"
            "  </UserInformation>\n"
            "</Aare>\n");
}

TEST(DecodeCommand, ExceptionResponse) {
  EXPECT_EQ(xml_of("D8 01 06 00 00 04 D2"),
            "<ExceptionResponse>\n"
            "  <StateError Value=\"01\" Meaning=\"service-not-allowed\" />\n"
            "  <ServiceError Value=\"06\" Meaning=\"invocation-counter-error\" />\n"
            "  <InvocationCounter Value=\"000004D2\" />\n"
            "</ExceptionResponse>\n");
}

const std::string notification_hex =
    "0F 00 00 00 01 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00 02 02 09 06 01 00 01 08 00 FF 06 00 "
    "00 30 39";

TEST(DecodeCommand, DataNotificationAsXmlAndJson) {
  EXPECT_EQ(
      xml_of(notification_hex),
      "<DataNotification>\n"
      "  <LongInvokeIdAndPriority Value=\"00000001\" InvokeId=\"1\" SelfDescriptive=\"false\" "
      "ProcessingOption=\"continue-on-error\" ServiceClass=\"unconfirmed\" "
      "Priority=\"normal\" />\n"
      "  <DateTime Value=\"07EA0B19030C1E0000FFC400\" DateTime=\"2026-11-25 12:30:00.00 "
      "weekday 3 deviation -60 status 0x00\" />\n"
      "  <NotificationBody>\n"
      "    <Structure Count=\"2\">\n"
      "      <OctetString Value=\"0100010800FF\" Obis=\"1-0:1.8.0.255\" />\n"
      "      <DoubleLongUnsigned Value=\"12345\" />\n"
      "    </Structure>\n"
      "  </NotificationBody>\n"
      "</DataNotification>\n");
  const CliOutcome json = decode({"--json", notification_hex});
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(json.out, R"({
  "name": "DataNotification",
  "children": [
    {
      "name": "LongInvokeIdAndPriority",
      "value": "00000001",
      "invoke_id": "1",
      "self_descriptive": "false",
      "processing_option": "continue-on-error",
      "service_class": "unconfirmed",
      "priority": "normal"
    },
    {
      "name": "DateTime",
      "value": "07EA0B19030C1E0000FFC400",
      "date_time": "2026-11-25 12:30:00.00 weekday 3 deviation -60 status 0x00"
    },
    {
      "name": "NotificationBody",
      "children": [
        {
          "name": "Structure",
          "count": "2",
          "children": [
            {
              "name": "OctetString",
              "value": "0100010800FF",
              "obis": "1-0:1.8.0.255"
            },
            {
              "name": "DoubleLongUnsigned",
              "value": "12345"
            }
          ]
        }
      ]
    }
  ]
}
)");
}

TEST(DecodeCommand, BlockResponse) {
  EXPECT_EQ(xml_of("C4 02 C1 00 00 00 00 01 00 06 01 02 02 02 12 00"),
            "<GetResponseWithDatablock>\n"
            "  <InvokeIdAndPriority Value=\"C1\" InvokeId=\"1\" ServiceClass=\"confirmed\" "
            "Priority=\"high\" />\n"
            "  <Result>\n"
            "    <LastBlock Value=\"false\" />\n"
            "    <BlockNumber Value=\"00000001\" />\n"
            "    <RawData Value=\"010202021200\" />\n"
            "  </Result>\n"
            "</GetResponseWithDatablock>\n");
}

const std::string glo_get_xml =
    "<GloGetRequest>\n"
    "  <SecurityControl Value=\"30\">\n"
    "    <SecuritySuite Value=\"0\" Meaning=\"AES-GCM-128\" />\n"
    "    <Authentication Value=\"true\" />\n"
    "    <Encryption Value=\"true\" />\n"
    "    <KeySet Value=\"unicast\" />\n"
    "    <Compression Value=\"false\" />\n"
    "  </SecurityControl>\n"
    "  <InvocationCounter Value=\"01234567\" />\n"
    "  <CipheredText Value=\"411312FF935A47566827C467BC\" />\n"
    "  <AuthenticationTag Value=\"7D825C3BE4A77C3FCC056B6B\" />\n"
    "</GloGetRequest>\n";

TEST(DecodeCommand, CipheredGloGetRequestIsShownUndeciphered) {
  // The shared test vector V1: the GET of the clock, SC 30, invocation counter 01234567.
  EXPECT_EQ(xml_of("C8 1E 30 01234567 411312FF935A47566827C467BC 7D825C3BE4A77C3FCC056B6B"),
            glo_get_xml);
  const CliOutcome json =
      decode({"--json", "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B"});
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_NE(json.out.find(R"(    {
      "name": "CipheredText",
      "value": "411312FF935A47566827C467BC"
    },
    {
      "name": "AuthenticationTag",
      "value": "7D825C3BE4A77C3FCC056B6B"
    }
  ]
})"),
            std::string::npos)
      << json.out;
}

TEST(DecodeCommand, AcceptsHexInEveryUsualForm) {
  const std::vector<std::vector<std::string>> same = {
      {"00010010000100 0DC001C1000800000100 00FF0200"},
      {"00:01:00:10:00:01:00:0d:c0:01:c1:00:08:00:00:01:00:00:ff:02:00"},
      {"0x00 0x01 0x00 0x10 0x00 0x01 0x00 0x0D 0xC0 0x01 0xC1 0x00 0x08 0x00 0x00 0x01 0x00 0x00 "
       "0xFF 0x02 0x00"},
      {"0X00010010\n0001 000D\r\n  C0 01 C1 00 08 00 00 01 00 00 FF 02 00\n"},
      {"00", "01", "00", "10", "00", "01", "00", "0D", "C0", "01", "C1",
       "00", "08", "00", "00", "01", "00", "00", "FF", "02", "00"},
      {"00 01 00 10 00 01 00 0D # the wrapper header\n C0 01 C1 00 08 00 00 01 00 00 FF 02 00"},
  };
  for (const std::vector<std::string>& arguments : same) {
    const CliOutcome outcome = decode(arguments);
    EXPECT_EQ(outcome.code, 0) << arguments[0] << ": " << outcome.err;
    EXPECT_EQ(outcome.out, get_clock_xml) << arguments[0];
  }
}

TEST(DecodeCommand, FramesBackToBackInOneArgument) {
  // A TCP stream: the request, then the answer in a frame of its own.
  const CliOutcome outcome =
      decode({get_clock_frame +
              " 00 01 00 01 00 10 00 12 C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00"});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, get_clock_xml +
                             "<WrapperFrame>\n"
                             "  <Version Value=\"0001\" />\n"
                             "  <SourceWPort Value=\"0001\" />\n"
                             "  <DestinationWPort Value=\"0010\" />\n"
                             "  <Length Value=\"0012\" />\n"
                             "  <GetResponseNormal>\n"
                             "    <InvokeIdAndPriority Value=\"C1\" InvokeId=\"1\" "
                             "ServiceClass=\"confirmed\" Priority=\"high\" />\n"
                             "    <Result>\n"
                             "      <Data>\n"
                             "        <OctetString Value=\"07EA0B19030C1E0000FFC400\" "
                             "DateTime=\"2026-11-25 12:30:00.00 weekday 3 deviation -60 status "
                             "0x00\" />\n"
                             "      </Data>\n"
                             "    </Result>\n"
                             "  </GetResponseNormal>\n"
                             "</WrapperFrame>\n");
}

TEST(DecodeCommand, EscapesTextForXmlAndJson) {
  // visible-string <&">' and a control character.
  const std::string hex = "C4 01 C1 00 0A 06 3C 26 22 3E 27 01";
  EXPECT_EQ(xml_of(hex),
            "<GetResponseNormal>\n"
            "  <InvokeIdAndPriority Value=\"C1\" InvokeId=\"1\" ServiceClass=\"confirmed\" "
            "Priority=\"high\" />\n"
            "  <Result>\n"
            "    <Data>\n"
            "      <VisibleString Value=\"&lt;&amp;&quot;&gt;'\\x01\" />\n"
            "    </Data>\n"
            "  </Result>\n"
            "</GetResponseNormal>\n");
  const CliOutcome json = decode({"--json", hex});
  EXPECT_NE(json.out.find(R"("name": "VisibleString",
              "value": "<&\">'\\x01")"),
            std::string::npos)
      << json.out;
}

struct Malformed {
  std::string hex;
  std::string message;
};

class DecodeRefuses : public ::testing::TestWithParam<Malformed> {};

TEST_P(DecodeRefuses, WithTheOffsetAndWhatIsWrong) {
  const CliOutcome outcome = decode({GetParam().hex});
  EXPECT_EQ(outcome.code, 1);
  EXPECT_EQ(outcome.out, "");
  EXPECT_EQ(outcome.err, "gridmeter decode: " + GetParam().message + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, DecodeRefuses,
    ::testing::Values(
        Malformed{"C0 01 C1 0", "column 10: odd number of hex digits in '0'"},
        Malformed{"C001C10", "column 1: odd number of hex digits in 'C001C10'"},
        Malformed{"C0 01 G1", "column 7: 'G' is not a hex digit"},
        Malformed{"C0,01", "column 3: ',' is not a hex digit"},
        Malformed{"C0 0x", "column 4: '0x' has no hex digits"},
        Malformed{"C0 01\n C1 zz", "line 2, column 5: 'z' is not a hex digit"},
        Malformed{"C0 \xC3\xA9", "column 4: byte 0xC3 is not a hex digit"},
        Malformed{"", "the argument holds no hex octets"},
        Malformed{"# only a comment", "the argument holds no hex octets"},
        Malformed{"C0 01 C1 00 08 00 00 01",
                  "APDU at octet 0: Get-Request-Normal at offset 5: instance-id needs 6 octets, "
                  "3 left"},
        Malformed{"C0 01 C1 00 08 00 00 01 00 00 FF 02 00 00",
                  "APDU at octet 0: Get-Request-Normal at offset 13: 1 octet after the end of the "
                  "APDU"},
        Malformed{"C4 01 C1 00 09 0C 07 EA 0B 19",
                  "APDU at octet 0: Get-Response-Normal at offset 4: data: A-XDR at offset 0: "
                  "octet-string (tag 0x09) needs 12 octets, 4 left"},
        Malformed{"42",
                  "APDU at octet 0: xDLMS APDU at offset 0: tag 0x42 is not a service APDU "
                  "this decoder reads (unknown)"},
        Malformed{"60 00", "APDU at octet 0: AARQ: application-context-name [1] is missing"},
        // The InitiateResponse in the user-information has an octet too many.
        Malformed{"61 2A A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE "
                  "11 04 0F 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07 00",
                  "APDU at octet 0: AARE at offset 29: user-information: InitiateResponse: 1 "
                  "octets after the end"},
        Malformed{"00 01 00 10 00 01",
                  "wrapper frame at octet 0: the header needs 8 octets, 6 left"},
        Malformed{"00 01 00 10 00 01 00 0D C0 01 C1",
                  "wrapper frame at octet 0: the length field says 13 octets of APDU, 3 follow"},
        Malformed{"00 01 00 10 00 01 00 03 C0 01 C1",
                  "wrapper frame at octet 0, APDU at octet 8: Get-Request-Normal at offset 3: "
                  "class-id needs 2 octets, 0 left"},
        Malformed{"00 01 00 10 00 01 00 00",
                  "wrapper frame at octet 0, APDU at octet 8: the APDU "
                  "is empty"},
        Malformed{"7E A0 0A 00 02 00 23 21 93 18 71 7E",
                  "HDLC frame at octet 0: HDLC frames (7E ... 7E) are not decoded yet"},
        Malformed{"C8 1F 30 01234567",
                  "APDU at octet 0: glo-get-request at offset 1: ciphered-content: length 31 runs "
                  "past the end (5 octets left)"}));

TEST(DecodeCommand, UsageErrorsExitWithTwo) {
  for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
           {}, {"--json", "--xml", "C0"}, {"-", "C0"}, {"--hex", "C0"}}) {
    const CliOutcome outcome = decode(arguments);
    EXPECT_EQ(outcome.code, 2) << outcome.err;
    EXPECT_FALSE(outcome.err.empty());
    EXPECT_EQ(outcome.out, "");
  }
}

TEST(DecodeCommand, StreamOnStandardInputDecodesEveryGoodOne) {
  const CliOutcome outcome = decode_stream(
      "# a capture: one frame or APDU a line\n" + get_clock_frame +
      "\n"
      "\n"
      "C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00\n"
      "C0 01 C1 00 08 00 00 01\n"
      "C0 01 XX\n"
      "00 01 00 10 00 01 00 0D C0 01\n"
      "c8 1e 30 01 23 45 67 41 13 12 ff 93 5a 47 56 68 27 c4 67 bc 7d 82 5c 3b e4 a7 7c 3f cc 05 "
      "6b 6b\r\n"
      "0F 00 00 00 01 00 09 03 41 42 43");
  EXPECT_EQ(outcome.code, 1);
  EXPECT_EQ(outcome.out, get_clock_xml + get_response_xml + glo_get_xml +
                             "<DataNotification>\n"
                             "  <LongInvokeIdAndPriority Value=\"00000001\" InvokeId=\"1\" "
                             "SelfDescriptive=\"false\" ProcessingOption=\"continue-on-error\" "
                             "ServiceClass=\"unconfirmed\" Priority=\"normal\" />\n"
                             "  <NotificationBody>\n"
                             "    <OctetString Value=\"414243\" Text=\"ABC\" />\n"
                             "  </NotificationBody>\n"
                             "</DataNotification>\n");
  EXPECT_EQ(outcome.err,
            "gridmeter decode: line 5: APDU at octet 0: Get-Request-Normal at offset 5: "
            "instance-id needs 6 octets, 3 left\n"
            "gridmeter decode: line 6, column 7: 'X' is not a hex digit\n"
            "gridmeter decode: line 7: wrapper frame at octet 0: the length field says 13 octets "
            "of APDU, 2 follow\n");
}

TEST(DecodeCommand, StreamAsJsonAndEmptyStreams) {
  const CliOutcome json = decode_stream("D8 01 02\n62 00\n", true);
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(json.out, R"({
  "name": "ExceptionResponse",
  "children": [
    {
      "name": "StateError",
      "value": "01",
      "meaning": "service-not-allowed"
    },
    {
      "name": "ServiceError",
      "value": "02",
      "meaning": "service-not-supported"
    }
  ]
}
{
  "name": "Rlrq"
}
)");
  const CliOutcome empty = decode_stream("\n# nothing here\n\n");
  EXPECT_EQ(empty.code, 1);
  EXPECT_EQ(empty.err, "gridmeter decode: standard input holds no hex octets\n");
}

TEST(DecodeCommand, TheBinaryReadsStandardInput) {
  const std::string command = std::string("printf '") + get_clock_frame +
                              "\\nC0 01\\nD8 01 02\\n' | " + GRIDMETER_BINARY + " decode - 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    text.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(text.find(get_clock_xml), std::string::npos) << text;
  EXPECT_NE(text.find("<ExceptionResponse>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gridmeter decode: line 2: APDU at octet 0: Get-Request-Normal at offset "
                      "2: invoke-id-and-priority needs 1 octet, 0 left\n"),
            std::string::npos)
      << text;
}

TEST(DecodeCommand, RenderersTakeAnyTree) {
  dlms::TreeNode node = dlms::tree_node("Outer", "");
  node.note("date_time", "a&b").add(dlms::tree_node("Inner"));
  EXPECT_EQ(render_xml(node), "<Outer Value=\"\" DateTime=\"a&amp;b\">\n  <Inner />\n</Outer>\n");
  EXPECT_EQ(render_json(node), R"({
  "name": "Outer",
  "value": "",
  "date_time": "a&b",
  "children": [
    {
      "name": "Inner"
    }
  ]
}
)");
}

// --keys: the Green Book example keys in an owner-only secrets file.
std::string green_book_keys(const gridmeter::testing::TempDir& dir, bool with_ak = true) {
  const std::string path = dir.file(with_ak ? "keys.toml" : "ek-only.toml");
  std::ofstream(path) << "ek = \"000102030405060708090A0B0C0D0E0F\"\n"
                      << (with_ak ? "ak = \"D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\"\n" : "");
  ::chmod(path.c_str(), 0600);
  return path;
}

constexpr const char* green_book_v1 =
    "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B";

TEST(DecodeCommand, KeysDecipherAGloApduFromTheNamedSender) {
  gridmeter::testing::TempDir dir;
  const CliOutcome outcome = run_cli({"decode", "--keys", green_book_keys(dir), "--system-title",
                                      "4D4D4D0000BC614E", green_book_v1});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("<PlainApdu Value=\"C0010000080000010000FF0200\">"), std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find("Obis=\"0-0:1.0.0.255\""), std::string::npos);
}

TEST(DecodeCommand, KeysDecipherGeneralGloCipheringWithItsOwnTitle) {
  gridmeter::testing::TempDir dir;
  const CliOutcome outcome =
      run_cli({"decode", "--keys", green_book_keys(dir),
               "DB084D4D4D0000BC614E1E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B"
               "6B"});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("<PlainApdu Value=\"C0010000080000010000FF0200\">"),
            std::string::npos);
}

TEST(DecodeCommand, KeysThatDoNotFitOrAMissingTitleAreClearErrors) {
  gridmeter::testing::TempDir dir;
  const std::string keys = green_book_keys(dir);
  const CliOutcome no_title = run_cli({"decode", "--keys", keys, green_book_v1});
  EXPECT_EQ(no_title.code, 1);
  EXPECT_EQ(no_title.err,
            "gridmeter decode: APDU at octet 0: glo-get-request: deciphering: the sender's system "
            "title is not in the APDU: give --system-title\n");
  const CliOutcome wrong_title =
      run_cli({"decode", "--keys", keys, "--system-title", "4D4D4D0000000001", green_book_v1});
  EXPECT_EQ(wrong_title.code, 1);
  EXPECT_EQ(wrong_title.err,
            "gridmeter decode: APDU at octet 0: glo-get-request: deciphering: authentication tag "
            "does not match\n");
  const CliOutcome no_ak =
      run_cli({"decode", "--keys", green_book_keys(dir, false), green_book_v1});
  EXPECT_EQ(no_ak.code, 2);
  EXPECT_NE(no_ak.err.find("has no ek and ak to decipher with"), std::string::npos);
  const CliOutcome short_title =
      run_cli({"decode", "--keys", keys, "--system-title", "4D4D", green_book_v1});
  EXPECT_EQ(short_title.code, 2);
  EXPECT_EQ(short_title.err,
            "gridmeter decode: --system-title: expected 16 hex digits (8 octets)\n");
  const CliOutcome title_alone =
      run_cli({"decode", "--system-title", "4D4D4D0000BC614E", green_book_v1});
  EXPECT_EQ(title_alone.code, 2);
  EXPECT_EQ(title_alone.err, "gridmeter decode: --system-title needs --keys\n");
}

}  // namespace
}  // namespace gridmeter::app
