#!/usr/bin/env bash
# The VM end-to-end test (DESIGN.md section 9, tier 5; issue 5). Run by `./companion test-vm`.
#
#   src/test/vm/run.sh [--keys N] [--interval-ms MS] [--ab-interval-ms MS] [--reps R] [--hogs H]
#
# 1. Installs qemu-system-x86 busybox-static cpio xz-utils zstd if missing (apt-get, as root).
# 2. Fetches Debian sid's kernel (it has sched_ext) with a private apt list: the system's sources
#    are never touched. The version comes from `apt-cache depends linux-image-amd64`; the debs are
#    cached under ${XDG_CACHE_HOME:-$HOME/.cache}/gamer-companion/vm and the newest cached version
#    is used when the archive cannot be reached (sid moves on and old versions vanish).
#    From the same kernel version's linux-source (fetched and cached the same way), builds
#    scx_simple and scx_central (build-scx.sh; cached per kernel version) for the ab3 phase.
# 3. Copies the agent, the jar and its libraries into the cache's run/ directory (the guest sees
#    the host root read-only, but a tmpfs hides /tmp), compiles the tray phase's two classes there
#    and builds the initramfs.
# 4. Boots under TCG (driver.py), which injects keys over QMP, checks the results and prints the
#    JSON object and `VM-E2E: PASS` or `VM-E2E: FAIL <why>` as its last line.
#
# Environment: GC_VM_JAR, GC_VM_LIB (default: target/gamer-companion.jar and target/lib),
# JAVA_HOME (a JDK 25, found by ./companion), GC_VM_SKIP=1 skips with a message.
# Exit status: 0 PASS or SKIP, 1 FAIL.
set -euo pipefail

VMDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$VMDIR/../../.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/gamer-companion/vm"
# 50 presses = 100 transitions per record phase: enough samples that p99 is not simply the
# maximum. The ab phases' key stream is faster (AB_INTERVAL_MS per press, a down and an up): their
# verdict gives p99 a ratio only with 1,000 samples per arm (10 beyond p99), and their rounds are
# 2 x 15 s per arm. One (default, gamer) record pair keeps the per-key checks; the ab phases
# supersede the repetitions that used to give the p99 ratio.
KEYS=50 INTERVAL_MS=200 AB_INTERVAL_MS=40 REPS=1 HOGS=4

skip() { echo "VM-E2E: SKIP $*"; exit 0; }
fail() { echo "VM-E2E: FAIL $*"; exit 1; }
say() { echo "vm: $*" >&2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --keys) KEYS=$2; shift 2 ;;
        --interval-ms) INTERVAL_MS=$2; shift 2 ;;
        --ab-interval-ms) AB_INTERVAL_MS=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --hogs) HOGS=$2; shift 2 ;;
        *) fail "unknown argument $1 (usage: run.sh [--keys N] [--interval-ms MS] [--ab-interval-ms MS] [--reps R] [--hogs H])" ;;
    esac
done

[[ "${GC_VM_SKIP:-0}" == 1 ]] && skip "GC_VM_SKIP=1"
[[ "$(uname -m)" == x86_64 ]] || skip "needs an x86_64 host (this is $(uname -m))"
[[ $EUID -eq 0 ]] || skip "needs root (the guest chroots into the host root shared over 9p, apt-get installs qemu)"
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] || fail "JAVA_HOME must name a JDK 25 (./companion test-vm finds it)"

