#!/usr/bin/env bash
# The kinesis-put Debian package as a service, in a throw-away root (nothing is installed on
# this machine): its conffiles and maintainer scripts, kinesis-put@.service checked by
# systemd-analyze (verify, and security's exposure level), its sysusers.d file run by
# systemd-sysusers into the root, the maintainer scripts run against recording stand-ins for
# the commands they call, and the unit's command line (ExecStart with its EnvironmentFile and
# state directory, as systemd expands them) run as an agent against kinesis-sim: it follows a
# log file, its checkpoint reaches the file's end, SIGTERM ends it cleanly.
#   deb_service_test.sh BUILD_DIR VERSION      (environment: KP_BACKEND_DIR, kinesis-sim's)
set -euo pipefail
build=$(cd "${1:?usage: deb_service_test.sh BUILD_DIR VERSION}" && pwd)
version=${2:?}
work=$(mktemp -d)
agent=
trap '[ -z "$agent" ] || kill -9 "$agent" 2>/dev/null || true; rm -rf "$work"' EXIT
passed=0
fail() { echo "$*"; exit 1; }

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; exit 1; }
deb=$work/kinesis-put_${version}_amd64.deb
root=$work/root
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$work/control"
unit=$root/usr/lib/systemd/system/kinesis-put@.service

# The control part: conffiles, maintainer scripts that are shell scripts and parse.
[ "$(cat "$work/control/conffiles")" = /etc/kinesis-put/example.conf ] ||
  fail "conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no executable $script"
  sh -n "$work/control/$script" || fail "$script does not parse"
done
[ "$(stat -c %a "$root/etc/kinesis-put/example.conf")" = 600 ] ||
  fail "example.conf is $(stat -c %a "$root/etc/kinesis-put/example.conf"), not 600 (it may hold keys)"
echo "conffiles: /etc/kinesis-put/example.conf (600); postinst, prerm, postrm parse"
passed=$((passed + 1))

# The unit: what it promises, then systemd's own checks.
for line in 'User=kinesis-put' 'EnvironmentFile=/etc/kinesis-put/%i.conf' \
            'StateDirectory=kinesis-put/%i' 'StandardOutput=journal' 'StandardError=journal' \
            'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
            'CapabilityBoundingSet=' 'WantedBy=multi-user.target'; do
  grep -qxF -- "$line" "$unit" || fail "the unit lacks $line"
done
if command -v systemd-analyze >/dev/null; then
  # The root needs the targets a default service depends on; systemd's own are copied in.
  for target in /lib/systemd/system/*.target; do
    [ -e "$root/usr/lib/systemd/system/$(basename "$target")" ] ||
      cp "$target" "$root/usr/lib/systemd/system/"
  done
  out=$(systemd-analyze verify --root="$root" --man=no --recursive-errors=no \
        kinesis-put@example.service 2>&1) || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify warns: $out"
  exposure=$(systemd-analyze security --offline=yes --root="$root" --threshold=30 \
             kinesis-put@example.service 2>&1 | grep 'Overall exposure') ||
    fail "systemd-analyze security: exposure over 3.0 (of 10; threshold 30 of 100)"
  echo "systemd-analyze verify: clean; ${exposure#→ }"
else
  echo "systemd-analyze verify: skipped (no systemd-analyze)"
fi
passed=$((passed + 1))

# The system user, from the package's sysusers.d file, into the throw-away root.
if command -v systemd-sysusers >/dev/null; then
  mkdir -p "$root/etc"
  systemd-sysusers --root="$root" "$root/usr/lib/sysusers.d/kinesis-put.conf"
  entry=$(grep '^kinesis-put:' "$root/etc/passwd") || fail "systemd-sysusers made no user"
  IFS=: read -r _ _ uid _ _ home shell <<<"$entry"
  [ "$uid" -lt 1000 ] && [ "$home" = /var/lib/kinesis-put ] && [[ "$shell" == */nologin ]] ||
    fail "not a system user without login: $entry"
  grep -q '^kinesis-put:' "$root/etc/group" || fail "no group kinesis-put"
  echo "systemd-sysusers: $entry"
fi
passed=$((passed + 1))

# The maintainer scripts, each command they may call replaced by one that records its
# arguments (PATH holds nothing else, so they touch nothing of this machine).
stubs=$work/stubs
mkdir -p "$stubs"
for command in getent systemd-sysusers adduser systemctl deb-systemd-helper deb-systemd-invoke \
               rm mkdir; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\n[ "%s" != getent ] || exit "${GETENT_RC:-2}"\n' \
    "$command" "$work/calls" "$command" >"$stubs/$command"
  chmod +x "$stubs/$command"
done
run_script() {  # run_script SCRIPT ARGS...: the calls it made, one a line
  : >"$work/calls"
  env -i PATH="$stubs" GETENT_RC="${GETENT_RC:-2}" /bin/sh "$work/control/$1" "${@:2}" ||
    fail "$1 $* exited $?"
  grep -v '^getent' "$work/calls" || true
}
helper=; [ -x /usr/bin/deb-systemd-helper ] && helper="deb-systemd-helper unmask kinesis-put@.service"
systemd_runs=; [ -d /run/systemd/system ] && systemd_runs=yes
calls=$(run_script postinst configure)
grep -qx "systemd-sysusers /usr/lib/sysusers.d/kinesis-put.conf" <<<"$calls" ||
  fail "postinst configure (no user yet) did not run systemd-sysusers: $calls"
