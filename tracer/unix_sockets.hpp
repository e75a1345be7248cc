#pragma once
// Unix sockets bound to a path on the host (/proc/net/unix, proc(5)): an
// isolated trial binds each into its view, because connect(2) through an
// overlay does not reach a socket in a lower layer (af_unix looks the
// socket up by the overlay's inode and refuses the connection, measured on
// Linux 6.18).
#include <string>
#include <string_view>
#include <vector>

namespace capprof {

// The absolute paths of /proc/net/unix text, each once, in order.
std::vector<std::string> parse_unix_socket_paths(std::string_view text);

// Those of capprof's network namespace that exist as sockets now.
std::vector<std::string> bound_unix_sockets();

}  // namespace capprof
