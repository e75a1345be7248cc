#pragma once
// What a user pastes: docker flags, compose, Kubernetes, systemd (--format).
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace capprof {

// format: "docker", "compose", "k8s", "systemd". Throws UserError on others.
std::string render_format(const Report& report, std::string_view format);

// "docker run --cap-drop ALL --cap-add NET_BIND_SERVICE …" (the last line of
// the text report too).
std::string docker_line(const Report& report);

// Why allowPrivilegeEscalation (no_new_privs) must stay on for this answer
// under Docker or Kubernetes, or "" when it can be off.
std::string privilege_escalation_needed(const Report& report);

// The Kubernetes container / compose service name for report.image
// ("registry:5000/team/web:1.2" -> "web"), "app" without an image.
std::string service_name(const Report& report);

// POSIX sh quoting of one word: bare when safe, '...' or bash's $'...' for
// bytes a terminal would act on.
std::string shell_quote(const std::string& word);

// The workload's command line as the user would type it again: each word
// shell_quote()d. The one place a command is quoted for display.
std::string command_text(const std::vector<std::string>& argv);

}  // namespace capprof