# ---- 1. packages
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[[ -x /bin/busybox ]] && /bin/busybox --list 2>/dev/null | grep -x chroot >/dev/null || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
command -v zstd >/dev/null || need+=(zstd)
if [[ ${#need[@]} -gt 0 ]]; then
    say "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 \
        || skip "could not install ${need[*]} (apt-get failed): qemu cannot run here"
fi
# qemu 7.2 (bookworm) oopses the guest under multi-threaded TCG (README.md); where the build host
# has bookworm-backports (installer/setup-build-host.sh enables it for libbpf), take its qemu.
qemu_major=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
qemu_policy=$(apt-cache policy qemu-system-x86 2>/dev/null || true)
if [[ "${qemu_major:-0}" -lt 8 && "$qemu_policy" == *bookworm-backports* ]]; then
    say "installing qemu-system-x86 from bookworm-backports (multi-threaded TCG)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -t bookworm-backports qemu-system-x86 >&2 || say "warning: qemu from bookworm-backports did not install"
fi
# The tray phase (tray.sh) runs the host's Xvfb, trayer and xdotool inside the guest's chroot.
# A subshell: ensure_x_tools exits when it cannot install, and that costs only the tray phase.
(source "$ROOT/src/test/ui/x-deps.sh" && ensure_x_tools run.sh) \
    || say "warning: X tools missing: the tray phase will fail"
# busybox (not -static) may already be installed and dynamically linked: the initramfs needs static.
file -L /bin/busybox | grep -q 'statically linked' \
    || skip "/bin/busybox is not statically linked (install busybox-static)"

# ---- 2. kernel
mkdir -p "$CACHE/apt/lists/partial" "$CACHE/debs"
echo 'deb http://deb.debian.org/debian sid main' > "$CACHE/apt/sources.list"
APT_O=(-o "Dir::Etc::SourceList=$CACHE/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
       -o "Dir::State::Lists=$CACHE/apt/lists" -o "Dir::Cache=$CACHE/apt/cache"
       -o APT::Sandbox::User=root)
mkdir -p "$CACHE/apt/cache/archives/partial"
KVER=""
if timeout 120 apt-get "${APT_O[@]}" -q update >"$CACHE/apt/update.log" 2>&1; then
    KVER=$(apt-cache "${APT_O[@]}" depends linux-image-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -1)
fi
if [[ -n "$KVER" && ! -f "$CACHE/debs/linux-binary-$KVER.deb" ]]; then
    say "downloading kernel $KVER"
    tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
    if (cd "$tmp" && timeout 300 apt-get "${APT_O[@]}" -q download "linux-binary-$KVER" \
            "linux-modules-$KVER" >&2); then
        mv "$tmp"/linux-binary-"$KVER"_*.deb "$CACHE/debs/linux-binary-$KVER.deb"
        mv "$tmp"/linux-modules-"$KVER"_*.deb "$CACHE/debs/linux-modules-$KVER.deb"
    else
        say "download of $KVER failed: falling back to the cache"
        KVER=""
    fi
    rm -rf "$tmp"
fi
if [[ -z "$KVER" || ! -f "$CACHE/debs/linux-binary-$KVER.deb" ]]; then
    KVER=$(ls "$CACHE/debs" 2>/dev/null | sed -n 's/^linux-binary-\(.*\)\.deb$/\1/p' | sort -V | tail -1)
    [[ -n "$KVER" ]] || skip "no sched_ext kernel: the Debian archive is unreachable and $CACHE/debs is empty"
    say "using cached kernel $KVER"
fi
KDIR="$CACHE/kernel-$KVER"
MODS=(netfs 9pnet 9pnet_virtio 9p evdev uinput)
if [[ ! -f "$KDIR/vmlinuz" || ! -f "$KDIR/modules/uinput.ko" ]]; then
    say "unpacking kernel $KVER"
    rm -rf "$KDIR" && mkdir -p "$KDIR/x" "$KDIR/modules"
    dpkg-deb -x "$CACHE/debs/linux-binary-$KVER.deb" "$KDIR/x"
    dpkg-deb -x "$CACHE/debs/linux-modules-$KVER.deb" "$KDIR/x"
    vmlinuz=$(find "$KDIR/x" -name 'vmlinuz*' -type f | head -1)
    [[ -n "$vmlinuz" ]] || fail "no vmlinuz in linux-binary-$KVER"
    cp "$vmlinuz" "$KDIR/vmlinuz"
    for m in "${MODS[@]}"; do
        ko=$(find "$KDIR/x" -name "$m.ko*" | head -1)
        [[ -n "$ko" ]] || fail "module $m missing from linux-modules-$KVER"
        case "$ko" in
            *.xz) xz -dc "$ko" > "$KDIR/modules/$m.ko" ;;
            *.zst) zstd -qdc "$ko" > "$KDIR/modules/$m.ko" ;;
            *) cp "$ko" "$KDIR/modules/$m.ko" ;;
        esac
    done
    rm -rf "$KDIR/x"
