#!/usr/bin/env bash
# Builds the installable package: an app image (jpackage, with a bundled Java runtime) and a .deb.
#
#   installer/package.sh [--build-dir DIR] [--native-dir DIR] [--out DIR] [--compress zstd|xz|gzip]
#
#   --build-dir   where the build left gamer-companion.jar, lib/ and maven-archiver/ (default target/)
#   --native-dir  where gamer-agent, gamer-selftest and the .bpf.o objects are (default native-agent/build)
#   --out         output folder (default target/package): gamer-companion/ (the app image) and
#                 gamer-companion_<version>_amd64.deb
#   --compress    the .deb's compression (default zstd: 0.5 s instead of 27 s for xz, 25% larger;
#                 dpkg reads zstd since 1.21.18, Debian 12 and Ubuntu 21.10; use xz for older ones)
#
# It does not build the jar or the agent: ./companion package does that first when they are stale.
# Env: JAVA_HOME, a JDK 25 (its jpackage and jdeps are used). The layout and the reasons for it are
# in docs/PACKAGING.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/target"
NATIVE="$ROOT/native-agent/build"
OUT=""
COMPRESS=zstd

die() { echo "package: $*" >&2; exit 1; }
elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build-dir) BUILD="$2"; shift 2 ;;
        --native-dir) NATIVE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --compress) COMPRESS="$2"; shift 2 ;;
        *) die "unknown option $1 (see the comment at the top of installer/package.sh)" ;;
    esac
done
OUT="${OUT:-$BUILD/package}"

NAME=gamer-companion
APP_ID=org.gamercompanion.GamerCompanion
JDK="${JAVA_HOME:?package: set JAVA_HOME to a JDK 25 (./companion package does)}"
[[ -x "$JDK/bin/jpackage" ]] || die "$JDK/bin/jpackage not found: JAVA_HOME must be a full JDK 25"
for f in "$BUILD/$NAME.jar" "$BUILD/lib" "$BUILD/maven-archiver/pom.properties"; do
    [[ -e "$f" ]] || die "$f missing: build first (./companion package builds what is stale)"
done
for f in gamer-agent gamer-selftest probes.bpf.o sched.bpf.o; do
    [[ -f "$NATIVE/$f" ]] || die "$NATIVE/$f missing: build the agent first (./companion package does)"
done
"$ROOT/installer/package-deps.sh"

# Maven's 0.1.0-SNAPSHOT becomes 0.1.0~snapshot: '~' sorts before the release 0.1.0 in dpkg.
MVN_VERSION=$(sed -n 's/^version=//p' "$BUILD/maven-archiver/pom.properties")
APP_VERSION="${MVN_VERSION%%-*}"
DEB_VERSION="${MVN_VERSION/-SNAPSHOT/~snapshot}"
ARCH=$(dpkg --print-architecture)

WORK="$OUT/.work"
rm -rf "$WORK" "$OUT/$NAME" "$OUT/${NAME}_"*.deb
mkdir -p "$WORK/input" "$OUT"
cp "$BUILD/$NAME.jar" "$WORK/input/"
cp -r "$BUILD/lib" "$WORK/input/lib"

# The runtime holds only the modules the app uses: jdeps finds them in our jars and the libraries';
# jdk.unsupported (JavaFX reaches sun.misc.Unsafe by reflection, invisible to jdeps) and java.logging
# (JavaFX and JNativeHook log through it, also by reflection) are added by hand.
MODULES=$("$JDK/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
    --class-path "$WORK/input/lib/*" "$WORK/input/$NAME.jar" "$WORK/input/lib/"*.jar 2>/dev/null | tail -1)
[[ "$MODULES" == java.base* ]] || die "jdeps did not list the modules (got: $MODULES)"
MODULES="$MODULES,jdk.unsupported,java.logging"

