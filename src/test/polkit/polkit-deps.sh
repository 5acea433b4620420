#!/usr/bin/env bash
# Installs what the polkit and pkexec tests need and the build host does not (Debian 12 packages):
# pkexec (the launcher), polkitd (the authority and policyconfig-1.dtd), dbus-daemon (a system bus
# for polkitd), libxml2-utils (xmllint). As root it installs what is missing; otherwise it says what
# to install and exits 1. Run by PolkitPolicyTest and PkexecLaunchTest before they start.
set -euo pipefail

pkgs=(pkexec polkitd dbus-daemon libxml2-utils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $EUID -ne 0 ]]; then
    echo "polkit-deps: missing ${missing[*]}: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "polkit-deps: installing ${missing[*]}" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { echo "polkit-deps: apt-get install ${missing[*]} failed" >&2; exit 1; }
