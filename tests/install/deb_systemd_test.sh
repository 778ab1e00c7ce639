#!/usr/bin/env bash
# The kinesis-put Debian package under a live systemd: a Debian 12 root made by debootstrap
# (cached in the work folder), booted by systemd-nspawn as a container on this machine's
# network, in which a one-shot unit installs libkinesis-producer0 and kinesis-put with dpkg,
# writes /etc/kinesis-put/live.conf, `systemctl enable --now kinesis-put@live` follows a log
# file into the stream "live" of the CTest fixture's kinesis-sim, is stopped, appended to,
# started and stopped again; then the container powers off. Checked from what the unit wrote:
# the system user made by the package, the unit running as that user, the state directory
# (0750, the user's) holding the checkpoint, the agent's summary in the journal under its own
# identifier, a clean stop on SIGTERM, and the second start sending only the appended lines.
# Needs root and a kernel that lets systemd-nspawn make a container: exits 77 (CTest: skipped)
# saying why when either is missing, before anything of the package runs.
#   deb_systemd_test.sh BUILD_DIR VERSION
#   (environment: KP_BACKEND_DIR, kinesis-sim's; KP_SYSTEMD_WORK, the folder to work in)
set -euo pipefail
build=$(cd "${1:?usage: deb_systemd_test.sh BUILD_DIR VERSION}" && pwd)
version=${2:?}
work=${KP_SYSTEMD_WORK:?}
fail() { echo "$*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "not root (systemd-nspawn makes a container)"
for tool in debootstrap systemd-nspawn; do
  command -v "$tool" >/dev/null || fail "no $tool: scripts/setup installs it"
done
mkdir -p "$work"

# A minimal Debian 12 with systemd and the packages' dependencies, made once.
base=$work/base
packages=systemd,systemd-sysv,dbus,libcurl4,libssl3,libsimdjson14,ca-certificates,adduser,procps
if [ "$(cat "$base/.kp-packages" 2>/dev/null)" != "$packages" ]; then
  rm -rf "$base"
  debootstrap --variant=minbase --include="$packages" bookworm "$base" \
    http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap failed"; }
  echo "$packages" >"$base/.kp-packages"
  echo "debootstrap: Debian 12 with $packages"
fi
root=$work/root
rm -rf "$root"
cp -a "$base" "$root"

# Can this machine run a container at all? A command, not a boot, nothing of ours in it.
probe=$(timeout 60 systemd-nspawn -q -D "$root" --register=no --keep-unit /bin/true 2>&1) ||
  skip "systemd-nspawn cannot make a container here: $probe"

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/debs" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; exit 1; }
mkdir -p "$root/debs"
cp "$work/debs/libkinesis-producer0_${version}_amd64.deb" \
   "$work/debs/kinesis-put_${version}_amd64.deb" "$root/debs/"

endpoint=$("$(dirname "$0")/../create_stream.sh" live)
cat >"$root/kp-live.sh" <<EOF
#!/bin/sh
# In the container, as the unit kp-live.service: each step's output to /kp-live.out.
exec >/kp-live.out 2>&1
set -x
dpkg -i /debs/libkinesis-producer0_${version}_amd64.deb /debs/kinesis-put_${version}_amd64.deb
echo "user: \$(getent passwd kinesis-put)"
mkdir -p /var/log/my-app
seq -f 'line %g of the first reading' 1 1000 >/var/log/my-app/app.log
cat >/etc/kinesis-put/live.conf <<'CONF'
KINESIS_PUT_ARGS=--stream live --region us-east-1 --follow --poll-ms 100 /var/log/my-app/*.log
AWS_ACCESS_KEY_ID=AKIDLIVE
AWS_SECRET_ACCESS_KEY=live-secret
AWS_ENDPOINT_URL_KINESIS=$endpoint
AWS_EC2_METADATA_DISABLED=true
CONF
chmod 600 /etc/kinesis-put/live.conf
wait_for_records() {  # N: until the checkpoint's line (its 5th field) is N (30 s at most)
  for i in \$(seq 300); do
    awk -v n="\$1" '\$1 == "file" && \$5 == n { found = 1 } END { exit !found }' \
      /var/lib/kinesis-put/live/checkpoint 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
systemctl enable --now kinesis-put@live
sleep 2
seq -f 'line %g appended while running' 1 500 >>/var/log/my-app/app.log
wait_for_records 1500 && echo "checkpoint: 1500 records"
echo "running as: \$(ps -o user= -C kinesis-put)"
systemctl stop kinesis-put@live
echo "first stop: \$(systemctl show -p Result --value kinesis-put@live) \$(systemctl show -p ExecMainStatus --value kinesis-put@live)"
seq -f 'line %g appended while stopped' 1 200 >>/var/log/my-app/app.log
systemctl start kinesis-put@live
wait_for_records 1700 && echo "checkpoint: 1700 records"
systemctl stop kinesis-put@live
echo "second stop: \$(systemctl show -p Result --value kinesis-put@live) \$(systemctl show -p ExecMainStatus --value kinesis-put@live)"
echo "state: \$(stat -c '%A %U:%G' /var/lib/kinesis-put/live) \$(stat -c '%A %U' /var/lib/kinesis-put/live/checkpoint)"
journalctl --no-pager -o cat -t kinesis-put-live
echo KP-LIVE-DONE
systemctl poweroff
EOF
chmod +x "$root/kp-live.sh"
cat >"$root/etc/systemd/system/kp-live.service" <<'EOF'
[Unit]
Description=the kinesis-put package under a live systemd (deb_systemd_test)
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/kp-live.sh
[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/kp-live.service "$root/etc/systemd/system/multi-user.target.wants/"

start=$SECONDS
timeout 300 systemd-nspawn -q -D "$root" --register=no --keep-unit -b --console=pipe \
  >"$work/boot.log" 2>&1 || true
out=$root/kp-live.out
[ -f "$out" ] || { tail -20 "$work/boot.log"; fail "the container never ran kp-live.service"; }
sed 's/^/container: /' "$out" | grep -v '^container: + ' || true
grep -qx KP-LIVE-DONE "$out" || fail "kp-live.sh did not finish"

check() {  # PATTERN WHAT: a line of the container's output matches PATTERN
  grep -qE -- "$1" "$out" || fail "not seen: $2 (/$1/)"
  echo "ok: $2"
}
check '^user: kinesis-put:x:[0-9]{3}:[0-9]+:.*:/var/lib/kinesis-put:(/usr)?/s?bin/nologin$' \
  "the package made the system user kinesis-put"
check '^running as: kinesis-put$' "the agent runs as kinesis-put"
check '^checkpoint: 1500 records$' "the first reading's 1,500 lines acknowledged and checkpointed"
check '^first stop: success 0$' "SIGTERM from systemctl stop: exit 0"
check '^checkpoint: 1700 records$' "the second start went on from the checkpoint"
check '^second stop: success 0$' "the second stop: exit 0"
check '^state: drwxr-x--- kinesis-put:kinesis-put -rw------- kinesis-put$' \
  "StateDirectory /var/lib/kinesis-put/live (0750) holds the checkpoint (0600)"
check '^  succeeded +1,500 ' "the journal holds the first run's summary (identifier kinesis-put-live)"
check '^  records read +200$' "the second run read only the 200 appended lines"
echo "kinesis-put@live under systemd $(systemd-nspawn --version | head -1 | cut -d' ' -f2) in $((SECONDS - start)) s"
rm -rf "$root"
echo "9 passed, 0 failed"
