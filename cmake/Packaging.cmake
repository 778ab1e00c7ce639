# `cpack -G DEB` in a built tree (top-level builds only): four Debian packages, one per install
# component, under /usr (docs/installing.md):
#   libkinesis-producer0        runtime  the C and C++ shared libraries, LICENSE, NOTICE
#   libkinesis-producer-dev     dev      headers, .so links, pkg-config files, CMake package
#   kinesis-put                 programs kinesis-put, kinesis-kpl-daemon, kinesis-sim (a local
#                               Kinesis endpoint for tests), their manual pages, and
#                               the agent as a service: kinesis-put@.service, its system user
#                               (sysusers.d, created by postinst), /etc/kinesis-put/example.conf
#   python3-kinesis-producer    python   the Python package for Debian's python3
# Their dependencies on Debian packages (libcurl, OpenSSL, simdjson, libstdc++) come from
# dpkg-shlibdeps; on each other, from the components' DEPENDS (same version).
include(GNUInstallDirs)
set(kp_deb_dir ${PROJECT_SOURCE_DIR}/packaging/deb)

# The service's files, for the package only: EXCLUDE_FROM_ALL keeps them out of a plain
# `cmake --install`, which must never write /etc or /usr/lib/systemd of the building machine.
install(FILES ${kp_deb_dir}/kinesis-put@.service DESTINATION /usr/lib/systemd/system
  COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${kp_deb_dir}/kinesis-put.sysusers DESTINATION /usr/lib/sysusers.d
  RENAME kinesis-put.conf COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${kp_deb_dir}/example.conf DESTINATION /etc/kinesis-put
  PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT service EXCLUDE_FROM_ALL)
file(WRITE ${PROJECT_BINARY_DIR}/deb/conffiles "/etc/kinesis-put/example.conf\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kinesis-producer)
set(CPACK_PACKAGE_VENDOR "the kinesis-producer authors")
set(CPACK_PACKAGE_CONTACT "the kinesis-producer authors")
# Each package's Description: its first line the synopsis (no package-wide summary, which
# CPack would put before it).
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# The programs' and Python's packages where the configuration builds them.
set(CPACK_COMPONENTS_ALL runtime dev)
if(TARGET kinesis-put)
  list(APPEND CPACK_COMPONENTS_ALL programs service)
endif()
if(TARGET kp_python_native)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# The Python extension needs libkinesis_producer.so.0, which the runtime package holds.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src/capi)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libkinesis-producer0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)  # a shlibs file for the libraries
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION [[Amazon Kinesis Data Streams producer: C and C++ libraries
The producer engine of the KPL (aggregation, collection, per-shard rate limits,
retries) as libkinesis_producer_cxx (C++) and libkinesis_producer (C, stable ABI).]])

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libkinesis-producer-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_DEBIAN_DEV_DESCRIPTION [[Amazon Kinesis Data Streams producer: development files
Headers, pkg-config files and the CMake package (KinesisProducer::producer,
KinesisProducer::kinesis_producer) of libkinesis-producer0.]])

# kinesis-put's package: the programs and the service, in one group.
set(CPACK_COMPONENT_PROGRAMS_GROUP kinesis-put)
set(CPACK_COMPONENT_SERVICE_GROUP kinesis-put)
set(CPACK_DEBIAN_KINESIS-PUT_PACKAGE_NAME kinesis-put)
set(CPACK_DEBIAN_KINESIS-PUT_PACKAGE_SECTION net)
set(CPACK_DEBIAN_KINESIS-PUT_PACKAGE_DEPENDS "adduser | systemd")
set(CPACK_DEBIAN_KINESIS-PUT_DESCRIPTION [[Amazon Kinesis Data Streams producer: kinesis-put agent, KPL daemon
kinesis-put puts records from files or standard input into a Kinesis data stream,
and follows log files across rotation with a durable checkpoint;
kinesis-put@.service runs it as an agent (/etc/kinesis-put/NAME.conf).
kinesis-kpl-daemon replaces the KPL's native process for Java applications;
kinesis-sim is a local Kinesis endpoint for tests.]])
set(CPACK_DEBIAN_KINESIS-PUT_PACKAGE_CONTROL_EXTRA
  ${kp_deb_dir}/postinst ${kp_deb_dir}/prerm ${kp_deb_dir}/postrm
  ${PROJECT_BINARY_DIR}/deb/conffiles)
set(CPACK_DEBIAN_KINESIS-PUT_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-kinesis-producer)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_COMPONENT_PYTHON_DEPENDS runtime)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS python3)
set(CPACK_DEBIAN_PYTHON_DESCRIPTION [[Amazon Kinesis Data Streams producer: Python 3 package
The package kinesis_producer for Debian's python3: the producer engine in-process.]])
include(CPack)
