#!/bin/sh
# FOG snap-in: installs the Bascule agent on a machine FOG has deployed, and enrols it.
# FOG runs snap-ins as root on the booted client after imaging (FOG client or its Linux service).
# This is bascule-install-into-target.sh for TARGET=/ : fill in HUB, CA_HASH and TOKEN there,
# then upload both files as one snap-in pack (see README.md).
set -eu
cd "$(dirname "$0")"
exec sh ./bascule-install-into-target.sh /