fi

# ---- 2b. scx_simple and scx_central (the three-way A/B's third arm: someone else's scheduler)
# From tools/sched_ext of the same kernel version: Debian's linux-source-X.Y of the kernel deb's
# exact version, fetched with the private apt list and cached in debs/ like the kernel (sid drops
# old versions); the binaries are cached per kernel version in scx-<version>/ and rebuilt when
# build-scx.sh changes. What happened goes to scx.json for driver.py: without the source (archive
# unreachable, version gone, nothing cached) ab3 is skipped with that reason; a build that fails
# fails the test (build.log says why).
SCX="$CACHE/scx-$KVER"
SCX_JSON="$CACHE/scx.json"
kdeb_version=$(dpkg-deb -f "$CACHE/debs/linux-binary-$KVER.deb" Version)
src_pkg="linux-source-$(echo "$KVER" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')"
src_deb="$CACHE/debs/${src_pkg}_$kdeb_version.deb"
scx_stamp="$src_pkg $kdeb_version $(sha256sum "$VMDIR/build-scx.sh" | cut -c1-16)"
scx_result() { # status detail build_ms
    python3 -c 'import json, sys; k, src, st, d, ms = sys.argv[1:]
print(json.dumps({"kernel": k, "source": src, "status": st, "detail": d, "build_s": round(int(ms) / 1000, 1)}))' \
        "$KVER" "$src_pkg=$kdeb_version" "$1" "$2" "$3" > "$SCX_JSON"
}
if [[ -x "$SCX/scx_simple" && "$(cat "$SCX/stamp" 2>/dev/null)" == "$scx_stamp" ]]; then
    scx_result cached "$(cd "$SCX" && ls scx_* | tr '\n' ' ')" 0
else
    t0=$(date +%s%N)
    if [[ ! -f "$src_deb" ]]; then
        say "downloading $src_pkg=$kdeb_version (tools/sched_ext of the guest's kernel)"
        tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
        if (cd "$tmp" && timeout 600 apt-get "${APT_O[@]}" -q download "$src_pkg=$kdeb_version" >&2); then
            mv "$tmp"/"${src_pkg}"_*.deb "$src_deb"
        fi
        rm -rf "$tmp"
    fi
    if [[ ! -f "$src_deb" ]]; then
        scx_result unavailable "$src_pkg=$kdeb_version is neither in the archive nor in $CACHE/debs" 0
    else
        say "building scx_simple and scx_central from $src_pkg=$kdeb_version"
        rm -rf "$SCX" && mkdir -p "$SCX"
        if "$VMDIR/build-scx.sh" "$src_deb" "$KDIR/vmlinuz" "$SCX" > "$SCX/build.log" 2>&1; then
            echo "$scx_stamp" > "$SCX/stamp"
            scx_result built "$(cd "$SCX" && ls scx_* | tr '\n' ' ')" \
                $((($(date +%s%N) - t0) / 1000000))
        else
            scx_result failed "$(tail -3 "$SCX/build.log" | tr '\n' ' ')" \
                $((($(date +%s%N) - t0) / 1000000))
        fi
    fi
fi
say "scx: $(cat "$SCX_JSON")"

