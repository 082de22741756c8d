#!/bin/sh
# Installs the Bascule agent into a system being installed (TARGET, e.g. /target) and leaves the site
# token for its first boot: bascule-agent-enroll.service enrols the machine then, with its own
# machine-id and hardware, and deletes the token. Used by the Ubuntu autoinstall late-command and the
# Ubiquity (Zorin OS) success_command; with TARGET=/ it installs on the running system, where the
# package enrols at once (FOG snap-in).
#
#   sh bascule-install-into-target.sh TARGET
#
# Fill in the three values below from `bascule-hub token create --department D --uses N --expires 30d --json`
# (hubUrl, caHash, token): a site token, used once per machine, valid long enough for the roll-out.
# Keep this file on trusted media (the installation ISO/USB, the FOG server): it holds the token.
set -eu

HUB='https://hub.example.org:8443'
CA_HASH='sha256:0000000000000000000000000000000000000000000000000000000000000000'
TOKEN='bt_replace_me'

TARGET=${1:?usage: bascule-install-into-target.sh TARGET (/target in an installer, / on a running system)}
say() { printf 'bascule: %s\n' "$*" >&2; }
fail() { printf 'bascule: ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root"
[ -x "$TARGET/usr/bin/dpkg" ] || fail "$TARGET is not a Debian/Ubuntu system (no dpkg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The first download cannot be verified: the CA is checked against the hash written above instead,
# and every later request is verified by that CA.
curl -fsSk -o "$work/ca.pem" "$HUB/install/ca.pem" || fail "cannot reach $HUB"
got="sha256:$(sed '/-----/d' "$work/ca.pem" | base64 -d | sha256sum | cut -c1-64)"
[ "$got" = "$CA_HASH" ] || fail "$HUB presents the CA $got, not $CA_HASH: refusing (another server, or a man in the middle)"
curl -fsS --proto '=https' --cacert "$work/ca.pem" -D "$work/headers" -o "$work/bascule-agent.deb" "$HUB/install/agent.deb" ||
	fail "downloading the agent package from $HUB failed"
want=$(sed -n 's/^[Xx]-[Bb]ascule-[Ss]ha256: *\([0-9a-f]\{64\}\).*/\1/p' "$work/headers")
[ "$(sha256sum "$work/bascule-agent.deb" | cut -c1-64)" = "$want" ] || fail "the package does not match its sha256"

if [ "$TARGET" = / ]; then
	pkg=$work/bascule-agent.deb
else
	cp "$work/bascule-agent.deb" "$TARGET/tmp/bascule-agent.deb"
	pkg=/tmp/bascule-agent.deb
fi
# Installed before the token exists: the package does not enrol inside the installer, where the
# machine-id and host name are not yet the final ones.
if [ "$TARGET" = / ]; then dpkg -i "$pkg"; else chroot "$TARGET" dpkg -i "$pkg"; fi
[ "$TARGET" = / ] || rm -f "$TARGET/tmp/bascule-agent.deb"

umask 077
mkdir -p "$TARGET/etc/bascule"
printf '# site token, used at the first boot (bascule-agent-enroll.service)\nhub=%s\ntoken=%s\nca-hash=%s\n' \
	"$HUB" "$TOKEN" "$CA_HASH" >"$TARGET/etc/bascule/enroll.token"
chmod 0600 "$TARGET/etc/bascule/enroll.token"
if [ "$TARGET" = / ]; then
	# A running system enrols now (the same script the postinst and the first-boot unit use).
	/usr/lib/bascule-agent/enroll-from-token || fail "not enrolled (reason above)"
	say "installed and enrolled"
else
	say "installed into $TARGET; the machine enrols at its first boot"
fi
