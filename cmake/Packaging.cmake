# `cpack -G DEB` in a built tree (top-level builds only): one Debian package, kinesis-producer,
# of what `cmake --install` installs (docs/installing.md), under /usr. Its dependencies on
# Debian packages (libcurl, OpenSSL, simdjson, libstdc++) come from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kinesis-producer)
set(CPACK_PACKAGE_VENDOR "the kinesis-producer authors")
set(CPACK_PACKAGE_CONTACT "the kinesis-producer authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Writes records into Amazon Kinesis Data Streams, as the KPL does (C++, C, Python, tools)")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS python3)
# The Python extension needs libkinesis_producer.so.0, which this package holds.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src/capi)
include(CPack)
