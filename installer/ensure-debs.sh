#!/usr/bin/env bash
# Sourced by every script that needs Debian packages the build host setup does not install
# (src/test/ui/x-deps.sh, src/test/polkit/polkit-deps.sh, installer/package-deps.sh).
#
#   ensure_debs WHO PKG...
#
# Installs the PKGs that are missing when run as root (one `apt-get update` and a retry if the
# first install fails: a fresh machine's package lists are often stale); otherwise says what to
# install. Returns 0 when every PKG is installed, 1 otherwise: the caller decides whether that ends it.
ensure_debs() {
    local who=$1 p
    shift
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -ne 0 ]]; then
        echo "$who: missing ${missing[*]}: apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "$who: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
        || { echo "$who: apt-get install ${missing[*]} failed" >&2; return 1; }
}
