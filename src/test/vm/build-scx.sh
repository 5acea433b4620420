#!/usr/bin/env bash
# Builds the kernel tree's example sched_ext schedulers scx_simple and scx_central for the VM
# tier's three-way A/B phase (ab3), from the linux-source .deb of the kernel the guest boots.
# Called by run.sh, which fetches the .deb and caches the result per kernel version.
#
#   build-scx.sh SOURCE_DEB VMLINUZ OUT_DIR
#
# SOURCE_DEB: Debian's linux-source-X.Y_<version>_all.deb (a .tar.xz of the whole tree inside);
# VMLINUZ: the guest's kernel image (its BTF becomes vmlinux.h); OUT_DIR: gets scx_simple,
# scx_central (when it builds) and build.log. Exit status 0 when scx_simple built.
#
# Why not `make -C tools/sched_ext`: that Makefile first builds the tree's own libbpf and bpftool
# (and needs tools/build, tools/scripts, tools/lib and tools/bpf of the tree). The build host
# already has libbpf 1.4 and bpftool 7.5 (installer/setup-build-host.sh: the agent needs them), so
# this script runs the Makefile's steps with those: vmlinux.h from the kernel's own BTF, clang
# -target bpf, bpftool gen object (the BPF static linker) and gen skeleton, cc with the static
# libbpf. Only tools/sched_ext and scripts/extract-vmlinux are unpacked from the tree.
set -euo pipefail

DEB=$1 VMLINUZ=$2 OUT=$3
CLANG=${CLANG:-clang-16}
BPFTOOL=${BPFTOOL:-bpftool}
CC=${CC:-cc}

mkdir -p "$OUT"
W=$(mktemp -d "$OUT/build.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The tree is one .tar.xz inside the .deb: stream it and keep the two parts this build reads.
dpkg-deb --fsys-tarfile "$DEB" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' | xz -T0 -dc \
    | tar -x -C "$W" --wildcards '*/tools/sched_ext/*' '*/scripts/extract-vmlinux'
TREE=$(echo "$W"/linux-source-*)
S="$TREE/tools/sched_ext"
[[ -f "$S/scx_simple.bpf.c" ]] || { echo "build-scx: no tools/sched_ext/scx_simple.bpf.c in $DEB" >&2; exit 1; }

# The BTF of the very kernel the guest boots: the kfuncs and struct layouts scx_*.bpf.c compile
# against are that kernel's (CO-RE would relocate offsets, but a missing kfunc fails the load).
# extract-vmlinux is the tree's own tool: it finds whichever compression the image uses.
"$TREE/scripts/extract-vmlinux" "$VMLINUZ" > "$W/vmlinux"
mkdir -p "$W/include"
"$BPFTOOL" btf dump file "$W/vmlinux" format c > "$W/include/vmlinux.h"

# The Makefile's BPF_CFLAGS, minus what only cross builds need. The -idirafter list is clang's
# host include path (asm/types.h and friends, which -target bpf does not search).
sys_includes=$("$CLANG" -v -E - </dev/null 2>&1 \
    | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS=(-g -O2 -mcpu=v3 -target bpf -D__TARGET_ARCH_x86 -mlittle-endian
            -I"$S/include" -I"$S/include/bpf-compat" -I"$W/include"
            -Wall -Wno-compare-distinct-pointer-types -Wno-microsoft-anon-tag -fms-extensions)

# One scheduler, the Makefile's steps. Chained with && rather than left to `set -e`, which bash
# ignores inside a function called as `build x || ...`.
build() { # name
    local n=$1
    # shellcheck disable=SC2086
    "$CLANG" "${BPF_CFLAGS[@]}" $sys_includes -c "$S/$n.bpf.c" -o "$W/$n.bpf.o" \
        && "$BPFTOOL" gen object "$W/$n.linked.o" "$W/$n.bpf.o" \
        && "$BPFTOOL" gen skeleton "$W/$n.linked.o" name "$n" > "$W/$n.skel.raw" \
        && sed '/map->link = /d' "$W/$n.skel.raw" > "$W/include/$n.bpf.skel.h" \
        && "$CC" -O2 -g -Wall -pthread -I"$S/include" -I"$W/include" -c "$S/$n.c" -o "$W/$n.o" \
        && "$CC" -o "$W/$n" "$W/$n.o" "$("$CC" -print-file-name=libbpf.a)" -lelf -lz -lzstd -lpthread \
        && mv "$W/$n" "$OUT/$n"
}
# bpftool 7.5 writes `map->link = ...` (struct_ops auto-attach, libbpf >= 1.5) into a skeleton;
# libbpf 1.4 has no such member. Dropping the line is what scx's compat.h expects of an old libbpf
# (SCX_OPS_ATTACH attaches the struct_ops map itself); native-agent/Makefile does the same. libbpf
# is linked statically, as the agent is: the binaries do not depend on the host's libbpf1.

build scx_simple
# scx_central is a bonus (the issue asks for it "if it builds"): its failure is reported, not fatal.
build scx_central || echo "build-scx: scx_central did not build (scx_simple did)" >&2
