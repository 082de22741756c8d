#!/usr/bin/env bash
# NetworkManager (and ModemManager, D-Bus-activated) in a network namespace (../shared/test-rigs.md, section 4).
#   nm-rig.sh up RIG NAME [INTERVAL]   netns NAME-nm (NetworkManager, veths pri0 and wwan0) and NAME-isp
#                                      (the ISP: 10.233.1.1 on the primary's link, 10.233.2.1 on the backup's,
#                                      10.233.9.9 serving the connectivity check); prints NetworkManager's PID
#   nm-rig.sh down RIG NAME            kills the rig's daemons (their PID files) and deletes the namespaces
# NetworkManager runs in a private mount namespace: /etc/NetworkManager and /var/lib/NetworkManager are
# RIG's directories bind-mounted over the real ones, /run is a tmpfs; the host's /etc is never changed.
# `nsenter -t PID -m -n CMD` runs CMD next to it. INTERVAL: the connectivity check's interval (s), default 5.
set -euo pipefail
cmd=$1 RIG=$2 NAME=$3 INTERVAL=${4:-5}
NM=$NAME-nm ISP=$NAME-isp

down() {
  for f in "$RIG"/nm.pid "$RIG"/http.pid "$RIG"/holder.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for ns in "$NM" "$ISP"; do
    for _ in $(seq 1 50); do
      pids=$(ip netns pids "$ns" 2>/dev/null || true)
      [ -z "$pids" ] && break
      kill $pids 2>/dev/null || true
      sleep 0.1
    done
    ip netns del "$ns" 2>/dev/null || true
  done
}

if [ "$cmd" = down ]; then down; exit 0; fi

mkdir -p "$RIG/nm/etc/system-connections" "$RIG/nm/etc/conf.d" "$RIG/nm/state" "$RIG/www" "$RIG/bin"
printf 'NM-OK' >"$RIG/www/check"
cat >"$RIG/nm/etc/NetworkManager.conf" <<CONF
[main]
plugins=keyfile
no-auto-default=*
dhcp=internal
dns=none
rc-manager=unmanaged

[keyfile]
path=/etc/NetworkManager/system-connections

[connectivity]
enabled=true
uri=http://10.233.9.9/check
response=NM-OK
interval=$INTERVAL
CONF

ip netns add "$NM"
ip netns add "$ISP"
ip link add "p$NAME" type veth peer name "ip$NAME"
ip link add "w$NAME" type veth peer name "iw$NAME"
ip link set "p$NAME" netns "$NM" name pri0
ip link set "w$NAME" netns "$NM" name wwan0
ip link set "ip$NAME" netns "$ISP" name isp-pri
ip link set "iw$NAME" netns "$ISP" name isp-wwan
ip -n "$ISP" addr add 10.233.1.1/24 dev isp-pri
ip -n "$ISP" addr add 10.233.2.1/24 dev isp-wwan
ip -n "$ISP" addr add 10.233.9.9/32 dev lo
for l in lo isp-pri isp-wwan; do ip -n "$ISP" link set "$l" up; done
ip -n "$NM" link set lo up
ip netns exec "$ISP" setsid python3 -m http.server 80 --bind 10.233.9.9 --directory "$RIG/www" \
  >"$RIG/http.log" 2>&1 &
echo $! >"$RIG/http.pid"

cat >"$RIG/nm-ns.sh" <<SH
#!/bin/sh
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus
mount --bind $RIG/nm/etc /etc/NetworkManager
mount --bind $RIG/nm/state /var/lib/NetworkManager
dbus-daemon --system --fork
# Otherwise NetworkManager waits for udev and every device stays "unmanaged".
mount -o remount,ro /sys
exec NetworkManager --no-daemon --log-level=INFO --log-domains=DEFAULT,CONCHECK:DEBUG
SH
chmod +x "$RIG/nm-ns.sh"
ip netns exec "$NM" unshare -m setsid "$RIG/nm-ns.sh" >"$RIG/nm.log" 2>&1 &
echo $! >"$RIG/nm.pid"
NMPID=$(cat "$RIG/nm.pid")
for _ in $(seq 1 100); do
  nsenter -t "$NMPID" -m -n nmcli -t -f RUNNING general 2>/dev/null | grep -q running && break
  sleep 0.2
done
nsenter -t "$NMPID" -m -n nmcli -t -f RUNNING general | grep -q running || {
  echo "NetworkManager did not come up" >&2; tail -20 "$RIG/nm.log" >&2; exit 1; }
echo "$NMPID"
