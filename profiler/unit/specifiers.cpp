#include "unit/specifiers.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "capprof/error.hpp"

namespace capprof {

namespace {

std::string first_line_of(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string os_release_field(const std::string& key) {
    for (const char* path : {"/etc/os-release", "/usr/lib/os-release"}) {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(key + "=", 0) != 0) continue;
            std::string value = line.substr(key.size() + 1);
            if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
            return value;
        }
    }
    return "";
}

std::string host_name(bool short_name) {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    std::string text = name;
    if (short_name) text = text.substr(0, text.find('.'));
    return text;
}

std::string boot_id() {
    std::string id = first_line_of("/proc/sys/kernel/random/boot_id");
    std::erase(id, '-');
    return id;
}

// %j: the prefix's last dash-separated component.
std::string last_component(const std::string& prefix) { return prefix.substr(prefix.rfind('-') + 1); }

std::optional<std::string> instance_or_prefix(char c, const SpecifierContext& ctx) {
    const UnitName& n = ctx.name;
    switch (c) {
        case 'n': return n.full;
        case 'N': return n.full.substr(0, n.full.rfind('.'));
        case 'p': return n.prefix;
        case 'P': return unescape_unit_name(n.prefix);
        case 'i': return n.instance;
        case 'I': return unescape_unit_name(n.instance);
        case 'j': return last_component(n.prefix);
        case 'J': return unescape_unit_name(last_component(n.prefix));
        case 'f': {
            const std::string plain = unescape_unit_name(n.is_instance() ? n.instance : n.prefix);
            return plain.starts_with("/") ? plain : "/" + plain;
        }
        case 'y': return ctx.fragment_path;
        case 'Y': return std::filesystem::path(ctx.fragment_path).parent_path().string();
    }
    return std::nullopt;
}

std::optional<std::string> system_value(char c) {
    struct utsname uts {};
    switch (c) {
        case 't': return "/run";
        case 'S': return "/var/lib";
        case 'C': return "/var/cache";
        case 'L': return "/var/log";
        case 'E': return "/etc";
        case 'T': return "/tmp";
        case 'V': return "/var/tmp";
        case 'h': return "/root";  // the service manager's user, not User=
        case 'u': return "root";
        case 'U': return "0";
        case 'g': return "root";
        case 'G': return "0";
        case 's': return "/bin/sh";
        case 'H': return host_name(false);
        case 'l': return host_name(true);
        case 'm': return first_line_of("/etc/machine-id");
        case 'b': return boot_id();
        case 'v': return ::uname(&uts) == 0 ? std::string(uts.release) : "";
        case 'a': return ::uname(&uts) == 0 ? std::string(uts.machine) : "";
        case 'o': return os_release_field("ID");
        case 'w': return os_release_field("VERSION_ID");
        case 'B': return os_release_field("BUILD_ID");
        case 'W': return os_release_field("VARIANT_ID");
        case '%': return "%";
    }
    return std::nullopt;
}

}  // namespace

std::string expand_specifiers(const std::string& text, const SpecifierContext& context, const std::string& where) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 1 == text.size()) throw UserError(where + ": '%' at the end of a value (write %% for a percent sign)");
        const char c = text[++i];
        auto value = instance_or_prefix(c, context);
        if (!value) value = system_value(c);
        if (!value)
            throw UserError(where + ": specifier %" + std::string(1, c) +
                            " is not supported by capprof (supported: %n %N %p %P %i %I %j %J %f %y %Y %t %S "
                            "%C %L %E %T %V %h %u %U %g %G %s %H %l %m %b %v %a %o %w %B %W %%)");
        out += *value;
    }
    return out;
}

}  // namespace capprof
