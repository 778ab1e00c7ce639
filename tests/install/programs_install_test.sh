#!/usr/bin/env bash
# `cmake --install` of a built tree puts the programs and their manual pages in the prefix:
# kinesis-put, kinesis-kpl-daemon and kinesis-sim in bin/, each with a page in share/man/man1
# that groff formats without a warning, and the installed programs run (--version, or the
# daemon's usage error). LICENSE, NOTICE and CHANGELOG.md go to the documentation folder.
#   programs_install_test.sh BUILD_DIR VERSION
set -euo pipefail
build=${1:?usage: programs_install_test.sh BUILD_DIR VERSION}
version=${2:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
passed=0

cmake --install "$build" --prefix "$prefix" >/dev/null
for program in kinesis-put kinesis-kpl-daemon kinesis-sim; do
  [ -x "$prefix/bin/$program" ] || { echo "not installed: bin/$program"; exit 1; }
  page=$prefix/share/man/man1/$program.1
  [ -f "$page" ] || { echo "no manual page for $program"; exit 1; }
  warnings=$(groff -man -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || { echo "$page:"; echo "$warnings"; exit 1; }
  grep -q "^\.SH NAME" "$page" && grep -q "^$program \\\\- " "$page" ||
    { echo "$page has no NAME line for $program"; exit 1; }
  echo "bin/$program and share/man/man1/$program.1"
  passed=$((passed + 1))
done
for program in kinesis-put kinesis-sim; do
  got=$("$prefix/bin/$program" --version)
  [ "$got" = "$program $version" ] || { echo "installed $program --version: $got"; exit 1; }
done
rc=0; out=$("$prefix/bin/kinesis-kpl-daemon" 2>&1) || rc=$?
[ "$rc" = 1 ] && grep -q "usage: kinesis-kpl-daemon" <<<"$out" ||
  { echo "installed kinesis-kpl-daemon without options exited $rc: $out"; exit 1; }
echo "the installed programs run"
passed=$((passed + 1))
for f in LICENSE NOTICE CHANGELOG.md; do
  [ -f "$prefix/share/doc/kinesis_producer/$f" ] || { echo "not installed: $f"; exit 1; }
done
grep -q "Apache License" "$prefix/share/doc/kinesis_producer/LICENSE"
echo "LICENSE, NOTICE and CHANGELOG.md in share/doc/kinesis_producer"
passed=$((passed + 1))
# The service's files are the Debian package's alone (component service, EXCLUDE_FROM_ALL): a
# plain install writes nothing outside the prefix, where /etc/kinesis-put would be absolute.
[ ! -e "$prefix/lib/systemd" ] && [ ! -e "$prefix/etc" ] || { echo "service files installed"; exit 1; }
if [ -e /etc/kinesis-put/example.conf ] && [ /etc/kinesis-put/example.conf -nt "$work" ]; then
  echo "cmake --install wrote /etc/kinesis-put/example.conf"; exit 1
fi
echo "no service files outside the Debian package"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
