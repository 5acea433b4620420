#!/bin/sh
# /init of the VM test's initramfs (busybox). Loads the 9p and input modules, mounts the host's
# root read-only (9p tag "hostroot"), the checkout and the run directory read-only at their host
# paths (tags "gcrepo", "gcrun"), and the result directory read-write (tag "gcvmout"), then
# chroots into the host root and runs the guest script named on the kernel command line:
#   gcvm.script=<path in the host root> gcvm.args=<comma-separated arguments>
# and powers off. Everything the guest script prints goes to the serial console.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in netfs 9pnet 9pnet_virtio 9p evdev uinput; do
    insmod "/lib/modules/$m.ko" || echo "GCVM init: insmod $m failed"
done
script=""
args=""
repo=""
run=""
for w in $(cat /proc/cmdline); do
    case "$w" in
        gcvm.script=*) script="${w#gcvm.script=}" ;;
        gcvm.args=*) args="$(echo "${w#gcvm.args=}" | tr ',' ' ')" ;;
        gcvm.repo=*) repo="${w#gcvm.repo=}" ;;
        gcvm.run=*) run="${w#gcvm.run=}" ;;
    esac
done
H=/host
mkdir -p $H
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot $H || echo "GCVM init: mount hostroot failed"
mount -t proc proc $H/proc
mount -t sysfs sysfs $H/sys
mount -o bind /dev $H/dev
mount -t tmpfs tmpfs $H/tmp
mount -t tmpfs tmpfs $H/run
mkdir -p $H/dev/shm $H/dev/pts $H/tmp/gcvm-out
mount -t tmpfs tmpfs $H/dev/shm
mount -t devpts devpts $H/dev/pts
mount -t bpf bpf $H/sys/fs/bpf 2>/dev/null
mount -t debugfs debugfs $H/sys/kernel/debug 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 gcvmout $H/tmp/gcvm-out || echo "GCVM init: mount gcvmout failed"
# The checkout and the run directory at their host paths, over the tmpfs that hides the host's /tmp
# (mkdir fails harmlessly on the read-only root, where the path already exists).
for share in "gcrepo:$repo" "gcrun:$run"; do
    tag=${share%%:*} path=${share#*:}
    [ -n "$path" ] || continue
    mkdir -p "$H$path" 2>/dev/null
    mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro "$tag" "$H$path" \
        || echo "GCVM init: mount $tag on $path failed"
done
echo "GCVM init: running $script $args"
# shellcheck disable=SC2086
chroot $H /bin/sh "$script" $args
echo "GCVM init: guest script exited $?"
sync
poweroff -f