# ---- 3. what the guest runs
RUN="$CACHE/run"
rm -rf "$RUN" && mkdir -p "$RUN/native" "$RUN/app" "$RUN/bin"
make -s -C "$ROOT/native-agent" build/gamer-agent >&2 || fail "make -C native-agent build/gamer-agent failed"
cp "$ROOT/native-agent/build/gamer-agent" "$RUN/native/"
# Optional here: without it the agent reports synthetic=unavailable, which this test does not use.
if make -s -C "$ROOT/native-agent" build/gamer-selftest >&2; then
    cp "$ROOT/native-agent/build/gamer-selftest" "$RUN/native/"
else
    say "warning: gamer-selftest did not build (not needed by this test)"
fi
JAR="${GC_VM_JAR:-$ROOT/target/gamer-companion.jar}"
LIB="${GC_VM_LIB:-$(dirname "$JAR")/lib}"
[[ -f "$JAR" && -d "$LIB" ]] || fail "no jar at $JAR (or no $LIB): build it first (./companion test-vm does)"
cp "$JAR" "$RUN/app/gamer-companion.jar"
cp -r "$LIB" "$RUN/app/lib"
cc -O2 -Wall -Wextra -pthread "$VMDIR/fakegame.c" -o "$RUN/bin/fakegame" || fail "fakegame did not build"
cp "$VMDIR/agentctl.py" "$VMDIR/abplayer.py" "$RUN/"
# abplayer.py starts RUN/bin/scx_<name> when ab asks for it by hand; guest.sh skips ab3 without one.
cp "$SCX_JSON" "$RUN/scx.json"
case "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$SCX_JSON")" in
    built|cached) cp "$SCX"/scx_* "$RUN/bin/" ;;
esac
# The tray phase's driver and harness live in src/test/java (TrayXvfbRealAgentTest shares them).
# Compiled here against the jar and its runtime libraries alone: never stale, and a test-only
# library creeping into them fails here rather than in the guest.
"$JAVA_HOME/bin/javac" -nowarn -d "$RUN/tray-classes" -cp "$JAR:$LIB/*" \
    "$ROOT/src/test/java/org/gamercompanion/app/TrayScenario.java" \
    "$ROOT/src/test/java/org/gamercompanion/app/TrayHarness.java" >&2 \
    || fail "TrayScenario/TrayHarness did not compile against $JAR"
# The A/B phases' independent check (HdrHistogram's reader only), run by driver.py on the host.
"$JAVA_HOME/bin/javac" -nowarn -d "$RUN/check-classes" -cp "$LIB/*" "$VMDIR/HlogCheck.java" >&2 \
    || fail "HlogCheck did not compile"
echo "$JAVA_HOME" > "$RUN/java.home"

IRD="$RUN/initramfs"
mkdir -p "$IRD"/{bin,dev,proc,sys,host,lib/modules}
cp /bin/busybox "$IRD/bin/busybox"
for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$IRD/bin/$applet"
done
cp "$KDIR"/modules/*.ko "$IRD/lib/modules/"
cp "$VMDIR/init.sh" "$IRD/init" && chmod +x "$IRD/init"
(cd "$IRD" && find . | cpio -o -H newc --quiet) > "$RUN/initramfs.cpio"

# ---- 4. boot, inject, check
OUT="$CACHE/out"
rm -rf "$OUT" && mkdir -p "$OUT"
say "booting $KVER under TCG (2 vCPUs): $KEYS keys x $REPS record pair(s), ab key presses every $AB_INTERVAL_MS ms, $HOGS hogs; log in $OUT"
exec python3 "$VMDIR/driver.py" --kernel "$KDIR/vmlinuz" --initrd "$RUN/initramfs.cpio" --out "$OUT" \
    --run "$RUN" --vmdir "$VMDIR" --keys "$KEYS" --interval-ms "$INTERVAL_MS" --ab-interval-ms "$AB_INTERVAL_MS" \
    --reps "$REPS" --hogs "$HOGS"