# The window's JVM options (installer/gui-jvm-options, read by ./companion too); the launcher serves
# the CLI too, whose recordings fit in the same heap.
GUI_OPTS=$(grep -v '^#' "$ROOT/installer/gui-jvm-options" | tr '\n' ' ' | xargs)
start_ns=$(date +%s%N)
"$JDK/bin/jpackage" --type app-image --dest "$OUT" --name "$NAME" --app-version "$APP_VERSION" \
    --vendor "Gamer Companion" --description "Input-to-schedule latency of games, from BPF" \
    --input "$WORK/input" --main-jar "$NAME.jar" --main-class org.gamercompanion.Main \
    --add-modules "$MODULES" \
    --java-options "--enable-native-access=ALL-UNNAMED $GUI_OPTS" \
    --icon "$ROOT/assets/icons/hicolor/256x256/apps/$APP_ID.png" \
    2> >(grep -v "No JDK Modules found" >&2) \
    || die "jpackage failed"
echo "package: app image $OUT/$NAME ($(du -sh "$OUT/$NAME" | cut -f1), jpackage $(elapsed_ms "$start_ns") ms)"

# The AOT cache (JDK 25, JEPs 483/514/515): the classes the window loads, already parsed, verified and
# linked, with their profiles, taken from a training run of this very app image (same runtime, same
# jars: the cache is only valid for them) that opens the window under a private Xvfb, without the
# agent, until its first frame is drawn. The runtime has no bin/java, so the two-step form through
# the launcher: record, then create. Start-up to the first frame: docs/PERFORMANCE.md, "Start-up".
# A missing or stale cache (jars replaced) only costs that gain: the JVM says so on stderr and
# starts without it (PackageIT checks both).
AOT="$OUT/$NAME/lib/app/$NAME.aot"
aot_cache() {
    command -v Xvfb >/dev/null || { echo "package: WARNING: no Xvfb (apt-get install xvfb): the package has no AOT cache" >&2; return 0; }
    local home="$WORK/aot-home" conf="$WORK/$NAME.aotconf" marker="$WORK/aot-first-frame.json" disp="" xvfb app ok=""
    mkdir -p "$home"
    # -displayfd: Xvfb picks a free display itself and writes its number once it accepts clients
    # (a guessed number could be another X server's, and the training would run on it).
    mkfifo "$WORK/aot-xvfb.fd"
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/aot-xvfb.fd" >"$WORK/aot-xvfb.log" 2>&1 &
    xvfb=$!
    read -r -t 30 disp <"$WORK/aot-xvfb.fd" || true
    [[ "$disp" =~ ^[0-9]+$ ]] || { kill "$xvfb" 2>/dev/null || true; echo "package: WARNING: Xvfb did not start (see $WORK/aot-xvfb.log): the package has no AOT cache" >&2; return 0; }
    disp=":$disp"
    # A private HOME and XDG folders: the training run writes its settings, window placement and
    # JavaFX's unpacked native libraries there, not into the builder's.
    HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" DISPLAY="$disp" \
        JAVA_TOOL_OPTIONS="-XX:AOTMode=record -XX:AOTConfiguration=$conf -Dprism.order=sw -Dgc.gui.autostart=false -Dgc.gui.firstFrame=$marker" \
        "$OUT/$NAME/bin/$NAME" >"$WORK/aot-record.log" 2>&1 &
    app=$!
    # Polls for the first-frame marker, bounded (60 s); then the app quits on SIGTERM and the JVM
    # writes the configuration on its way out.
    for _ in $(seq 600); do
        [[ -f "$marker" ]] && { ok=1; break; }
        kill -0 "$app" 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
    [[ -n "$ok" && -s "$conf" ]] || die "the AOT training run did not draw its window or left no configuration: $(tail -5 "$WORK/aot-record.log")"
    JAVA_TOOL_OPTIONS="-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$AOT" \
        "$OUT/$NAME/bin/$NAME" >"$WORK/aot-create.log" 2>&1 || die "creating the AOT cache failed: $(tail -5 "$WORK/aot-create.log")"
    # The launcher uses it from now on ($APPDIR: the launcher's lib/app). JVM warnings go to stderr:
    # an unusable cache makes the JVM log an error and go on, and the CLI's stdout (--json) must stay
    # clean.
    printf 'java-options=%s\n' "-XX:AOTCache=\$APPDIR/$NAME.aot" -Xlog:disable -Xlog:all=warning:stderr \
        >>"$OUT/$NAME/lib/app/$NAME.cfg"
}
start_ns=$(date +%s%N)
aot_cache
[[ ! -f "$AOT" ]] || echo "package: AOT cache $AOT ($(du -h "$AOT" | cut -f1), $(elapsed_ms "$start_ns") ms)"

