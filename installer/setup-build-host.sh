#!/usr/bin/env bash
# Installs what building and testing Gamer Companion needs on Debian 12 (bookworm).
# Idempotent: checks first, installs only what is missing. Needs root (or sudo) to install.
#
# Why backports: bookworm's libbpf 1.1.2 lacks .struct_ops.link and several ring APIs; bookworm-backports
# has libbpf-dev 1.4.x and bpftool 7.5 that install cleanly (trixie's pull a libc upgrade: not used).
set -euo pipefail

need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Build: the agent's toolchain (clang-format-16: the C formatter ./companion test checks) and Maven.
# Tests: what JavaFX needs to render text headless (Monocle
# draws without GTK, but fonts go through fontconfig, FreeType and Pango).
for p in clang-16 clang-format-16 llvm-16 libelf-dev zlib1g-dev libzstd-dev make pkg-config maven \
    libfreetype6 libfontconfig1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
    have_pkg "$p" || need_pkgs+=("$p")
done

libbpf_ok() {
    local v
    v=$(dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null || true)
    [[ -n "$v" ]] && dpkg --compare-versions "$v" ge "1:1.4" && command -v bpftool >/dev/null 2>&1 \
        && bpftool version >/dev/null 2>&1
}

if [[ ${#need_pkgs[@]} -eq 0 ]] && libbpf_ok; then
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "gamer-companion: missing build packages: ${need_pkgs[*]} libbpf-dev>=1.4 bpftool" >&2
        echo "  run this script as root: installer/setup-build-host.sh" >&2
        exit 1
    fi
fi

if ! grep -rqs '^deb .*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "gamer-companion: enabling bookworm-backports for libbpf-dev 1.4 and bpftool" >&2
    echo 'deb http://deb.debian.org/debian bookworm-backports main' |
        $SUDO tee /etc/apt/sources.list.d/gamer-companion-backports.list >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
    $SUDO apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
fi
if ! libbpf_ok; then
    $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports libbpf-dev bpftool
fi
