#!/usr/bin/env bash
# Installs what the polkit and pkexec tests need and the build host does not (Debian 12 packages):
# pkexec (the launcher), polkitd (the authority and policyconfig-1.dtd), dbus-daemon (a system bus
# for polkitd), libxml2-utils (xmllint). As root it installs what is missing; otherwise it says what
# to install and exits 1. Run by PolkitPolicyTest and PkexecLaunchTest before they start.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../../../installer/ensure-debs.sh"
ensure_debs polkit-deps pkexec polkitd dbus-daemon libxml2-utils
