// `capprof decode HEX`: a capability mask as capsh --decode prints it, plus
// the names in Docker's spelling.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <iostream>

#include "common/cap_names.hpp"
#include "capprof/error.hpp"
#include "cli/command.hpp"

namespace capprof {
namespace {

// "0x400", "400", "0000000000000400" (as /proc/PID/status prints CapEff).
CapSet parse_mask(const std::string& text) {
    std::string_view digits = text;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        digits.remove_prefix(2);
    CapSet mask = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mask, 16);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
        throw UserError("decode: '" + text + "' is not a hexadecimal capability mask" +
                        (ec == std::errc::result_out_of_range ? " (more than 64 bits)" : ""));
    return mask;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

class DecodeCommand : public Command {
public:
    std::string name() const override { return "decode"; }
    std::string description() const override {
        return "Decode a capability mask (as in /proc/PID/status), like capsh --decode";
    }
    void setup(CLI::App& cmd) override {
        cmd.add_option("HEX", masks_, "Capability mask in hexadecimal, with or without 0x")
            ->required();
    }

    int execute(Runner&) override {
        std::vector<CapSet> parsed;
        for (const auto& text : masks_) parsed.push_back(parse_mask(text));  // all or nothing
        for (CapSet mask : parsed) {
            char hex[32];
            std::snprintf(hex, sizeof hex, "0x%016llx", static_cast<unsigned long long>(mask));
            std::string capsh, docker;
            for (const auto& name : cap_names(mask)) {
                // unnamed bits come back as "CAP_40" already
                capsh += (capsh.empty() ? "" : ",") +
                         lower(name.rfind("CAP_", 0) == 0 ? name : "cap_" + name);
                docker += (docker.empty() ? "" : " ") + name;
            }
            std::cout << hex << "=" << capsh << "\n";
            std::cout << "docker: " << (mask ? docker : "(none)") << "\n";
        }
        return 0;
    }

private:
    std::vector<std::string> masks_;
};

}  // namespace

std::unique_ptr<Command> make_decode_command() { return std::make_unique<DecodeCommand>(); }

}  // namespace capprof
