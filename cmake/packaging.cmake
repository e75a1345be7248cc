# Installing and packaging capprof: the man page, bash completion and a .deb.
#   cmake --install BUILD --prefix DIR   bin/capprof, bin/capprof-static (--image), share/man/man1/capprof.1,
#                                        share/bash-completion/completions/capprof
#   (cd BUILD && cpack)                  capprof_<version>_<arch>.deb
install(FILES ${PROJECT_SOURCE_DIR}/docs/capprof.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion loads completions/NAME on demand when NAME is first completed.
install(FILES ${PROJECT_SOURCE_DIR}/completions/capprof.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME capprof)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME capprof)
set(CPACK_PACKAGE_VENDOR capprof)
set(CPACK_PACKAGE_CONTACT "capprof maintainers <capprof@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "capprof runs a program as `docker run --cap-drop ALL` would, traces it with
ptrace and reports, for every call refused with EPERM or EACCES, the narrowest
capability that fixes it, or why no capability should be granted.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)      # capprof_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/capprof/capprof")
# dpkg-shlibdeps computes Depends from the binary (libc6, libstdc++6, libcap2,
# libseccomp2, libspdlog1.10, libfmt9); a CAPPROF_STATIC build depends on nothing.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "docker.io, util-linux")

include(CPack)
