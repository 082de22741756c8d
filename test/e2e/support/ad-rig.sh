#!/usr/bin/env bash
# A Samba AD DC and a client desktop in network namespaces (../shared/test-rigs.md, section 1).
#   ad-rig.sh up RIG NAME      provision corp.test in netns NAME-dc, client netns NAME-cl, print the client's PID
#   ad-rig.sh down RIG NAME    kill the rig's daemons (by their PID files) and delete the namespaces
# The client runs in a private mount namespace with copies of /etc and sssd/samba/realmd state bind-mounted
# over the real paths; the host's /etc is never changed. `nsenter -t $(cat RIG/client.pid) -m -u -n CMD`
# runs CMD on the client. RIG/bin holds a `systemctl` for the client (there is no systemd here) that
# starts and restarts the hand-run sssd.
set -euo pipefail
cmd=$1 RIG=$2 NAME=$3
DC=$NAME-dc CL=$NAME-cl
ADMIN_PASS='Passw0rd!2024'

down() {
  for f in "$RIG"/ad/dc/run/samba.pid "$RIG"/cl/sssd.pid "$RIG"/cl/dbus.pid "$RIG"/cl/holder.pid "$RIG"/dc.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  # Whatever else runs in the rig's own namespaces (samba's workers, sssd's responders) goes too.
  for ns in "$DC" "$CL"; do
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

mkdir -p "$RIG/ad" "$RIG/cl" "$RIG/bin"
ip netns add "$DC"
ip netns add "$CL"
ip link add "v$NAME-d" type veth peer name "v$NAME-c"
ip link set "v$NAME-d" netns "$DC"
ip link set "v$NAME-c" netns "$CL"
ip -n "$DC" addr add 10.231.0.10/24 dev "v$NAME-d"
ip -n "$DC" link set "v$NAME-d" up
ip -n "$DC" link set lo up
ip -n "$CL" addr add 10.231.0.20/24 dev "v$NAME-c"
ip -n "$CL" link set "v$NAME-c" up
ip -n "$CL" link set lo up

ip netns exec "$DC" samba-tool domain provision --use-rfc2307 --realm=CORP.TEST --domain=CORP \
  --server-role=dc --dns-backend=SAMBA_INTERNAL --adminpass="$ADMIN_PASS" --targetdir="$RIG/ad/dc" \
  --host-name=dc1 --host-ip=10.231.0.10 --option="interfaces=lo v$NAME-d" --option="bind interfaces only=yes" \
  --option="pid directory=$RIG/ad/dc/run" --option="ncalrpc dir=$RIG/ad/dc/run/ncalrpc" \
  --option="winbindd socket directory=$RIG/ad/dc/run/winbindd" --option="log file=$RIG/ad/dc/log/%m.log" \
  >"$RIG/ad/provision.log" 2>&1
printf 'search corp.test\nnameserver 10.231.0.10\n' >"$RIG/ad/resolv-ad.conf"
cat >"$RIG/ad/start-dc.sh" <<EOF
#!/bin/sh
mount --make-rprivate /
mount --bind $RIG/ad/resolv-ad.conf /etc/resolv.conf
exec samba -s $RIG/ad/dc/etc/smb.conf --foreground --no-process-group --debug-stdout -d 1
EOF
chmod +x "$RIG/ad/start-dc.sh"
ip netns exec "$DC" unshare -m setsid "$RIG/ad/start-dc.sh" >"$RIG/ad/samba.log" 2>&1 &
echo $! >"$RIG/dc.pid"
for _ in $(seq 1 120); do
  ip netns exec "$CL" dig +short +time=1 +tries=1 @10.231.0.10 -t SRV _ldap._tcp.corp.test 2>/dev/null | grep -q dc1 && break
  sleep 0.5
done
ip netns exec "$CL" dig +short @10.231.0.10 -t SRV _ldap._tcp.corp.test | grep -q dc1 || {
  echo "the DC did not come up" >&2; tail -20 "$RIG/ad/samba.log" >&2; exit 1; }
# DNS answers before LDAP takes writes.
for _ in $(seq 1 120); do
  ip netns exec "$DC" samba-tool user list -H ldap://127.0.0.1 -U Administrator --password="$ADMIN_PASS" \
    >/dev/null 2>&1 && break
  sleep 0.5
done

# The client's private copies.
C=$RIG/cl
cp -a /etc "$C/etc"
for d in /var/lib/sss /var/lib/samba /var/cache/samba /var/lib/realmd /var/log/sssd; do
  mkdir -p "$C/state$d"
  [ -d "$d" ] && cp -a "$d/." "$C/state$d/"
done
cp "$RIG/ad/resolv-ad.conf" "$C/etc/resolv.conf.rig"
printf '127.0.0.1 localhost\n10.231.0.20 ws01.corp.test ws01\n10.231.0.10 dc1.corp.test dc1\n' >"$C/etc/hosts"
echo ws01 >"$C/etc/hostname"
cat >"$C/etc/realmd.conf" <<EOF
[service]
automatic-install = no
[sssd-packages]
sssd = /usr/sbin/sssd
sssd-tools = /usr/sbin/sss_cache
libnss-sss = /lib/x86_64-linux-gnu/libnss_sss.so.2
libpam-sss = /lib/x86_64-linux-gnu/security/pam_sss.so
[adcli-packages]
adcli = /usr/sbin/adcli
[commands]
sssd-enable-logins = /bin/true
sssd-enable-service = /bin/true
sssd-disable-service = /bin/true
sssd-restart = $RIG/bin/systemctl restart sssd
sssd-caches-flush = /usr/sbin/sss_cache -E
EOF
rm -f "$C/etc/sssd/sssd.conf" "$C/etc/krb5.keytab"

# systemctl for the client: sssd is the only service, run by hand.
cat >"$RIG/bin/systemctl" <<EOF
#!/bin/sh
# usage: systemctl start|restart|stop|is-active sssd
[ "\$2" = sssd ] || { echo "rig systemctl: only sssd" >&2; exit 1; }
pidfile=$C/sssd.pid
running() { [ -f \$pidfile ] && kill -0 "\$(cat \$pidfile)" 2>/dev/null; }
case "\$1" in
  is-active) running && echo active && exit 0; echo inactive; exit 3 ;;
  stop|restart)
    if running; then kill "\$(cat \$pidfile)"; for i in \$(seq 1 50); do running || break; sleep 0.1; done; fi
    rm -f /var/lib/sss/pipes/*.pid /run/sssd.pid
    [ "\$1" = stop ] && exit 0 ;;
esac
running && exit 0
[ -f /etc/sssd/sssd.conf ] || { echo "no /etc/sssd/sssd.conf" >&2; exit 1; }
setsid /usr/sbin/sssd -i --logger=files -d 2 </dev/null >>$C/sssd.out 2>&1 &
echo \$! >\$pidfile
sleep 1
EOF
chmod +x "$RIG/bin/systemctl"

cat >"$C/ns.sh" <<EOF
#!/bin/sh
set -e
mount --make-rprivate /
mount --bind $C/etc /etc
mount --bind $C/etc/resolv.conf.rig /etc/resolv.conf
for d in /var/lib/sss /var/lib/samba /var/cache/samba /var/lib/realmd /var/log/sssd; do
  mkdir -p \$d; mount --bind $C/state\$d \$d
done
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus
hostname ws01.corp.test
dbus-daemon --system --fork --print-pid >$C/dbus.pid
echo \$\$ >$C/holder.pid
exec sleep infinity
EOF
chmod +x "$C/ns.sh"
ip netns exec "$CL" unshare -m -u setsid "$C/ns.sh" >"$C/ns.log" 2>&1 &
for _ in $(seq 1 50); do [ -s "$C/holder.pid" ] && [ -s "$C/dbus.pid" ] && break; sleep 0.1; done
[ -s "$C/holder.pid" ] || { echo "client namespace did not start" >&2; cat "$C/ns.log" >&2; exit 1; }
cat "$C/holder.pid"