[ -z "$helper" ] || grep -qxF "$helper" <<<"$calls" || fail "postinst: no $helper: $calls"
if [ -z "$systemd_runs" ] && grep -q '^systemctl\|^deb-systemd-invoke' <<<"$calls"; then
  fail "postinst called systemctl where systemd does not run: $calls"
fi
rm "$stubs/systemd-sysusers"
calls=$(run_script postinst configure)
grep -q "^adduser --system --group --home /var/lib/kinesis-put " <<<"$calls" ||
  fail "postinst configure without systemd-sysusers did not run adduser --system: $calls"
calls=$(GETENT_RC=0 run_script postinst configure "$version")
! grep -q '^adduser\|^systemd-sysusers' <<<"$calls" || fail "postinst made an existing user: $calls"
calls=$(run_script prerm remove)
[ -n "$systemd_runs" ] || [ -z "$calls" ] || fail "prerm without systemd called: $calls"
calls=$(run_script postrm purge)
grep -qx "rm -rf /var/lib/kinesis-put" <<<"$calls" || fail "postrm purge kept the state: $calls"
calls=$(run_script postrm remove)
! grep -q '^rm' <<<"$calls" || fail "postrm remove deleted: $calls"
echo "maintainer scripts: user by systemd-sysusers, else adduser --system, once; systemctl only where systemd runs; purge removes /var/lib/kinesis-put"
passed=$((passed + 1))

# The agent as systemd would start kinesis-put@app: the unit's ExecStart, %i and %S expanded,
# /usr/bin in the root, the environment from /etc/kinesis-put/app.conf, the state directory made.
endpoint=$("$(dirname "$0")/../create_stream.sh" service-stream)
mkdir -p "$root/var/log/app"
log=$root/var/log/app/app.log
for i in $(seq 1 1000); do echo "line $i of the app"; done >"$log"
cat >"$root/etc/kinesis-put/app.conf" <<EOF
# as example.conf, for the test's kinesis-sim
KINESIS_PUT_ARGS=--stream service-stream --region us-east-1 --follow $root/var/log/app/*.log --summary-json $root/var/lib/kinesis-put/app/summary.json
AWS_ENDPOINT_URL_KINESIS=$endpoint
AWS_ACCESS_KEY_ID=AKIDEXAMPLE
AWS_SECRET_ACCESS_KEY=example-secret
EOF
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
exec_start=${exec_start//%i/app}
exec_start=${exec_start//%S/$root/var/lib}
exec_start=${exec_start/#\/usr\/bin\//$root/usr/bin/}
mkdir -p "$root/var/lib/kinesis-put/app"  # StateDirectory=
# User=: as root, the agent runs as an unprivileged user (nobody) owning only its state
# directory, as the unit's user would; otherwise as whoever runs the test.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$work"
  chown 65534:65534 "$root/var/lib/kinesis-put/app"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
declare -A environment=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  environment[${line%%=*}]=${line#*=}
done <"$root/etc/kinesis-put/app.conf"
set -f  # systemd splits $KINESIS_PUT_ARGS at spaces and expands no glob
read -r -a words <<<"${exec_start//\$KINESIS_PUT_ARGS/${environment[KINESIS_PUT_ARGS]}}"
set +f
env_args=(AWS_EC2_METADATA_DISABLED=true)
for key in "${!environment[@]}"; do env_args+=("$key=${environment[$key]}"); done
env -i PATH=/usr/bin:/bin "${env_args[@]}" "${as_user[@]}" "${words[@]}" >"$work/journal" 2>&1 &
agent=$!
checkpoint=$root/var/lib/kinesis-put/app/checkpoint
acked() { awk '$1 == "file" {print $4}' "$checkpoint" 2>/dev/null || true; }
wait_acked() {  # wait_acked BYTES: until the checkpoint says so (60 s at most)
  local deadline=$((SECONDS + 60))
  until [ "$(acked)" = "$1" ]; do
    kill -0 "$agent" 2>/dev/null || { cat "$work/journal"; fail "the agent ended"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$work/journal"; fail "checkpoint at $(acked), not $1, after 60 s"; }
    sleep 0.1
  done
}
wait_acked "$(stat -c %s "$log")"
for i in $(seq 1001 1500); do echo "line $i of the app"; done >>"$log"
wait_acked "$(stat -c %s "$log")"
kill -TERM "$agent"
rc=0; wait "$agent" || rc=$?
agent=
[ "$rc" = 0 ] || { cat "$work/journal"; fail "the agent exited $rc after SIGTERM"; }
succeeded=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records_succeeded"])' \
            "$root/var/lib/kinesis-put/app/summary.json")
[ "$succeeded" = 1500 ] || fail "records_succeeded $succeeded, not 1500"
[ ${#as_user[@]} = 0 ] || [ "$(stat -c %u "$checkpoint")" = 65534 ] ||
  fail "the checkpoint belongs to uid $(stat -c %u "$checkpoint"), not the agent's 65534"
echo "kinesis-put@app as the unit runs it${as_user:+ (as nobody)}: followed $log, 1500 lines written, checkpoint at its end in /var/lib/kinesis-put/app, exit 0 on SIGTERM"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