# The .deb tree: the app image under /usr/lib/gamer-companion, next to the agent, plus the desktop
# integration files where the freedesktop specs and polkit look for them.
TREE="$WORK/deb"
LIBDIR="$TREE/usr/lib/$NAME"
mkdir -p "$TREE/DEBIAN" "$TREE/usr/bin" "$TREE/usr/lib" "$LIBDIR/agent" \
    "$TREE/usr/share/applications" "$TREE/usr/share/metainfo" "$TREE/usr/share/polkit-1/actions" \
    "$TREE/usr/share/doc/$NAME" "$TREE/usr/share/icons/hicolor/scalable/apps" \
    "$TREE/lib/systemd/system" "$TREE/etc/$NAME/profiles" "$TREE/usr/share/$NAME/grafana"
cp -a "$OUT/$NAME/." "$LIBDIR/"
ln -s "../lib/$NAME/bin/$NAME" "$TREE/usr/bin/$NAME"
install -m 0755 "$NATIVE/gamer-agent" "$NATIVE/gamer-selftest" "$LIBDIR/agent/"
install -m 0644 "$NATIVE/probes.bpf.o" "$NATIVE/sched.bpf.o" "$LIBDIR/agent/"
install -m 0644 "$ROOT/installer/linux/$APP_ID.desktop" "$TREE/usr/share/applications/"
install -m 0644 "$ROOT/installer/linux/$APP_ID.metainfo.xml" "$TREE/usr/share/metainfo/"
install -m 0644 "$ROOT/assets/icons/$APP_ID.svg" "$TREE/usr/share/icons/hicolor/scalable/apps/"
for png in "$ROOT"/assets/icons/hicolor/*/apps/"$APP_ID".png; do
    size_dir="$(basename "$(dirname "$(dirname "$png")")")"
    install -D -m 0644 "$png" "$TREE/usr/share/icons/hicolor/$size_dir/apps/$APP_ID.png"
done
# The polkit action comes from the privileged-launch work (installer/polkit/); without it the app
# still installs and runs, but only root can start the agent.
POLICY="$ROOT/installer/polkit/org.gamercompanion.policy"
if [[ -f "$POLICY" ]]; then
    install -m 0644 "$POLICY" "$TREE/usr/share/polkit-1/actions/"
else
    echo "package: WARNING: $POLICY missing: the package has no polkit action" >&2
fi
# The collector (docs/COLLECTOR.md): its systemd unit, shipped disabled (no postinst enables it; Debian
# 12 packages still put units under /lib), its config as a conffile (an admin's edits survive
# upgrades), the profile folder it reads, and the Grafana dashboard with its documentation.
install -m 0644 "$ROOT/installer/collector/gamer-companion-collector.service" "$TREE/lib/systemd/system/"
install -m 0644 "$ROOT/installer/collector/collector.toml" "$TREE/etc/$NAME/collector.toml"
install -m 0644 "$ROOT/assets/grafana/gamer-companion.json" "$TREE/usr/share/$NAME/grafana/"
install -m 0644 "$ROOT/docs/COLLECTOR.md" "$TREE/usr/share/doc/$NAME/"
echo "/etc/$NAME/collector.toml" >"$TREE/DEBIAN/conffiles"
for script in prerm postinst postrm; do
    install -m 0755 "$ROOT/installer/deb/$script" "$TREE/DEBIAN/$script"
done
printf 'Gamer Companion\nSource: the gamer-companion repository.\n' >"$TREE/usr/share/doc/$NAME/copyright"

desktop-file-validate "$TREE/usr/share/applications/$APP_ID.desktop" || die "the .desktop entry is invalid"
appstreamcli validate --no-net --no-color "$TREE/usr/share/metainfo/$APP_ID.metainfo.xml" >/dev/null \
    || die "the AppStream metainfo is invalid: appstreamcli validate --no-net $ROOT/installer/linux/$APP_ID.metainfo.xml"

# Depends, part 1: the packages that hold the shared libraries our native code links, found with
# ldd + dpkg -S (as jpackage does for its own .deb): the runtime's libraries, the agent (libelf, zlib;
# libbpf is static), and the libraries that JavaFX and JNativeHook carry in their jars and unpack at
# run time (GTK 3 for JavaFX's glass, Pango, libGL, libXtst for the hotkey). Foreign-architecture
# copies in those jars are skipped. Part 2: what no ELF file names: a font for JavaFX's text, and
# pkexec and polkitd for the privileged launch of the agent.
command -v readelf >/dev/null || die "readelf missing (it comes with clang-16): apt-get install binutils"
JAR_LIBS="$WORK/jar-libs"
mkdir -p "$JAR_LIBS"
for jar in "$WORK/input/lib/"*.jar; do
    mapfile -t sos < <("$JDK/bin/jar" tf "$jar" | grep -E '\.so$' | grep -Ev '/(arm|arm64|aarch64|x86|i386|ppc64le|riscv64)/' || true)
    [[ ${#sos[@]} -eq 0 ]] || (cd "$JAR_LIBS" && "$JDK/bin/jar" xf "$jar" "${sos[@]}")
done
mapfile -t ELFS < <(find "$LIBDIR/bin" "$LIBDIR/lib" "$JAR_LIBS" -type f \( -name '*.so' -o -path '*/bin/*' \); \
    echo "$LIBDIR/agent/gamer-agent"; echo "$LIBDIR/agent/gamer-selftest")
# Direct dependencies only (the NEEDED entries, as dpkg-shlibdeps reads them): ldd alone would add
# every library's own dependencies too. ldd maps those names to files, dpkg -S files to packages;
# the runtime's own libraries (libjava.so, ...) belong to no package and drop out.
NEEDED=$(for f in "${ELFS[@]}"; do readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; done | sort -u)
LINKED=$({ ldd "${ELFS[@]}" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u \
    | while read -r soname lib; do
        grep -qxF "$soname" <<<"$NEEDED" || continue
        dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true
    done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
[[ "$LINKED" == *libgtk-3-0* && "$LINKED" == *libelf1* ]] \
    || die "ldd + dpkg -S did not find libgtk-3-0 and libelf1 among the linked packages (got: $LINKED)"
DEPENDS="$LINKED, fonts-dejavu-core | fonts-freefont-ttf, pkexec | policykit-1, polkitd | policykit-1"

cat >"$TREE/DEBIAN/control" <<EOF
Package: $NAME
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: Gamer Companion <dev@gamercompanion.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$TREE" | cut -f1)
Depends: $DEPENDS
Section: games
Priority: optional
Description: input-to-schedule latency of games, measured with BPF
 Gamer Companion measures in the kernel how long a game waits for a CPU after
 each input, shows live latency histograms, keeps per-game profiles and
 toggles a sched_ext gaming scheduler where the kernel has sched_ext.
 .
 The desktop app (bundled Java runtime) runs unprivileged and starts its BPF
 agent through pkexec (polkit action org.gamercompanion.agent.start).
 .
 gamer-companion serve is a headless collector for Prometheus (systemd unit
 gamer-companion-collector, disabled by default; a Grafana dashboard is in
 /usr/share/gamer-companion/grafana).
EOF

# Root-owned files without fakeroot: --root-owner-group makes every entry root:root, modes as built.
DEB="$OUT/${NAME}_${DEB_VERSION}_${ARCH}.deb"
start_ns=$(date +%s%N)
dpkg-deb --root-owner-group -Z"$COMPRESS" --build "$TREE" "$DEB" >/dev/null
echo "package: $DEB ($(du -h "$DEB" | cut -f1), dpkg-deb -Z$COMPRESS $(elapsed_ms "$start_ns") ms)"
rm -rf "$WORK"
