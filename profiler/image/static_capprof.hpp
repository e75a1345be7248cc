#pragma once
// The statically linked capprof each trial container runs (bind-mounted
// read-only): it needs no library from the image, so it runs in any image,
// FROM scratch too. The build makes it (capprof-static, or capprof itself
// with -DCAPPROF_STATIC=ON) and the install puts it next to capprof.
#include <string>

namespace capprof {

// Whether the ELF file at `path` is statically linked (no PT_INTERP
// program header: nothing for the kernel to hand it to). False when it is
// not a readable 64-bit ELF file.
bool is_static_elf(const std::string& path);

// $CAPPROF_STATIC_BINARY, else this capprof when it is static, else
// capprof-static next to it. Throws UserError in one line saying how to get
// one.
std::string find_static_capprof();

}  // namespace capprof
