#!/usr/bin/env bash
# A cupsd on its own port and a virtual IPP Everywhere printer (../shared/test-rigs.md, section 2).
#   cups-rig.sh up RIG NAME CUPS_PORT PRINTER_PORT   start both; the printer's spool is RIG/ipp-spool
#   cups-rig.sh down RIG NAME                       kill them (by PID file), delete the namespace
# cupsd and ippeveprinter listen on 127.0.0.1 of the host. ippeveprinter refuses to start without
# DNS-SD, so it runs in a private mount namespace (its own /run) with a system D-Bus and an avahi-daemon
# that lives in network namespace NAME on a veth pair of its own: avahi never sees a host interface.
set -euo pipefail
cmd=$1 RIG=$2 NAME=$3

down() {
  for f in "$RIG"/ipp.pid "$RIG"/cupsd.pid "$RIG"/avahi.pid "$RIG"/dbus.pid "$RIG"/holder.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  ip netns del "$NAME" 2>/dev/null || true
}
if [ "$cmd" = down ]; then down; exit 0; fi
CUPS_PORT=$4 PRINTER_PORT=$5

mkdir -p "$RIG"/cups/{etc,spool/tmp,cache,state,log} "$RIG/ipp-spool"
# cupsd's filters run as lp: they must get through RIG (mkdtemp makes it 0700).
chmod 0755 "$RIG" "$RIG/cups"
cat >"$RIG/cups/etc/cupsd.conf" <<CONF
LogLevel debug
Listen 127.0.0.1:$CUPS_PORT
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
CONF
cat >"$RIG/cups/etc/cups-files.conf" <<CONF
ServerRoot $RIG/cups/etc
RequestRoot $RIG/cups/spool
TempDir $RIG/cups/spool/tmp
CacheDir $RIG/cups/cache
StateDir $RIG/cups/state
AccessLog $RIG/cups/log/access_log
ErrorLog $RIG/cups/log/error_log
PageLog $RIG/cups/log/page_log
FileDevice Yes
Sandboxing Relaxed
User lp
Group lp
SystemGroup root
CONF
chown -R root:lp "$RIG"/cups/{etc,spool,cache,state}
chmod 0710 "$RIG/cups/spool"
chmod 1770 "$RIG/cups/spool/tmp"
cupsd -t -c "$RIG/cups/etc/cupsd.conf" -s "$RIG/cups/etc/cups-files.conf" >/dev/null
setsid cupsd -f -c "$RIG/cups/etc/cupsd.conf" -s "$RIG/cups/etc/cups-files.conf" >"$RIG/cupsd.log" 2>&1 &
echo $! >"$RIG/cupsd.pid"

ip netns add "$NAME"
ip -n "$NAME" link set lo up
ip -n "$NAME" link add pv0 type veth peer name pv1
ip -n "$NAME" addr add 10.239.7.1/24 dev pv0
ip -n "$NAME" link set pv0 up
ip -n "$NAME" link set pv1 up
cat >"$RIG/avahi.conf" <<CONF
[server]
allow-interfaces=pv0
use-ipv4=yes
use-ipv6=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
cat >"$RIG/ns.sh" <<SH
#!/bin/sh
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus /run/avahi-daemon
dbus-daemon --system --fork --print-pid >$RIG/dbus.pid
avahi-daemon -D --no-drop-root --no-chroot --no-rlimits -f $RIG/avahi.conf
echo \$\$ >$RIG/holder.pid
exec sleep infinity
SH
chmod +x "$RIG/ns.sh"
ip netns exec "$NAME" unshare -m setsid "$RIG/ns.sh" >"$RIG/ns.log" 2>&1 &
for _ in $(seq 1 50); do [ -s "$RIG/holder.pid" ] && break; sleep 0.1; done
[ -s "$RIG/holder.pid" ] || { echo "printer namespace did not start" >&2; cat "$RIG/ns.log" >&2; exit 1; }
for _ in $(seq 1 50); do
  nsenter -t "$(cat "$RIG/holder.pid")" -m cat /run/avahi-daemon/pid >"$RIG/avahi.pid" 2>/dev/null && break
  sleep 0.1
done
# The printer: host network (127.0.0.1), the namespace's mounts (its /run, for D-Bus and avahi).
nsenter -t "$(cat "$RIG/holder.pid")" -m setsid ippeveprinter -2 -p "$PRINTER_PORT" -n localhost -k \
  -d "$RIG/ipp-spool" -f application/pdf,image/pwg-raster,image/jpeg -M Acme -m "Virtual IPP" vprinter \
  >"$RIG/ipp.log" 2>&1 &
echo $! >"$RIG/ipp.pid"
for _ in $(seq 1 100); do
  ipptool -q "ipp://localhost:$PRINTER_PORT/ipp/print" get-printer-attributes.test 2>/dev/null &&
    CUPS_SERVER=127.0.0.1:$CUPS_PORT lpstat -r >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "ippeveprinter or cupsd did not come up" >&2
cat "$RIG/ipp.log" "$RIG/cupsd.log" >&2
exit 1
