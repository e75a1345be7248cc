#pragma once
// The [Service] settings of a unit that are plain data: the directories
// systemd creates, resource limits, environment files, and which settings
// capprof reads, which do not change what the service may do, and which it
// does not emulate.
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "capprof/runner.hpp"
#include "unit/specifiers.hpp"
#include "unit/unit_file.hpp"

namespace capprof {

// RuntimeDirectory= (/run), StateDirectory= (/var/lib), CacheDirectory=
// (/var/cache), LogsDirectory= (/var/log), ConfigurationDirectory= (/etc):
// the directories with their owner (the service's user and group; root for
// ConfigurationDirectory=) and mode (*DirectoryMode=, 0755 by default);
// `environment` gets RUNTIME_DIRECTORY= and the others, as systemd sets them.
std::vector<ServiceDirectory> service_directories(const UnitFile& file, const SpecifierContext& specifiers, uid_t uid,
                                                  gid_t gid, std::map<std::string, std::string>& environment);

// Limit*= settings, each clamped to capprof's own hard limit (raising a hard
// limit needs CAP_SYS_RESOURCE, which the service manager has and capprof
// may lack); a note for each clamp.
std::vector<ResourceLimit> service_limits(const UnitFile& file, std::vector<std::string>& notes);

// "[Service] Key=value" lines capprof does not emulate, as "Key=value".
std::vector<std::string> not_emulated_settings(const UnitFile& file);

}  // namespace capprof
